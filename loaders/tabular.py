"""Reading CSV and XLSX files into tables of text cells, headers mapped to fields.

A :class:`Source` is a file name and its bytes (a path on disk or an upload). Reading
gives :class:`Table` objects: the headers mapped onto the interchange fields (French or
English, case and accents ignored), the kind of table recognised *from its headers*
(elements, connections or the flat inventaire), and the rows as text with the row number
a spreadsheet shows (the header is row 1).

CSV: UTF-8 (with or without BOM) is tried first, then Windows-1252; bytes that neither
decodes are an error naming the byte offset and line. The delimiter (comma or
semicolon) is sniffed from the header line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from graph.vocabulary import normalise_token
from loaders.messages import Words, reason

ELEMENTS, CONNECTIONS, INVENTAIRE = "elements", "connections", "inventaire"

#: header (normalised) → field, per kind of table
ELEMENT_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "identifiant", "identifier", "ref", "reference", "cle", "key"),
    "type": ("type", "element_type", "type_d_element", "type_element", "nature"),
    "name": ("name", "nom", "label", "libelle", "intitule", "raison_sociale", "title", "titre"),
    "kind": ("kind", "sous_type", "subtype", "categorie", "category", "phase", "statut",
             "type_de_structure", "famille", "forme"),
    "roles": ("roles", "role", "fonctions", "fonction"),
    "territory": ("territory", "territoire", "territoires", "territories", "localisation",
                  "location", "zone", "perimetre", "code_insee", "insee"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "description": ("description", "descriptif", "resume", "presentation", "commentaire",
                    "commentaires", "notes"),
    "url": ("url", "lien", "link", "site", "site_web", "website", "site_internet"),
    "tags": ("tags", "tag", "mots_cles", "mot_cle", "etiquettes", "keywords", "thematiques",
             "thematique", "themes"),
    "start": ("start", "debut", "date_de_debut", "date_debut", "start_date", "date"),
    "end": ("end", "fin", "date_de_fin", "date_fin", "end_date"),
    "source": ("source", "sources", "origine", "provenance"),
    "siren": ("siren", "siret", "numero_siren", "n_siren"),
    "rna": ("rna", "numero_rna", "n_rna", "rup_rna"),
    "aliases": ("aliases", "alias", "autres_noms", "sigle", "acronyme", "other_names"),
    "count": ("count", "nombre", "effectif", "membres", "nb_membres"),
    "audience": ("audience", "public", "public_cible", "cible", "beneficiaires"),
}
CONNECTION_HEADERS: dict[str, tuple[str, ...]] = {
    "from": ("from", "de", "du", "depuis", "from_id", "origin", "noeud_source",
             "element_source"),
    "to": ("to", "a", "au", "vers", "to_id", "cible", "target", "destination", "noeud_cible",
           "element_cible"),
    "type": ("type", "relation", "relationship", "type_de_lien", "type_de_relation", "lien",
             "nature"),
    "role": ("role", "fonction", "qualite"),
    "date": ("date",),
    "start": ("start", "debut", "date_de_debut", "date_debut", "start_date"),
    "end": ("end", "fin", "date_de_fin", "date_fin", "end_date"),
    "source": ("source", "sources", "origine", "provenance"),
}
INVENTAIRE_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "identifiant", "ref", "reference"),
    "type": ("type", "nature", "type_d_initiative"),
    "name": ("titre", "title", "name", "nom", "intitule", "libelle"),
    "porteur": ("porteur", "porteurs", "porte_par", "carrier", "carried_by", "owner"),
    "partners": ("partenaires", "partenaire", "partners", "partner"),
    "territory": ("territoire", "territory", "territoires", "perimetre", "zone"),
    "audience": ("public", "public_cible", "audience", "cible", "beneficiaires"),
    "tags": ("thematique", "thematiques", "theme", "themes", "topic", "topics", "tags"),
    "date": ("date", "date_de_publication", "start", "debut"),
    "url": ("lien", "link", "url", "site"),
    "description": ("description", "descriptif", "resume", "commentaire"),
    "needs": ("besoins", "besoin", "needs", "repond_a", "besoins_adresses"),
    "source": ("source", "sources", "origine"),
}
HEADERS = {ELEMENTS: ELEMENT_HEADERS, CONNECTIONS: CONNECTION_HEADERS,
           INVENTAIRE: INVENTAIRE_HEADERS}
REQUIRED = {ELEMENTS: ("type", "name"), CONNECTIONS: ("from", "to", "type"),
            INVENTAIRE: ("type", "name")}

SHEET_KINDS: dict[str, str] = {
    "elements": ELEMENTS, "element": ELEMENTS, "noeuds": ELEMENTS, "nodes": ELEMENTS,
    "acteurs": ELEMENTS,
    "connections": CONNECTIONS, "connection": CONNECTIONS, "liens": CONNECTIONS,
    "relations": CONNECTIONS, "edges": CONNECTIONS,
    "inventaire": INVENTAIRE, "inventory": INVENTAIRE,
}

_INDEX: dict[str, dict[str, str]] = {
    kind: {normalise_token(a): f for f, aliases in table.items() for a in aliases}
    for kind, table in HEADERS.items()
}


#: how the report names each kind of table, in French
TABLE_FR = {ELEMENTS: "table d'éléments", CONNECTIONS: "table de liens",
            INVENTAIRE: "inventaire"}
#: the format of each kind of table, in French (``le format des éléments``)
FORMAT_FR = {ELEMENTS: "des éléments", CONNECTIONS: "des liens", INVENTAIRE: "de l'inventaire"}
#: the French header of each required field, as the report names a missing one
FIELD_FR = {"type": "type", "name": "nom", "from": "de", "to": "à"}


class ReadError(Exception):
    """A file that cannot be read at all (encoding, empty, not a workbook): ``reason``
    (a :class:`~loaders.messages.Reason`) says why; ``str()`` is the English sentence."""

    def __init__(self, code: str, row: int | None = None, column: str | None = None,
                 **params: object):
        self.reason = reason(code, **params)
        super().__init__(self.reason.en)
        self.row, self.column = row, column


@dataclass(frozen=True)
class Source:
    """A file to import: its name (for messages and format) and its bytes."""

    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | Path) -> Source:
        p = Path(path)
        return cls(name=p.name, data=p.read_bytes())


@dataclass
class Table:
    """One sheet or CSV file: mapped headers and text rows."""

    file: str
    sheet: str | None
    kind: str
    headers: list[str]
    #: column index → field name (unknown columns are absent)
    fields: dict[int, str]
    #: (spreadsheet row number, cells as text)
    rows: list[tuple[int, list[str]]]
    #: what the report should tell without refusing anything (an ignored column)
    warnings: list[Words] = field(default_factory=list)
    encoding: str | None = None

    def column_of(self, field_name: str) -> str:
        """The header the user wrote for ``field_name`` (for messages)."""
        columns = self.__dict__.get("_columns")
        if columns is None:
            columns = self.__dict__["_columns"] = {f: self.headers[i]
                                                   for i, f in self.fields.items()}
        return columns.get(field_name, field_name)


def _map_headers(headers: list[str], kind: str) -> dict[int, str]:
    index, out, seen = _INDEX[kind], {}, set()
    for i, header in enumerate(headers):
        f = index.get(normalise_token(header))
        if f and f not in seen:
            out[i] = f
            seen.add(f)
    return out


def recognise(headers: list[str], hint: str | None = None) -> str | None:
    """Which kind of table these headers make (elements, connections, inventaire).

    Connections have ``from``/``to``; an inventaire has ``porteur`` or ``titre``; elements
    have ``type`` or ``name``. A sheet name (``hint``) wins over the headers.
    """
    if hint is not None:
        return hint
    tokens = {normalise_token(h) for h in headers}
    elements = set(_map_headers(headers, ELEMENTS).values())
    conn = set(_map_headers(headers, CONNECTIONS).values())
    if {"from", "to"} & conn and "name" not in elements:
        return CONNECTIONS
    inv = set(_map_headers(headers, INVENTAIRE).values())
    if "porteur" in inv or "titre" in tokens or "partners" in inv:
        return INVENTAIRE
    if {"type", "name"} & elements:
        return ELEMENTS
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding): UTF-8 (BOM or not), else Windows-1252.

    A UTF-16 file (Excel's "Unicode text") is recognised by its BOM and decoded too.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: the checks below report it
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        offset = exc.start
        line = data.count(b"\n", 0, offset) + 1
        raise ReadError("undecodable", row=line, byte=f"0x{data[offset]:02x}", offset=offset,
                        line=line, utf8_offset=utf8_error.start) from None


def _sniff_delimiter(text: str) -> str:
    # The header line decides: French Excel writes ';', everyone else ','.
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _find_header(rows: list[tuple[int, list[str]]], hint: str | None) -> tuple[int, str | None]:
    """The header row: the first of the first five rows that reads as one (a title or a note
    above the headers is common in hand-made workbooks); else the first row."""
    for index, (_, cells) in enumerate(rows[:5]):
        kind = recognise([c.strip() for c in cells])
        if kind is not None and (hint is None or kind == hint):
            return index, kind
    return 0, hint


def _make_table(file: str, sheet: str | None, raw_rows: list[tuple[int, list[str]]],
                hint: str | None, encoding: str | None = None) -> Table:
    where = Words(f"la feuille « {sheet} »" if sheet else "le fichier",
                  f"sheet {sheet!r}" if sheet else "the file")
    rows = [(n, cells) for n, cells in raw_rows if "".join(cells).strip()]
    if not rows:
        raise ReadError("empty_table", where=where)
    skip, kind = _find_header(rows, hint)
    rows = rows[skip:]
    header_row, headers = rows[0]
    headers = [h.strip() for h in headers]
    if kind is None:
        raise ReadError("unrecognised_headers", row=header_row, where=where,
                        headers=", ".join(headers)[:200])
    fields = _map_headers(headers, kind)
    missing = [f for f in REQUIRED[kind] if f not in fields.values()]
    if missing:
        raise ReadError("missing_column", row=header_row, column=missing[0],
                        columns=_missing_words(missing, kind),
                        table=Words(TABLE_FR[kind], kind),
                        found=", ".join(h for h in headers if h))
    table = Table(file, sheet, kind, headers, fields, rows[1:], encoding=encoding)
    for i, h in enumerate(headers):
        if h and i not in fields:
            table.warnings.append(Words(
                f"la colonne « {h} » ne fait pas partie du format {FORMAT_FR[kind]} : elle "
                "est ignorée.",
                f'column "{h}" is not part of the {kind} format: ignored'))
    if not table.rows:
        raise ReadError("no_data_rows", row=header_row, where=where)
    width = len(headers)
    for _, cells in table.rows:
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
    return table


def _missing_words(missing: list[str], kind: str) -> Words:
    """The required columns a table lacks: « nom » (or « name ») in French."""
    def fr(f: str) -> str:
        french = "titre" if (kind, f) == (INVENTAIRE, "name") else FIELD_FR.get(f, f)
        return f"« {french} »" + ("" if french == f else f" (ou « {f} »)")

    shown = [fr(f) for f in missing]
    if len(shown) == 1:
        text = f"la colonne obligatoire {shown[0]}"
    else:
        text = f"les colonnes obligatoires {', '.join(shown[:-1])} et {shown[-1]}"
    return Words(text, ", ".join(f'"{m}"' for m in missing))


def read_csv(source: Source) -> list[Table]:
    """A CSV file → one table (elements, connections or inventaire, by its headers)."""
    if not source.data.strip(b"\xef\xbb\xbf \r\n\t"):
        raise ReadError("empty_file")
    text, encoding = decode(source.data)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ReadError("nul_bytes", row=line, line=line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        raw = [(i, row) for i, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise ReadError("malformed_csv", row=reader.line_num, line=reader.line_num,
                        detail=str(exc)) from None
    return [_make_table(source.name, None, raw, None, encoding)]


def read_xlsx(source: Source) -> list[Table]:
    """A workbook → its elements/connections/inventaire sheets (by sheet name or headers)."""
    from openpyxl import load_workbook

    if not source.data:
        raise ReadError("empty_workbook")
    try:
        # data_only=False: a formula stays "=…" text, so validation can refuse it.
        wb = load_workbook(io.BytesIO(source.data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError("not_a_workbook", detail=f"{exc.__class__.__name__}: {exc}") from None
    tables = []
    try:
        for ws in wb.worksheets:
            hint = SHEET_KINDS.get(normalise_token(ws.title))
            raw = [
                (i, [_cell_text(v) for v in row])
                for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
            ]
            if not any(any(c.strip() for c in cells) for _, cells in raw):
                continue  # an empty sheet (a notes tab, a blank Sheet2) is not an error
            if hint is None and recognise([c for c in raw[0][1]]) is None:
                continue  # a sheet that is neither (instructions, lists of values)
            tables.append(_make_table(source.name, ws.title, raw, hint))
    finally:
        wb.close()
    if not tables:
        raise ReadError("no_known_sheet")
    return tables


def read_source(source: Source) -> list[Table]:
    """Read a CSV or XLSX source into tables (raises :class:`ReadError`)."""
    if source.data[:4] == b"PK\x03\x04" or source.name.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(source)
    return read_csv(source)
