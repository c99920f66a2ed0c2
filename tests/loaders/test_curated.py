"""The curated dataset: well-formed files (no Neo4j), then loaded into a real Neo4j."""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from graph.vocabulary import (
    ELEMENT_TYPES,
    ID_PREFIXES,
    RELATIONSHIPS_BY_NAME,
    ROLES,
    check_label,
    check_relationship,
    labels_for,
    normalise_token,
    relationship_allows,
    resolve_label,
    resolve_relationship,
)
from loaders.curated import CURATED_DIR, SEED_FILES, curated_files, load_curated
from loaders.records import ConnectionIn, ElementIn, element_id
from loaders.tabular import Source, read_csv
from loaders.validate import validate_tables

ROOT = Path(__file__).resolve().parents[2]
TERRITORIES_FILE = ROOT / "data" / "territories.jsonl.gz"

ELEMENT_COLUMNS = ["id", "type", "name", "kind", "roles", "territory", "lat", "lon",
                   "description", "url", "tags", "start", "end", "source", "aliases", "count"]
CONNECTION_COLUMNS = ["from", "to", "type", "role", "date", "source"]

#: nodes by label once loaded (the table of data/curated/README.md)
EXPECTED_LABELS = {
    "Organisation": 32,
    "Relay": 1,
    "Catalyst": 1,
    "Programme": 2,
    "Need": 3,
    "DialogueSpace": 6,
    "Deliverable": 17,
    "Study": 3,
    "Event": 13,
    "Person": 7,
}
#: relationships by type once loaded (territory cells included)
EXPECTED_RELATIONSHIPS = {
    "ACTIVE_IN": 2,
    "CARRIES": 1,
    "COPILOTS": 8,
    "COVERS": 1,
    "HELD": 11,
    "IDENTIFIES": 2,
    "LEADS": 5,
    "LOCATED_IN": 1,
    "MEMBER_OF": 3,
    "PARTICIPATES_IN": 2,
    "PARTNERS_WITH": 9,
    "PRODUCED": 18,
    "RELAYS": 5,
    "SPOKE_AT": 13,
}
SPACE_COUNTS = {
    "space:articulation-des-ingenieries-nationales-et-territoriales": 21,
    "space:jouer-collectif-entre-investisseurs-societaux": 12,
    "space:croiser-la-diversite-des-regards-sur-l-apres": 5,
    "space:comparer-les-besoins-et-solutions-aig-et-pme": 7,
}
FONDS_I_PARTNERS = {
    "org:caisse-des-depots", "org:djepva", "org:fondation-caritas", "org:fondation-carasso",
    "org:fonds-d-innovation-ag2r-la-mondiale", "org:le-rameau", "org:adasi", "org:avise",
    "org:inco",
}
#: territories the curated rows name (a fixture creates them for the Neo4j tests)
CURATED_TERRITORIES = {"FR", "commune:59350", "commune:94080"}

_SLUG_ID = re.compile(r"^[a-z]+:[a-z0-9]+(-[a-z0-9]+)*$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")


