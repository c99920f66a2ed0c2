"""The import in two stages: element files are written while connection files are validated.

``load_sources`` validates the files that define elements first, hands their writes to a
writer thread, then validates the connection-only files (`loaders.importer._read`). These
tests pin that the two-stage answer is the single-pass answer, that connections are
written only after every element file, and that a failed element file stops them.
"""

from __future__ import annotations

import threading

import pytest

import loaders.importer as importer
from loaders.importer import load_sources
from loaders.tabular import Source, read_source
from loaders.validate import Validator, validate_tables
from loaders.write_plan import write_steps
from tests.loaders.test_import import (
    CONNECTIONS_CSV,
    ELEMENTS_CSV,
    count,
    csv_source,
    fingerprint,
    imp_graph,  # noqa: F401  # fixture
)

#: an element file with one bad row (an unknown territory: it parses, then fails to
#: resolve) that a connection names
BAD_ELEMENTS = ELEMENTS_CSV + ",Programme d'urgence,Fonds cassé,,,99999,,,,,,,,seed\n"
BAD_CONNECTIONS = CONNECTIONS_CSV + "Le RAMEAU,Fonds cassé,finance,,,seed\n"


def _tables(*sources):
    return [t for s in sources for t in read_source(s)]


def _summary(plans):
    """What a plan decides, comparable across runs: errors, nodes, relationships."""
    out = {}
    for name, plan in sorted(plans.items()):
        steps = [(s.query, sorted(map(repr, s.rows))) for s in write_steps(plan)]
        out[name] = (plan.rejected, sorted(e.message for e in plan.errors), steps,
                     sorted(plan.rejected_rows))
    return out


@pytest.mark.parametrize("skip_invalid", [False, True])
@pytest.mark.parametrize("elements, connections", [
    (ELEMENTS_CSV, CONNECTIONS_CSV),
    (BAD_ELEMENTS, BAD_CONNECTIONS),
])
def test_two_calls_decide_what_one_call_decides(imp_graph, skip_invalid,  # noqa: F811
                                                elements, connections):
    el = csv_source("elements.csv", elements)
    co = csv_source("connections.csv", connections)
    single = validate_tables(imp_graph, _tables(el, co), skip_invalid=skip_invalid)
    v = Validator(imp_graph, skip_invalid=skip_invalid)
    staged = {**v.validate(_tables(el)), **v.validate(_tables(co))}
    assert _summary(staged) == _summary(single)


def test_a_connection_to_a_rejected_element_says_so_in_two_stages(imp_graph):  # noqa: F811
    report = load_sources(imp_graph, [csv_source("elements.csv", BAD_ELEMENTS),
                                      csv_source("connections.csv", BAD_CONNECTIONS)],
                          skip_invalid=True)
    by_file = {f.file: f for f in report.files}
    assert by_file["elements.csv"].status == "partial"
    (err,) = by_file["connections.csv"].errors
    assert err.code == "end_rejected"
    assert err.reason == ("« Fonds cassé » est défini par elements.csv, ligne 7, qui a été "
                          "rejetée : corrigez d'abord cette ligne.")
    assert err.reason_en == '"Fonds cassé" is defined by elements.csv row 7, which was rejected'
    assert count(imp_graph, "MATCH (p:Programme {name: 'Fonds cassé'}) RETURN count(p)") == 0
    assert count(imp_graph, "MATCH (:Organisation {id: 'org:le-rameau'})-[r:CARRIES]->() "
                 "RETURN count(r)") == 1


def test_element_files_are_written_first_by_the_writer_thread(imp_graph, monkeypatch):  # noqa: F811
    events = []
    real = importer.write_batches

    # the files' writes only: derive_locations (after every file) writes through
    # loaders.locations
    def spy(driver, query, rows, **kwargs):
        events.append((threading.current_thread().name, "MERGE (a)-[" in query))
        return real(driver, query, rows, **kwargs)

    monkeypatch.setattr(importer, "write_batches", spy)
    report = load_sources(imp_graph, [csv_source("connections.csv", CONNECTIONS_CSV),
                                      csv_source("elements.csv", ELEMENTS_CSV)])
    assert report.ok, [e.message for e in report.errors]
    assert [f.file for f in report.files] == ["connections.csv", "elements.csv"]
    # elements.csv (nodes, then its territory links) on the writer thread, then the
    # connections of connections.csv: never a node write after a connection-file write
    first_conn_file_write = next(i for i, (thread, _) in enumerate(events)
                                 if not thread.startswith("alliance-writer"))
    assert first_conn_file_write > 0
    assert all(t.startswith("alliance-writer") for t, _ in events[:first_conn_file_write])
    assert all(is_rel for _, is_rel in events[first_conn_file_write:])
    assert count(imp_graph, "MATCH ()-[r:PARTNERS_WITH]-() RETURN count(DISTINCT r)") == 1


