"""queries/lookups.py, the look-ups the pages need, on the fixture graph of conftest.py."""

from __future__ import annotations

import re

import pytest

from graph.vocabulary import check_label, check_relationship
from queries.errors import NotFoundError
from queries.library import load_query, query_header
from queries.lookups import element_card, need_choices, programme_choices

LOOKUPS = ("element_card", "need_choices", "programme_choices")


@pytest.mark.parametrize("name", LOOKUPS)
def test_files_have_headers_and_vocabulary_names(name):
    header = query_header(name)
    assert header.question and header.parameters and header.returns
    text = "\n".join(line for line in load_query(name).splitlines()
                     if not line.lstrip().startswith("//"))
    for label in re.findall(r"\(\w*:(\w+)", text):
        check_label(label)
    for rel in re.findall(r"\[\w*:([A-Z_]+)\]", text):
        check_relationship(rel)


def test_element_card(pages_graph):
    card = element_card(pages_graph, "org:roubaix-numerique")
    assert card.label == "Organisation" and "Catalyst" in card.labels
    assert card.sources == ["seed:002"]
    assert "name_key" not in card.properties
    assert card.degree == 4
    assert {(u.type, u.source) for u in card.relationship_sources} >= {
        ("OPERATES", "seed:002"), ("PARTNERS_WITH", "seed:002")}
    town = element_card(pages_graph, "commune:59512")
    assert town.properties["location"] == "50.69420, 3.17460"
    with pytest.raises(NotFoundError):
        element_card(pages_graph, "org:nobody")


def test_choices(pages_graph):
    assert [n.name for n in need_choices(pages_graph)] == [
        "Emploi des jeunes", "Inclusion numérique", "Trésorerie"]
    assert [(p.id, p.extra) for p in programme_choices(pages_graph)] == [
        ("programme:fonds-urgence", "urgence"), ("programme:pass-numerique", "relance")]
