"""A ``source`` that names a seed document reaches people as the document's title and
date — in the API's ``source_title`` and in the pictures — while ``source`` itself and
every export keep the file name. Against the API fixture graph (tests/api/conftest.py),
with Le RAMEAU's source set to document 002 here."""

from __future__ import annotations

import json

import pytest

SEED = "002_cc02f2f9aabe64ef.txt"
TITLE = "« Jouer Collectif » : bilan d'un an de crise (mars 2021)"


@pytest.fixture
def seeded(graph):
    with graph.session() as session:
        session.run("MATCH (o:Organisation {id: 'org:le-rameau'}) SET o.source = $s",
                    s=SEED).consume()
    return graph


def test_element_details_give_the_title_beside_the_source(client, seeded):
    body = client.get("/organisations/org:le-rameau").json()
    assert body["properties"]["source"] == SEED
    assert body["source_title"] == TITLE
    # a source that is no seed document is shown as it is
    other = client.get("/organisations/org:mediateur").json()
    assert other["properties"]["source"] == "test" and other["source_title"] == "test"
    programme = client.get("/programmes/programme:numerique").json()
    assert programme["source_title"] == "test"


def test_the_picture_shows_the_title_and_the_export_the_file_name(client, seeded):
    html = client.get("/viz/neighbourhood/org:le-rameau").text
    assert "bilan d'un an de crise (mars 2021)" in html
    assert SEED not in html
    exported = json.loads(client.get("/export/neighbourhood/org:le-rameau.json").content)
    sources = {n["id"]: n.get("source") for n in exported["nodes"]}
    assert sources["org:le-rameau"] == SEED
