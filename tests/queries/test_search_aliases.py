"""Search finds what people type on the shipped data (tests/shipped_fixtures.py): every
alias of data/curated, every spelling data/aliases.csv gives an organisation of it
(``cdc`` → Caisse des Dépôts), every acronym in a curated name, in lower case and without
accents, and words that follow an elision (« l'innovation »)."""

from __future__ import annotations

import csv
import re
import unicodedata

import pytest

from graph.element_names import default_aliases
from loaders.curated import CURATED_DIR
from queries import search
from tests.shipped_fixtures import load_shipped

with open(CURATED_DIR / "elements.csv", encoding="utf-8", newline="") as _fh:
    ELEMENTS = list(csv.DictReader(_fh))


def plain(text: str) -> str:
    """What a hurried user types: lower case, no accents."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def spellings() -> list[tuple[str, str]]:
    """(text, element id): the curated aliases, the alias table's spellings of curated
    organisations and the acronyms of curated names."""
    out = []
    table = default_aliases()
    for row in ELEMENTS:
        out += [(a.strip(), row["id"]) for a in row["aliases"].split(";") if a.strip()]
        if row["type"] == "Organisation":
            out += [(a, row["id"]) for a in table.other_spellings(row["name"])]
        # an acronym: a word of two or more capitals (digits allowed: AG2R, ODD)
        out += [(w, row["id"]) for w in re.findall(r"\b[A-Z][A-Z0-9]+\b", row["name"])
                if len(w) > 1]
    return sorted(set(out))


SPELLINGS = spellings()


@pytest.fixture(scope="module")
def shipped(neo4j_driver, neo4j_server, tmp_path_factory):
    load_shipped(neo4j_driver, neo4j_server.database, tmp_path_factory.mktemp("shipped"))
    return neo4j_driver


def test_the_list_of_spellings_is_the_one_expected():
    # the test must not pass on an empty list: the cases of the issue are in it
    assert ("CDC", "org:caisse-des-depots") in SPELLINGS
    assert ("PANA", "org:reseau-des-points-d-appui-au-numerique-associatif") in SPELLINGS
    assert ("MEDEF", "org:mouvement-des-entreprises-de-france") in SPELLINGS
    assert ("DJEPVA", "org:djepva") in SPELLINGS
    assert len(SPELLINGS) > 40


def test_cdc_finds_the_caisse_des_depots_first(shipped):
    for text in ("cdc", "CDC", "Cdc"):
        page = search(shipped, text)
        assert page.items and page.items[0].id == "org:caisse-des-depots", text


@pytest.mark.parametrize(("text", "element_id"), SPELLINGS)
def test_every_alias_and_acronym_is_found(shipped, text, element_id):
    for typed in {text, plain(text)}:
        ids = [hit.id for hit in search(shipped, typed, limit=10).items]
        assert element_id in ids, f"{typed!r} → {ids}"


@pytest.mark.parametrize(("text", "element_id"), [
    ("innovation territoriale", "deliverable:plateforme-l-innovation-territoriale-en-actions"),
    ("apres", "space:croiser-la-diversite-des-regards-sur-l-apres"),
    ("interet general affaire de tous",
     "org:collectif-l-interet-general-des-aujourd-hui-l-affaire-de-tous"),
])
def test_a_word_after_an_elision_is_found(shipped, text, element_id):
    assert element_id in [hit.id for hit in search(shipped, text, limit=10).items]
