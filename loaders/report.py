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
            parts.append("écrits : " + self._elements(self.elements_written,
                                                     self.connections_written))
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


class LoadReport(BaseModel):
    """What happened to every file of a load; ``ok`` is False when any file was rejected."""

    ok: bool
    dry_run: bool = False
    skip_invalid: bool = False
    files: list[FileReport] = Field(default_factory=list)

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
