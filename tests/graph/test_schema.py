"""The schema against the real Neo4j: present after init, idempotent, folding full text."""

from graph.schema import (
    FULLTEXT_INDEX,
    POINT_INDEX,
    apply_schema,
    constraint_name,
    describe_schema,
    refresh_fulltext,
)
from graph.vocabulary import KEYED_LABELS


def test_constraints_and_indexes_present(db):
    schema = describe_schema(db)
    for label in KEYED_LABELS:
        assert constraint_name(label) in schema["constraints"]
    assert POINT_INDEX in schema["indexes"]
    assert FULLTEXT_INDEX in schema["indexes"]


def test_init_twice_is_harmless(db):
    before = describe_schema(db)
    apply_schema(db)
    apply_schema(db)
    assert describe_schema(db) == before


def test_id_is_unique(db):
    import neo4j.exceptions
    import pytest

    db.execute_query("CREATE (:Organisation {id: 'x', name: 'X'})")
    with pytest.raises(neo4j.exceptions.ConstraintError):
        db.execute_query("CREATE (:Organisation {id: 'x', name: 'Y'})")


def test_fulltext_ignores_accents_and_case(db):
    db.execute_query(
        "CREATE (:Organisation {id: 'cdc', name: 'Caisse des Dépôts'}), "
        "(:Organisation {id: 'other', name: 'Le RAMEAU'})"
    )
    refresh_fulltext(db)  # the index is eventually consistent
    records, _, _ = db.execute_query(
        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN node.id AS id",
        index=FULLTEXT_INDEX,
        q="caisse des depots",
    )
    assert [r["id"] for r in records] == ["cdc"]


def test_point_index_is_used_for_distance(db):
    db.execute_query(
        "CREATE (:Commune:Territory {id: 'commune:59512', code: '59512', name: 'Roubaix', "
        "location: point({latitude: 50.69, longitude: 3.17})})"
    )
    records, summary, _ = db.execute_query(
        "PROFILE MATCH (c:Commune) WHERE point.distance(c.location, point({latitude: 50.63, "
        "longitude: 3.06})) < 20000 RETURN c.id AS id"
    )
    assert [r["id"] for r in records] == ["commune:59512"]
    plan = str(summary.profile)
    assert "NodeIndexSeekByRange" in plan or "PointDistance" in plan or "NodeIndexSeek" in plan
