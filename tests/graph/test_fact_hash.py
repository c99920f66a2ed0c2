"""The facts' hash: the same facts give the same hash whatever the load order, batch size
or number of writers; any change of a fact changes it; bookkeeping never does."""

from __future__ import annotations

import csv
import json
import random

import pytest
from typer.testing import CliRunner

from graph.bookkeeping import BOOKKEEPING
from graph.fact_hash import encode, fact_digest, fact_hash
from loaders.importer import load_paths
from tests.conftest import empty_graph
from tests.reliability_fixtures import load_small


@pytest.fixture
def small(small_ecosystem):
    return small_ecosystem


def _shuffled(path, out, seed):
    """The same CSV with its rows in another order."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    body = rows[1:]
    random.Random(seed).shuffle(body)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([rows[0], *body])
    return out


def test_same_facts_same_hash_whatever_the_order_batches_and_writers(db, small, tmp_path):
    territories, elements, connections = small
    report = load_small(db, territories, [elements, connections], batch_size=5000, writers=2)
    assert report.ok
    clean = fact_digest(db)
    assert clean.nodes > 360 and clean.relationships > 1000

    # rows shuffled, small batches, one writer
    empty_graph(db)
    shuffled = [_shuffled(elements, tmp_path / "elements.csv", 1),
                _shuffled(connections, tmp_path / "connections.csv", 2)]
    assert load_small(db, territories, shuffled, batch_size=7, writers=1).ok
    assert fact_hash(db) == clean.hash

    # the files in two loads, and the whole load again on top (idempotent)
    empty_graph(db)
    assert load_small(db, territories, [elements], batch_size=50, writers=3).ok
    assert load_paths(db, [connections], batch_size=50, writers=3).ok
    assert fact_hash(db) == clean.hash
    assert load_small(db, territories, [elements, connections]).ok
    assert fact_hash(db) == clean.hash


def _graph(db, extra: str = "", **params):
    empty_graph(db)
    db.execute_query(
        "CREATE (a:Organisation {id: 'org:a', name: 'A', count: 1, tags: ['x', 'y']}) "
        "CREATE (b:Organisation:Relay {id: 'org:b', name: 'B', start: date('2020-03-01')}) "
        "CREATE (a)-[:PARTNERS_WITH {source: 's', role: 'r'}]->(b) " + extra, params)
    return fact_hash(db)


def test_every_change_of_a_fact_changes_the_hash(db):
    base = _graph(db)
    assert _graph(db) == base  # the same facts written again
    changed = {
        "a property": _graph(db, "SET a.name = 'A2'"),
        "a property added": _graph(db, "SET a.url = 'https://a.fr'"),
        "an integer become a float": _graph(db, "SET a.count = 1.0"),
        "an integer become text": _graph(db, "SET a.count = '1'"),
        "a list in another order": _graph(db, "SET a.tags = ['y', 'x']"),
        "a label": _graph(db, "SET a:Catalyst"),
        "a relationship property": _graph(db, "SET b.name = 'B' WITH a, b "
                                              "MATCH (a)-[r]->(b) SET r.role = 'r2'"),
        "a relationship added": _graph(db, "CREATE (b)-[:MEMBER_OF]->(a)"),
        "a relationship turned round": _graph(
            db, "WITH a, b MATCH (a)-[r]->(b) DELETE r CREATE (b)-[:PARTNERS_WITH "
                "{source: 's', role: 'r'}]->(a)"),
        "a territory added": _graph(db, "CREATE (:Territory:Commune {id: 'commune:1', "
                                        "name: 'C', population: 0})"),
        "a node without id": _graph(db, "CREATE (:Note {text: 't'})"),
    }
    assert base not in changed.values(), changed
    assert len(set(changed.values())) == len(changed)  # and all different from each other


def test_bookkeeping_never_changes_the_hash(db):
    base = _graph(db)
    assert "Import" in BOOKKEEPING and "first_seen" in BOOKKEEPING
    assert _graph(
        db, "SET a.first_seen = datetime(), a.last_changed = datetime(), b.retired_at = "
            "datetime(), b.import_id = 'i1' "
            "CREATE (i:Import {id: 'import:1', files: ['a.csv'], at: datetime()}) "
            "CREATE (i)-[:RETIRED_BY]->(a) CREATE (a)-[:RECORDED_IN {import_id: 'x'}]->(i) "
            "WITH a, b MATCH (a)-[r]->(b) SET r.first_seen = datetime()") == base


def test_every_property_type_neo4j_returns_has_one_canonical_form(db):
    # written twice, properties in another order: the same hash; each type is tagged
    values = {
        "s": "'é\\n'", "i": "-42", "f": "0.1", "b": "true", "n": "[1, 2, 3]",
        "d": "date('2020-02-29')", "dt": "datetime('2020-03-01T10:00:00.123456789[Europe/Paris]')",
        "dto": "datetime('2020-03-01T10:00:00+01:00')", "ldt": "localdatetime('2020-03-01T10:00')",
        "t": "time('10:00:00.5+01:00')", "lt": "localtime('10:00')",
        "du": "duration('P1Y2M3DT4H5.000000006S')", "p": "point({x: 1.5, y: -2})",
        "p3": "point({x: 1, y: 2, z: 3})", "w": "point({latitude: 50.69121, longitude: 3.17404})",
        "ls": "['a', 'b']", "lf": "[0.5, 1.0]", "ld": "[date('2020-01-01')]",
    }
    keys = sorted(values)

    def write(order):
        empty_graph(db)
        sets = ", ".join(f"n.{k} = {values[k]}" for k in order)
        db.execute_query(f"CREATE (n:Study {{id: 'study:t'}}) SET {sets}")
        return fact_hash(db)

    assert write(keys) == write(list(reversed(keys)))
    records, _, _ = db.execute_query("MATCH (n:Study) RETURN properties(n) AS p")
    forms = {k: encode(v) for k, v in records[0]["p"].items()}
    assert len(set(forms.values())) == len(forms)  # no two values alike
    assert forms["dt"] != forms["dto"]  # a named zone is not its offset of the day
    assert forms["ldt"].startswith(b"L") and forms["dt"].startswith(b"Z")
    assert forms["p"].startswith(b"p7203:") and forms["w"].startswith(b"p4326:")
    with pytest.raises(TypeError):
        encode(object())


def test_db_hash_command(db, small):
    from cli.main import app

    territories, elements, connections = small
    assert load_small(db, territories, [elements]).ok
    result = CliRunner().invoke(app, ["db", "hash", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["hash"] == fact_hash(db) and len(data["hash"]) == 64
    assert data["nodes"] == 24 + 360 and data["excluded"] == list(BOOKKEEPING)
    text = CliRunner().invoke(app, ["db", "hash"])
    assert text.exit_code == 0 and data["hash"] in text.output
