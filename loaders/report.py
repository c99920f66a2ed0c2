"""The load report: what happened to each file (:class:`FileReport`) and to the whole load
(:class:`LoadReport`), with a French summary of each that counts the way French does
("1 ligne rejetée", "2 lignes rejetées", "aucune erreur").

What people read is French (``summary``, ``warnings``, ``write_error``, each error's
``reason`` and ``message``); the English of each stays beside it (``*_en``) for clients
and logs; ``status`` and each error's ``code`` are the stable values machines compare.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field

from graph.french import plural
from graph.import_counts import ImportCounts
from loaders.errors import LoadError
from loaders.messages import Words

Status = Literal["loaded", "partial", "rejected", "validated", "write_failed"]

#: each status as a French reader reads it
STATUS_FR: dict[str, str] = {
    "loaded": "chargé",
    "partial": "chargé en partie",
    "rejected": "rejeté",
    "validated": "vérifié",
    "write_failed": "écriture interrompue",
}


class FileReport(BaseModel):
    """What happened to one file."""

    file: str
    status: Status
    tables: list[str] = Field(default_factory=list, description="kind of each table read")
    rows_read: int = 0
    #: what validation accepted (what a dry run would write)
    elements_planned: int = 0
    connections_planned: int = 0
    elements_written: int = 0
    connections_written: int = 0
    rows_rejected: int = 0
    errors: list[LoadError] = Field(default_factory=list)
    #: what the report tells without refusing anything, in French…
    warnings: list[str] = Field(default_factory=list)
    #: … and in English
    warnings_en: list[str] = Field(default_factory=list)
    rejects_file: str | None = None
    #: why the writes stopped, in French (``write_failed``)…
    write_error: str | None = None
    #: … and in English
    write_error_en: str | None = None
    #: rows of transactions whose commit was sent but never acknowledged (the connection
    #: was lost): Neo4j may have committed them, so the counts written are "at least"
    elements_uncertain: int = 0
    connections_uncertain: int = 0
    #: what the file changes in the graph (loaders/history.py), a dry run included:
    #: new (or back from retirement), with a property of another value, the same
    elements_created: int = 0
    elements_updated: int = 0
    elements_unchanged: int = 0
    connections_created: int = 0
    connections_updated: int = 0
    connections_unchanged: int = 0
    #: the dataset the file belongs to (``--dataset``, else the file's stem)
    dataset: str | None = None

    @property
    def at_least(self) -> bool:
        """True when the counts written are a lower bound (an acknowledgement was lost)."""
        return bool(self.elements_uncertain or self.connections_uncertain)

    def warn(self, words: Words) -> None:
        """Add a warning, in both languages."""
        self.warnings.append(words.fr)
        self.warnings_en.append(words.en)

    def fail_write(self, words: Words) -> None:
        """Record why the writes stopped, in both languages."""
        self.status = "write_failed"
        self.write_error, self.write_error_en = words.fr, words.en

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> str:
        """One French sentence: ``chargé en partie : 3 lignes lues ; écrits : 2 éléments,
        0 lien ; 1 ligne rejetée ; 1 erreur.``"""
        parts = [plural(self.rows_read, "ligne lue", "lignes lues", zero="aucune ligne lue")]
        if self.status == "validated":
            parts.append("à écrire : " + self._elements(self.elements_planned,
                                                       self.connections_planned))
        elif self.status != "rejected":
            parts.append("écrits : " + ("au moins " if self.at_least else "")
                         + self._elements(self.elements_written, self.connections_written))
        if self.rows_rejected and self.status != "rejected":
            parts.append(plural(self.rows_rejected, "ligne rejetée", "lignes rejetées"))
        parts.append(plural(len(self.errors), "erreur", "erreurs", zero="aucune erreur"))
        text = f"{STATUS_FR[self.status]} : {' ; '.join(parts)}"
        if self.status == "rejected":
            text += " ; rien n'a été écrit"
        return text + "."

    @staticmethod
    def _elements(elements: int, connections: int) -> str:
        return (f"{plural(elements, 'élément', 'éléments')}, "
                f"{plural(connections, 'lien', 'liens')}")


class Changes(ImportCounts):
    """What a load changes (or a dry run would), over all its files: the eight counts, and
    by label and by property."""
    #: label → elements created / retired (``Organisation`` → 12)
    created_by_label: dict[str, int] = Field(default_factory=dict)
    retired_by_label: dict[str, int] = Field(default_factory=dict)
    #: property (``territory`` for a LOCATED_IN) → facts where its value changed
    fields_changed: dict[str, int] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> str:
        """The diff in French: ``+12 organisations, −3 organisations, 5 éléments modifiés
        (nom, territoire), +40 liens, −7 liens`` (``aucun changement`` when none)."""
        from graph.vocabulary import FRENCH_NAMES, FRENCH_PLURALS, PROPERTY_FR

        def words(n: int, label: str) -> str:
            return (FRENCH_NAMES if n == 1 else FRENCH_PLURALS).get(label, label).lower()

        parts = [f"+{n} {words(n, label)}" for label, n in sorted(self.created_by_label.items())]
        parts += [f"−{n} {words(n, label)}" for label, n in sorted(self.retired_by_label.items())]
        if self.elements_updated:
            fields = ", ".join(
                ("territoire" if k == "territory" else PROPERTY_FR.get(k, k)).lower()
                for k, _ in sorted(self.fields_changed.items(), key=lambda kv: -kv[1]))
            parts.append(plural(self.elements_updated, "élément modifié", "éléments modifiés")
                         + (f" ({fields})" if fields else ""))
        if self.connections_created:
            parts.append(f"+{plural(self.connections_created, 'lien', 'liens')}")
        if self.connections_retired:
            parts.append(f"−{plural(self.connections_retired, 'lien', 'liens')}")
        if self.connections_updated:
            parts.append(plural(self.connections_updated, "lien modifié", "liens modifiés"))
        return ", ".join(parts) if parts else "aucun changement"


class LoadReport(BaseModel):
    """What happened to every file of a load; ``ok`` is False when any file was rejected."""

    ok: bool
    dry_run: bool = False
    skip_invalid: bool = False
    files: list[FileReport] = Field(default_factory=list)
    #: the Import record of the load (None: a dry run, or nothing written)
    import_id: str | None = None
    #: ``add`` (facts added or updated) or ``replace`` (the new full version of a dataset)
    mode: str = "add"
    #: the dataset replaced (``replace``), or named by ``--dataset``
    dataset: str | None = None
    by: str | None = None
    changes: Changes = Field(default_factory=Changes)
    #: replaces cut short earlier (their process or Neo4j killed) that this load finished
    #: first, from the files they kept (loaders/recovery.py): their import ids
    recovered: list[str] = Field(default_factory=list)

    @property
    def errors(self) -> list[LoadError]:
        return [e for f in self.files for e in f.errors]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> str:
        """One French sentence for the whole load: ``2 fichiers (1 chargé, 1 rejeté),
        3 erreurs.``"""
        counts: dict[str, int] = {}
        for f in self.files:
            counts[f.status] = counts.get(f.status, 0) + 1
        shown = [plural(n, STATUS_FR[s], _plural_status(s)) for s, n in counts.items()]
        text = plural(len(self.files), "fichier", "fichiers", zero="aucun fichier")
        if shown:
            text += f" ({', '.join(shown)})"
        errors = len(self.errors)
        text += ", " + plural(errors, "erreur", "erreurs", zero="aucune erreur")
        if self.dry_run:
            text += " (essai : rien n'a été écrit)"
        return text + "."


def _plural_status(status: str) -> str:
    """``chargé`` → ``chargés``, ``écriture interrompue`` → ``écritures interrompues``."""
    return {"partial": "chargés en partie",
            "write_failed": "écritures interrompues"}.get(status, STATUS_FR[status] + "s")
