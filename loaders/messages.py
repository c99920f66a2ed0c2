"""Every reason an import can give, by stable code, in French and in English.

A loader that refuses something builds a :class:`Reason` with :func:`reason` — a code from
:data:`MESSAGES` and the facts (the value, a number, a date…) — and never writes the
sentence itself. The report shows :attr:`Reason.fr` to people (the CLI, the API's
``reason`` and ``message``) and keeps :attr:`Reason.en` for machines and logs
(``reason_en``). A sentence names the value and says how to fix it.

Facts are rendered per language: numbers and dates the French way in French, a
:class:`Words` (a phrase already written in both languages: a list of accepted names, a
"did you mean") as its own side. ``tests/loaders/test_messages.py`` fails when a code
raised anywhere in ``loaders/`` has no message here.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graph.french import date_fr, in_sentence, kind_fr, label_fr, num, quoted, rel_fr
from graph.vocabulary import (
    ELEMENT_TYPES,
    KIND_FR,
    ORGANISATION_KIND_SPECS,
    PHASE_SPECS,
    RELATIONSHIPS,
    ROLE_SPECS,
    ROLES,
    normalise_token,
    vocabulary_tokens,
)

#: how much of a cell a reason quotes
QUOTED_CHARS = 60


@dataclass(frozen=True)
class Words:
    """A phrase written in both languages."""

    fr: str
    en: str


@dataclass(frozen=True)
class Message:
    """The two sentences of a code: ``str.format`` templates over the reason's facts."""

    fr: str
    en: str


NOTHING = Words("", "")

