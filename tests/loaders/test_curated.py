"""The curated dataset: well-formed files (no Neo4j), then loaded into a real Neo4j.

The facts asserted here are those the seed documents state (data/curated/README.md says
which document states each); a missing loader module fails these tests in CI instead of
skipping them.
"""

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
    KIND_FR,
    PROGRAMME_PHASES,
    RELATIONSHIPS_BY_NAME,
    ROLES,
    check_label,
    check_relationship,
    labels_for,
    normalise_token,
    relationship_allows,
    resolve_label,
    resolve_phase,
    resolve_relationship,
)
from loaders.records import ConnectionIn, ElementIn, element_id
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
CURATED_DIR = ROOT / "data" / "curated"
CURATED_FILES = ("elements.csv", "connections.csv")
SOURCES_FILE = ROOT / "data" / "sources.csv"
TERRITORIES_FILE = ROOT / "data" / "territories.jsonl.gz"



def curated_files() -> list[Path]:
    return [CURATED_DIR / name for name in CURATED_FILES]


def _sources() -> list[dict[str, str]]:
    with SOURCES_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


#: what every `source` cell may hold: a seed document of data/sources.csv, by file name
SEED_FILES = tuple(r["file"] for r in _sources())

ELEMENT_COLUMNS = ["id", "type", "name", "kind", "roles", "territory", "lat", "lon",
                   "description", "url", "tags", "start", "end", "source", "aliases", "count"]
CONNECTION_COLUMNS = ["from", "to", "type", "role", "date", "source"]

