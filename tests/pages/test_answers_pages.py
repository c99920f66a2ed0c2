"""The catalyst's and the analyst's pages say what the data knows beyond the radius and
the territory, and why an answer is empty — in French (fixture graph of conftest.py, plus
EXTRA below)."""

from __future__ import annotations

import re

import pytest

from api.pages.analysts import _communities
from queries.models import CommunitiesResult, Community, NodeRef
from tests.pages.test_pages import assert_page

#: a national actor carrying the urgence fund, an association active in Lille only (placed
#: at Lille), a programme nobody carries
EXTRA = """
MATCH (fr:Territory {id: 'FR'}), (lille:Territory {id: 'commune:59350'}),
      (fonds:Programme {id: 'programme:fonds-urgence'})
CREATE (nat:Organisation {id: 'org:national', name: 'Acteur national', kind: 'association'})
CREATE (la:Organisation {id: 'org:lille-active', name: 'Lille Active', kind: 'association'})
CREATE (:Programme {id: 'programme:orphelin', name: 'Programme orphelin', phase: 'relance'})
CREATE (nat)-[:ACTIVE_IN]->(fr), (nat)-[:CARRIES]->(fonds), (la)-[:ACTIVE_IN]->(lille)
"""


@pytest.fixture
def extra(pages_graph):
    pages_graph.execute_query(EXTRA)


def section(body: str, start: str, end: str) -> str:
    return body.split(start, 1)[1].split(end, 1)[0]


def test_catalysts_place_by_commune_and_list_who_acts_on_the_territory(extra, client):
    body = assert_page(client.get("/catalyseurs", params={"commune": "Roubaix",
                                                          "rayon": "20"}))
    near = section(body, "Partenaires près de vous", "Actifs sur votre territoire")
    assert "Lille Active" in near and "placée à la commune où elle agit" in near
    assert "Acteur national" not in near
    active = section(body, 'id="actifs"', "Programmes qui couvrent")
    assert "Acteur national" in active and "France" in active and "(pays)" in active


def test_catalysts_say_no_need_is_expressed_rather_than_no_gap(extra, client):
    body = assert_page(client.get("/catalyseurs", params={"commune": "Paris", "rayon": "10"}))
    gaps = body.split('id="trous"', 1)[1]
    assert "Aucun besoin exprimé ici : rien à comparer." in gaps
    assert "Aucun trou" not in gaps


def test_analysts_list_who_covers_the_territory_from_above(extra, client):
    body = assert_page(client.get("/analystes", params={
        "programme": "programme:fonds-urgence", "territoire": "62"}))
    assert ("Aucune organisation liée au programme n'est implantée ou active dans ce "
            "territoire") in body
    assert "1 organisation le couvre depuis un territoire plus large" in body
    covering = section(body, 'id="couvrent"', "</table>")
    assert "Acteur national" in covering and "Le RAMEAU" not in covering
    # the proof: programme → organisation → France → région → département
    assert ("Fonds d&#39;urgence ESS → Acteur national → France → Hauts-de-France → "
            "Pas-de-Calais") in covering


@pytest.mark.parametrize(("programme", "territoire", "why"), [
    ("programme:orphelin", "59", "le programme n'a aucun porteur, financeur, opérateur "
                                 "ou relais situé ou actif quelque part"),
    ("programme:pass-numerique", "departement:75", "aucune organisation liée au programme n'est "
                                       "dans ce territoire ni ne le couvre"),
])
def test_analysts_say_which_half_is_missing(extra, client, programme, territoire, why):
    body = assert_page(client.get("/analystes", params={"programme": programme,
                                                        "territoire": territoire}))
    assert why in section(body, 'id="connecteurs"', 'id="trous"')


def test_analysts_hide_zero_brokers_and_count_them(extra, client):
    body = assert_page(client.get("/analystes"))
    brokers = section(body, 'id="ponts"', 'id="communautes"')
    assert "0,000" not in brokers
    assert re.search(r"\d+ organisations? à score nul masquées?", brokers)


def _community(index: int, size: int, name: str) -> Community:
    return Community(index=index, size=size, labels={"Organisation": size},
                     members=[NodeRef(id=f"org:{name}", name=name, label="Organisation",
                                      labels=["Organisation"])])


def test_singleton_communities_are_folded_into_one_line():
    result = CommunitiesResult(
        method="louvain", seed=42, resolution=1.0, modularity=0.5, nodes=5, edges=2,
        fingerprint="x", cached=False, total=3, limit=50, offset=0,
        items=[_community(0, 3, "a"), _community(1, 1, "b"), _community(2, 1, "c")])
    folded = _communities(result)
    assert [c.index for c in folded["community_groups"]] == [0]
    assert folded["community_groups_total"] == 1
    assert [n.id for n in folded["isolated_members"]] == ["org:b", "org:c"]
