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
#: Config of the full-text index. Eventually consistent: a write no longer updates Lucene
#: inside its transaction (that was half of an organisation MERGE's cost); loads call
#: :func:`refresh_fulltext` at their end, so a search right after a load finds every name.
FULLTEXT_CONFIG: dict[str, object] = {
    "fulltext.analyzer": "standard-folding",
    "fulltext.eventually_consistent": True,
}


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
        # the import records (bookkeeping, loaders/import_record.py): one id each, listed
        # by time
        "CREATE CONSTRAINT import_id IF NOT EXISTS FOR (n:Import) REQUIRE n.id IS UNIQUE",
        "CREATE RANGE INDEX import_at IF NOT EXISTS FOR (n:Import) ON (n.at)",
        # the merges of duplicates and the pairs stewards said are not duplicates
        # (bookkeeping too: loaders/merge.py, queries/duplicates.py)
        "CREATE CONSTRAINT merge_id IF NOT EXISTS FOR (n:Merge) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT duplicate_decision_pair IF NOT EXISTS "
        "FOR (n:DuplicateDecision) REQUIRE n.pair IS UNIQUE",
        # the stewards' marks on suggested pairs (bookkeeping, loaders/suggestion_marks.py):
        # one per pair, found from either organisation
        "CREATE CONSTRAINT suggestion_mark_id IF NOT EXISTS "
        "FOR (n:SuggestionMark) REQUIRE n.id IS UNIQUE",
        "CREATE RANGE INDEX suggestion_mark_a IF NOT EXISTS FOR (n:SuggestionMark) ON (n.a)",
        "CREATE RANGE INDEX suggestion_mark_b IF NOT EXISTS FOR (n:SuggestionMark) ON (n.b)",
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
        "`fulltext.eventually_consistent`: true}}"
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
        # IF NOT EXISTS keeps an index as it was: one created with another config (an
        # older release's synchronous full-text index) is dropped, then created anew.
        if session.execute_read(_fulltext_config) not in (None, FULLTEXT_CONFIG):
            session.execute_write(_apply, f"DROP INDEX {FULLTEXT_INDEX} IF EXISTS")
        for stmt in statements:
            # Schema commands cannot share a transaction with others: one each.
            session.execute_write(_apply, stmt)
        session.run("CALL db.awaitIndexes(300)").consume()
    return len(statements)


def _fulltext_config(tx: ManagedTransaction) -> dict[str, object] | None:
    """The config of the existing full-text index (the keys we set), or None."""
    rec = tx.run("SHOW INDEXES YIELD name, options WHERE name = $name RETURN options",
                 name=FULLTEXT_INDEX).single()
    if rec is None:
        return None
    config = (rec["options"] or {}).get("indexConfig") or {}
    return {k: config.get(k) for k in FULLTEXT_CONFIG}


def refresh_fulltext(driver: Driver, database: str = "neo4j") -> None:
    """Wait until the eventually consistent full-text index holds every committed write.

    Loads call it once at their end, so a search right after a load finds the new names.
    """
    with driver.session(database=database) as session:
        session.run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()").consume()


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
