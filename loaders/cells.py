"""Parsing of one cell: the rules every imported value obeys, driven by the vocabulary.

Every cell goes through one of the small ``parse_*`` functions below, which turn French or
English text into the vocabulary's names (types, kinds, phases, roles, relationships),
dates, numbers, lists, URLs, SIREN and RNA numbers, and raise :class:`CellError` with a
one-line reason otherwise. :mod:`loaders.rows` calls them column by column, which lets it
name the faulty column; the records of :mod:`loaders.records` call the same functions in
their validators, so a record built from Python obeys the same rules as a spreadsheet row.

Security rules, decided once here:

- a cell that starts like a spreadsheet formula (``=``, ``@``, or ``+``/``-`` not
  followed by a number) is **rejected**: ``=HYPERLINK(...)`` in a name is never data
  anybody meant, and storing it would re-arm it in every CSV export;
- markup in a *name* (``<b>``, ``<script>``) is **rejected** (names are plain text; we
  never strip silently); markup in a description is kept verbatim as text, since every
  page escapes what it shows;
- text that looks like Cypher is just data: it only ever travels as a parameter;
- a cell longer than :data:`MAX_CELL_CHARS` characters is rejected;
- URLs must be ``http(s)``: ``javascript:`` and friends are rejected.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, NamedTuple

from graph.vocabulary import (
    ELEMENT_TYPES,
    LABELS_BY_NAME,
    ROLES,
    normalise_token,
    phase_from_type,
    resolve_kind,
    resolve_label,
    resolve_phase,
    resolve_relationship,
    resolve_role,
    reversed_relationship,
)
from loaders.messages import (
    KIND_CHOICES,
    PHASE_CHOICES,
    RELATIONSHIP_CHOICES,
    ROLE_CHOICES,
    TYPE_CHOICES,
    did_you_mean,
    kind_words,
    label_words,
    reason,
    rel_words,
)

#: longest cell accepted, in characters (a description of a few pages)
MAX_CELL_CHARS = 10_000
#: longest name accepted
MAX_NAME_CHARS = 500


_NUMBER = re.compile(r"^[+-]\s*\d[\d\s.,]*$")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^<>]*>")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?$")
_FR_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+[\d:]+)?$")
_LIST_SPLIT = re.compile(r"\s*[;,|\n]\s*")
_RNA = re.compile(r"^W[0-9][0-9AB][0-9]{7}$")
_URL_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_DOMAIN = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(/.*)?$", re.IGNORECASE)


#: :func:`normalise_token`, memoised: a load folds the same names many times over
token = lru_cache(maxsize=262_144)(normalise_token)


class CellError(ValueError):
    """A cell that cannot be read: ``reason`` (a :class:`~loaders.messages.Reason`) says
    why in French and English; ``str()`` is the English sentence."""

    def __init__(self, code: str, **params: Any):
        self.reason = reason(code, **params)
        super().__init__(self.reason.en)


def looks_like_formula(text: str) -> bool:
    """Whether a cell would be run as a formula by a spreadsheet (``=``, ``@``, ``+``/``-``)."""
    text = text.strip()
    return bool(text) and (text[0] in "=@" or (text[0] in "+-" and not _NUMBER.match(text)))


def check_cell(value: str) -> str:
    """Reject formulas and huge cells; return the stripped text."""
    if len(value) > MAX_CELL_CHARS:
        raise CellError("cell_too_long", length=len(value), limit=MAX_CELL_CHARS)
    text = value.strip()
    if looks_like_formula(text):
        raise CellError("formula")
    return text


def check_name(text: str) -> str:
    """A name: plain text, not empty, no markup, at most :data:`MAX_NAME_CHARS`."""
    text = " ".join(text.split())
    if not text:
        raise CellError("name_required")
    if len(text) > MAX_NAME_CHARS:
        raise CellError("name_too_long", length=len(text), limit=MAX_NAME_CHARS)
    if "<" in text and _MARKUP.search(text):
        raise CellError("markup_in_name")
    if not token(text):
        raise CellError("name_without_letters")
    return text


class TypeInfo(NamedTuple):
    """What a type cell says: the label, and the role, phase or kind it implies."""

    label: str
    role: str | None = None
    phase: str | None = None
    kind: str | None = None


@lru_cache(maxsize=1024)
def parse_type(text: str) -> TypeInfo:
    """A type cell → :class:`TypeInfo`.

    ``"Besoin"`` → Need; ``"Programme de relance"`` → Programme, phase relance;
    ``"Catalyseur"`` → Organisation with the catalyst role; ``"Association"`` or
    ``"Tête de réseau"`` (an organisation kind) → Organisation of that kind.
    """
    label = resolve_label(text)
    if label is None:
        kind = resolve_kind(text)
        if kind is not None:
            return TypeInfo("Organisation", kind=kind)
        raise CellError("unknown_type", value=text, choices=TYPE_CHOICES,
                        did_you_mean=did_you_mean(text, "types"))
    role = None
    for key, role_label in ROLES.items():
        if label == role_label:
            label, role = "Organisation", key
    if label not in ELEMENT_TYPES:
        raise CellError("not_an_element_type", value=text)
    phase = phase_from_type(text) if label == "Programme" else None
    return TypeInfo(label, role, phase)


@lru_cache(maxsize=4096)
def parse_kind(label: str, text: str, type_phase: str | None = None,
               type_kind: str | None = None) -> tuple[str, str] | None:
    """The ``kind`` cell for ``label`` → ``(property, value)``, or None when empty.

    ``type_phase``/``type_kind``: what the type cell already implied (it must agree).
    """
    spec = LABELS_BY_NAME[label]
    if not text:
        if label == "Programme" and type_phase:
            return "phase", type_phase
        if label == "Organisation" and type_kind:
            return "kind", type_kind
        return None
    if spec.kind_property is None:
        raise CellError("kind_not_allowed", label=label_words(label))
    if label not in ("Organisation", "Programme"):
        return spec.kind_property, " ".join(text.split())
    # organisation kinds and programme phases are closed lists: the type cell may imply one
    if label == "Organisation":
        prop, value, implied = "kind", resolve_kind(text), type_kind
        if value is None:
            raise CellError("unknown_kind", value=text, choices=KIND_CHOICES,
                            did_you_mean=did_you_mean(text, "kinds"))
    else:
        prop, value, implied = "phase", resolve_phase(text), type_phase
        if value is None:
            raise CellError("unknown_phase", value=text, choices=PHASE_CHOICES,
                            did_you_mean=did_you_mean(text, "phases"))
    if implied and implied != value:
        raise CellError("kind_contradicts_type", implied=kind_words(implied),
                        given=kind_words(value))
    return prop, value


def parse_roles(text: str) -> list[str]:
    """``"relais; catalyseur"`` → ``["catalyst", "relay"]``."""
    roles = set()
    for item in parse_list(text):
        role = resolve_role(item)
        if role is None:
            raise CellError("unknown_role", value=item, choices=ROLE_CHOICES,
                            did_you_mean=did_you_mean(item, "roles"))
        roles.add(role)
    return sorted(roles)


def parse_list(text: str) -> list[str]:
    """Split a list cell on ``;``, ``,``, ``|`` or new lines; drop empty items."""
    if not text:
        return []
    return [item for item in _LIST_SPLIT.split(text.strip()) if item]


def parse_date(value: str | dt.date | dt.datetime | None) -> dt.date | None:
    """ISO (``2020-03-31``) or French (``31/03/2020``) text, or a spreadsheet date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    if m := _ISO_DATE.match(text):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _FR_DATE.match(text):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    else:
        raise CellError("not_a_date", value=text)
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise CellError("impossible_date", value=text, day=d, month=mo, year=y) from None


