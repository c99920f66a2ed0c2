"""The stewards' duplicate routes (key required), and what a merged or retired id answers:
301 to the kept organisation (API, fiche), a French page in a picture's frame, 410 « retired
on … » for an element retired.

The fixture graph of tests/api/conftest.py, plus « Fondation de Roubaix », a duplicate of
« Fondation Roubaix » (same commune, same kind; it operates the same programme and
partners Le RAMEAU).
"""

from __future__ import annotations

import html

import pytest
from pydantic import SecretStr

from api.errors import Gone
from api.retired import moved_or_gone
from graph.fact_hash import fact_hash
from queries.retired import retired_element
from tests.api.conftest import API_KEY

KEEP, OTHER = "org:fondation-roubaix", "org:fondation-de-roubaix"
KEY = {"X-API-Key": API_KEY}

DUPLICATE = """
MATCH (roubaix:Commune {id: 'commune:59512'}), (num:Programme {id: 'programme:numerique'}),
      (rameau:Organisation {id: 'org:le-rameau'})
CREATE (o:Organisation {id: $id, name: 'Fondation de Roubaix', name_key: 'fondation_de_roubaix',
        kind: 'fondation', source: 'test'})
CREATE (o)-[:LOCATED_IN {source: 'test'}]->(roubaix), (o)-[:OPERATES {source: 'test'}]->(num),
       (o)-[:PARTNERS_WITH {source: 'test'}]->(rameau)
"""


@pytest.fixture
def dup(graph):
    graph.execute_query(DUPLICATE, {"id": OTHER})
    return graph


@pytest.fixture
def keyed(make_client, dup):
    return make_client(api_key=SecretStr(API_KEY))


def test_the_routes_need_the_stewards_key(make_client, dup):
    open_client = make_client(api_key=None)
    assert open_client.get("/duplicates").status_code == 403  # no key set: refused
    keyed = make_client(api_key=SecretStr(API_KEY))
    for method, path, body in (("get", "/duplicates", None),
                               ("post", "/duplicates/merge", {"keep": KEEP, "other": OTHER}),
                               ("post", "/duplicates/dismiss", {"a": KEEP, "b": OTHER}),
                               ("post", "/merges/mrg-20260101-000000-0000/undo", None)):
        response = keyed.request(method, path, json=body)
        assert response.status_code == 401, (path, response.text)
    assert keyed.get("/duplicates", headers={"X-API-Key": "wrong"}).status_code == 401


def test_list_merge_redirect_and_undo(keyed, dup):
    before = fact_hash(dup)
    listed = keyed.get("/duplicates", headers=KEY)
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert page["total"] == 1 and page["min_score"] == 0.75
    pair = page["items"][0]
    assert {pair["a"]["id"], pair["b"]["id"]} == {KEEP, OTHER}
    assert pair["explanation"] == ("mêmes mots dans le nom : « Fondation de Roubaix » / "
                                   "« Fondation Roubaix » ; même commune : Roubaix ; même "
                                   "type : fondation")

    merged = keyed.post("/duplicates/merge", json={"keep": KEEP, "other": OTHER,
                                                  "by": "Camille"}, headers=KEY)
    assert merged.status_code == 200, merged.text
    done = merged.json()
    assert done["id"].startswith("mrg-") and done["by"] == "Camille"
    assert (done["moved"], done["combined"]) == (1, 2)  # PARTNERS_WITH; LOCATED_IN, OPERATES
    assert done["summary"].startswith("« Fondation de Roubaix » fusionnée dans "
                                      "« Fondation Roubaix » : 1 lien déplacé, 2 liens communs")
    assert keyed.get("/duplicates", headers=KEY).json()["total"] == 0

    # the merged id answers 301 to the kept organisation, in the API and the fiche
    moved = keyed.get(f"/organisations/{OTHER}", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"/organisations/{KEEP}"
    assert keyed.get(f"/organisations/{OTHER}").json()["id"] == KEEP
    fiche = keyed.get(f"/fiche/{OTHER}", follow_redirects=False)
    assert (fiche.status_code, fiche.headers["location"]) == (301, f"/fiche/{KEEP}")
    # its name is the kept one's alias now: one organisation, not two
    by_name = keyed.get("/organisations/Fondation de Roubaix")
    assert by_name.status_code == 200 and by_name.json()["id"] == KEEP
    # a picture says so in French in its frame; an API client gets the 301
    frame = keyed.get(f"/viz/neighbourhood/{OTHER}", headers={"Accept": "text/html"})
    assert frame.status_code == 410
    assert ("L'organisation « Fondation de Roubaix » a été fusionnée dans « Fondation "
            "Roubaix » le") in html.unescape(frame.text)
    assert f'href="/viz/neighbourhood/{KEEP}"' in frame.text
    picture = keyed.get(f"/viz/neighbourhood/{OTHER}", follow_redirects=False)
    assert (picture.status_code, picture.headers["location"]) == (
        301, f"/viz/neighbourhood/{KEEP}")

    again = keyed.post("/duplicates/merge", json={"keep": KEEP, "other": OTHER}, headers=KEY)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert "merged into" in again.json()["error"]["message"]

    undone = keyed.post(f"/merges/{done['id']}/undo", headers=KEY, params={"by": "Camille"})
    assert undone.status_code == 200, undone.text
    assert undone.json()["relationships"] == 3
    assert fact_hash(dup) == before
    assert keyed.get(f"/organisations/{OTHER}").json()["id"] == OTHER
    twice = keyed.post(f"/merges/{done['id']}/undo", headers=KEY)
    assert twice.status_code == 409


def test_refused_merges_and_dismissal(keyed, dup):
    same = keyed.post("/duplicates/merge", json={"keep": KEEP, "other": KEEP}, headers=KEY)
    assert same.status_code == 409 and "itself" in same.json()["error"]["message"]
    unknown = keyed.post("/duplicates/merge", json={"keep": KEEP, "other": "org:nobody"},
                         headers=KEY)
    assert unknown.status_code == 404
    assert keyed.post("/merges/mrg-20260101-000000-0000/undo", headers=KEY).status_code == 404

    dismissed = keyed.post("/duplicates/dismiss", json={"a": OTHER, "b": KEEP, "by": "Camille"},
                           headers=KEY)
    assert dismissed.status_code == 200, dismissed.text
    assert (dismissed.json()["a"], dismissed.json()["new"]) == (OTHER, True)
    assert keyed.get("/duplicates", headers=KEY).json()["total"] == 0
    assert keyed.post("/duplicates/dismiss", json={"a": KEEP, "b": OTHER},
                      headers=KEY).json()["new"] is False


def test_a_retired_element_says_since_when(dup):
    dup.execute_query("MATCH (p:Programme {id: 'programme:fonds-urgence'}) "
                      "SET p.retired_at = datetime('2026-12-03T06:15:00Z'), "
                      "p.retired_by = 'imp-20261203-061500-abcd'")
    left = retired_element(dup, "programme:fonds-urgence")
    assert left.message_fr() == ("Le programme « Fonds d urgence » a été retiré de "
                                 "l'inventaire le 3 décembre 2026.")
    with pytest.raises(Gone) as gone:
        moved_or_gone(dup, "programme:fonds-urgence", str, database="neo4j")
    assert gone.value.status == 410
    assert gone.value.message == ("'programme:fonds-urgence' was retired from the inventory "
                                  "on 2026-12-03")
    assert moved_or_gone(dup, "programme:numerique", str, database="neo4j") is None
    assert moved_or_gone(dup, "programme:nothing", str, database="neo4j") is None
