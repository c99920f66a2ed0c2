"""Elements named by id, name or alias: the pure reading (no database).

The rows stand for what ``queries/element_lookup.cypher`` finds; the alias table is the
committed ``data/aliases.csv``, the one the loaders read.
"""

from __future__ import annotations

import pytest

import loaders.resolve
from graph.element_names import (
    AliasTable,
    default_aliases,
    looks_like_id,
    lookup_keys,
    name_key,
    near_misses,
    read_element,
    unknown_reading,
)

CDC = {"id": "org:caisse-des-depots", "name": "Caisse des Dépôts", "label": "Organisation",
       "kind": "etat", "aliases": ["CDC"]}
RAMEAU = {"id": "org:le-rameau", "name": "Le RAMEAU", "label": "Organisation",
          "kind": "association", "aliases": []}
RELANCE = {"id": "programme:france-relance", "name": "France Relance",
           "label": "Programme", "kind": "relance", "aliases": []}


def row(element: dict, via: str) -> dict:
    return {**element, "via": via}


def test_the_loaders_and_the_questions_share_one_key_and_one_alias_table():
    assert loaders.resolve.name_key is name_key
    assert loaders.resolve.default_aliases is default_aliases
    assert name_key("  CAISSE des dépôts ! ") == name_key("Caisse des Depots") \
        == "caisse_des_depots"


@pytest.mark.parametrize("text", ["org:le-rameau", "programme:x", "commune:59512", "FR",
                                  "space:espace-1"])
def test_id_shapes(text):
    assert looks_like_id(text)


@pytest.mark.parametrize("text", ["Le RAMEAU", "org:", "foo:bar", "fr", "Caisse des Dépôts"])
def test_not_id_shapes(text):
    assert not looks_like_id(text)


def test_lookup_keys_include_every_spelling_of_an_alias():
    keys = lookup_keys("cdc")
    assert {"cdc", "caisse_des_depots", "caisse_des_depots_et_consignations"} <= set(keys)
    assert lookup_keys("Inconnue SA") == ["inconnue_sa"]


def test_an_id_wins_over_names():
    other = {**RAMEAU, "id": "org:other", "name": "org:le-rameau"}
    reading = read_element("org:le-rameau", [row(RAMEAU, "id"), row(other, "name")])
    assert reading.status == "found"
    assert reading.taken.id == "org:le-rameau" and reading.taken.via == "id"


@pytest.mark.parametrize("text", ["Le RAMEAU", "le rameau", "LE  RAMEAU !", "Lé Ràmeau"])
def test_an_exact_name_whatever_case_accents_and_punctuation(text):
    reading = read_element(text, [row(RAMEAU, "name")])
    assert reading.status == "found"
    assert reading.taken.id == "org:le-rameau" and reading.taken.via == "name"


def test_an_alias_of_the_table_finds_the_canonical_name():
    # "cdc" is in data/aliases.csv: the lookup found the node by its canonical key
    reading = read_element("cdc", [row(CDC, "name")])
    assert reading.status == "found"
    assert reading.taken.id == "org:caisse-des-depots" and reading.taken.via == "alias"


def test_an_alias_of_the_node_is_kept_only_when_its_key_matches():
    table = AliasTable({})
    node = {**RAMEAU, "aliases": ["Laboratoire du RAMEAU"]}
    hit = read_element("laboratoire du rameau", [row(node, "spelling")], aliases=table)
    assert hit.status == "found" and hit.taken.via == "alias"
    # a full-text hit that merely contains the words is not a match
    miss = read_element("rameau", [row(node, "spelling")], aliases=table)
    assert miss.status == "unknown"


def test_several_elements_of_one_name_are_candidates_never_a_pick():
    twin = {**RELANCE, "id": "org:france-relance", "label": "Organisation", "kind": "etat"}
    reading = read_element("France Relance", [row(RELANCE, "name"), row(twin, "spelling")])
    assert reading.status == "ambiguous"
    assert reading.taken is None
    assert [c.id for c in reading.candidates] == ["org:france-relance",
                                                  "programme:france-relance"]
    assert {c.label for c in reading.candidates} == {"Organisation", "Programme"}
    assert "org:france-relance" in reading.message and reading.message_fr


def test_one_element_found_twice_is_one_match():
    reading = read_element("Le RAMEAU", [row(RAMEAU, "name"), row(RAMEAU, "spelling")])
    assert reading.status == "found"
    assert len(reading.candidates) == 1


def test_nothing_found_is_unknown_and_nothing_written_is_empty():
    assert read_element("Personne", []).status == "unknown"
    assert read_element("  ", []).status == "empty"


def test_near_misses_are_suggestions_only():
    pool = [CDC, RAMEAU, RELANCE]
    found = near_misses("Le Rameua", pool)
    assert [c.id for c in found][:1] == ["org:le-rameau"]
    assert all(c.via == "suggestion" for c in found)
    assert near_misses("zzzzzz", pool) == []
    # an alias spelling is near too
    assert [c.id for c in near_misses("CDCC", pool)] == ["org:caisse-des-depots"]
    reading = unknown_reading("Le Rameua", found, labels=["Organisation"])
    assert reading.status == "unknown" and reading.taken is None
    assert "org:le-rameau" in reading.message and "Le RAMEAU" in reading.message_fr
