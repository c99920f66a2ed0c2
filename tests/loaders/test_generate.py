"""The synthetic ecosystem generator: reproducible bytes, a realistic shape, loadable files."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.vocabulary import ORGANISATION_KINDS, labels_for, relationship_allows
from loaders.generate import (
    CONNECTION_COLUMNS,
    ELEMENT_COLUMNS,
    generate,
    load_places,
    places_from_records,
    target_catalysts,
    target_relays,
    write_ecosystem,
)


def _commune(code, name, pop, lat, lon, epci, dep):
    return {"id": f"commune:{code}", "level": "commune", "name": name, "population": pop,
            "lat": lat, "lon": lon, "parents": [epci, dep]}


#: A few real territories, the same fields as the territory reference file.
GEN_TERRITORIES = [
    {"id": "FR", "level": "country", "name": "France", "population": 0, "parents": []},
    {"id": "region:32", "level": "region", "name": "Hauts-de-France", "population": 0,
     "parents": ["FR"]},
    {"id": "region:11", "level": "region", "name": "Île-de-France", "population": 0,
     "parents": ["FR"]},
    {"id": "region:84", "level": "region", "name": "Auvergne-Rhône-Alpes", "population": 0,
     "parents": ["FR"]},
    {"id": "departement:59", "level": "departement", "name": "Nord", "population": 0,
     "parents": ["region:32"]},
    {"id": "departement:62", "level": "departement", "name": "Pas-de-Calais", "population": 0,
     "parents": ["region:32"]},
    {"id": "departement:75", "level": "departement", "name": "Paris", "population": 0,
     "parents": ["region:11"]},
    {"id": "departement:93", "level": "departement", "name": "Seine-Saint-Denis",
     "population": 0, "parents": ["region:11"]},
    {"id": "departement:69", "level": "departement", "name": "Rhône", "population": 0,
     "parents": ["region:84"]},
    {"id": "epci:200093201", "level": "epci", "name": "Métropole Européenne de Lille",
     "population": 0, "parents": ["departement:59"]},
    {"id": "epci:246200364", "level": "epci", "name": "CA de Lens-Liévin", "population": 0,
     "parents": ["departement:62"]},
    {"id": "epci:200054781", "level": "epci", "name": "Métropole du Grand Paris",
     "population": 0, "parents": ["departement:75", "departement:93"]},
    {"id": "epci:200046977", "level": "epci", "name": "Métropole de Lyon", "population": 0,
     "parents": ["departement:69"]},
    _commune("59350", "Lille", 236234, 50.6311, 3.0468, "epci:200093201", "departement:59"),
    _commune("59512", "Roubaix", 98828, 50.6879, 3.1818, "epci:200093201", "departement:59"),
    _commune("59599", "Tourcoing", 99011, 50.7257, 3.1590, "epci:200093201",
             "departement:59"),
    _commune("59009", "Villeneuve-d'Ascq", 62727, 50.6324, 3.1528, "epci:200093201",
             "departement:59"),
    _commune("62498", "Lens", 32336, 50.4378, 2.8205, "epci:246200364", "departement:62"),
    _commune("62510", "Liévin", 30696, 50.4198, 2.7682, "epci:246200364", "departement:62"),
    _commune("75056", "Paris", 2133111, 48.8589, 2.3469, "epci:200054781", "departement:75"),
    _commune("93066", "Saint-Denis", 113116, 48.9296, 2.3591, "epci:200054781",
             "departement:93"),
    _commune("93048", "Montreuil", 111367, 48.8633, 2.4484, "epci:200054781",
             "departement:93"),
    _commune("69123", "Lyon", 522250, 45.7580, 4.8351, "epci:200046977", "departement:69"),
    _commune("69266", "Villeurbanne", 150659, 45.7707, 4.8889, "epci:200046977",
             "departement:69"),
]

GEN_N = 300


def write_gen_territory_file(path: Path) -> Path:
    """GEN_TERRITORIES as a territory reference file (the format of loaders.territories)."""
    from loaders.territories import FORMAT, FORMAT_VERSION

    lines = [{"format": FORMAT, "version": FORMAT_VERSION}]
    for t in GEN_TERRITORIES:
        obj = {"t": t["level"], "code": t["id"].split(":")[-1], "name": t["name"],
               "pop": t["population"], "up": t["parents"]}
        if "lat" in t:
            obj.update(lat=t["lat"], lon=t["lon"])
        lines.append(obj)
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gen_territory_file(tmp_path_factory):
    return write_gen_territory_file(tmp_path_factory.mktemp("gen") / "territories.jsonl")


@pytest.fixture(scope="module")
def gen_places(gen_territory_file):
    return load_places(gen_territory_file)


@pytest.fixture(scope="module")
def gen_eco(gen_places):
    return generate(gen_places, GEN_N, seed=7)


def _digest(directory: Path) -> str:
    h = hashlib.sha256()
    for name in ("elements.csv", "connections.csv"):
        h.update((directory / name).read_bytes())
    return h.hexdigest()


def test_places_resolve_ancestors(gen_places):
    roubaix = next(p for p in gen_places if p.id == "commune:59512")
    assert roubaix.epci == "epci:200093201"
    assert roubaix.departement == "departement:59"
    assert roubaix.region == "region:32"
    assert roubaix.population == 98828 and roubaix.lat == 50.6879
    # plain mappings give the same places as the reference file's rows
    assert sorted(places_from_records(GEN_TERRITORIES), key=lambda p: p.id) == sorted(
        gen_places, key=lambda p: p.id)


def test_same_seed_same_bytes(gen_places, tmp_path):
    write_ecosystem(generate(gen_places, GEN_N, seed=7), tmp_path / "a")
    write_ecosystem(generate(gen_places, GEN_N, seed=7), tmp_path / "b")
    write_ecosystem(generate(gen_places, GEN_N, seed=8), tmp_path / "c")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_files_have_the_interchange_columns(gen_eco, tmp_path):
    elements, connections = write_ecosystem(gen_eco, tmp_path)
    with open(elements, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        assert tuple(rows[0].keys()) == ELEMENT_COLUMNS
    assert len(rows) == len(gen_eco.elements)
    with open(connections, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        assert tuple(rows[0].keys()) == CONNECTION_COLUMNS
    assert len(rows) == len(gen_eco.connections)
    assert all(r["source"] == "synthetic:seed-7" for r in rows)


def test_shape(gen_eco):
    summary = gen_eco.summary()
    orgs = [e for e in gen_eco.elements if e["type"] == "Organisation"]
    assert len(orgs) == GEN_N
    assert set(summary["kinds"]) == set(ORGANISATION_KINDS)
    assert summary["kinds"]["association"] == round(0.55 * GEN_N)
    assert summary["roles"]["catalyst"] == target_catalysts(GEN_N)
    assert summary["roles"]["relay"] == target_relays(GEN_N)
    relays = {e["id"] for e in orgs if e["roles"] == "relay"}
    assert all(e["kind"] == "tete_de_reseau" for e in orgs if e["roles"] == "relay")
    active_fr = {c["from"] for c in gen_eco.connections
                 if c["type"] == "ACTIVE_IN" and c["to"] == "FR"}
    assert relays <= active_fr
    assert summary["element_types"]["Programme"] == 20
    assert set(summary["phases"]) == {"urgence", "relance"}
    assert summary["element_types"]["Need"] == 40
    needs = [e for e in gen_eco.elements if e["type"] == "Need"]
    assert len({e["kind"] for e in needs}) == 8
    covered = {c["to"].split(":")[0] for c in gen_eco.connections if c["type"] == "COVERS"}
    assert covered == {"FR", "region", "departement", "epci"}
    located = [c for c in gen_eco.connections if c["type"] == "LOCATED_IN"]
    assert len(located) == GEN_N
    assert {c["from"] for c in located} == {e["id"] for e in orgs}
    for rel in ("PARTNERS_WITH", "EXPRESSES", "ADDRESSES", "CARRIES", "RELAYS", "MEMBER_OF"):
        assert summary["connection_types"].get(rel, 0) > 0, rel


def test_partners_favour_closeness_and_hubs(gen_places):
    eco = generate(gen_places, 2000, seed=3)
    where = {c["from"]: c["to"] for c in eco.connections if c["type"] == "LOCATED_IN"}
    dep = {p.id: p.departement for p in gen_places}
    partners = [(c["from"], c["to"]) for c in eco.connections if c["type"] == "PARTNERS_WITH"]
    same_dep = sum(dep[where[a]] == dep[where[b]] for a, b in partners) / len(partners)
    # Paris holds over half the population of this tiny France; by population alone about
    # 40 % of pairs would share a département; closeness pushes it well above.
    assert same_dep > 0.6
    assert len(set(map(frozenset, partners))) == len(partners)
    assert all(a != b for a, b in partners)
    degree: dict[str, int] = {}
    for a, b in partners:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    top = sorted(degree.values(), reverse=True)
    assert top[0] >= 5 * (sum(top) / len(top))  # hubs: a heavy tail, not a flat degree


def test_every_connection_is_allowed(gen_eco, gen_places):
    labels = {}
    for e in gen_eco.elements:
        extra = {"relay": "Relay", "catalyst": "Catalyst"}.get(e["roles"])
        labels[e["id"]] = set(labels_for(e["type"])) | ({extra} if extra else set())
    level_label = {"country": "Country", "region": "Region", "departement": "Departement",
                   "epci": "Epci", "commune": "Commune"}
    for p in gen_places:
        labels[p.id] = set(labels_for(level_label[p.level]))
    for c in gen_eco.connections:
        assert c["from"] in labels and c["to"] in labels, c
        assert relationship_allows(c["type"], labels[c["from"]], labels[c["to"]]), c


def test_no_duplicate_connection(gen_places):
    eco = generate(gen_places, 3000, seed=1)
    keys = [(c["from"], c["to"], c["type"]) for c in eco.connections]
    assert len(keys) == len(set(keys))


def test_ids_are_unique_slugs(gen_eco):
    import re

    ids = [e["id"] for e in gen_eco.elements]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+:[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


def test_cli_generate_json(tmp_path, gen_territory_file):
    from cli.main import app

    out = tmp_path / "eco"
    result = CliRunner().invoke(app, ["generate", "--organisations", "120", "--seed", "5",
                                      "-o", str(out), "--territories",
                                      str(gen_territory_file), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["organisations"] == 120
    assert (out / "elements.csv").exists() and (out / "connections.csv").exists()
    result = CliRunner().invoke(app, ["generate", "--organisations", "120", "-o", str(out),
                                      "--territories", str(gen_territory_file)])
    assert result.exit_code == 0, result.output
    assert "PARTNERS_WITH" in result.output
    result = CliRunner().invoke(app, ["generate", "-n", "10", "-o", str(out),
                                      "--territories", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 1
    assert "not found" in result.output


def test_generated_ecosystem_loads(db, gen_territory_file, gen_eco, tmp_path):
    from loaders.importer import load_paths
    from loaders.territories import load_territories

    load_territories(db, gen_territory_file)
    paths = write_ecosystem(gen_eco, tmp_path)
    report = load_paths(db, paths)
    assert report.ok, report.errors[:5]
    summary = gen_eco.summary()
    records, _, _ = db.execute_query(
        "CALL () { MATCH (o:Organisation) RETURN count(o) AS orgs } "
        "CALL () { MATCH (c:Catalyst) RETURN count(c) AS catalysts } "
        "CALL () { MATCH (r:Relay) RETURN count(r) AS relays } "
        "CALL () { MATCH (p:Programme) RETURN count(p) AS programmes } "
        "CALL () { MATCH (n:Need) RETURN count(n) AS needs } "
        "CALL () { MATCH (:Organisation)-[r:LOCATED_IN]->(:Commune) RETURN count(r) AS located } "
        "CALL () { MATCH (:Organisation)-[r:PARTNERS_WITH]->(:Organisation) "
        "          RETURN count(r) AS partners } "
        "CALL () { MATCH (a)-[r]->(b) WHERE NOT r:PART_OF RETURN count(r) AS rels } "
        "RETURN orgs, catalysts, relays, programmes, needs, located, partners, rels")
    got = records[0]
    assert got["orgs"] == GEN_N
    assert got["catalysts"] == summary["roles"]["catalyst"]
    assert got["relays"] == summary["roles"]["relay"]
    assert got["programmes"] == summary["element_types"]["Programme"]
    assert got["needs"] == 40
    assert got["located"] == GEN_N
    assert got["partners"] == summary["connection_types"]["PARTNERS_WITH"]
    assert got["rels"] == summary["connections"]
    # loading the same files again changes nothing
    load_paths(db, paths)
    again, _, _ = db.execute_query("MATCH (a)-[r]->(b) WHERE NOT r:PART_OF RETURN count(r) AS n")
    assert again[0]["n"] == summary["connections"]


def test_parallel_writers_write_the_same_graph(db, gen_territory_file, gen_eco, tmp_path,
                                               monkeypatch):
    """Two writers on node-disjoint parts (every step split: threshold lowered to 10 rows)
    give exactly the graph one writer gives."""
    import loaders.importer as importer
    from loaders.territories import load_territories
    from tests.loaders.test_import import fingerprint

    load_territories(db, gen_territory_file)
    paths = write_ecosystem(gen_eco, tmp_path)
    assert importer.load_paths(db, paths, writers=1).ok
    one = fingerprint(db)
    db.execute_query("MATCH (n) WHERE NOT n:Territory DETACH DELETE n")
    monkeypatch.setattr(importer, "PARALLEL_MIN_ROWS", 10)
    parts = []
    real = importer.split_disjoint

    def spy(*args, **kwargs):
        split = real(*args, **kwargs)
        parts.append(split.parallel_rows)
        return split

    monkeypatch.setattr(importer, "split_disjoint", spy)
    assert importer.load_paths(db, paths, writers=2).ok
    assert sum(parts) > 0  # some relationships really were written two at a time
    assert fingerprint(db) == one
