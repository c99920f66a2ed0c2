"""Merging duplicate organisations: every relationship moved, never one twice, the
duplicate's names kept as aliases and used by later loads, undone to the same facts'
hash; the merges that cannot be refused in French.

The graph, loaded through the importer (so its facts carry their bookkeeping): « Fondation
de Lille » (kept) and its duplicate « Fondation Lille » (a catalyst), both in Lille, both
carrying Plan P; the duplicate also funds Plan Q, takes part in a dialogue space (with a
role and a date), partners Le RAMEAU and the kept one.
"""

from __future__ import annotations

import pytest
from neo4j.time import Date

from graph.fact_hash import fact_hash
from loaders.importer import load_sources
from loaders.merge import MergeNotFound, MergeRefused, merge, undo_merge
from loaders.merged import kept_ids
from loaders.tabular import Source
from tests.territory_fixtures import create_territories

KEEP, OTHER, RAMEAU = "org:fondation-de-lille", "org:fondation-lille", "org:le-rameau"

ELEMENTS = (
    "id,type,name,kind,roles,territory,source\n"
    f"{KEEP},Organisation,Fondation de Lille,fondation,,commune:59350,inv\n"
    f"{OTHER},Organisation,Fondation Lille,fondation,catalyst,commune:59350,inv\n"
    f"{RAMEAU},Organisation,Le RAMEAU,association,,commune:59512,inv\n"
    "programme:p,Programme,Plan P,relance,,FR,inv\n"
    "programme:q,Programme,Plan Q,urgence,,FR,inv\n"
    "space:s,DialogueSpace,Espace S,,,,inv\n")
LINKS = (
    "from,to,type,role,date,source\n"
    f"{KEEP},programme:p,CARRIES,,,inv\n"
    f"{OTHER},programme:q,FUNDS,,,inv\n"
    f"{OTHER},space:s,PARTICIPATES_IN,membre,2020-05-01,inv\n"
    f"{RAMEAU},{OTHER},PARTNERS_WITH,,,inv\n"
    f"{KEEP},{OTHER},PARTNERS_WITH,,,inv\n")
# another dataset, loaded first: the duplicate carries Plan P there (so its CARRIES is
# the earliest, and both datasets state the relationship once merged)
PARTNERS = (
    "from,to,type,source\n"
    f"{OTHER},programme:p,CARRIES,partenaires\n")


def _load(driver, *files: tuple[str, str], **options):
    report = load_sources(driver, [Source(name, text.encode()) for name, text in files],
                          **options)
    assert report.ok, report.model_dump_json(indent=1)[:3000]
    return report


@pytest.fixture
def graph(db):
    create_territories(db, ("FR", "region:32", "departement:59", "commune:59512",
                            "commune:59350"))
    _load(db, ("elements.csv", ELEMENTS), dataset="inv")
    _load(db, ("partenaires.csv", PARTNERS), dataset="partenaires")
    _load(db, ("links.csv", LINKS), dataset="inv")
    return db


def _relationships(driver, node_id: str) -> list[dict]:
    records, _, _ = driver.execute_query(
        "MATCH (n {id: $id})-[r]-(e) RETURN type(r) AS type, startNode(r) = n AS out, "
        "e.id AS end, properties(r) AS props ORDER BY type, end", {"id": node_id})
    return [r.data() for r in records]


def _node(driver, node_id: str) -> dict:
    records, _, _ = driver.execute_query(
        "MATCH (n {id: $id}) RETURN properties(n) AS p, labels(n) AS labels", {"id": node_id})
    return {**records[0]["p"], "labels": records[0]["labels"]}


def test_merge_moves_every_relationship_once(graph):
    before_keep = {(r["type"], r["end"]) for r in _relationships(graph, KEEP)}
    carries = {r["end"]: r["props"] for r in _relationships(graph, OTHER)
               if r["type"] == "CARRIES"}["programme:p"]
    done = merge(graph, KEEP, OTHER, by="Camille")

    assert done.id.startswith("mrg-") and (done.keep, done.other) == (KEEP, OTHER)
    assert _relationships(graph, OTHER) == []
    rels = _relationships(graph, KEEP)
    ties = [(r["type"], r["end"]) for r in rels]
    # never a second copy: each (type, other end) once, whichever way round
    assert len(ties) == len(set(ties))
    assert set(ties) == before_keep - {("PARTNERS_WITH", OTHER)} | {
        ("FUNDS", "programme:q"), ("PARTICIPATES_IN", "space:s"), ("PARTNERS_WITH", RAMEAU)}
    by_tie = {(r["type"], r["end"]): r for r in rels}
    # the relationship both had: one, with the datasets of both and the earliest first_seen
    kept = by_tie[("CARRIES", "programme:p")]["props"]
    assert set(kept["datasets"]) == {"inv", "partenaires"}
    assert kept["first_seen"] == carries["first_seen"]
    # a moved one keeps its properties, types included
    space = by_tie[("PARTICIPATES_IN", "space:s")]["props"]
    assert (space["role"], space["date"]) == ("membre", Date(2020, 5, 1))
    # a symmetric one is stored in id order, as the importer stores it
    assert by_tie[("PARTNERS_WITH", RAMEAU)]["out"] is (KEEP < RAMEAU)
    assert (done.moved, done.combined, done.dropped) == (3, 2, 1)  # CARRIES and LOCATED_IN

    keep, other = _node(graph, KEEP), _node(graph, OTHER)
    assert keep["name"] == "Fondation de Lille" and keep["name_key"] == "fondation_de_lille"
    assert keep["aliases"] == ["Fondation Lille"]
    assert keep["aliases_text"] == "Fondation Lille"
    assert "Catalyst" in keep["labels"]  # the duplicate's role
    assert other["merged_into"] == KEEP and other["merged_by"] == "Camille"
    assert other["retired_at"] == other["merged_at"] and other["retired_by"] == done.id
    records, _, _ = graph.execute_query("MATCH (m:Merge {id: $id}) RETURN m.keep AS keep, "
                                        "m.other AS other, m.by AS by", {"id": done.id})
    assert records[0].data() == {"keep": KEEP, "other": OTHER, "by": "Camille"}
    assert "fusionnée dans « Fondation de Lille »" in done.summary_fr()


