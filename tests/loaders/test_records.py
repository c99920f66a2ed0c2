"""The interchange records: they validate like the loader, and derive stable ids."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from loaders.records import ConnectionIn, ElementIn, element_id


def test_element_ids():
    assert element_id("Organisation", "Le RAMEAU") == "org:le-rameau"
    assert element_id("DialogueSpace", "Espace n°1 !") == "space:espace-n-1"


def test_element_model_validates_like_the_loader():
    el = ElementIn(label="Catalyseur", name=" Maison  de Roubaix ", kind="Association",
                   tags="a; b", start="01/02/2020", url="example.org")
    assert el.label == "Organisation" and el.kind == "association"
    assert el.name == "Maison de Roubaix" and el.tags == ["a", "b"]
    assert el.node_id() == "org:maison-de-roubaix"
    with pytest.raises(ValidationError, match="plain text"):
        ElementIn(label="Organisation", name="<b>x</b>")
    with pytest.raises(ValidationError, match="formula"):
        ElementIn(label="Organisation", name="=1+1")
    with pytest.raises(ValidationError, match="is after end"):
        ElementIn(label="Programme", name="P", start="2020-02-01", end="2020-01-01")


def test_connection_model():
    c = ConnectionIn(**{"from": "A", "to": "B", "type": "partenaire", "date": "01/01/2021"})
    assert c.type == "PARTNERS_WITH" and c.symmetric and c.date == dt.date(2021, 1, 1)
    with pytest.raises(ValidationError, match="not a known relationship"):
        ConnectionIn(**{"from": "A", "to": "B", "type": "aime"})
