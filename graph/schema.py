"""The schema: constraints and indexes, from the vocabulary, created ``IF NOT EXISTS``.

Applied by ``alliance-graph db init`` and before every load, so a fresh database and an
old one converge to the same schema and applying it twice changes nothing.
"""

from __future__ import annotations

from neo4j import Driver, ManagedTransaction

from graph.vocabulary import KEYED_LABELS, NAMED_LABELS, check_label

#: Name of the full-text index over names (``db.index.fulltext.queryNodes('names', …)``).
FULLTEXT_INDEX = "names"
#: Name of the point index on commune locations.
POINT_INDEX = "commune_location"


def constraint_name(label: str) -> str:
    return f"{label.lower()}_id_unique"


def schema_statements() -> list[str]:
    """Every schema statement, in order. Labels come from the vocabulary only."""
    stmts = [
        f"CREATE CONSTRAINT {constraint_name(label)} IF NOT EXISTS "
        f"FOR (n:{check_label(label)}) REQUIRE n.id IS UNIQUE"
        for label in KEYED_LABELS
    ]
    stmts += [
        f"CREATE POINT INDEX {POINT_INDEX} IF NOT EXISTS FOR (n:Commune) ON (n.location)",
        # An organisation's own location (import lat/lon) overrides its commune's: indexed
        # too, so "partners near" never scans organisations.
        "CREATE POINT INDEX organisation_location IF NOT EXISTS "
        "FOR (n:Organisation) ON (n.location)",
        "CREATE RANGE INDEX territory_code IF NOT EXISTS FOR (n:Territory) ON (n.code)",
        "CREATE RANGE INDEX territory_name_key IF NOT EXISTS FOR (n:Territory) ON (n.name_key)",
        "CREATE RANGE INDEX organisation_name_key IF NOT EXISTS "
        "FOR (n:Organisation) ON (n.name_key)",
        "CREATE RANGE INDEX organisation_siren IF NOT EXISTS FOR (n:Organisation) ON (n.siren)",
        "CREATE RANGE INDEX organisation_rna IF NOT EXISTS FOR (n:Organisation) ON (n.rna)",
        "CREATE RANGE INDEX organisation_kind IF NOT EXISTS FOR (n:Organisation) ON (n.kind)",
        "CREATE RANGE INDEX programme_phase IF NOT EXISTS FOR (n:Programme) ON (n.phase)",
        "CREATE RANGE INDEX need_category IF NOT EXISTS FOR (n:Need) ON (n.category)",
    ]
    labels = "|".join(check_label(label) for label in NAMED_LABELS)
    # standard-folding: Lucene's ASCII folding, so "Caisse des depots" finds "Dépôts".
    stmts.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{labels}) "
        "ON EACH [n.name, n.aliases_text] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', "
        "`fulltext.eventually_consistent`: false}}"
    )
    return stmts


def _apply(tx: ManagedTransaction, statement: str) -> None:
    tx.run(statement).consume()


def apply_schema(driver: Driver, database: str = "neo4j") -> int:
    """Create every constraint and index that does not exist yet; wait until online.

    Returns
    -------
    int
        The number of statements run (all are idempotent).
    """
    statements = schema_statements()
    with driver.session(database=database) as session:
        for stmt in statements:
            # Schema commands cannot share a transaction with others: one each.
            session.execute_write(_apply, stmt)
        session.run("CALL db.awaitIndexes(300)").consume()
    return len(statements)


def describe_schema(driver: Driver, database: str = "neo4j") -> dict[str, list[str]]:
    """Names of the constraints and indexes present, for `db status` and the tests."""
    with driver.session(database=database) as session:
        constraints = session.execute_read(
            lambda tx: [r["name"] for r in tx.run("SHOW CONSTRAINTS YIELD name RETURN name")]
        )
        indexes = session.execute_read(
            lambda tx: [
                r["name"] for r in tx.run("SHOW INDEXES YIELD name, state RETURN name, state")
            ]
        )
    return {"constraints": sorted(constraints), "indexes": sorted(indexes)}
