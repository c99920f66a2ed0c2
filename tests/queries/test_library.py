"""The question library: every file has its header, loads by name, bounds are ints only."""

import re

import pytest

from graph.vocabulary import LABELS, RELATIONSHIPS, check_label, check_relationship
from queries.errors import InvalidParameter
from queries.explore import lucene_query
from queries.library import list_queries, load_query, query_header
from queries.territory import candidate_ids

QUESTIONS = {"connectors", "programmes_of_territory", "partners_near", "gaps", "neighbourhood",
             "paths", "dialogue_spaces", "search", "stats", "projection", "fingerprint",
             "territory_resolve", "commune_location", "node_labels"}


def test_every_question_has_a_file_with_a_header():
    assert set(list_queries()) >= QUESTIONS
    for name in sorted(QUESTIONS):
        header = query_header(name)
        assert header.question and header.parameters and header.returns, name


def test_labels_and_types_in_queries_come_from_the_vocabulary():
    for name in sorted(QUESTIONS):
        text = "\n".join(line for line in load_query(name, max_hops=1).splitlines()
                         if not line.startswith("//")) if name == "paths" else "\n".join(
            line for line in load_query(name).splitlines() if not line.startswith("//"))
        for label in re.findall(r"\(\w*:(\w+)", text):
            check_label(label)
        for types in re.findall(r"\[\w*:([A-Z_|\s]+)[\]*{]", text):
            for rel in types.replace("\n", "").split("|"):
                check_relationship(rel.strip())


def test_stats_covers_the_vocabulary():
    text = load_query("stats")
    for spec in LABELS:
        assert f"(n:{spec.name})" in text
    for spec in RELATIONSHIPS:
        assert f"[r:{spec.name}]" in text


def test_bounds_are_integers_only():
    assert "*..3]" in load_query("paths", max_hops=3).replace("\n", "")
    with pytest.raises(TypeError):
        load_query("paths", max_hops="3] DETACH DELETE")
    with pytest.raises(ValueError):
        load_query("paths")
    with pytest.raises(ValueError):
        load_query("../etc/passwd")


def test_territory_candidates():
    assert candidate_ids("59512") == (["commune:59512"], "59512")
    assert candidate_ids("2a004") == (["commune:2A004"], "2A004")
    assert candidate_ids("59") == (["departement:59"], "59")
    assert candidate_ids("971") == (["departement:971"], "971")
    assert candidate_ids("200093201") == (["epci:200093201"], "200093201")
    assert candidate_ids("region:32") == (["region:32"], "32")
    assert candidate_ids("fr") == (["FR"], "FR")
    assert candidate_ids("Roubaix") == ([], None)
    with pytest.raises(InvalidParameter):
        candidate_ids("planet:3")


def test_lucene_query_escapes_and_folds():
    assert lucene_query("Dépôts") == "(depots^2 OR depots*)"
    assert lucene_query('caisse "des" (AND)') == (
        "(caisse^2 OR caisse*) AND (des^2 OR des*) AND (and^2 OR and*)")
    with pytest.raises(InvalidParameter):
        lucene_query("  ?! ")
