"""The inventory over time: each load recorded, what changed counted, a dataset replaced
by its next version (retiring what it no longer states), and the retirement undone.

The inventory here: three versions of one dataset ``inventaire`` (organisations with ids,
their communes, a programme they carry), written as CSV in the test, plus a second
dataset ``partenaires`` that states one of the same facts.
"""

from __future__ import annotations

import json

import pytest

from graph.fact_hash import fact_hash
from loaders.import_record import undo
from loaders.importer import load_sources
from loaders.tabular import Source
from queries.imports import import_record, imports
from tests.territory_fixtures import create_territories

HEAD = "id,type,name,kind,territory,source\n"
LINKS = "from,to,type,source\n"

V1 = (HEAD + "org:a,Organisation,Alpha,association,commune:59512,inv\n"
      "org:b,Organisation,Beta,entreprise,commune:59512,inv\n"
      "org:c,Organisation,Gamma,association,commune:59350,inv\n"
      "programme:p,Programme,Plan P,relance,FR,inv\n")
V1_LINKS = LINKS + "org:a,programme:p,CARRIES,inv\norg:c,programme:p,CARRIES,inv\n"

# v2: Beta changes kind, Gamma is gone (with its link), Delta arrives
V2 = (HEAD + "org:a,Organisation,Alpha,association,commune:59512,inv\n"
      "org:b,Organisation,Beta,fondation,commune:59512,inv\n"
      "org:d,Organisation,Delta,collectivite,commune:59350,inv\n"
      "programme:p,Programme,Plan P,relance,FR,inv\n")
V2_LINKS = LINKS + "org:a,programme:p,CARRIES,inv\norg:d,programme:p,CARRIES,inv\n"

# v3: Alpha moves to Lille's neighbour, Delta is gone again
V3 = (HEAD + "org:a,Organisation,Alpha,association,commune:59350,inv\n"
      "org:b,Organisation,Beta,fondation,commune:59512,inv\n"
      "programme:p,Programme,Plan P,relance,FR,inv\n")
V3_LINKS = LINKS + "org:a,programme:p,CARRIES,inv\n"


@pytest.fixture
def inv(db):
    create_territories(db, ("FR", "region:32", "departement:59", "commune:59512",
                            "commune:59350"))
    return db


def _load(driver, elements: str, links: str, **options):
    sources = [Source("elements.csv", elements.encode()), Source("links.csv", links.encode())]
    report = load_sources(driver, sources, **options)
    assert report.ok, report.model_dump_json(indent=1)[:3000]
    return report


def _partners(driver) -> None:
    """The dataset ``partenaires`` states Gamma (and its commune) too."""
    sources = [Source("partenaires.csv", (
        HEAD + "org:c,Organisation,Gamma,association,commune:59350,inv\n").encode())]
    assert load_sources(driver, sources).ok  # the dataset: the file's name


def _alive(driver, node_id: str) -> bool | None:
    records, _, _ = driver.execute_query("MATCH (n {id: $id}) RETURN n.retired_at IS NULL AS a",
                                         {"id": node_id})
    return records[0]["a"] if records else None


def _link_alive(driver, a: str, b: str) -> bool | None:
    records, _, _ = driver.execute_query(
        "MATCH ({id: $a})-[r:CARRIES]->({id: $b}) RETURN r.retired_at IS NULL AS a",
        {"a": a, "b": b})
    return records[0]["a"] if records else None


def _node(driver, node_id: str) -> dict:
    records, _, _ = driver.execute_query("MATCH (n {id: $id}) RETURN properties(n) AS p",
                                         {"id": node_id})
    return records[0]["p"]


