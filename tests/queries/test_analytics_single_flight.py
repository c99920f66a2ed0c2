"""The analytics cache: one computation for concurrent first calls, and a key that sees
edits keeping every count (a rename)."""

from __future__ import annotations

import threading

from queries import analytics, brokers, communities
from queries.projection import graph_fingerprint
from tests.queries.waiting import wait_for


def _flight_waiters() -> int:
    return analytics.network_analytics.waiting


def test_concurrent_first_calls_compute_once(graph, monkeypatch):
    calls = {"louvain": 0, "projection": 0}
    entered, release = threading.Event(), threading.Event()
    real_louvain, real_fetch = analytics.louvain, analytics.fetch_projection

    def counted_fetch(*args, **kwargs):
        calls["projection"] += 1
        return real_fetch(*args, **kwargs)

    def blocking_louvain(*args, **kwargs):
        calls["louvain"] += 1
        entered.set()
        assert release.wait(60), "never released"
        return real_louvain(*args, **kwargs)

    monkeypatch.setattr(analytics, "fetch_projection", counted_fetch)
    monkeypatch.setattr(analytics, "louvain", blocking_louvain)
    answers: list = [None] * 5
    errors: list = []

    def ask(i: int) -> None:
        try:
            answers[i] = communities(graph, seed=1)
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    first = threading.Thread(target=ask, args=(0,))
    first.start()
    assert entered.wait(60)  # the first call is computing Louvain, and holds it
    others = [threading.Thread(target=ask, args=(i,)) for i in range(1, 5)]
    for thread in others:
        thread.start()
    wait_for(lambda: _flight_waiters() == 4, "four callers waiting for the first")
    release.set()
    for thread in [first, *others]:
        thread.join(60)
    assert not errors, errors
    assert calls == {"louvain": 1, "projection": 1}
    assert [a.cached for a in answers] == [False, True, True, True, True]
    assert all(a.items == answers[0].items for a in answers)
    assert analytics.network_analytics.computing == 0  # nothing left under way


def test_a_failed_computation_fails_its_waiters_and_is_not_cached(graph, monkeypatch):
    calls = {"n": 0}
    entered, release = threading.Event(), threading.Event()
    real = analytics.betweenness

    def failing(*args, **kwargs):
        calls["n"] += 1
        entered.set()
        assert release.wait(60)
        raise RuntimeError("boom")

    monkeypatch.setattr(analytics, "betweenness", failing)
    outcomes: list = []

    def ask() -> None:
        try:
            brokers(graph)
            outcomes.append("ok")
        except RuntimeError as exc:
            outcomes.append(str(exc))

    first = threading.Thread(target=ask)
    first.start()
    assert entered.wait(60)
    second = threading.Thread(target=ask)
    second.start()
    wait_for(lambda: _flight_waiters() == 1, "the second caller waiting")
    release.set()
    first.join(60)
    second.join(60)
    assert outcomes == ["boom", "boom"] and calls["n"] == 1
    monkeypatch.setattr(analytics, "betweenness", real)
    assert not brokers(graph).cached  # the failure was not kept: computed afresh


def test_a_rename_changes_the_key(graph):
    before = graph_fingerprint(graph)
    assert graph_fingerprint(graph) == before  # reading changes nothing
    first = brokers(graph)
    assert brokers(graph).cached
    graph.execute_query("MATCH (o:Organisation {id: 'org:rameau'}) "
                        "SET o.name = 'Le RAMEAU (renamed)'")
    assert graph_fingerprint(graph) != before  # every count is the same
    again = brokers(graph, top=20)
    assert not again.cached
    assert again.nodes == first.nodes and again.edges == first.edges
    names = {b.id: b.name for b in again.items}
    assert names["org:rameau"] == "Le RAMEAU (renamed)"
