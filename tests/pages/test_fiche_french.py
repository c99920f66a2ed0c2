"""The fiche names every property in French and writes dates as French people do (the
shipped data: tests/shipped_fixtures.py)."""

from __future__ import annotations

import re

from tests.pages.test_pages import assert_page


def labels(body: str) -> list[str]:
    return re.findall(r"<dt>([^<]*)</dt>", body)


def test_a_programme_fiche_reads_french(shipped_client):
    body = assert_page(shipped_client.get("/fiche/programme:france-relance"))
    assert "Autres noms" in labels(body) and "aliases" not in labels(body)
    assert re.search(r"<dd>\s*3 septembre 2020\s*</dd>", body)


def test_an_organisation_fiche_reads_french(shipped_client):
    body = assert_page(shipped_client.get("/fiche/org:le-rameau"))
    shown = labels(body)
    assert "Position tirée de" in shown
    assert not [label for label in shown if re.fullmatch(r"[a-z_ ]+", label)], shown


def test_the_sources_table_reads_each_link_from_the_fiche(shipped_client):
    """Charles-Benoît HEIDSIECK leads Le RAMEAU (``(person)-[:LEADS]->(org)``): on Le
    RAMEAU's fiche the sources table reads « dirigé par », as its neighbourhood does, never
    « dirige »; on the person's fiche it reads « dirige »."""
    def links(body: str) -> list[str]:
        return re.findall(r'<td data-label="Liens">([^<]*)</td>', body)

    rameau = links(assert_page(shipped_client.get("/fiche/org:le-rameau")))
    assert "dirigé par" in rameau and "dirige" not in rameau, rameau
    person = shipped_client.get("/recherche", params={"q": "HEIDSIECK"}).text
    person_id = re.search(r'href="/fiche/(person:[^"]+)"', person)[1]
    assert "dirige" in links(assert_page(shipped_client.get(f"/fiche/{person_id}")))


def test_a_territory_code_is_named_by_its_level(shipped_client):
    """An EPCI's code is its SIREN; a commune's its INSEE code."""
    assert "SIREN" in labels(assert_page(shipped_client.get("/fiche/epci:200093201")))
    assert "Code INSEE" not in labels(assert_page(shipped_client.get("/fiche/epci:200093201")))
    assert "Code INSEE" in labels(assert_page(shipped_client.get("/fiche/commune:59512")))
