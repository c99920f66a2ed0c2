"""The element resolver against a real Neo4j: the curated dataset as shipped (names and
aliases of data/curated and data/aliases.csv), then a hand-made graph with homonyms."""

from __future__ import annotations

import pytest

from graph.schema import refresh_fulltext
from loaders.curated import load_curated
from queries.element_names import ANY, ORGANISATION, PROGRAMME, element_param, resolve_element
from queries.errors import AmbiguousElement, UnknownElement
from tests.conftest import empty_graph
from tests.queries.test_curated import TERRITORIES


@pytest.fixture(scope="module")
def cur(neo4j_driver, neo4j_server):
    empty_graph(neo4j_driver, neo4j_server.database)
    neo4j_driver.execute_query(TERRITORIES)
    report = load_curated(neo4j_driver, database=neo4j_server.database)
    assert report.ok, [e.message for e in report.errors]
    yield neo4j_driver
    empty_graph(neo4j_driver, neo4j_server.database)


@pytest.mark.parametrize(("text", "labels", "expected", "via"), [
    ("org:le-rameau", ORGANISATION, "org:le-rameau", "id"),
    ("Le RAMEAU", ORGANISATION, "org:le-rameau", "name"),
    ("le rameau", ORGANISATION, "org:le-rameau", "name"),
    ("rameau", ORGANISATION, "org:le-rameau", "alias"),  # data/aliases.csv
    ("cdc", ORGANISATION, "org:caisse-des-depots", "alias"),
    ("CAISSE DES DEPOTS", ORGANISATION, "org:caisse-des-depots", "name"),
    # an alias written in the curated file itself (its aliases column)
    ("Médiateur des Entreprises", ORGANISATION, "org:mediateur-des-entreprises", "name"),
    ("France Relance", PROGRAMME, "programme:france-relance", "name"),
    ("france-relance", PROGRAMME, "programme:france-relance", "name"),
    ("programme:france-relance", PROGRAMME, "programme:france-relance", "id"),
    ("commune:59350", ANY, "commune:59350", "id"),
    ("Fonds i", ANY, "programme:fonds-i", "name"),  # a programme (phase structurel)
])
def test_ids_names_and_aliases_name_one_element(cur, text, labels, expected, via):
    reading = resolve_element(cur, text, labels=labels)
    assert reading.status == "found", reading
    assert reading.taken.id == expected
    assert reading.taken.via == via
    assert element_param(cur, text, labels=labels) == expected


def test_labels_are_kept_apart(cur):
    # a programme's name is no organisation, an organisation's id no programme
    with pytest.raises(UnknownElement):
        element_param(cur, "France Relance", labels=ORGANISATION)
    with pytest.raises(UnknownElement):
        element_param(cur, "org:le-rameau", labels=PROGRAMME)


def test_a_misspelt_name_gets_suggestions_never_an_answer(cur):
    with pytest.raises(UnknownElement) as caught:
        element_param(cur, "Caisse des Depos", labels=ORGANISATION)
    reading = caught.value.reading
    assert reading.status == "unknown" and reading.taken is None
    assert reading.suggestions[0].id == "org:caisse-des-depots"
    assert "org:caisse-des-depots" in str(caught.value)
    detail = caught.value.detail
    assert detail["suggestions"][0]["name"] == "Caisse des Dépôts"


def test_an_unknown_id_stays_a_not_found_with_the_search_hint(cur):
    with pytest.raises(UnknownElement) as caught:
        element_param(cur, "org:nobody-at-all", labels=ORGANISATION)
    assert "search" in str(caught.value)


HOMONYMS = """
CREATE (:Organisation {id: 'org:maison-des-solidarites', name: 'Maison des solidarités',
        name_key: 'maison_des_solidarites', kind: 'association', siren: '111111111'})
CREATE (:Organisation {id: 'org:maison-des-solidarites-222222222',
        name: 'Maison des Solidarités', name_key: 'maison_des_solidarites',
        kind: 'collectivite', siren: '222222222'})
CREATE (:Programme {id: 'programme:maison-des-solidarites', name: 'Maison des solidarités',
        name_key: 'maison_des_solidarites', phase: 'relance'})
CREATE (:Organisation {id: 'org:atelier', name: 'Atelier', name_key: 'atelier',
        kind: 'association', aliases: ['Atelier du Nord'], aliases_text: 'Atelier du Nord'})
CREATE (:Organisation {id: 'org:atelier-du-nord', name: 'Atelier du Nord',
        name_key: 'atelier_du_nord', kind: 'entreprise'})
"""


@pytest.fixture
def homonyms(db):
    db.execute_query(HOMONYMS)
    refresh_fulltext(db)
    return db


def test_several_organisations_of_one_name_are_all_candidates(homonyms):
    with pytest.raises(AmbiguousElement) as caught:
        element_param(homonyms, "maison des solidarites", labels=ORGANISATION)
    candidates = caught.value.detail["candidates"]
    assert [c["id"] for c in candidates] == ["org:maison-des-solidarites",
                                             "org:maison-des-solidarites-222222222"]
    assert {c["kind"] for c in candidates} == {"association", "collectivite"}
    assert all(c["label"] == "Organisation" for c in candidates)
    # a programme of that name is another question's answer, without ambiguity
    assert element_param(homonyms, "Maison des solidarités", labels=PROGRAMME) \
        == "programme:maison-des-solidarites"
    # any element: all three
    with pytest.raises(AmbiguousElement) as caught:
        element_param(homonyms, "Maison des solidarités", labels=ANY)
    assert len(caught.value.reading.candidates) == 3


def test_a_name_and_another_elements_alias_are_both_candidates(homonyms):
    reading = resolve_element(homonyms, "Atelier du Nord", labels=ORGANISATION)
    assert reading.status == "ambiguous"
    assert [(c.id, c.via) for c in reading.candidates] == [
        ("org:atelier-du-nord", "name"), ("org:atelier", "alias")]
    # the id still answers at once
    assert element_param(homonyms, "org:atelier", labels=ORGANISATION) == "org:atelier"