MESSAGES: dict[str, Message] = {
    # --- one cell (loaders/cells.py)
    "cell_too_long": Message(
        "la cellule fait {length} caractères, au-delà de la limite de {limit} : "
        "raccourcissez-la.",
        "the cell is {length:,} characters long; the limit is {limit:,}"),
    "formula": Message(
        "une cellule ne peut pas commencer par =, +, - ou @ (les formules ne sont pas "
        "acceptées) : tapez la valeur elle-même.",
        "formula cells are not accepted (a cell may not start with =, +, - or @): type the "
        "value itself"),
    "name_required": Message("le nom est obligatoire : remplissez cette cellule.",
                             "a name is required"),
    "name_too_long": Message(
        "le nom fait {length} caractères, au-delà de la limite de {limit} : raccourcissez-le "
        "(la description peut dire le reste).",
        "the name is {length:,} characters long; the limit is {limit}"),
    "markup_in_name": Message("un nom est du texte simple : retirez les balises HTML.",
                              "names are plain text: remove the HTML markup"),
    "name_without_letters": Message("un nom doit contenir au moins une lettre ou un chiffre.",
                                    "a name needs at least one letter or digit"),
    "unknown_type": Message(
        "« {value} » n'est pas un type connu. Types acceptés : {choices}, ou un type "
        "d'organisation (association, collectivité…).{did_you_mean}",
        '"{value}" is not a known type (expected one of: {choices}){did_you_mean}'),
    "not_an_element_type": Message(
        "« {value} » ne s'importe pas comme élément : les territoires viennent de "
        "`alliance-graph load territories` ; nommez-les dans la colonne du territoire.",
        '"{value}" cannot be imported as an element: territories come from `alliance-graph '
        "load territories`; name them in the territory column"),
    "kind_not_allowed": Message(
        "le type « {label} » ne prend pas de catégorie : laissez cette cellule vide.",
        "a {label} has no kind: leave this cell empty"),
    "unknown_kind": Message(
        "« {value} » n'est pas un type d'organisation connu. Types d'organisation acceptés : "
        "{choices}.{did_you_mean}",
        '"{value}" is not a known organisation kind (expected one of: {choices})'
        "{did_you_mean}"),
    "unknown_phase": Message(
        "« {value} » n'est pas une phase de programme. Phases acceptées : {choices}."
        "{did_you_mean}",
        '"{value}" is not a programme phase (expected one of: {choices}){did_you_mean}'),
    "kind_contradicts_type": Message(
        "le type dit « {implied} » mais cette cellule dit « {given} » : mettez-les "
        "d'accord, ou laissez cette cellule vide.",
        "the type says {implied} but the kind says {given}"),
    "unknown_role": Message(
        "« {value} » n'est pas un rôle connu. Rôles acceptés : {choices}.{did_you_mean}",
        '"{value}" is not a known role (expected one of: {choices}){did_you_mean}'),
    "not_a_date": Message(
        "« {value} » n'est pas une date : écrivez JJ/MM/AAAA ou AAAA-MM-JJ (par exemple "
        "31/03/2020).",
        '"{value}" is not a date (write YYYY-MM-DD or DD/MM/YYYY)'),
    "impossible_date": Message(
        "« {value} » n'est pas une date qui existe (jour {day}, mois {month}, année "
        "{year}) : vérifiez le jour et le mois.",
        '"{value}" is not a real date (day {day}, month {month}, year {year})'),
    "not_a_number": Message("« {value} » n'est pas un nombre : écrivez par exemple 50,69.",
                            '"{value}" is not a number'),
    "out_of_range": Message(
        "la {what} {number} n'est pas comprise entre {low} et {high} : vérifiez la valeur "
        "(en degrés décimaux).",
        "{what} {number} is outside [{low:g}, {high:g}]"),
    "not_a_whole_number": Message("« {value} » n'est pas un nombre entier.",
                                  '"{value}" is not a whole number'),
    "url_with_spaces": Message(
        "« {value} » n'est pas une adresse web : elle contient des espaces.",
        '"{value}" is not a URL (it contains spaces)'),
    "not_a_url": Message(
        "« {value} » n'est pas une adresse web : écrivez-la en entier (https://…).",
        '"{value}" is not a URL (write https://…)'),
    "url_scheme": Message(
        "seuls les liens http et https sont acceptés, pas « {scheme}: » : donnez l'adresse "
        "d'une page web.",
        "only http and https links are accepted, not {scheme}:"),
    "not_a_siren": Message(
        "« {value} » n'est ni un SIREN (9 chiffres) ni un SIRET (14 chiffres).",
        '"{value}" is not a SIREN (9 digits) nor a SIRET (14 digits)'),
    "siren_check_digit": Message(
        "« {value} » n'est pas un SIREN valide (sa clé de contrôle est fausse) : vérifiez "
        "le numéro.",
        '"{value}" is not a valid SIREN (its check digit is wrong)'),
    "not_an_rna": Message(
        "« {value} » n'est pas un numéro RNA (W suivi de 9 caractères, par exemple "
        "W751234567).",
        '"{value}" is not an RNA number (W followed by 9 digits)'),
    "unknown_relationship": Message(
        "« {value} » n'est pas un type de lien connu. Liens acceptés : {choices}."
        "{did_you_mean}",
        '"{value}" is not a known relationship (expected one of: {choices}){did_you_mean}'),
    "reversed_relationship": Message(
        "« {value} » lit le lien à l'envers : écrivez « {rel} » et échangez les deux "
        "extrémités du lien (colonnes de départ et d'arrivée).",
        '"{value}" reads the connection backwards: write "{rel}" and swap from and to'),
    "part_of_not_importable": Message(
        "« fait partie de » relie des territoires entre eux ; ils viennent de "
        "`alliance-graph load territories` : ce lien ne s'importe pas.",
        "PART_OF joins territories, which come from `alliance-graph load territories`"),
    # --- one row (loaders/rows.py)
    "type_required": Message(
        "le type est obligatoire : Organisation, Programme, Besoin, Espace de dialogue…",
        "a type is required (Organisation, Programme, Need…)"),
    "relationship_required": Message(
        "le type de lien est obligatoire : porte, finance, partenaire de…",
        "a connection type is required (CARRIES, FUNDS, finance…)"),
    "roles_not_allowed": Message(
        "seules les organisations ont des rôles ; le type « {label} » n'en a pas : videz "
        "cette cellule.",
        "only organisations take roles; a {label} has none"),
    "lat_lon_pair": Message("donnez la latitude et la longitude ensemble, ou aucune des deux.",
                            "give both lat and lon, or neither"),
    "location_not_allowed": Message(
        "seules les organisations ont une position (latitude, longitude) : videz ces "
        "cellules.",
        "only organisations have a location (lat, lon)"),
    "end_before_start": Message(
        "la fin ({end}) est avant le début ({start}) : vérifiez les deux dates.",
        "the end ({end}) is before the start ({start})"),
    "territory_not_allowed": Message(
        "seuls les organisations, les programmes et les besoins ont un territoire : videz "
        "cette cellule.",
        "only organisations, programmes and needs take a territory"),
    "siren_not_allowed": Message(
        "seules les organisations ont un numéro SIREN ou RNA : videz cette cellule.",
        "only organisations have a SIREN or RNA number"),
    "bad_id": Message(
        "« {value} » n'est pas un identifiant : un identifiant est un code court (lettres, "
        "chiffres, - _ : .) sans guillemets ni chevrons.",
        "an id is a short slug (letters, digits, - _ : .)"),
    "end_missing": Message(
        "le lien n'a pas de {end} : indiquez l'identifiant ou le nom exact d'un élément.",
        'the "{end}" end of the connection is empty'),
    "inventaire_type_required": Message(
        "le type est obligatoire : Besoin, Programme d'urgence ou Programme de relance.",
        "a type is required (Besoin, Programme d'urgence, Programme de relance)"),
    "inventaire_type": Message(
        "une ligne d'inventaire est un besoin (Besoin) ou un programme (Programme "
        "d'urgence, Programme de relance), pas « {value} ».",
        "an inventaire row is a need (Besoin) or a programme (Programme d'urgence, "
        "Programme de relance)"),
    "title_required": Message("le titre est obligatoire : remplissez cette cellule.",
                              "a title (titre) is required"),
    # --- rows together (loaders/validate.py)
    "duplicate_id": Message(
        "l'identifiant « {id} » désigne déjà un élément de type « {first} » ({where}) ; "
        "cette ligne dit « {label} » : donnez-leur deux identifiants différents.",
        'duplicate id "{id}" with conflicting types: {first} on {where}, {label} here'),
    "id_taken_in_graph": Message(
        "l'identifiant « {id} » appartient déjà à un élément de type « {other} » dans le "
        "graphe ; cette ligne dit « {label} » : choisissez un autre identifiant.",
        'id "{id}" already belongs to a {other} in the graph; this row says {label}'),
    "ambiguous_element": Message(
        "« {value} » désigne plusieurs éléments : {candidates} ; écrivez l'identifiant de "
        "celui que vous voulez.",
        '"{value}" names several elements ({candidates}): use the id'),
    "unknown_element": Message(
        "« {value} » n'est ni un élément de ce chargement ni un élément du graphe (aucun "
        "identifiant ni nom ne correspond) : vérifiez l'orthographe, ou ajoutez-le au "
        "fichier des éléments.",
        '"{value}" is not an element of this file nor of the graph (no such id or name)'),
    "self_connection": Message(
        "un lien ne peut pas relier « {id} » à lui-même : vérifiez les deux extrémités.",
        'a connection cannot join "{id}" to itself'),
    "relationship_not_allowed": Message(
        "le lien « {rel} » ne peut pas relier « {start} » à « {end} » : il relie {allowed}. "
        "Vérifiez le type du lien ou ses extrémités.",
        "{rel} cannot join a {start} to a {end} (it joins {allowed})"),
    "end_rejected": Message(
        "« {value} » est défini par {file}, ligne {row}, qui a été rejetée : corrigez "
        "d'abord cette ligne.",
        '"{value}" is defined by {file} row {row}, which was rejected'),
    # --- territory cells (loaders/territory_resolver.py): the sentence is built there
    "ambiguous_territory": Message("{text}", "{text}"),
    "unknown_territory": Message("{text}", "{text}"),
    "uncovered_territory": Message("{text}", "{text}"),
    "territory_not_loaded": Message("{text}", "{text}"),
    "not_a_territory": Message("{text}", "{text}"),
    # --- whole files (loaders/tabular.py)
    "undecodable": Message(
        "le fichier n'est ni en UTF-8 ni en Windows-1252 : l'octet {byte} à la position "
        "{offset} (ligne {line}) est illisible. Enregistrez-le en « CSV UTF-8 » depuis le "
        "tableur.",
        "undecodable bytes: byte {byte} at offset {offset} (line {line}) is neither UTF-8 "
        "nor Windows-1252 (first UTF-8 error at offset {utf8_offset}); save the file as "
        "UTF-8"),
    "empty_file": Message(
        "le fichier est vide : il faut une ligne d'en-têtes puis des lignes de données.",
        "the file is empty: expected a header row and data rows"),
    "empty_workbook": Message("le fichier est vide : il faut un classeur Excel (.xlsx).",
                              "the file is empty: expected an XLSX workbook"),
    "nul_bytes": Message(
        "le fichier contient des octets nuls (ligne {line}) : est-ce vraiment un fichier "
        "CSV ? Enregistrez-le au format CSV depuis le tableur.",
        "the file contains NUL bytes (line {line}): is it really a CSV file?"),
    "malformed_csv": Message(
        "le CSV est mal formé vers la ligne {line} : vérifiez les guillemets et les "
        "séparateurs.",
        "the CSV is malformed near row {line}: {detail}"),
    "empty_table": Message(
        "{where} est vide : il faut une ligne d'en-têtes puis des lignes de données.",
        "{where} is empty: expected a header row and data rows"),
    "unrecognised_headers": Message(
        "impossible de savoir ce que contient {where} d'après ses en-têtes ({headers}) : "
        "une table d'éléments a besoin des colonnes type et nom, une table de liens des "
        "colonnes de, à et type, un inventaire des colonnes type, titre et porteur.",
        "cannot tell what {where} holds from its headers ({headers}): an elements table "
        "needs type and name, a connections table from, to and type, an inventaire type, "
        "titre and porteur"),
    "missing_column": Message(
        "il manque {columns} ({table} ; colonnes trouvées : {found}).",
        "missing required column {columns} in a {table} table (found: {found})"),
    "no_data_rows": Message("{where} a une ligne d'en-têtes mais aucune ligne de données.",
                            "{where} has a header row but no data rows"),
    "not_a_workbook": Message(
        "ce fichier n'est pas un classeur Excel lisible : enregistrez-le au format .xlsx "
        "depuis le tableur.",
        "not a readable XLSX workbook ({detail})"),
    "no_known_sheet": Message(
        "le classeur n'a aucune feuille d'éléments, de liens ou d'inventaire : nommez les "
        "feuilles « éléments », « liens » ou « inventaire ».",
        "the workbook has no elements, connections or inventaire sheet (name the sheets "
        "elements/éléments, connections/liens, inventaire)"),
}


