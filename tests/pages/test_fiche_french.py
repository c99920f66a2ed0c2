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
