"""Offline rules of the import: alias table, territory cells, header recognition, decoding."""

from __future__ import annotations

import pytest

from loaders.resolve import AliasTable, OrganisationResolver, default_aliases, name_key
from loaders.tabular import CONNECTIONS, ELEMENTS, INVENTAIRE, ReadError, decode, recognise
from loaders.territory_resolver import _parse


def test_alias_table_merges_known_variants():
    aliases = default_aliases()
    for variant in ("CDC", "Caisse des Dépôts et Consignations", "caisse des depots",
                    "CAISSE DES DÉPÔTS"):
        assert aliases.canonical_name(variant) == "Caisse des Dépôts"
    assert aliases.canonical_name("Inconnue SA") == "Inconnue SA"
    assert name_key("  Le  RAMEAU ! ") == name_key("le rameau")


def test_alias_table_refuses_an_alias_of_two_organisations(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("canonical,alias\nA,X\nB,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="alias of both"):
        AliasTable.from_csv(path)


def test_resolver_siren_wins_over_names():
    r = OrganisationResolver(aliases=default_aliases())
    first = r.resolve("CDC")
    assert first == "org:caisse-des-depots"
    assert r.resolve("Caisse des dépôts et consignations") == first
    assert r.resolve("Alpha", siren="552081317") == "org:alpha"
    assert r.resolve("Alpha Groupe", siren="552081317") == "org:alpha"
    assert r.resolve("Alpha", siren="732829320") == "org:alpha-732829320"


def test_resolver_never_takes_the_id_of_an_organisation_of_another_name():
    r = OrganisationResolver(aliases=default_aliases())
    # the graph holds org:foo, named "Foo Bar" (its id was given explicitly)
    r.remember("org:foo", "Foo Bar", None, None, extra_key="foo_bar")
    assert r.resolve("Foo") == "org:foo-2"
    assert r.resolve("FOO") == "org:foo-2"  # the same organisation, found by name
    assert r.resolve("Foo Bar") == "org:foo"
    # with a SIREN, the SIREN makes the new id
    r = OrganisationResolver(aliases=default_aliases())
    r.remember("org:foo", "Foo Bar", None, None, extra_key="foo_bar")
    assert r.resolve("Foo", siren="552081317") == "org:foo-552081317"


@pytest.mark.parametrize(("cell", "ids", "key"), [
    ("59512", ["commune:59512"], None),
    ("2A004", ["commune:2A004"], None),
    ("1053", ["commune:01053"], None),
    ("59", ["departement:59", "region:59"], None),
    ("32", ["departement:32", "region:32"], None),
    ("region:32", ["region:32"], None),
    ("reg:32", ["region:32"], None),
    ("dep:2a", ["departement:2A"], None),
    ("200093201", ["epci:200093201"], None),
    ("France", ["FR"], None),
    ("FR", ["FR"], None),
    ("Hauts-de-France", [], "hauts_de_france"),
])
def test_territory_cells(cell, ids, key):
    parsed = _parse(cell)
    assert parsed.ids == ids and parsed.key == key


def test_qualified_names():
    parsed = _parse("Saint-Denis (93)")
    assert parsed.key == "saint_denis" and parsed.qualifier == "93"


@pytest.mark.parametrize(("headers", "kind"), [
    (["id", "type", "name"], ELEMENTS),
    (["Identifiant", "Type", "Nom", "Territoire"], ELEMENTS),
    (["from", "to", "type"], CONNECTIONS),
    (["De", "À", "Relation"], CONNECTIONS),
    (["Type", "Titre", "Porteur", "Partenaires"], INVENTAIRE),
    (["foo", "bar"], None),
])
def test_tables_are_recognised_by_their_headers(headers, kind):
    assert recognise(headers) == kind


def test_decoding():
    assert decode("é".encode()) == ("é", "utf-8")
    assert decode(b"\xef\xbb\xbf\xc3\xa9") == ("é", "utf-8")
    assert decode("é".encode("cp1252")) == ("é", "windows-1252")
    assert decode("é".encode("utf-16")) == ("é", "utf-16")
    with pytest.raises(ReadError, match="offset 2 \\(line 2\\)"):
        decode(b"a\n\x81")
