"""The analysts' page on an EPCI spanning several départements: programmes on one of them
cover part of it, said in French (the Provence graph of tests/coverage_fixtures.py)."""

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.coverage_fixtures import create_provence
from tests.pages.test_pages import assert_page


@pytest.fixture
def provence_client(db):
    from queries.territory import clear_territory_cache

    clear_territory_cache()
    create_provence(db)
    with TestClient(create_app()) as client:
        yield client


def test_gaps_of_an_epci_name_the_partial_programmes(provence_client):
    body = assert_page(provence_client.get("/analystes", params={"territoire": "200054807"}))
    gaps = body.split('id="trous"')[1].split('id="ponts"')[0]
    assert "Couvert en partie par" in gaps
    assert "Var : couvre 1 commune sur 4" in gaps
    assert "Bouches-du-Rhône : couvre 2 communes sur 4" in gaps
    assert 'href="/fiche/programme:var"' in gaps


def test_gaps_of_marseille_have_no_partial_column(provence_client):
    body = assert_page(provence_client.get("/analystes", params={"territoire": "13055"}))
    gaps = body.split('id="trous"')[1].split('id="ponts"')[0]
    assert "fiche/need:emploi" in gaps  # only the Var programme answers it: not in Marseille
    assert "Couvert en partie par" not in gaps
