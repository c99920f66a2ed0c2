"""The tabular import: good files load, idempotently, whatever their encoding or language.

The fixtures at the top (a handful of Territory nodes, a graph fingerprint) are shared
with the other test_import_* modules, which import them from here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from graph.bookkeeping import is_bookkeeping
from loaders.importer import load_paths, load_sources
from loaders.tabular import Source
from tests.territory_fixtures import create_territories

DATA = Path(__file__).resolve().parents[1] / "data"
GOOD = DATA / "good"
ROOT = Path(__file__).resolve().parents[2]

#: the territories the import tests resolve against (tests/territory_fixtures.py):
#: départements 32 (Gers) and régions 32 share a code; two communes are named Saint-Denis
TERRITORIES = ("FR", "region:11", "region:32", "region:84", "departement:32",
               "departement:59", "departement:93", "departement:974", "epci:200093201",
               "commune:59512", "commune:59350", "commune:93066", "commune:97411")


@pytest.fixture
def imp_graph(db):
    """An empty graph with a handful of territories (ids as in the shared conventions)."""
    create_territories(db, TERRITORIES)
    return db


def fingerprint(driver) -> tuple[int, int, str]:
    """Node count, relationship count and a checksum of every label and property of the
    facts: bookkeeping (import records, first seen, history…) aside, as
    graph/bookkeeping.py defines it."""
    with driver.session() as session:
        nodes = session.run(
            "MATCH (n) WHERE NOT n:Import RETURN labels(n) AS l, properties(n) AS p").data()
        rels = session.run(
            "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
            "properties(r) AS p").data()

    def facts(props: dict) -> list:
        return sorted((k, repr(v)) for k, v in props.items() if not is_bookkeeping(k))

    text = "\n".join(sorted(
        [repr((sorted(r["l"]), facts(r["p"]))) for r in nodes]
        + [repr((r["a"], r["t"], r["b"], facts(r["p"]))) for r in rels]))
    return len(nodes), len(rels), hashlib.sha256(text.encode()).hexdigest()


def node(driver, node_id: str) -> dict | None:
    with driver.session() as session:
        rec = session.run("MATCH (n {id: $id}) RETURN n, labels(n) AS labels",
                          id=node_id).single()
    if rec is None:
        return None
    return {**dict(rec["n"]), "_labels": set(rec["labels"])}


def count(driver, query: str, **params) -> int:
    with driver.session() as session:
        return session.run(query, **params).single()[0]


def csv_source(name: str, text: str, encoding: str = "utf-8") -> Source:
    return Source(name, text.encode(encoding))


ELEMENTS_CSV = """id,type,name,kind,roles,territory,lat,lon,description,url,tags,start,end,source
org:le-rameau,Organisation,Le RAMEAU,recherche,,FR,,,Laboratoire,https://www.lerameau.fr/,alliances,,,seed
,Organisation,Médiateur des entreprises,etat,,FR,,,,,,,,seed
,Organisation,Maison de Roubaix,association,catalyseur,59512,50.69,3.17,,,,,,seed
,Programme de relance,Fonds de relance,,,59,,,,,,01/07/2020,31/12/2020,seed
,Besoin,Trésorerie,financement,,,,,,,,,,seed
"""
CONNECTIONS_CSV = """from,to,type,role,date,source
Le RAMEAU,Fonds de relance,porte,porteur,20/03/2020,seed
Médiateur des entreprises,Le RAMEAU,partenaire,,,seed
Fonds de relance,Trésorerie,répond à,,,seed
Maison de Roubaix,region:32,actif dans,,,seed
"""


def test_pair_of_csv_files_loads(imp_graph):
    report = load_sources(imp_graph, [csv_source("e.csv", ELEMENTS_CSV),
                                      csv_source("c.csv", CONNECTIONS_CSV)])
    assert report.ok, [e.message for e in report.errors]
    assert [f.tables for f in report.files] == [["elements"], ["connections"]]
    assert report.files[0].elements_written == 5
    rameau = node(imp_graph, "org:le-rameau")
    assert rameau["kind"] == "recherche" and rameau["name_key"] == "le_rameau"
    maison = node(imp_graph, "org:maison-de-roubaix")
    assert {"Organisation", "Catalyst"} <= maison["_labels"]
    assert maison["location"].latitude == pytest.approx(50.69)
    fonds = node(imp_graph, "programme:fonds-de-relance")
    assert fonds["phase"] == "relance" and str(fonds["start"]) == "2020-07-01"
    assert node(imp_graph, "need:tresorerie")["category"] == "financement"
    assert count(imp_graph, "MATCH (:Organisation {id:'org:maison-de-roubaix'})"
                 "-[:LOCATED_IN]->(:Commune {id:'commune:59512'}) RETURN count(*)") == 1
    assert count(imp_graph, "MATCH (:Organisation {id:'org:maison-de-roubaix'})"
                 "-[:ACTIVE_IN]->(:Region {id:'region:32'}) RETURN count(*)") == 1
    assert count(imp_graph, "MATCH (:Programme)-[:COVERS]->(:Departement {id:'departement:59'})"
                 " RETURN count(*)") == 1
    assert count(imp_graph, "MATCH (:Organisation)-[:ACTIVE_IN]->(:Country) "
                 "RETURN count(*)") == 2
    rel = imp_graph.session().run(
        "MATCH (:Organisation {id:'org:le-rameau'})-[r:CARRIES]->(:Programme) RETURN r").single()
    assert rel["r"]["source"] == "seed" and str(rel["r"]["date"]) == "2020-03-20"
    assert rel["r"]["role"] == "porteur"
    # PARTNERS_WITH stored once, in id order
    assert count(imp_graph, "MATCH ()-[r:PARTNERS_WITH]->() RETURN count(r)") == 1
    assert count(imp_graph, "MATCH (:Programme)-[:ADDRESSES]->(:Need) RETURN count(*)") == 1


def test_loading_twice_gives_the_same_graph(imp_graph, tmp_path):
    sources = [csv_source("e.csv", ELEMENTS_CSV), csv_source("c.csv", CONNECTIONS_CSV)]
    assert load_sources(imp_graph, sources).ok
    first = fingerprint(imp_graph)
    assert load_sources(imp_graph, sources).ok
    assert fingerprint(imp_graph) == first
    # the template, twice, too
    template = ROOT / "data" / "template.xlsx"
    assert load_paths(imp_graph, [template]).ok
    second = fingerprint(imp_graph)
    assert load_paths(imp_graph, [template]).ok
    assert fingerprint(imp_graph) == second


def test_the_template_workbook_loads(imp_graph):
    report = load_paths(imp_graph, [ROOT / "data" / "template.xlsx"])
    assert report.ok, [e.message for e in report.errors]
    assert sorted(report.files[0].tables) == ["connections", "elements", "inventaire"]
    cdc = node(imp_graph, "org:caisse-des-depots")
    assert cdc["siren"] == "180020026" and "Relay" in cdc["_labels"]
    # "CDC" in the connections sheet is the same node
    assert count(imp_graph, "MATCH (o:Organisation)-[:PARTICIPATES_IN]->(:DialogueSpace) "
                 "RETURN o.id") == "org:caisse-des-depots"
    # inventaire: programme + porteur (CARRIES porteur) + partenaires (CARRIES partenaire)
    roles = imp_graph.session().run(
        "MATCH (o:Organisation)-[r:CARRIES]->(p:Programme {name: $n}) "
        "RETURN o.id AS o, r.role AS role ORDER BY o", n="Fonds de relance associatif (exemple)"
    ).data()
    assert roles == [{"o": "org:caisse-des-depots", "role": "partenaire"},
                     {"o": "org:le-rameau", "role": "porteur"},
                     {"o": "org:mediateur-des-entreprises", "role": "partenaire"}]
    assert count(imp_graph, "MATCH (:Organisation {id:'org:le-rameau'})-[:EXPRESSES]->(:Need) "
                 "RETURN count(*)") == 1
    assert count(imp_graph, "MATCH (n:Organisation) RETURN count(n)") == 4


def test_french_headers_semicolon_windows_1252(imp_graph):
    text = GOOD.joinpath("elements_fr_cp1252.csv").read_bytes()
    assert b";" in text and "é".encode("cp1252") in text
    report = load_paths(imp_graph, [GOOD / "elements_fr_cp1252.csv",
                                    GOOD / "liens_fr.csv"])
    assert report.ok, [e.message for e in report.errors]
    assert node(imp_graph, "org:reseau-des-catalyseurs")["kind"] == "tete_de_reseau"
    assert node(imp_graph, "programme:plan-d-urgence-solidaire")["phase"] == "urgence"
    assert count(imp_graph, "MATCH (:Organisation)-[r:FUNDS]->(:Programme) "
                 "RETURN count(r)") == 1


def test_french_names_of_types_kinds_and_relationships(imp_graph):
    # written as a French data steward would: the names the pages show, any case
    report = load_paths(imp_graph, [GOOD / "elements_noms_francais.csv",
                                    GOOD / "liens_noms_francais.csv"])
    assert report.ok, [e.message for e in report.errors]
    assert node(imp_graph, "need:insertion-numerique")["_labels"] == {"Need"}
    assert node(imp_graph, "org:ville-de-roubaix")["kind"] == "collectivite"
    assert node(imp_graph, "org:association-roubaisienne")["kind"] == "association"
    assert node(imp_graph, "programme:fonds-numerique-solidaire")["phase"] == "relance"
    assert node(imp_graph, "space:espace-numerique-et-solidarite")["_labels"] == {
        "DialogueSpace"}
    assert node(imp_graph, "study:barometre-du-numerique")["_labels"] == {"Study"}
    with imp_graph.session() as session:
        types = sorted(session.run(
            "MATCH (a)-[r]->(b) WHERE NOT b:Territory RETURN type(r) AS t").value())
    assert types == ["ADDRESSES", "CARRIES", "EXPRESSES", "FUNDS", "IDENTIFIES", "OPERATES",
                     "PARTICIPATES_IN", "PARTNERS_WITH"]
    assert report.files[0].summary == (
        "chargé : 7 lignes lues ; écrits : 7 éléments, 4 liens ; aucune erreur.")


def test_three_encodings_same_graph_in_one_test(imp_graph):
    prints = []
    for encoding in ("utf-8", "utf-8-sig", "cp1252"):
        with imp_graph.session() as s:
            s.run("MATCH (n) WHERE NOT n:Territory DETACH DELETE n").consume()
        report = load_sources(imp_graph, [csv_source("e.csv", ELEMENTS_CSV, encoding),
                                          csv_source("c.csv", CONNECTIONS_CSV, encoding)])
        assert report.ok
        prints.append(fingerprint(imp_graph))
    assert prints[0] == prints[1] == prints[2]


def test_alias_merging_and_accents(imp_graph):
    text = ("type,name,source\nOrganisation,CDC,a\n"
            "Organisation,Caisse des Dépôts et Consignations,b\n"
            "Organisation,caisse des depots,c\nOrganisation,CAISSE  DES DÉPÔTS !,d\n")
    report = load_sources(imp_graph, [csv_source("orgs.csv", text)])
    assert report.ok, [e.message for e in report.errors]
    assert count(imp_graph, "MATCH (o:Organisation) RETURN count(o)") == 1
    cdc = node(imp_graph, "org:caisse-des-depots")
    assert cdc["name"] == "Caisse des Dépôts"
    assert {"CDC", "Caisse des Dépôts et Consignations"} <= set(cdc["aliases"])
    assert "CDC" in cdc["aliases_text"]
    # a later load naming a variant finds the same node
    conn = "from,to,type\nCaisse des dépôts,Le RAMEAU,partenaire\n"
    more = "type,name\nOrganisation,Le RAMEAU\n"
    report = load_sources(imp_graph, [csv_source("o.csv", more), csv_source("c.csv", conn)])
    assert report.ok, [e.message for e in report.errors]
    assert count(imp_graph, "MATCH (o:Organisation) RETURN count(o)") == 2
    assert count(imp_graph, "MATCH (:Organisation {id:'org:caisse-des-depots'})"
                 "-[:PARTNERS_WITH]-(:Organisation {id:'org:le-rameau'}) RETURN count(*)") == 1


def test_siren_wins(imp_graph):
    first = "type,name,siren\nOrganisation,Groupe Alpha,552081317\n"
    assert load_sources(imp_graph, [csv_source("a.csv", first)]).ok
    # another name, same SIREN: the same organisation; same name, other SIREN: another one
    second = ("type,name,siren\nOrganisation,Alpha SA,552 081 317\n"
              "Organisation,Groupe Alpha,732829320\n")
    report = load_sources(imp_graph, [csv_source("b.csv", second)])
    assert report.ok, [e.message for e in report.errors]
    rows = imp_graph.session().run(
        "MATCH (o:Organisation) RETURN o.id AS id, o.siren AS siren, o.aliases AS aliases "
        "ORDER BY id").data()
    assert [(r["id"], r["siren"]) for r in rows] == [
        ("org:groupe-alpha", "552081317"), ("org:groupe-alpha-732829320", "732829320")]
    assert "Alpha SA" in rows[0]["aliases"]


def test_skip_invalid_writes_valid_rows_and_a_rejects_file(imp_graph, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("type,name,territory\nOrganisation,Bonne Asso,59\n"
                    "Besoinn,Mauvais,\nOrganisation,=HYPERLINK(\"http://x\"),\n"
                    "Organisation,Autre Asso,Atlantide\n", encoding="utf-8")
    report = load_paths(imp_graph, [path], skip_invalid=True, rejects_dir=tmp_path / "rej")
    assert not report.ok
    f = report.files[0]
    assert f.status == "partial" and f.rows_rejected == 3 and f.elements_written == 1
    assert node(imp_graph, "org:bonne-asso") is not None
    assert count(imp_graph, "MATCH (o:Organisation) RETURN count(o)") == 1
    rejects = Path(f.rejects_file)
    assert rejects.parent == tmp_path / "rej"
    text = rejects.read_text(encoding="utf-8-sig")
    assert "rejection_reasons" in text.splitlines()[0]
    assert "n'est pas un type connu" in text and "formules" in text and "Atlantide" in text
    # the formula is defused in the rejects file
    assert "'=HYPERLINK" in text


def test_dry_run_writes_nothing(imp_graph, tmp_path):
    before = fingerprint(imp_graph)
    report = load_sources(imp_graph, [csv_source("e.csv", ELEMENTS_CSV),
                                      csv_source("c.csv", CONNECTIONS_CSV)], dry_run=True)
    assert report.ok and report.dry_run
    assert {f.status for f in report.files} == {"validated"}
    assert fingerprint(imp_graph) == before


def test_names_already_in_the_graph_resolve(imp_graph):
    assert load_sources(imp_graph, [csv_source("e.csv", ELEMENTS_CSV)]).ok
    conn = "from,to,type\nle rameau,Trésorerie,exprime\nMédiateur des entreprises,Roubaix,situé à\n"
    report = load_sources(imp_graph, [csv_source("later.csv", conn)])
    assert report.ok, [e.message for e in report.errors]
    assert count(imp_graph, "MATCH (:Organisation)-[:EXPRESSES]->(:Need) RETURN count(*)") == 1
    assert count(imp_graph, "MATCH (:Organisation)-[:LOCATED_IN]->(:Commune {id:'commune:59512'})"
                 " RETURN count(*)") == 2


def test_html_and_cypher_in_descriptions_are_plain_data(imp_graph):
    text = ('type,name,description\n'
            'Organisation,"Robert\'); MATCH (n) DETACH DELETE n //",'
            '"<b>gras</b> <script>alert(1)</script>"\n')
    report = load_sources(imp_graph, [csv_source("x.csv", text)])
    assert report.ok, [e.message for e in report.errors]
    with imp_graph.session() as s:
        rec = s.run("MATCH (o:Organisation) RETURN o.name AS n, o.description AS d").single()
    assert rec["n"] == "Robert'); MATCH (n) DETACH DELETE n //"
    assert rec["d"] == "<b>gras</b> <script>alert(1)</script>"
    assert count(imp_graph, "MATCH (t:Territory) RETURN count(t)") == 13


def test_territory_codes_and_rules(imp_graph):
    text = ("type,name,territory\nOrganisation,A,32\nOrganisation,B,region:32\n"
            "Organisation,C,reg:84\nOrganisation,D,Saint-Denis (93)\n"
            "Organisation,E,hauts de france\nOrganisation,F,200093201\n")
    report = load_sources(imp_graph, [csv_source("t.csv", text)])
    assert report.ok, [e.message for e in report.errors]
    got = dict(imp_graph.session().run(
        "MATCH (o:Organisation)-[:ACTIVE_IN|LOCATED_IN]->(t) RETURN o.name, t.id").values())
    assert got == {"A": "departement:32", "B": "region:32", "C": "region:84",
                   "D": "commune:93066", "E": "region:32", "F": "epci:200093201"}


def test_load_sources_names_uploads(imp_graph):
    same = csv_source("data.csv", "type,name\nOrganisation,X\n")
    report = load_sources(imp_graph, [same, same])
    assert [f.file for f in report.files] == ["data.csv", "data.csv (2)"]
    assert report.ok


def test_a_directory_stands_for_its_files(imp_graph, tmp_path):
    (tmp_path / "elements.csv").write_text(ELEMENTS_CSV, encoding="utf-8")
    (tmp_path / "connections.csv").write_text(CONNECTIONS_CSV, encoding="utf-8")
    (tmp_path / "old.rejects.csv").write_text("junk", encoding="utf-8")
    report = load_paths(imp_graph, [tmp_path])
    assert report.ok, [e.message for e in report.errors]
    assert sorted(f.file for f in report.files) == ["connections.csv", "elements.csv"]


def test_a_write_that_fails_midway_says_so(imp_graph, monkeypatch):
    from neo4j.exceptions import ServiceUnavailable

    import loaders.importer as importer

    real = importer.write_batches
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 1:
            raise ServiceUnavailable("the server went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "write_batches", flaky)
    report = load_sources(imp_graph, [csv_source("e.csv", ELEMENTS_CSV)])
    assert not report.ok
    f = report.files[0]
    assert f.status == "write_failed"
    assert "partly written" in f.write_error_en and "load it again" in f.write_error_en
    assert f.write_error.startswith("l'écriture s'est interrompue après 1 élément et 0 lien")
    assert "Chargez-le à nouveau" in f.write_error


def test_inventaire_csv_with_french_headers(imp_graph):
    text = ("Type;Titre;Porteur;Partenaires;Territoire;Public;Thématique;Date;Lien;Besoins\n"
            "Besoin;Trésorerie des associations;Le Mouvement associatif;;FR;associations;"
            "financement;01/04/2020;;\n"
            "Programme d'urgence;Fonds de secours;CDC;Fondation de France, France Active;"
            "Nord;associations;financement;15/04/2020;https://example.org;"
            "Trésorerie des associations\n")
    report = load_sources(imp_graph, [csv_source("inventaire.csv", text, "cp1252")])
    assert report.ok, [e.message for e in report.errors]
    assert report.files[0].tables == ["inventaire"]
    need = node(imp_graph, "need:tresorerie-des-associations")
    assert need["category"] == "financement" and need["territories"] == ["FR"]
    prog = node(imp_graph, "programme:fonds-de-secours")
    assert prog["phase"] == "urgence" and prog["audience"] == ["associations"]
    assert count(imp_graph, "MATCH (:Organisation {id:'org:caisse-des-depots'})"
                 "-[:CARRIES {role:'porteur'}]->(:Programme) RETURN count(*)") == 1
    assert count(imp_graph, "MATCH (:Organisation)-[:CARRIES {role:'partenaire'}]->(:Programme)"
                 " RETURN count(*)") == 2
    assert count(imp_graph, "MATCH (:Programme)-[:ADDRESSES]->(:Need) RETURN count(*)") == 1
    assert count(imp_graph, "MATCH (:Programme)-[:COVERS]->(:Departement {code:'59'}) "
                 "RETURN count(*)") == 1
    assert count(imp_graph, "MATCH (:Organisation {id:'org:mouvement-associatif'})"
                 "-[:EXPRESSES]->(:Need) RETURN count(*)") == 1


def test_people_keep_their_public_role_and_utf16_reads(imp_graph):
    text = "type,name,kind\nPersonne,Gabriel Attal,Secrétaire d'État\n"
    report = load_sources(imp_graph, [Source("p.csv", text.encode("utf-16"))])
    assert report.ok, [e.message for e in report.errors]
    assert node(imp_graph, "person:gabriel-attal")["role"] == "Secrétaire d'État"


def test_an_explicit_id_of_another_label_in_the_graph_is_an_error(imp_graph):
    text = "id,type,name\nFR,Organisation,France Active\n"
    report = load_sources(imp_graph, [csv_source("x.csv", text)])
    assert not report.ok
    err = report.errors[0]
    assert err.code == "id_taken_in_graph"
    assert 'id "FR" already belongs to a Territory in the graph' in err.message_en
    assert ("l'identifiant « FR » appartient déjà à un élément de type « Territoire » dans le "
            "graphe") in err.message


def test_a_connection_to_itself_is_an_error(imp_graph):
    report = load_sources(imp_graph, [csv_source("e.csv", ELEMENTS_CSV), csv_source(
        "c.csv", "from,to,type\nLe RAMEAU,org:le-rameau,partenaire\n")])
    assert report.files[1].status == "rejected"
    err = report.files[1].errors[0]
    assert err.code == "self_connection"
    assert "cannot join \"org:le-rameau\" to itself" in err.message_en
    assert "un lien ne peut pas relier « org:le-rameau » à lui-même" in err.message


def test_a_title_row_above_the_headers_is_skipped(imp_graph, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Inventaire"
    ws.append(["Inventaire besoins-urgence-relance (extrait)"])
    ws.append([])
    ws.append(["Type", "Titre", "Porteur", "Territoire", "Date"])
    ws.append(["Programme de relance", "Relance solidaire", "Le RAMEAU", 59512, None])
    path = tmp_path / "inventaire.xlsx"
    wb.save(path)
    report = load_paths(imp_graph, [path])
    assert report.ok, [e.message for e in report.errors]
    assert count(imp_graph, "MATCH (:Programme)-[:COVERS]->(:Commune {id:'commune:59512'}) "
                 "RETURN count(*)") == 1


def test_a_later_load_keeps_relationship_dates_it_does_not_give(imp_graph):
    assert load_sources(imp_graph, [csv_source("e.csv", ELEMENTS_CSV),
                                    csv_source("c.csv", CONNECTIONS_CSV)]).ok
    later = "from,to,type\nLe RAMEAU,Fonds de relance,porte\n"
    assert load_sources(imp_graph, [csv_source("later.csv", later)]).ok
    with imp_graph.session() as s:
        r = s.run("MATCH (:Organisation {id:'org:le-rameau'})-[r:CARRIES]->() RETURN r").single()
    assert str(r["r"]["date"]) == "2020-03-20" and r["r"]["source"] == "seed"
