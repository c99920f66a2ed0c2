"""graph/cache.py: values kept a while, one computation for concurrent callers, and
emptied by every write through the product."""

from __future__ import annotations

import gzip
import json
import threading

from graph import cache as cache_mod
from graph.cache import ExpiringCache, clear_caches
from tests.queries.waiting import wait_for


def test_a_value_is_kept_until_it_expires(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(cache_mod, "monotonic", lambda: now[0])
    squares = ExpiringCache("squares", seconds=10, size=4)
    assert squares.get_or_compute(3, lambda: 9) == (9, False)
    now[0] += 9
    assert squares.get_or_compute(3, lambda: 0) == (9, True)
    now[0] += 2  # 11 s after the computation began
    assert squares.get_or_compute(3, lambda: 0) == (0, False)


def test_the_oldest_value_goes_first():
    kept = ExpiringCache("numbers", seconds=None, size=2)
    for n in (1, 2, 3):
        kept.get_or_compute(n, lambda n=n: n)
    assert kept.get_or_compute(1, lambda: "again") == ("again", False)  # 1 was dropped
    assert kept.get_or_compute(3, lambda: "again") == (3, True)


def test_keep_decides_what_is_kept():
    rows = ExpiringCache("rows", seconds=None, size=4)
    missing = {"latitude": None}
    assert rows.get_or_compute("x", lambda: missing, keep=lambda r: r["latitude"] is not None)
    assert rows.get_or_compute("x", lambda: {"latitude": 1.0})[1] is False


def test_discard_forgets_the_keys_asked():
    kept = ExpiringCache("by database", seconds=None, size=8)
    for key in [("a", 1), ("a", 2), ("b", 1)]:
        kept.get_or_compute(key, lambda: "v")
    kept.discard(lambda key: key[0] == "a")
    assert [kept.get_or_compute(k, lambda: "new")[1] for k in [("a", 1), ("b", 1)]] == [
        False, True]


def _block(cache, key, value, entered, release, calls):
    def compute():
        calls.append(key)
        entered.set()
        assert release.wait(60), "never released"
        if isinstance(value, BaseException):
            raise value
        return value

    return lambda: cache.get_or_compute(key, compute)


def test_concurrent_callers_wait_for_one_computation():
    kept = ExpiringCache("slow", seconds=None, size=4)
    entered, release, calls = threading.Event(), threading.Event(), []
    ask = _block(kept, "k", "v", entered, release, calls)
    answers: list = []
    threads = [threading.Thread(target=lambda: answers.append(ask())) for _ in range(4)]
    threads[0].start()
    assert entered.wait(60)
    for thread in threads[1:]:
        thread.start()
    wait_for(lambda: kept.waiting == 3, "three callers waiting")
    release.set()
    for thread in threads:
        thread.join(60)
    assert calls == ["k"]
    assert sorted(answers, key=lambda a: a[1]) == [("v", False)] + [("v", True)] * 3
    assert kept.computing == 0


def test_a_failure_reaches_its_waiters_and_is_not_kept():
    kept = ExpiringCache("failing", seconds=None, size=4)
    entered, release, calls = threading.Event(), threading.Event(), []
    ask = _block(kept, "k", RuntimeError("boom"), entered, release, calls)
    outcomes: list = []

    def run() -> None:
        try:
            ask()
        except RuntimeError as exc:
            outcomes.append(str(exc))

    first, second = threading.Thread(target=run), threading.Thread(target=run)
    first.start()
    assert entered.wait(60)
    second.start()
    wait_for(lambda: kept.waiting == 1, "the second caller waiting")
    release.set()
    first.join(60)
    second.join(60)
    assert outcomes == ["boom", "boom"] and calls == ["k"]
    assert kept.get_or_compute("k", lambda: "fine") == ("fine", False)


def test_a_computation_begun_before_a_clear_is_not_kept():
    kept = ExpiringCache("racing a write", seconds=None, size=4)
    entered, release, calls = threading.Event(), threading.Event(), []
    ask = _block(kept, "k", "before the write", entered, release, calls)
    answers: list = []
    thread = threading.Thread(target=lambda: answers.append(ask()))
    thread.start()
    assert entered.wait(60)
    clear_caches()  # a write lands while the old answer is being computed
    release.set()
    thread.join(60)
    assert answers == [("before the write", False)]
    assert kept.get_or_compute("k", lambda: "after")[0] == "after"


def test_clear_caches_empties_the_products_caches(graph):
    from queries import analytics, brokers, resolve_territory_param
    from queries.questions import commune_locations
    from queries.territory import territories_in_graph

    resolve_territory_param(graph, "Roubaix")
    brokers(graph)
    commune_locations.get_or_compute(("neo4j", "commune:59512", None), lambda: {"latitude": 1})
    kept = [territories_in_graph, commune_locations, analytics.network_analytics]
    assert all(c.get_or_compute(k, lambda: None)[1] for c, k in [
        (territories_in_graph, ("neo4j", "commune:59512", None)),  # None: now
        (commune_locations, ("neo4j", "commune:59512", None))])
    clear_caches()
    assert [len(c) for c in kept] == [0, 0, 0]


ELEMENTS_CSV = """id,type,name,kind,roles,territory,lat,lon,description,url,tags,start,end,source
org:cache-test,Organisation,Cache Test,association,,59512,,,,,,,,test
"""


def test_a_load_empties_the_caches(graph):
    from loaders.importer import load_sources
    from loaders.tabular import Source

    sentinel = ExpiringCache("sentinel", seconds=None, size=1)
    sentinel.get_or_compute("k", lambda: "old")
    report = load_sources(graph, [Source("elements.csv", ELEMENTS_CSV.encode())])
    assert report.ok, report
    assert sentinel.get_or_compute("k", lambda: "new") == ("new", False)


def _territory_file(path, roubaix: str):
    from loaders.territories import FORMAT, FORMAT_VERSION

    rows = [
        {"format": FORMAT, "version": FORMAT_VERSION, "sources": [{"name": "test"}]},
        {"t": "country", "code": "FR", "name": "France", "pop": 1},
        {"t": "region", "code": "32", "name": "Hauts-de-France", "pop": 1, "up": ["FR"]},
        {"t": "departement", "code": "59", "name": "Nord", "pop": 1, "up": ["region:32"]},
        {"t": "commune", "code": "59512", "name": roubaix, "pop": 1, "lat": 50.69,
         "lon": 3.17, "up": ["departement:59"]},
    ]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(row) + "\n" for row in rows)
    return path


