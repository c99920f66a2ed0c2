"""The pages, the API and the CLI take the same radius: at most
:data:`queries.questions.MAX_RADIUS_KM` (300 km), the one constant all three read."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app as cli_app
from queries.questions import MAX_RADIUS_KM
from tests.pages.conftest import load_pages_graph


@pytest.fixture(scope="module")
def client(neo4j_driver, neo4j_server):
    from tests.conftest import empty_graph

    empty_graph(neo4j_driver, neo4j_server.database)
    load_pages_graph(neo4j_driver, neo4j_server.database)
    with TestClient(create_app()) as test_client:
        yield test_client


def test_the_limit_is_300_km():
    assert MAX_RADIUS_KM == 300


def test_the_pages(client):
    body = client.get("/catalyseurs").text
    assert re.search(r'<input type="number" id="rayon"[^>]* min="1" max="300"', body)
    assert "entre 1 et 300</span>" in body
    refused = client.get("/catalyseurs", params={"commune": "Roubaix", "rayon": "301"})
    assert refused.status_code == 422
    assert ("Le rayon doit être un nombre de kilomètres entre 1 et 300 (par exemple 30). "
            "Vous avez saisi « 301 ».") in refused.text
    taken = client.get("/catalyseurs", params={"commune": "Roubaix", "rayon": "300"})
    assert taken.status_code == 200 and "dans un rayon de 300,0 km" in taken.text


def test_the_api(client):
    refused = client.get("/partners/near", params={"commune": "59512", "radius_km": 301})
    assert refused.status_code == 422
    assert refused.json()["error"]["detail"][0]["loc"] == ["query", "radius_km"]
    taken = client.get("/partners/near", params={"commune": "59512", "radius_km": 300})
    assert taken.status_code == 200 and taken.json()["radius_km"] == 300


def test_the_cli(client):
    runner = CliRunner()
    refused = runner.invoke(cli_app, ["query", "near", "--commune", "59512", "--radius",
                                      "301"])
    assert refused.exit_code == 2
    assert refused.output == ("error: --radius 301 is out of range; give more than 0 and at "
                              "most 300 km, e.g. --radius 30\n")
    taken = runner.invoke(cli_app, ["query", "near", "--commune", "59512", "--radius", "300",
                                    "--json"])
    assert taken.exit_code == 0, taken.output
    assert '"radius_km": 300' in taken.output