def test_one_stage_gives_the_same_graph_as_two(imp_graph):  # noqa: F811
    two = load_sources(imp_graph, [csv_source("elements.csv", ELEMENTS_CSV),
                                   csv_source("connections.csv", CONNECTIONS_CSV)])
    assert two.ok
    staged = fingerprint(imp_graph)
    imp_graph.execute_query("MATCH (n) WHERE NOT n:Territory DETACH DELETE n")
    # one workbook with both sheets is one file, all or nothing: one stage
    one = load_sources(imp_graph, [_workbook("data.xlsx", ELEMENTS_CSV, CONNECTIONS_CSV)])
    assert one.ok and one.files[0].tables == ["elements", "connections"]
    # the same graph, but for the file each relationship and node names as its source
    same = fingerprint(imp_graph)
    assert same[:2] == staged[:2]


def _workbook(name: str, elements: str, connections: str) -> Source:
    import csv
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, text in (("elements", elements), ("connections", connections)):
        sheet = book.create_sheet(title)
        for row in csv.reader(io.StringIO(text)):
            sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return Source(name, buf.getvalue())


def test_connections_are_not_written_when_an_element_file_failed(imp_graph,  # noqa: F811
                                                                  monkeypatch):
    from neo4j.exceptions import ServiceUnavailable

    real = importer.write_batches

    def failing(driver, query, rows, **kwargs):
        if "MERGE (n:Programme" in query:
            raise ServiceUnavailable("the server went away")
        return real(driver, query, rows, **kwargs)

    monkeypatch.setattr(importer, "write_batches", failing)
    report = load_sources(imp_graph, [csv_source("elements.csv", ELEMENTS_CSV),
                                      csv_source("connections.csv", CONNECTIONS_CSV)])
    assert not report.ok
    by_file = {f.file: f for f in report.files}
    assert by_file["elements.csv"].status == "write_failed"
    conn = by_file["connections.csv"]
    assert conn.status == "write_failed" and conn.connections_written == 0
    assert conn.write_error_en.startswith("not written: writing elements.csv failed first")
    assert conn.write_error.startswith("rien n'a été écrit : l'écriture de elements.csv a "
                                       "échoué avant")
    assert count(imp_graph, "MATCH ()-[r:PARTNERS_WITH]-() RETURN count(r)") == 0


def test_a_load_leaves_the_garbage_collector_as_it_found_it(imp_graph):  # noqa: F811
    import gc

    sources = [csv_source("elements.csv", ELEMENTS_CSV)]
    assert gc.isenabled()
    before = gc.get_freeze_count()  # an API test of this session may have frozen its heap
    assert load_sources(imp_graph, sources).ok
    assert gc.isenabled() and gc.get_freeze_count() == before
    # a process that froze its heap (the API at startup) finds it still frozen
    gc.freeze()
    frozen = gc.get_freeze_count()
    assert load_sources(imp_graph, sources).ok
    assert gc.isenabled() and gc.get_freeze_count() >= frozen
    gc.disable()
    try:
        assert load_sources(imp_graph, sources).ok
        assert not gc.isenabled()  # disabled by the caller: left disabled
    finally:
        gc.enable()


def test_a_derived_id_held_by_another_organisation_is_not_reused(imp_graph):  # noqa: F811
    """A row without id whose name derives an id that an organisation of another name
    holds gets a new id: nothing of the existing organisation changes."""
    first = "id,type,name,kind\norg:foo,Organisation,Foo Bar,association\n"
    assert load_sources(imp_graph, [csv_source("a.csv", first)]).ok
    before = count(imp_graph, "MATCH (o:Organisation {id: 'org:foo'}) "
                   "WHERE o.name = 'Foo Bar' AND o.kind = 'association' RETURN count(o)")
    second = "type,name,kind\nOrganisation,Foo,entreprise\n"
    report = load_sources(imp_graph, [csv_source("b.csv", second)])
    assert report.ok, [e.message for e in report.errors]
    assert before == 1 == count(imp_graph, "MATCH (o:Organisation {id: 'org:foo'}) "
                                "WHERE o.name = 'Foo Bar' AND o.kind = 'association' "
                                "RETURN count(o)")
    assert count(imp_graph, "MATCH (o:Organisation {id: 'org:foo-2'}) "
                 "WHERE o.name = 'Foo' AND o.kind = 'entreprise' RETURN count(o)") == 1
    # loading it again finds it by name: still two organisations
    assert load_sources(imp_graph, [csv_source("b.csv", second)]).ok
    assert count(imp_graph, "MATCH (o:Organisation) RETURN count(o)") == 2