def test_three_versions_of_an_inventory(inv):
    r1 = _load(inv, V1, V1_LINKS, dataset="inventaire", replace=True, by="steward")
    assert r1.import_id and r1.mode == "replace"
    c = r1.changes
    # connections: 2 CARRIES, and each element's territory
    assert (c.elements_created, c.connections_created) == (4, 6)
    assert c.created_by_label == {"Organisation": 3, "Programme": 1}
    assert "+3 organisations" in c.summary and "+1 programme" in c.summary

    # the dry run of v2 says what v2 will do, and writes nothing
    before = fact_hash(inv)
    dry = _load(inv, V2, V2_LINKS, dataset="inventaire", replace=True, dry_run=True)
    assert dry.import_id is None and fact_hash(inv) == before
    assert dry.changes.summary == ("+1 organisation, −1 organisation, 1 élément modifié "
                                   "(type), +2 liens, −2 liens")

    r2 = _load(inv, V2, V2_LINKS, dataset="inventaire", replace=True, by="steward")
    assert r2.changes.model_dump(exclude={"summary"}) == dry.changes.model_dump(
        exclude={"summary"})
    assert _alive(inv, "org:c") is False and _alive(inv, "org:d") is True
    assert _link_alive(inv, "org:c", "programme:p") is False
    gamma = _node(inv, "org:c")
    assert gamma["retired_by"] == r2.import_id and gamma["name"] == "Gamma"  # kept, dated
    beta = _node(inv, "org:b")
    entry = json.loads(beta["history"][-1])
    assert entry["import"] == r2.import_id and entry["changes"] == {"kind": "entreprise"}
    assert beta["first_seen"] < beta["last_changed"]

    r3 = _load(inv, V3, V3_LINKS, dataset="inventaire", replace=True)
    assert r3.changes.elements_retired == 1 and _alive(inv, "org:d") is False
    assert r3.changes.fields_changed == {"territory": 1}
    alpha = json.loads(_node(inv, "org:a")["history"][-1])
    assert alpha["changes"] == {"territory": ["commune:59512"]}

    listed = imports(inv)
    assert [i.id for i in listed.items] == [r3.import_id, r2.import_id, r1.import_id]
    assert listed.items[1].counts.elements_retired == 1 and listed.items[1].by == "steward"
    assert listed.items[1].state == "done" and listed.items[1].dataset == "inventaire"
    again = import_record(inv, r2.import_id)
    assert again.report["changes"]["summary"] == r2.changes.summary
    assert len(again.sha256) == 2 and again.files == ["elements.csv", "links.csv"]


def test_loading_the_same_files_twice_leaves_the_facts_and_counts_them_unchanged(inv):
    _load(inv, V1, V1_LINKS, dataset="inventaire")
    first = fact_hash(inv)
    again = _load(inv, V1, V1_LINKS, dataset="inventaire")
    assert fact_hash(inv) == first
    c = again.changes
    assert (c.elements_created, c.elements_updated, c.elements_unchanged) == (0, 0, 4)
    assert (c.connections_created, c.connections_unchanged) == (0, 6)
    assert c.summary == "aucun changement"
    assert imports(inv).total == 2


def test_a_fact_stated_by_two_datasets_survives_the_replacement_of_one(inv):
    _load(inv, V1, V1_LINKS, dataset="inventaire", replace=True)
    _partners(inv)
    assert _node(inv, "org:c")["datasets"] == ["inventaire", "partenaires"]
    _load(inv, V2, V2_LINKS, dataset="inventaire", replace=True)
    assert _alive(inv, "org:c") is True
    assert _node(inv, "org:c")["datasets"] == ["partenaires"]
    assert _link_alive(inv, "org:c", "programme:p") is False  # stated by inventaire alone


def test_a_retirement_is_undone(inv):
    _load(inv, V1, V1_LINKS, dataset="inventaire", replace=True)
    _partners(inv)
    r2 = _load(inv, V2, V2_LINKS, dataset="inventaire", replace=True)
    done = undo(inv, r2.import_id, by="steward")
    # r2 retired Gamma's link to the programme (inventaire's alone), and took Gamma and its
    # commune out of inventaire's list (partenaires states them too)
    assert (done.elements, done.connections, done.relisted) == (0, 1, 2)
    assert _link_alive(inv, "org:c", "programme:p") is True
    assert _node(inv, "org:c")["datasets"] == ["partenaires", "inventaire"]
    assert import_record(inv, r2.import_id).undone_by == "steward"
    with pytest.raises(LookupError):
        undo(inv, "imp-nothing")


def test_replace_refuses_skip_invalid_and_a_rejected_version_retires_nothing(inv):
    with pytest.raises(ValueError, match="ne vont pas ensemble"):
        load_sources(inv, [Source("e.csv", V1.encode())], dataset="x", replace=True,
                     skip_invalid=True)
    _load(inv, V1, V1_LINKS, dataset="inventaire", replace=True)
    broken = V2 + "org:e,Organisation,Epsilon,nimporte,commune:59350,inv\n"
    report = load_sources(inv, [Source("elements.csv", broken.encode()),
                                Source("links.csv", V2_LINKS.encode())],
                          dataset="inventaire", replace=True)
    assert not report.ok and report.changes.elements_retired == 0
    assert _alive(inv, "org:c") is True
    assert any("rien n'a été retiré" in w for f in report.files for w in f.warnings)