@dataclass(frozen=True)
class Reason:
    """Why something was refused: a stable code and the facts its sentences need."""

    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise KeyError(f"no message for the import error code {self.code!r}")

    @property
    def fr(self) -> str:
        """The sentence people read."""
        return MESSAGES[self.code].fr.format(**{k: _fr(k, v) for k, v in self.params.items()})

    @property
    def en(self) -> str:
        """The same in English (``reason_en``, logs)."""
        return MESSAGES[self.code].en.format(**{k: _en(k, v) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.en


def reason(code: str, **params: Any) -> Reason:
    """The reason ``code`` of :data:`MESSAGES`, with its facts."""
    return Reason(code, params)


def cut(text: Any, limit: int = QUOTED_CHARS) -> str:
    """A value as a reason quotes it: at most ``limit`` characters."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def _fr(key: str, value: Any) -> Any:
    if isinstance(value, Words):
        return value.fr
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):  # 12 345 caractères, but ligne 1234 and 2020 as they are
        return num(value) if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, dt.date):
        return date_fr(value)
    return cut(value) if key == "value" else value


def _en(key: str, value: Any) -> Any:
    if isinstance(value, Words):
        return value.en
    if value is None:
        return ""
    return cut(value) if key == "value" and isinstance(value, str) else value


# ------------------------------------------------------------------ phrases of the vocabulary


def listed(items: Iterable[str], last: str = "et") -> str:
    """``["a", "b", "c"]`` → "a, b et c"."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _expected(values: Iterable[str], limit: int = 12) -> str:
    values = list(values)
    return ", ".join(values[:limit]) + (", …" if len(values) > limit else "")


#: the relationships a file may hold (PART_OF comes with the territories)
_IMPORTABLE = [r for r in RELATIONSHIPS if r.name != "PART_OF"]

TYPE_CHOICES = Words(", ".join(in_sentence(label_fr(t)) for t in ELEMENT_TYPES),
                     _expected(ELEMENT_TYPES))
KIND_CHOICES = Words(", ".join(in_sentence(k.french) for k in ORGANISATION_KIND_SPECS),
                     _expected(k.value for k in ORGANISATION_KIND_SPECS))
PHASE_CHOICES = Words(", ".join(in_sentence(k.french) for k in PHASE_SPECS),
                      _expected(k.value for k in PHASE_SPECS))
ROLE_CHOICES = Words(", ".join(in_sentence(k.french) for k in ROLE_SPECS), _expected(ROLES))
RELATIONSHIP_CHOICES = Words(", ".join(r.french_out for r in _IMPORTABLE),
                             _expected([r.name for r in RELATIONSHIPS], 20))


def label_words(label: str | None) -> Words:
    """A label: its French name, and the code in English."""
    return Words(label_fr(label), str(label))


def kind_words(value: str | None) -> Words:
    """A kind, phase or role token: its French name, and the token in English."""
    return Words(in_sentence(kind_fr(value)), str(value))


def rel_words(rel: str) -> Words:
    """A relationship type: its French reading ("porte"), and the code in English."""
    return Words(rel_fr(rel), rel)


def labels_words(labels: Iterable[str]) -> Words:
    """Labels one end of a relationship may carry: « Organisation » ou « Personne »."""
    labels = list(labels)
    return Words(listed([quoted(label_fr(x)) for x in labels], "ou"), "/".join(labels))


def _suggest(text: str, choices: dict[str, tuple[str, str]]) -> Words:
    """A "did you mean" from folded spellings → (French, English) names; nothing when no
    spelling is near enough."""
    token = normalise_token(text)
    near = difflib.get_close_matches(token, list(choices), n=1, cutoff=0.75) if token else []
    if not near:
        return NOTHING
    fr, en = choices[near[0]]
    return Words(f" Vouliez-vous dire « {fr} » ?", f'; did you mean "{en}"?')


def _type_spellings() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    role_labels = set(ROLES.values())
    for token, label in vocabulary_tokens("labels").items():
        if label in ELEMENT_TYPES or label in role_labels:
            out[token] = (in_sentence(label_fr(label)), label)
    for token, kind in vocabulary_tokens("kinds").items():
        out.setdefault(token, (in_sentence(KIND_FR[kind]), kind))
    return out


def _table_spellings(table: str) -> dict[str, tuple[str, str]]:
    return {token: (in_sentence(kind_fr(value)), value)
            for token, value in vocabulary_tokens(table).items()}


def _relationship_spellings() -> dict[str, tuple[str, str]]:
    return {token: (rel_fr(rel), rel) for token, rel in vocabulary_tokens("relationships").items()
            if rel != "PART_OF"}


_SPELLINGS: dict[str, dict[str, tuple[str, str]]] = {}


@lru_cache(maxsize=4096)  # a file may repeat one misspelling on every row
def did_you_mean(text: str, table: str) -> Words:
    """The accepted name nearest ``text`` in a table of the vocabulary (``types``,
    ``kinds``, ``phases``, ``roles``, ``relationships``), as a "did you mean" phrase."""
    spellings = _SPELLINGS.get(table)
    if spellings is None:
        spellings = _SPELLINGS[table] = (
            _type_spellings() if table == "types" else
            _relationship_spellings() if table == "relationships" else
            _table_spellings(table))
    return _suggest(text, spellings)