def _rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (CURATED_DIR / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _elements() -> list[dict[str, str]]:
    return _rows("elements.csv")[1]


def _connections() -> list[dict[str, str]]:
    return _rows("connections.csv")[1]


def _element_labels(row: dict[str, str]) -> set[str]:
    labels = set(labels_for(resolve_label(row["type"])))
    labels |= {ROLES[r] for r in row["roles"].split(";") if r}
    return labels


def _territory_labels() -> dict[str, set[str]]:
    """Territory id → labels, for the ids the curated rows name (from the reference file)."""
    level_label = {"country": "Country", "region": "Region", "departement": "Departement",
                   "epci": "Epci", "commune": "Commune"}
    out = {}
    with gzip.open(TERRITORIES_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if "t" not in rec:
                continue  # the header record
            tid = "FR" if rec["t"] == "country" else f"{rec['t']}:{rec['code']}"
            if tid in CURATED_TERRITORIES:
                out[tid] = {"Territory", level_label[rec["t"]]}
    return out


# ---------------------------------------------------------------------- files only


def test_files_and_headers():
    assert [p.name for p in curated_files()] == ["elements.csv", "connections.csv"]
    assert _rows("elements.csv")[0] == ELEMENT_COLUMNS
    assert _rows("connections.csv")[0] == CONNECTION_COLUMNS
    for path in curated_files():
        path.read_bytes().decode("utf-8")  # UTF-8, no BOM needed


def test_elements_are_well_formed():
    rows = _elements()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in rows:
        label = resolve_label(r["type"])
        assert label in ELEMENT_TYPES and label == r["type"], r["id"]
        assert _SLUG_ID.match(r["id"]), r["id"]
        assert r["id"].split(":")[0] == ID_PREFIXES[label], r["id"]
        assert r["source"] in SEED_FILES, r["id"]
        assert r["name"].strip(), r["id"]
        model = ElementIn(label=r["type"], **{k: v for k, v in r.items() if k != "type"})
        if label == "Organisation":
            assert model.kind, f"{r['id']} has no organisation kind"
        if r["count"]:
            assert model.count == int(r["count"]) and model.count > 0


def test_organisation_ids_follow_the_alias_table():
    # Another file naming "MEDEF" or "CDC" without an id must land on the same node.
    from loaders.resolve import default_aliases

    aliases = default_aliases()
    for r in _elements():
        if r["type"] == "Organisation":
            assert r["id"] == element_id("Organisation", aliases.canonical_name(r["name"]))


def test_counts_without_names_are_node_counts():
    counts = {r["id"]: int(r["count"]) for r in _elements() if r["count"]}
    assert {k: counts[k] for k in SPACE_COUNTS} == SPACE_COUNTS
    assert counts["org:catalyseurs-territoriaux"] == 350
    assert counts["org:tetes-de-pont"] == 30
    assert counts["space:demarche-anticipation-sortie-de-crise"] == 51
    assert counts["deliverable:inventaire-besoins-urgence-relance"] == 250


def test_connections_are_well_formed_and_allowed():
    elements = {r["id"]: _element_labels(r) for r in _elements()}
    territories = _territory_labels()
    assert set(territories) == CURATED_TERRITORIES, "territory missing from the reference"
    seen = set()
    for i, c in enumerate(_connections(), start=2):
        rel = resolve_relationship(c["type"])
        assert rel == c["type"] and rel in RELATIONSHIPS_BY_NAME, f"row {i}"
        assert c["source"] in SEED_FILES, f"row {i}"
        ConnectionIn.model_validate(c)
        start = elements.get(c["from"])
        end = elements.get(c["to"]) or territories.get(c["to"])
        assert start is not None, f"row {i}: unknown from {c['from']}"
        assert end is not None, f"row {i}: unknown to {c['to']}"
        assert relationship_allows(rel, start, end), f"row {i}: {rel} not allowed"
        key = (c["from"], c["to"], rel)
        if RELATIONSHIPS_BY_NAME[rel].symmetric:
            key = (*sorted((c["from"], c["to"])), rel)
        assert key not in seen, f"row {i}: duplicate connection"
        seen.add(key)


def test_expected_counts_match_the_files():
    rows = _elements()
    labels = Counter()
    for r in rows:
        labels.update(_element_labels(r))
    assert dict(labels) == EXPECTED_LABELS
    rels = Counter(c["type"] for c in _connections())
    # territory cells become COVERS (programme) / ACTIVE_IN or LOCATED_IN (organisation)
    for r in rows:
        for cell in filter(None, r["territory"].split(";")):
            if r["type"] == "Programme":
                rels["COVERS"] += 1
            else:
                rels["LOCATED_IN" if cell.startswith("commune:") else "ACTIVE_IN"] += 1
    assert dict(rels) == EXPECTED_RELATIONSHIPS


def test_readme_table_matches():
    text = (CURATED_DIR / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\|\s*`?(\w+)`?\s*\|\s*(\d+)\s*\|", text, re.MULTILINE))
    for name, n in {**EXPECTED_LABELS, **EXPECTED_RELATIONSHIPS}.items():
        assert int(table.get(name, -1)) == n, name


def test_no_private_contact_details():
    for path in [*curated_files(), CURATED_DIR / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert not _EMAIL.search(text), f"{path.name}: e-mail address"
        assert not _PHONE.search(text), f"{path.name}: phone number"
        assert "ULLIAC" not in text.upper(), f"{path.name}: press contact"


def test_importer_validates_offline():
    tables = [t for p in curated_files() for t in read_csv(Source.from_path(p))]
    plans = validate_tables(None, tables)
    errors = [str(e) for plan in plans.values() for e in plan.errors]
    assert errors == []
    assert not any(plan.rejected for plan in plans.values())


# ---------------------------------------------------------------------- with Neo4j


@pytest.fixture
def curated_territories(db):
    """The three territories the curated rows name, as the territory loader writes them."""
    rows = [
        {"id": "FR", "code": "FR", "name": "France", "level": "country", "labels": "Country"},
        {"id": "commune:59350", "code": "59350", "name": "Lille", "level": "commune",
         "labels": "Commune"},
        {"id": "commune:94080", "code": "94080", "name": "Vincennes", "level": "commune",
         "labels": "Commune"},
    ]
    with db.session() as session:
        for row in rows:
            label = check_label(row.pop("labels"))
            session.execute_write(
                lambda tx, r=row, lb=label: tx.run(
                    f"MERGE (t:Territory:{lb} {{id: $r.id}}) "
                    "SET t.code = $r.code, t.name = $r.name, t.level = $r.level, "
                    "t.name_key = $key", r=r, key=normalise_token(r["name"])).consume())
    return db


def _read(driver, query: str, **params):
    with driver.session() as session:
        return session.execute_read(lambda tx: tx.run(query, **params).data())


def _graph_shape(driver) -> dict:
    nodes = _read(driver, "MATCH (n) RETURN count(n) AS n, sum(size(keys(n))) AS p")[0]
    rels = _read(driver, "MATCH ()-[r]->() RETURN count(r) AS n, sum(size(keys(r))) AS p")[0]
    return {"nodes": nodes["n"], "node_props": nodes["p"], "rels": rels["n"],
            "rel_props": rels["p"]}


@pytest.fixture
def curated_graph(curated_territories):
    report = load_curated(curated_territories)
    assert report.ok, [e.message for e in report.errors]
    assert [f.status for f in report.files] == ["loaded", "loaded"]
    return curated_territories, report


def test_load_counts_by_label_and_type(curated_graph):
    driver, _ = curated_graph
    for label, n in EXPECTED_LABELS.items():
        got = _read(driver, f"MATCH (n:{check_label(label)}) RETURN count(n) AS n")[0]["n"]
        assert got == n, label
    for rel, n in EXPECTED_RELATIONSHIPS.items():
        got = _read(driver, f"MATCH ()-[r:{check_relationship(rel)}]->() "
                            "RETURN count(r) AS n")[0]["n"]
        assert got == n, rel


def test_loaded_facts(curated_graph):
    driver, _ = curated_graph
    copilots = _read(driver, "MATCH (o:Organisation)-[:COPILOTS]->(s:DialogueSpace {id: $id}) "
                             "RETURN o.name AS name ORDER BY name",
                     id="space:demarche-anticipation-sortie-de-crise")
    assert [r["name"] for r in copilots] == ["Le RAMEAU", "Médiateur des entreprises"]
    spaces = _read(driver, "MATCH (s:DialogueSpace) WHERE s.id IN $ids "
                           "RETURN s.id AS id, s.count AS count", ids=list(SPACE_COUNTS))
    assert {r["id"]: r["count"] for r in spaces} == SPACE_COUNTS
    partners = _read(driver, "MATCH (:Organisation {id: 'org:fonds-i'})-[:PARTNERS_WITH]-"
                             "(o:Organisation) RETURN o.id AS id")
    assert {r["id"] for r in partners} == FONDS_I_PARTNERS
    groups = _read(driver, "MATCH (o:Organisation) WHERE o.count IS NOT NULL "
                           "RETURN o.id AS id, o.count AS count, "
                           "o:Relay AS relay, o:Catalyst AS catalyst")
    by_id = {r["id"]: r for r in groups}
    assert by_id["org:catalyseurs-territoriaux"]["count"] == 350
    assert by_id["org:catalyseurs-territoriaux"]["catalyst"]
    assert by_id["org:tetes-de-pont"]["count"] == 30 and by_id["org:tetes-de-pont"]["relay"]
    relance = _read(driver, "MATCH (g:Organisation)-[:CARRIES]->(p:Programme {id: $id})"
                            "-[:COVERS]->(:Territory {id: 'FR'}) "
                            "RETURN g.id AS g, p.phase AS phase, p.start AS start",
                    id="programme:france-relance")
    assert len(relance) == 1 and relance[0]["g"] == "org:gouvernement"
    assert relance[0]["phase"] == "relance" and relance[0]["start"].iso_format() == "2020-09-03"
    sources = _read(driver, "MATCH (n) WHERE NOT n:Territory "
                            "RETURN collect(DISTINCT n.source) AS s")[0]["s"]
    assert set(sources) <= set(SEED_FILES)


def test_loading_twice_changes_nothing(curated_graph):
    driver, _ = curated_graph
    before = _graph_shape(driver)
    load_curated(driver)
    assert _graph_shape(driver) == before