#: nodes by label once loaded (the table of data/curated/README.md)
EXPECTED_LABELS = {
    "Organisation": 30,
    "Relay": 1,
    "Catalyst": 1,
    "Programme": 4,
    "Need": 3,
    "DialogueSpace": 6,
    "Deliverable": 17,
    "Study": 3,
    "Event": 13,
    "Person": 7,
}
#: relationships by type once loaded (territory cells included)
EXPECTED_RELATIONSHIPS = {
    "ACTIVE_IN": 9,
    "CARRIES": 7,
    "COPILOTS": 8,
    "COVERS": 2,
    "HELD": 10,
    "IDENTIFIES": 2,
    "LEADS": 5,
    "LOCATED_IN": 1,
    "MEMBER_OF": 3,
    "OPERATES": 3,
    "PARTICIPATES_IN": 2,
    "PARTNERS_WITH": 7,
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
#: groups known by a count only (declared counts; their members are not named)
DECLARED_COUNTS = {
    **SPACE_COUNTS,
    "space:demarche-anticipation-sortie-de-crise": 51,  # 003: 51 organisations
    "org:catalyseurs-territoriaux": 350,  # 001, 002
    "org:tetes-de-pont": 30,  # 001
    "deliverable:inventaire-besoins-urgence-relance": 250,  # 001: 250 données au 19 juin
    "org:collectif-l-interet-general-des-aujourd-hui-l-affaire-de-tous": 23,  # 004
    "deliverable:programme-systemique-de-21-mesures": 21,  # 000, 001
}
FONDS_I = "programme:fonds-i"
FONDS_ODD_17 = "programme:fonds-odd-17"
#: 002: "initié dès 2016 par la Caisse des Dépôts. Il associe l'Etat au travers de la
#: DJEPVA, les Fondations Caritas et Carasso, le Fonds d'innovation AG2R LA MONDIALE, le
#: laboratoire de recherche empirique Le RAMEAU et l'opérateur constitué par l'ADASI,
#: l'Avise et INCO" — the initiator and the associated share the carrying (role says
#: which); the operator operates; no document says who funds it, so nothing FUNDS it
FONDS_I_CARRIERS = {
    "org:caisse-des-depots": "initiateur (dès 2016)",
    "org:djepva": "associé : l'Etat au travers de la DJEPVA",
    "org:fondation-caritas": "associé",
    "org:fondation-carasso": "associé",
    "org:fonds-d-innovation-ag2r-la-mondiale": "associé",
    "org:le-rameau": "associé (laboratoire de recherche empirique)",
}
FONDS_I_OPERATORS = {"org:adasi", "org:avise", "org:inco"}
#: partnerships the documents write (unordered pairs)
PARTNERSHIPS = {
    # 002: ADASI, Avise and INCO form the operator of Fonds i together
    frozenset({"org:adasi", "org:avise"}), frozenset({"org:adasi", "org:inco"}),
    frozenset({"org:avise", "org:inco"}),
    # 001: the "binôme Médiateur des entreprises – Le RAMEAU"
    frozenset({"org:mediateur-des-entreprises", "org:le-rameau"}),
    # 002: 4e séminaire co-organised by the Caisse des Dépôts and Le RAMEAU, "en
    # partenariat avec le Fonds i et la Fondation GRDF"
    frozenset({"org:caisse-des-depots", "org:le-rameau"}),
    frozenset({"org:fondation-grdf", "org:caisse-des-depots"}),
    frozenset({"org:fondation-grdf", "org:le-rameau"}),
}
#: national actors: the State's services (001, 002, 003), the Caisse des Dépôts (002,
#: Fonds i "au niveau national"), Le RAMEAU ("observatoire national", 000), the MEDEF
NATIONAL = {
    "org:le-rameau", "org:mediateur-des-entreprises", "org:gouvernement",
    "org:caisse-des-depots", "org:djepva", "org:ministere-de-la-culture",
    "org:ministere-de-l-education-nationale", "org:mouvement-des-entreprises-de-france",
}
#: places the documents give: Le RAMEAU at Vincennes (004, secrétariat général, 94300
#: VINCENNES), the Fondation de Lille in Lille (002, "A Lille")
PLACES = {
    ("org:le-rameau", "LOCATED_IN", "commune:94080"),
    ("org:fondation-de-lille", "ACTIVE_IN", "commune:59350"),
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
    assert _rows("elements.csv")[0] == ELEMENT_COLUMNS
    assert _rows("connections.csv")[0] == CONNECTION_COLUMNS
    for path in curated_files():
        path.read_bytes().decode("utf-8")  # UTF-8, no BOM needed


def test_the_loader_reads_these_files():
    curated = require("loaders.curated")
    assert [p.resolve() for p in curated.curated_files()] == [p.resolve()
                                                              for p in curated_files()]


def test_the_seed_document_table():
    with SOURCES_FILE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["stem", "file", "title", "date", "publisher", "url"]
        rows = list(reader)
    assert [r["stem"][:4] for r in rows] == ["000_", "001_", "002_", "003_", "004_"]
    for r in rows:
        assert re.fullmatch(r"\d{3}_[0-9a-f]{16}", r["stem"]), r
        assert r["file"] == r["stem"] + ".txt", r
        assert r["title"].strip() and r["title"] == " ".join(r["title"].split()), r
        # a day, or the month alone when the document gives no day
        assert re.fullmatch(r"20\d\d-[01]\d(-[0-3]\d)?", r["date"]), r
        assert not r["url"] or r["url"].startswith(("https://", "http://")), r
    by_stem = {r["stem"]: r for r in rows}
    assert by_stem["000_c3e58eecd51e89d1"]["date"] == "2020-06-24"
    assert by_stem["001_4bd89c1e997ffd6c"]["date"] == "2020-06-23"
    assert by_stem["002_cc02f2f9aabe64ef"]["date"] == "2021-03-17"
    assert by_stem["003_e88a069546d9509f"]["date"] == "2020-09"
    assert by_stem["004_a1bf7d36eca9af20"]["date"] == "2020-06-23"


def test_the_data_page_shows_the_seed_document_table():
    text = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    shown = re.findall(r"^\| `(\d{3}_[0-9a-f]{16})` \| (.+?) \| ([\d-]+) \| (.+?) \|$", text,
                       re.MULTILINE)
    assert shown == [(r["stem"], r["title"], r["date"], r["publisher"] or "—")
                     for r in _sources()]


def test_every_source_is_a_seed_document_and_every_document_is_used():
    cited = Counter(r["source"] for r in [*_elements(), *_connections()])
    assert set(cited) <= set(SEED_FILES), set(cited) - set(SEED_FILES)
    assert set(cited) == set(SEED_FILES), "a seed document no row cites"


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
    aliases = require("loaders.resolve").default_aliases()
    for r in _elements():
        if r["type"] == "Organisation":
            assert r["id"] == element_id("Organisation", aliases.canonical_name(r["name"]))


def test_the_structurel_phase():
    assert PROGRAMME_PHASES == ("urgence", "relance", "structurel")
    assert KIND_FR["structurel"] == "Structurel"
    for text in ("structurel", "Structurel", "structural", "fonds", "financement structurel"):
        assert resolve_phase(text) == "structurel", text


def test_declared_counts_are_recorded():
    counts = {r["id"]: int(r["count"]) for r in _elements() if r["count"]}
    assert {k: counts.get(k) for k in DECLARED_COUNTS} == DECLARED_COUNTS
    # a group known by its count is one node marked `groupe`, never invented members
    groups = {r["id"] for r in _elements() if "groupe" in r["tags"].split(";")}
    assert groups == {"org:catalyseurs-territoriaux", "org:tetes-de-pont",
                      "org:collectif-l-interet-general-des-aujourd-hui-l-affaire-de-tous"}


def test_the_funds_are_structurel_programmes_in_the_files():
    by_id = {r["id"]: r for r in _elements()}
    for fid in (FONDS_I, FONDS_ODD_17):
        assert by_id[fid]["type"] == "Programme" and by_id[fid]["kind"] == "structurel"
        assert by_id[fid]["source"] == "002_cc02f2f9aabe64ef.txt"
    assert not {"org:fonds-i", "org:fonds-odd-17"} & set(by_id)
    assert by_id[FONDS_I]["territory"] == "FR"  # 002: "au niveau national"
    into = [c for c in _connections() if FONDS_I in (c["from"], c["to"])]
    assert {c["from"]: c["role"] for c in into if c["type"] == "CARRIES"} == FONDS_I_CARRIERS
    assert {c["from"] for c in into if c["type"] == "OPERATES"} == FONDS_I_OPERATORS
    assert {c["type"] for c in into} == {"CARRIES", "OPERATES"}
    assert all(c["to"] == FONDS_I and c["source"] == "002_cc02f2f9aabe64ef.txt" for c in into)
    partners = {frozenset((c["from"], c["to"])) for c in _connections()
                if c["type"] == "PARTNERS_WITH"}
    assert partners == PARTNERSHIPS


def test_national_actors_and_places_in_the_files():
    national = {r["id"] for r in _elements()
                if r["type"] == "Organisation" and "FR" in r["territory"].split(";")}
    assert national == NATIONAL
    places = {(c["from"], c["type"], c["to"]) for c in _connections()
              if c["type"] in ("LOCATED_IN", "ACTIVE_IN")}
    assert places == PLACES


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
    for r in _elements():  # territory cells name territories of the reference too
        for cell in filter(None, r["territory"].split(";")):
            assert cell in territories, (r["id"], cell)


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
    for path in [*curated_files(), CURATED_DIR / "README.md", SOURCES_FILE]:
        text = path.read_text(encoding="utf-8")
        assert not _EMAIL.search(text), f"{path.name}: e-mail address"
        assert not _PHONE.search(text), f"{path.name}: phone number"
        assert "ULLIAC" not in text.upper(), f"{path.name}: press contact"


def test_importer_validates_offline():
    tabular = require("loaders.tabular")
    validate = require("loaders.validate")
    tables = [t for p in curated_files()
              for t in tabular.read_csv(tabular.Source.from_path(p))]
    plans = validate.validate_tables(None, tables)
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
    """Counts of the facts, and their hash: bookkeeping (import records, history) aside,
    as graph/bookkeeping.py defines it."""
    from graph.fact_hash import fact_hash

    nodes = _read(driver, "MATCH (n) WHERE NOT n:Import RETURN count(n) AS n")[0]
    rels = _read(driver, "MATCH ()-[r]->() RETURN count(r) AS n")[0]
    return {"nodes": nodes["n"], "rels": rels["n"], "hash": fact_hash(driver)}


@pytest.fixture
def curated_graph(curated_territories):
    load_curated = require("loaders.curated").load_curated
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
    relance = _read(driver, "MATCH (g:Organisation)-[:CARRIES]->(p:Programme {id: $id})"
                            "-[:COVERS]->(:Territory {id: 'FR'}) "
                            "RETURN g.id AS g, p.phase AS phase, p.start AS start",
                    id="programme:france-relance")
    assert len(relance) == 1 and relance[0]["g"] == "org:gouvernement"
    assert relance[0]["phase"] == "relance" and relance[0]["start"].iso_format() == "2020-09-03"


def test_fonds_i_is_a_structurel_programme_with_its_carriers_and_operator(curated_graph):
    driver, _ = curated_graph
    funds = _read(driver, "MATCH (p:Programme) WHERE p.phase = 'structurel' "
                          "RETURN p.id AS id, labels(p) AS labels ORDER BY id")
    assert [(r["id"], r["labels"]) for r in funds] == [(FONDS_I, ["Programme"]),
                                                      (FONDS_ODD_17, ["Programme"])]
    links = _read(driver, "MATCH (o)-[r]-(:Programme {id: $id}) "
                          "RETURN o.id AS o, type(r) AS type, r.role AS role, "
                          "r.source AS source, startNode(r) = o AS outgoing", id=FONDS_I)
    assert all(r["outgoing"] != (r["type"] == "COVERS") for r in links)
    assert {r["o"]: r["role"] for r in links if r["type"] == "CARRIES"} == FONDS_I_CARRIERS
    assert {r["o"] for r in links if r["type"] == "OPERATES"} == FONDS_I_OPERATORS
    assert [r["o"] for r in links if r["type"] == "COVERS"] == ["FR"]
    assert {r["type"] for r in links} == {"CARRIES", "OPERATES", "COVERS"}  # no FUNDS
    assert {r["source"] for r in links} == {"002_cc02f2f9aabe64ef.txt"}
    # the importer never turned it into an organisation
    assert _read(driver, "MATCH (o:Organisation) WHERE o.name STARTS WITH 'Fonds i' "
                         "OR o.name STARTS WITH 'Fonds ODD' RETURN o.id AS id") == []
    partners = _read(driver, "MATCH (a:Organisation)-[:PARTNERS_WITH]->(b:Organisation) "
                             "RETURN a.id AS a, b.id AS b")
    assert {frozenset((r["a"], r["b"])) for r in partners} == PARTNERSHIPS


def test_national_actors_are_active_in_france(curated_graph):
    driver, _ = curated_graph
    national = _read(driver, "MATCH (o:Organisation)-[:ACTIVE_IN]->(:Country {id: 'FR'}) "
                             "RETURN o.id AS id")
    assert {r["id"] for r in national} == NATIONAL
    places = _read(driver, "MATCH (o:Organisation)-[r:LOCATED_IN|ACTIVE_IN]->(c:Commune) "
                           "RETURN o.id AS o, type(r) AS type, c.id AS c")
    assert {(r["o"], r["type"], r["c"]) for r in places} == PLACES
    covered = _read(driver, "MATCH (p:Programme)-[:COVERS]->(:Country {id: 'FR'}) "
                            "RETURN p.id AS id ORDER BY id")
    assert [r["id"] for r in covered] == ["programme:fonds-i", "programme:france-relance"]


def test_every_source_is_a_seed_document(curated_graph):
    driver, _ = curated_graph
    nodes = _read(driver, "MATCH (n) WHERE NOT n:Territory AND NOT n:Import "
                          "RETURN n.id AS id, n.source AS source")
    assert nodes and all(r["source"] in SEED_FILES for r in nodes), \
        [r for r in nodes if r["source"] not in SEED_FILES]
    rels = _read(driver, "MATCH (a)-[r]->(b) WHERE type(r) <> 'PART_OF' "
                         "RETURN a.id AS a, type(r) AS type, b.id AS b, r.source AS source")
    assert rels and all(r["source"] in SEED_FILES for r in rels), \
        [r for r in rels if r["source"] not in SEED_FILES]


def test_declared_counts_and_named_members(curated_graph):
    driver, _ = curated_graph
    counted = _read(driver, "MATCH (n) WHERE n.count IS NOT NULL "
                            "RETURN n.id AS id, n.count AS count")
    assert {r["id"]: r["count"] for r in counted} == DECLARED_COUNTS
    groups = _read(driver, "MATCH (o:Organisation) WHERE o.count IS NOT NULL "
                           "RETURN o.id AS id, o:Relay AS relay, o:Catalyst AS catalyst")
    by_id = {r["id"]: r for r in groups}
    assert by_id["org:catalyseurs-territoriaux"]["catalyst"]
    assert by_id["org:tetes-de-pont"]["relay"]
    # the named members never exceed the declared count ("350 déclarés, N nommés")
    named = _read(driver, "MATCH (s:DialogueSpace) WHERE s.count IS NOT NULL "
                          "RETURN s.id AS id, s.count AS declared, COUNT { "
                          "MATCH (o:Organisation)-[:PARTICIPATES_IN|COPILOTS]->(s) "
                          "RETURN DISTINCT o } AS named")
    assert len(named) == 5
    assert all(r["named"] <= r["declared"] for r in named), named
    members = _read(driver, "MATCH (o:Organisation)-[:MEMBER_OF]->(c {id: $id}) "
                            "RETURN count(o) AS n",
                    id="org:collectif-l-interet-general-des-aujourd-hui-l-affaire-de-tous")
    assert 0 < members[0]["n"] <= 23


def test_loading_twice_changes_nothing(curated_graph):
    load_curated = require("loaders.curated").load_curated
    driver, _ = curated_graph
    before = _graph_shape(driver)
    load_curated(driver)
    assert _graph_shape(driver) == before
