"""Offline rules of the import: alias table, territory cells, header recognition, decoding."""

from __future__ import annotations

import pytest

from loaders.resolve import AliasTable, OrganisationResolver, default_aliases, name_key
from loaders.tabular import CONNECTIONS, ELEMENTS, INVENTAIRE, ReadError, decode, recognise
from loaders.territory_resolver import TerritoryCellError, TerritoryNotes, TerritoryResolver


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


@pytest.mark.parametrize(("cell", "tid"), [
    ("59512", "commune:59512"),
    ("2A004", "commune:2A004"),
    ("1053", "commune:01053"),
    ("59", "departement:59"),
    ("32", "departement:32"),
    ("region:32", "region:32"),
    ("reg:32", "region:32"),
    ("dep:2a", "departement:2A"),
    ("200093201", "epci:200093201"),
    ("France", "FR"),
    ("FR", "FR"),
    ("national", "FR"),
    ("Hauts-de-France", "region:32"),
    ("hauts de france", "region:32"),
    ("Saint-Denis (93)", "commune:93066"),
    ("59100", "commune:59100"),
    ("75111", "commune:75056"),
    ("Annecy-le-Vieux", "commune:74010"),
    ("PACA", "region:93"),
])
def test_territory_cells_read_by_the_parser(cell, tid):
    # without a driver the resolver only parses (no existence check)
    ref = TerritoryResolver(None).resolve(cell)
    assert ref is not None and ref.id == tid


@pytest.mark.parametrize(("cell", "reason"), [
    ("Saint-Denis", '"Saint-Denis" names several territories: Saint-Denis (commune:97411, '
                    "La Réunion), Saint-Denis (commune:93066, Seine-Saint-Denis), Saint-Denis "
                    "(commune:11339, Aude), Saint-Denis (commune:30247, Gard); write the id "
                    '(e.g. commune:97411) or the département in brackets (e.g. "Saint-Denis '
                    '(974)")'),
    ("Roubaiz", '"Roubaiz" is not a known territory; did you mean Roubaix (commune:59512, '
                "Nord)"),
    ("975", '"975" is Saint-Pierre-et-Miquelon (975), a collectivité d\'outre-mer that the '
            "territory reference does not cover"),
    ("01220", '"01220" names several territories: Divonne-les-Bains (commune:01143, Ain)'),
])
def test_refused_territory_cells(cell, reason):
    with pytest.raises(TerritoryCellError) as exc:
        TerritoryResolver(None).resolve(cell)
    assert str(exc.value).startswith(reason)
    assert exc.value.reason.en == str(exc.value)
    assert exc.value.reason.fr.startswith(f"« {cell} »")
    assert exc.value.reason.code in ("ambiguous_territory", "unknown_territory",
                                     "uncovered_territory")


def test_territory_notes_sum_up_each_column_in_one_line():
    resolver = TerritoryResolver(None)
    notes = TerritoryNotes()
    for row, cell in enumerate(["59100", "32", "59512", "59100", "75111"], start=2):
        notes.note("t.csv", None, row, "territoire", cell, resolver.reading(cell))
    notes.note("c.csv", "liens", 2, "à", "Vienne", resolver.reading("Vienne"))
    warnings = notes.drain()
    assert [w.en for w in warnings["t.csv"]] == [
        'column "territoire": 3 cells have another reading: "59100" (rows 2 and 5) read as '
        "Bousignies (commune:59100, Nord, INSEE code), also Roubaix (commune:59512, Nord, "
        'postal code); "32" (row 3) read as Gers (departement:32), also Hauts-de-France '
        "(region:32); the first reading is the one loaded; to mean another, write its id "
        "(e.g. commune:59512)",
        'column "territoire": 1 cell names part of a commune or a former commune, read as '
        'the commune: "75111" (row 6) read as Paris (commune:75056, Paris): an arrondissement '
        "of Paris, which the reference counts as one commune",
    ]
    assert warnings["c.csv"][0].en.startswith(
        'sheet "liens", column "à": 1 cell has another reading: "Vienne" (row 2) read as '
        "Vienne (departement:86), also Vienne (commune:38544, Isère)")
    assert [w.fr for w in warnings["t.csv"]] == [
        "colonne « territoire » : 3 cellules ont une autre lecture possible : « 59100 » "
        "(lignes 2 et 5) est lu comme Bousignies (commune:59100, Nord, code INSEE), mais peut "
        "aussi désigner Roubaix (commune:59512, Nord, code postal) ; « 32 » (ligne 3) est lu "
        "comme Gers (departement:32), mais peut aussi désigner Hauts-de-France (region:32). "
        "C'est la première lecture qui est chargée ; pour une autre, écrivez son identifiant "
        "(par exemple commune:59512).",
        "colonne « territoire » : 1 cellule nomme une partie de commune ou une ancienne "
        "commune, chargée comme la commune : « 75111 » (ligne 6) est lu comme Paris "
        "(commune:75056, Paris) : un arrondissement de Paris, que le référentiel compte comme "
        "une seule commune.",
    ]
    assert warnings["c.csv"][0].fr.startswith(
        "feuille « liens », colonne « à » : 1 cellule a une autre lecture possible : "
        "« Vienne » (ligne 2) est lu comme Vienne (departement:86)")
    assert notes.drain() == {}


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