def test_a_territory_load_is_seen_at_once(db, tmp_path):
    from loaders.territories import load_territories
    from queries import resolve_territory_param

    load_territories(db, _territory_file(tmp_path / "a.jsonl.gz", "Roubaix"))
    assert resolve_territory_param(db, "59512").name == "Roubaix"
    load_territories(db, _territory_file(tmp_path / "b.jsonl.gz", "Roubaix (renamed)"))
    assert resolve_territory_param(db, "59512").name == "Roubaix (renamed)"


def test_peek_answers_at_once_and_fills_in_the_background():
    gate = threading.Event()
    calls = []

    def compute():
        calls.append(1)
        gate.wait(10)
        return "counted"

    degrees = ExpiringCache("degrees", seconds=None, size=2)
    assert degrees.peek_or_start("g1", compute) is None  # not kept: the caller goes on
    assert degrees.peek_or_start("g1", compute) is None  # under way: not started twice
    gate.set()
    wait_for(lambda: degrees.peek_or_start("g1", compute) == "counted", "the fill")
    assert calls == [1]


def test_a_failed_fill_is_tried_again():
    degrees = ExpiringCache("degrees", seconds=None, size=2)

    def fails():
        raise RuntimeError("Neo4j went away")

    assert degrees.peek_or_start("g1", fails) is None
    wait_for(lambda: degrees.computing == 0, "the failed fill")
    assert degrees.peek_or_start("g1", lambda: "counted") is None
    wait_for(lambda: degrees.peek_or_start("g1", lambda: "again") == "counted",
             "the second fill")
