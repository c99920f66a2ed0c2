"""The pages show a source as its document's title and date, never the file name: the
fiche (the element's source and its links'), a space's page. Against the pages' fixture
graph (tests/pages/conftest.py), with seed documents set as sources here."""

from __future__ import annotations

import pytest

#: document 000 and 002 of data/sources.csv, as stored and as shown
DOC_000 = ("000_c3e58eecd51e89d1.txt",
           "Bilan de la démarche collective : anticiper la sortie de crise pour les actions "
           "d&#39;intérêt général (juin 2020)")
DOC_002 = ("002_cc02f2f9aabe64ef.txt",
           "« Jouer Collectif » : bilan d&#39;un an de crise (mars 2021)")


@pytest.fixture
def seeded(pages_graph):
    with pages_graph.session() as session:
        session.run("MATCH (s:DialogueSpace {id: 'space:entreprises'}) SET s.source = $s",
                    s=DOC_000[0]).consume()
        session.run("MATCH (:Organisation)-[r:PARTICIPATES_IN]->"
                    "(:DialogueSpace {id: 'space:entreprises'}) SET r.source = $s",
                    s=DOC_002[0]).consume()
    return pages_graph


def test_the_fiche_shows_titles_not_file_names(client, seeded):
    html = client.get("/fiche/space:entreprises").text
    assert DOC_000[1] in html and DOC_002[1] in html
    assert DOC_000[0] not in html and DOC_002[0] not in html


def test_a_space_page_says_where_it_comes_from(client, seeded):
    html = client.get("/espaces/space:entreprises").text
    assert f"Source : {DOC_000[1]}" in html
    assert DOC_000[0] not in html


def test_a_source_that_is_no_seed_document_is_shown_as_it_is(client, pages_graph):
    html = client.get("/espaces/space:entreprises").text
    assert "Source : seed:001" in html
