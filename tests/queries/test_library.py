"""The question library: every file has its header, loads by name, bounds are ints only."""

import re

import pytest

from graph.bookkeeping import BOOKKEEPING
from graph.vocabulary import LABELS, RELATIONSHIPS, check_label, check_relationship
from queries.errors import AmbiguousTerritory, InvalidParameter, UnknownTerritory
from queries.explore import lucene_query
from queries.library import list_queries, load_query, query_header
from queries.territory import read_territory, reading_warning

QUESTIONS = {"connectors", "programmes_of_territory", "partners_near", "gaps", "neighbourhood",
             "paths", "dialogue_spaces", "search", "stats", "projection", "fingerprint",
             "territory_resolve", "commune_location", "node_labels", "suggestions",
             "alliances"}


def test_every_question_has_a_file_with_a_header():
    assert set(list_queries()) >= QUESTIONS
    for name in list_queries():
        header = query_header(name)
        assert header.question and header.parameters and header.returns, name


def test_labels_and_types_in_queries_come_from_the_vocabulary():
    for name in sorted(QUESTIONS):
        text = "\n".join(line for line in load_query(name, max_hops=1).splitlines()
                         if not line.startswith("//")) if name == "paths" else "\n".join(
            line for line in load_query(name).splitlines() if not line.startswith("//"))
        for label in re.findall(r"\(\w*:(\w+)", text):
            if label not in BOOKKEEPING:  # the stewards' marks, the import records
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


def _read(text, **kw):
    taken, others = read_territory(text, **kw)
    return taken.id, [o.id for o in others]


def test_territory_parameters_are_read_by_the_parser_without_the_database():
    assert _read("59512") == ("commune:59512", [])
    assert _read("2a004") == ("commune:2A004", [])
    assert _read("59") == ("departement:59", [])
    assert _read("971") == ("departement:971", [])
    assert _read("200093201") == ("epci:200093201", [])
    assert _read("region:32") == ("region:32", [])
    assert _read("reg:32") == ("region:32", [])
    assert _read("dep:59") == ("departement:59", [])
    assert _read("fr") == ("FR", [])
    assert _read("national") == ("FR", [])
    assert _read("Roubaix") == ("commune:59512", [])
    assert _read("Saint-Denis (93)") == ("commune:93066", [])
    # default readings and the others
    assert _read("59100") == ("commune:59100", ["commune:59512"])
    assert _read("32") == ("departement:32", ["region:32"])
    assert _read("13001") == ("commune:13001", ["commune:13055"])
    # as a commune: only commune readings count
    assert _read("Vienne") == ("departement:86", ["commune:38544"])
    assert _read("Vienne", level="commune") == ("commune:38544", ["departement:86"])
    with pytest.raises(InvalidParameter, match="not a commune"):
        read_territory("59", level="commune")
    with pytest.raises(AmbiguousTerritory) as ambiguous:
        read_territory("Saint-Denis")
    assert len(ambiguous.value.reading.candidates) == 4
    with pytest.raises(UnknownTerritory) as unknown:
        read_territory("Roubaiz")
    assert unknown.value.reading.suggestions[0].id == "commune:59512"
    with pytest.raises(UnknownTerritory) as uncovered:
        read_territory("975")
    assert uncovered.value.uncovered
    with pytest.raises(UnknownTerritory):
        read_territory("planet:3")
    with pytest.raises(InvalidParameter):
        read_territory("  ")


def test_the_warning_line_names_every_other_reading():
    taken, others = read_territory("59100")
    assert reading_warning("59100", taken, others) == (
        "'59100' read as commune:59100 (Bousignies); it may also mean commune:59512 "
        "(Roubaix, postal code 59100)")
    taken, others = read_territory("32")
    assert reading_warning("32", taken, others) == (
        "'32' read as departement:32 (Gers); it may also mean region:32 "
        "(Hauts-de-France, région 32)")
    assert reading_warning("Roubaix", *read_territory("Roubaix")) is None


def test_lucene_query_escapes_and_folds():
    assert lucene_query("Dépôts") == "(depots^2 OR depots*)"
    assert lucene_query('caisse "des" (OR)') == (
        "(caisse^2 OR caisse*) AND (des^2 OR des*) AND (or^2 OR or* OR l'or* OR d'or* "
        "OR j'or* OR m'or* OR n'or* OR s'or* OR t'or* OR c'or* OR qu'or*)")
    # a word that may follow an elision is looked for after it too: « l'innovation »
    assert "l'innovation*" in lucene_query("innovation")
    assert "'" not in lucene_query("territoriale")
    with pytest.raises(InvalidParameter):
        lucene_query("  ?! ")