def parse_float(text: str, low: float, high: float, what: str) -> float | None:
    """A decimal number (comma or dot) within ``[low, high]``."""
    if not text:
        return None
    try:
        number = float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        raise CellError("not_a_number", value=text) from None
    if not low <= number <= high:
        raise CellError("out_of_range", what=what, number=number, low=float(low),
                        high=float(high))
    return number


def parse_int(text: str) -> int | None:
    """A whole non-negative number (``"1 200"`` → 1200)."""
    if not text:
        return None
    digits = text.replace(" ", "").replace("\u202f", "").replace("\xa0", "")
    if digits.endswith(".0"):
        digits = digits[:-2]
    if not digits.isdigit():
        raise CellError("not_a_whole_number", value=text)
    return int(digits)


def parse_url(text: str) -> str | None:
    """An ``http(s)`` URL; ``www.example.org`` gets ``https://``; other schemes are refused."""
    if not text:
        return None
    if " " in text:
        raise CellError("url_with_spaces", value=text)
    m = _URL_SCHEME.match(text)
    if m is None:
        if _DOMAIN.match(text):
            return "https://" + text
        raise CellError("not_a_url", value=text)
    if m[1].lower() not in ("http", "https"):
        raise CellError("url_scheme", scheme=m[1])
    return text


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def parse_siren(text: str) -> str | None:
    """A SIREN (9 digits, Luhn-checked); a SIRET (14 digits) gives its SIREN."""
    if not text:
        return None
    digits = re.sub(r"[\s.\u202f\xa0]", "", text)
    if digits.endswith(".0"):  # a number cell read back from a spreadsheet
        digits = digits[:-2]
    if not digits.isdigit() or len(digits) not in (9, 14):
        raise CellError("not_a_siren", value=text)
    siren = digits[:9]
    # La Poste's SIREN is the one documented exception to the Luhn rule.
    if not _luhn_ok(siren) and siren != "356000000":
        raise CellError("siren_check_digit", value=text)
    return siren


def parse_rna(text: str) -> str | None:
    """An RNA number: ``W`` and 9 characters (``W751234567``, ``W2A1000012``)."""
    if not text:
        return None
    rna = re.sub(r"\s", "", text).upper()
    if not _RNA.match(rna):
        raise CellError("not_an_rna", value=text)
    return rna


@lru_cache(maxsize=1024)
def parse_relationship(text: str) -> str:
    """A connection type cell → a relationship type of the vocabulary."""
    rel = resolve_relationship(text)
    if rel is None:
        backwards = reversed_relationship(text)
        if backwards is not None:
            raise CellError("reversed_relationship", value=text, rel=rel_words(backwards))
        raise CellError("unknown_relationship", value=text, choices=RELATIONSHIP_CHOICES,
                        did_you_mean=did_you_mean(text, "relationships"))
    if rel == "PART_OF":
        raise CellError("part_of_not_importable")
    return rel