def test_undo_gives_back_the_same_facts(graph):
    before = fact_hash(graph)
    other_before = _node(graph, OTHER)
    done = merge(graph, KEEP, OTHER)
    assert fact_hash(graph) != before
    undone = undo_merge(graph, done.id, by="Camille")
    assert undone.relationships == 6  # LOCATED_IN, CARRIES, FUNDS, PARTICIPATES_IN, 2 partners
    assert fact_hash(graph) == before
    other = _node(graph, OTHER)
    assert "merged_into" not in other and "retired_at" not in other
    assert other.get("history") == other_before.get("history")
    with pytest.raises(MergeRefused) as refused:
        undo_merge(graph, done.id)
    assert "déjà été annulée" in refused.value.message_fr
    # merged again after the undo, and undone again: the same facts still
    assert fact_hash(graph) == before
    undo_merge(graph, merge(graph, KEEP, OTHER).id)
    assert fact_hash(graph) == before


def test_a_later_load_naming_the_duplicate_goes_to_the_kept_one(graph):
    merge(graph, KEEP, OTHER)
    report = _load(graph, ("more.csv", (
        "id,type,name,kind,source\n"
        "programme:r,Programme,Plan R,relance,more\n"
        f"{OTHER},Organisation,Fondation Lille,fondation,more\n")), (
        "more-links.csv", (
            "from,to,type,source\n"
            "Fondation Lille,programme:r,CARRIES,more\n"          # by the duplicate's name
            f"{OTHER},programme:q,OPERATES,more\n")),             # by its id
        dataset="more")
    ties = {(r["type"], r["end"]) for r in _relationships(graph, KEEP)}
    assert {("CARRIES", "programme:r"), ("OPERATES", "programme:q")} <= ties
    assert _relationships(graph, OTHER) == []
    other, keep = _node(graph, OTHER), _node(graph, KEEP)
    assert other["retired_at"] is not None and "more" not in other.get("datasets", [])
    assert keep["name"] == "Fondation de Lille" and "more" in keep["datasets"]
    warnings = [w for f in report.files for w in f.warnings]
    assert any("a été fusionnée dans « org:fondation-de-lille »" in w for w in warnings)


def test_merges_that_cannot_be(graph):
    with pytest.raises(MergeRefused) as same:
        merge(graph, KEEP, KEEP)
    assert "elle-même" in same.value.message_fr and "itself" in str(same.value)
    with pytest.raises(MergeNotFound) as unknown:
        merge(graph, KEEP, "org:nobody")
    assert "« org:nobody »" in unknown.value.message_fr

    done = merge(graph, KEEP, OTHER)
    for keep, other in ((KEEP, OTHER), (OTHER, RAMEAU), (RAMEAU, OTHER)):
        with pytest.raises(MergeRefused) as merged:
            merge(graph, keep, other)
        assert ("L'organisation « Fondation Lille » a déjà été fusionnée dans "
                "« org:fondation-de-lille »") in merged.value.message_fr

    # merged further: the first merge waits for the second to be undone
    later = merge(graph, RAMEAU, KEEP)
    assert kept_ids(graph, [OTHER, KEEP, RAMEAU]) == {OTHER: RAMEAU, KEEP: RAMEAU}
    with pytest.raises(MergeRefused) as chained:
        undo_merge(graph, done.id)
    assert "annulez d'abord cette fusion-là" in chained.value.message_fr
    assert later.id in chained.value.message_fr
    undo_merge(graph, later.id)
    undo_merge(graph, done.id)
    with pytest.raises(MergeNotFound):
        undo_merge(graph, "mrg-20260101-000000-0000")


def test_a_retired_organisation_is_not_merged(graph):
    # a new version of the dataset without the duplicate retires it
    _load(graph, ("elements.csv", ELEMENTS.replace(
        f"{OTHER},Organisation,Fondation Lille,fondation,catalyst,commune:59350,inv\n", "")),
        replace=True, dataset="inv")
    with pytest.raises(MergeRefused) as retired:
        merge(graph, KEEP, OTHER)
    assert "L'organisation « Fondation Lille » a été retirée de l'inventaire le" in (
        retired.value.message_fr)


def test_the_same_merge_twice_at_once_moves_each_relationship_once(graph):
    from concurrent.futures import ThreadPoolExecutor

    def attempt(_):
        try:
            return merge(graph, KEEP, OTHER).id
        except MergeRefused:
            return None

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(attempt, range(2)))
    assert sorted(o is None for o in outcomes) == [False, True]  # one merged, one refused
    ties = [(r["type"], r["end"]) for r in _relationships(graph, KEEP)]
    assert len(ties) == len(set(ties))
