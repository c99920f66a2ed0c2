"""What the import's speed-ups must not change: search right after a load, the schema's
full-text config, the default batch size and the name folding (the row fast path: in
test_rows.py)."""

from __future__ import annotations

import unicodedata

import pytest

from graph.schema import FULLTEXT_CONFIG, FULLTEXT_INDEX, apply_schema
from graph.settings import get_settings
from graph.vocabulary import normalise_token
from loaders import importer
from loaders.importer import load_sources
from loaders.tabular import Source

ELEMENTS = (
    "id,type,name,description\n"
    "org:zephyrine-solidaire,Organisation,Zéphyrine Solidaire,\"une liste :\n- un\n- deux\"\n"
    "programme:quokka-vert,Programme de relance,Quokka Vert,\n"
)


def _search(driver, text: str) -> list[str]:
    records, _, _ = driver.execute_query(
        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN node.id AS id",
        index=FULLTEXT_INDEX, q=text, database_="neo4j")
    return sorted(r["id"] for r in records)


def _fulltext_options(driver) -> dict:
    records, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, options WHERE name = $name RETURN options",
        name=FULLTEXT_INDEX, database_="neo4j")
    return records[0]["options"]["indexConfig"]


def test_a_search_right_after_a_load_finds_the_new_names(db):
    report = load_sources(db, [Source("elements.csv", ELEMENTS.encode())])
    assert report.ok, report.errors
    # no wait in between: the load refreshed the eventually consistent index itself
    assert _search(db, "zephyrine") == ["org:zephyrine-solidaire"]
    assert _search(db, "quokka") == ["programme:quokka-vert"]


def test_apply_schema_recreates_a_fulltext_index_with_another_config(db):
    apply_schema(db)
    assert _fulltext_options(db)["fulltext.eventually_consistent"] is True
    # what an older release created: the same index, synchronous
    db.execute_query(f"DROP INDEX {FULLTEXT_INDEX}", database_="neo4j")
    db.execute_query(
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} FOR (n:Organisation) ON EACH [n.name] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', "
        "`fulltext.eventually_consistent`: false}}", database_="neo4j")
    assert _fulltext_options(db)["fulltext.eventually_consistent"] is False
    apply_schema(db)
    config = _fulltext_options(db)
    assert {k: config[k] for k in FULLTEXT_CONFIG} == FULLTEXT_CONFIG
    # and the recreated index serves searches after a load
    assert load_sources(db, [Source("elements.csv", ELEMENTS.encode())]).ok
    assert _search(db, "quokka") == ["programme:quokka-vert"]
    apply_schema(db)  # the right config stays as it is
    assert _fulltext_options(db)["fulltext.eventually_consistent"] is True


def test_the_default_batch_size_is_the_setting(db, monkeypatch):
    sizes = []
    real = importer.write_batches

    def spy(*args, **kwargs):
        sizes.append(kwargs["batch_size"])
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "write_batches", spy)
    assert load_sources(db, [Source("elements.csv", ELEMENTS.encode())]).ok
    assert sizes and set(sizes) == {get_settings().batch_size}


def _reference_fold(text: str) -> str:
    import re

    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", stripped.casefold()).strip("_")


@pytest.mark.parametrize("text", [
    "Caisse des Dépôts", "CAISSE DES DEPOTS", "Tête de pont", "Straße ß", "ﬁn Ǆ №1",
    "a\u034fb", "İstanbul", "Œuvre  d'Orient", "  __ ", "", "Ωmega", "Saint-Étienne (42)",
])
def test_the_fast_name_folding_matches_the_reference(text):
    assert normalise_token(text) == _reference_fold(text)
