"""``format=csv`` on the API's list routes: a file Excel opens in French (`;`, UTF-8 with
a BOM, CRLF, French headers and names, decimal commas), named in words, guarded against
formula injection; errors stay JSON (the pages' fixture graph plus EXTRA)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.csv_reading import csv_headers, csv_rows
from tests.pages.conftest import load_pages_graph

FORMULA = '=HYPERLINK("http://evil.example","cliquez")'

#: a national actor carrying the urgence fund; an association in Roubaix whose name is a
#: formula, funding the Pass numérique
EXTRA = """
MATCH (fr:Territory {id: 'FR'}), (roubaix:Territory {id: 'commune:59512'}),
      (fonds:Programme {id: 'programme:fonds-urgence'}),
      (pass:Programme {id: 'programme:pass-numerique'})
CREATE (nat:Organisation {id: 'org:national', name: 'Acteur national', kind: 'etat'})
CREATE (f:Organisation {id: 'org:formula', name: $formula, kind: 'association'})
CREATE (nat)-[:ACTIVE_IN]->(fr), (nat)-[:CARRIES]->(fonds)
CREATE (f)-[:LOCATED_IN]->(roubaix), (f)-[:FUNDS]->(pass)
"""


@pytest.fixture(scope="module")
def api(neo4j_driver, neo4j_server):
    from loaders.locations import derive_locations
    from tests.conftest import empty_graph

    empty_graph(neo4j_driver, neo4j_server.database)
    load_pages_graph(neo4j_driver, neo4j_server.database)
    neo4j_driver.execute_query(EXTRA, formula=FORMULA, database_=neo4j_server.database)
    derive_locations(neo4j_driver, database=neo4j_server.database)
    with TestClient(create_app()) as client:
        yield client


def by_id(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["Identifiant"]: row for row in rows}


def test_partners_near_within_the_radius(api):
    rows = csv_rows(api.get("/partners/near", params={
        "commune": "Roubaix", "radius_km": 20, "format": "csv"}),
        "partenaires-roubaix-20-km.csv")
    assert list(rows[0]) == ["Organisation", "Type", "Rôles", "Distance (km)", "Commune",
                             "Placée par", "Reliée à", "Identifiant"]
    found = by_id(rows)
    cata = found["org:roubaix-numerique"]
    assert (cata["Type"], cata["Rôles"], cata["Distance (km)"], cata["Commune"],
            cata["Placée par"]) == ("Association", "Catalyseur", "0", "Roubaix",
                                    "la commune où elle est située")
    assert "opère Pass numérique" in cata["Reliée à"]
    assert "partenaire de Relais de la Métropole" in cata["Reliée à"]
    relay = found["org:mel-relais"]
    assert (relay["Type"], relay["Rôles"]) == ("Collectivité", "Tête de pont")
    # Lille is ~11 km away: a decimal comma, as Excel in French reads numbers
    distances = [r["Distance (km)"] for r in rows]
    assert any("," in d for d in distances) and not any("." in d for d in distances)
    assert float(relay["Distance (km)"].replace(",", ".")) == pytest.approx(11, abs=1)
    # a name from an imported file that a spreadsheet would run is kept as text
    assert found["org:formula"]["Organisation"] == "'" + FORMULA


def test_partners_near_active_on_the_territory(api):
    rows = csv_rows(api.get("/partners/near", params={
        "commune": "59512", "radius_km": 20, "format": "csv",
        "rows": "active_on_territory"}), "actifs-sur-le-territoire-roubaix.csv")
    assert [(r["Organisation"], r["Type"], r["Active sur (territoire)"], r["Niveau"])
            for r in rows] == [("Acteur national", "État", "France", "Pays")]


def test_connectors_in_and_above_the_territory(api):
    rows = csv_rows(api.get("/connectors", params={
        "programme": "Pass numérique", "territory": "59", "format": "csv"}),
        "connecteurs-pass-numerique-nord.csv")
    found = by_id(rows)
    assert found["org:roubaix-numerique"]["Rôle dans le programme"] == "opère"
    assert found["org:mel-relais"]["Rôle dans le programme"] == "relaie"
    assert found["org:roubaix-numerique"]["Présente à"] == "Roubaix"
    assert found["org:roubaix-numerique"]["Preuve"].startswith(
        "Pass numérique → Roubaix Numérique → Roubaix")
    covering = csv_rows(api.get("/connectors", params={
        "programme": "programme:fonds-urgence", "territory": "62", "format": "csv",
        "rows": "covering"}), "organisations-couvrant-pas-de-calais-fonds-d-urgence-ess.csv")
    assert [(r["Organisation"], r["Couvre depuis"], r["Preuve"]) for r in covering] == [
        ("Acteur national", "France (pays)",
         "Fonds d'urgence ESS → Acteur national → France → Hauts-de-France → Pas-de-Calais")]


def test_programmes_and_gaps_of_a_territory(api):
    rows = csv_rows(api.get("/territories/59512/programmes", params={"format": "csv"}),
                    "programmes-roubaix.csv")
    assert [(r["Phase"], r["Programme"], r["Répond aux besoins"], r["Couvre"],
             r["Couverture"]) for r in rows] == [
        ("Urgence", "Fonds d'urgence ESS", "Trésorerie", "France (pays)", "entière"),
        ("Relance", "Pass numérique", "Inclusion numérique", "Nord (département)",
         "entière")]
    gaps = csv_rows(api.get("/territories/59/gaps", params={"format": "csv"}),
                    "besoins-exprimes-sans-programme-nord.csv")
    assert [(r["Besoin"], r["Catégorie"], r["Exprimé par (organisations)"]) for r in gaps] == [
        ("Emploi des jeunes", "emploi", "2")]
    every = api.get("/territories/59/gaps", params={"format": "csv", "scope": "all"})
    assert csv_rows(every, "tous-les-besoins-sans-programme-nord.csv")


def test_brokers_and_communities(api):
    response = api.get("/analytics/brokers", params={"format": "csv"})
    rows = csv_rows(response, "organisations-qui-font-le-pont.csv")
    assert csv_headers(response) == ["Rang", "Organisation", "Type", "Score (intermédiarité)",
                                     "Identifiant"]
    assert rows and all(float(r["Score (intermédiarité)"].replace(",", ".")) > 0
                        for r in rows)
    ranked = api.get("/analytics/brokers").json()["items"]
    assert len(rows) == sum(1 for b in ranked if b["score"] > 0) < len(ranked)
    response = api.get("/analytics/communities", params={"format": "csv"})
    rows = csv_rows(response, "communautes.csv")
    assert csv_headers(response) == ["Communauté", "Taille", "Composition",
                                     "Principaux membres"]
    sizes = [int(r["Taille"]) for r in rows if not r["Communauté"].startswith("Isolés")]
    assert sizes == sorted(sizes, reverse=True) and min(sizes) > 1
    assert any("organisation" in r["Composition"] for r in rows)


def test_json_stays_the_default(api):
    response = api.get("/partners/near", params={"commune": "59512"})
    assert response.headers["content-type"] == "application/json"
    assert response.json()["radius_km"] == 30


@pytest.mark.parametrize(("url", "params", "status", "code"), [
    ("/partners/near", {"commune": "Roubaiz"}, 404, "unknown_territory"),
    ("/connectors", {"programme": "programme:pass-numerique", "territory": "Saint-Denis"},
     409, "ambiguous_territory"),
    ("/territories/zz-nowhere/gaps", {}, 404, "unknown_territory"),
    ("/territories/59/programmes", {"format": "xlsx"}, 422, None),
])
def test_a_csv_request_that_fails_is_the_usual_json_error(api, url, params, status, code):
    response = api.get(url, params={"format": "csv", **params})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()["error"]
    assert code is None or body["code"] == code


def test_openapi_documents_the_csv_answers(api):
    spec = api.get("/openapi.json").json()["paths"]
    for path in ("/partners/near", "/connectors", "/territories/{code}/gaps",
                 "/territories/{code}/programmes", "/analytics/brokers",
                 "/analytics/communities"):
        operation = spec[path]["get"]
        (fmt,) = [p for p in operation["parameters"] if p["name"] == "format"]
        assert fmt["schema"]["enum"] == ["json", "csv"] and fmt["schema"]["default"] == "json"
        content = operation["responses"]["200"]["content"]
        assert set(content) >= {"application/json", "text/csv"}
        assert content["text/csv"]["example"].endswith("\r\n")
    rows = {p["name"]: p for p in spec["/partners/near"]["get"]["parameters"]}["rows"]
    assert rows["schema"]["enum"] == ["items", "active_on_territory"]
