"""Benchmark of the questions: p50 and p95 of each, on the synthetic ecosystem.

Run it against a server whose data you can replace (it loads the ecosystem when the
database holds no organisation)::

    .venv/bin/python bench/queries.py --organisations 100000 --seed 1

It uses the process settings (``NEO4J_URI`` or the managed server, see docs/operations.md). When the
database holds no organisation it loads the territory reference, generates the ecosystem
with ``loaders.generate`` and imports it with ``loaders.importer``; otherwise it measures
what is there (and says how many organisations that is).

Measured (``bench/results/queries.json``):

- each question through its wrapper (driver call + models), over many random parameters;
- partners near, the raw query with the point indexes vs the same query forced to scan
  labels (``USING SCAN``), with both plans checked by PROFILE;
- brokers and communities end to end (projection fetched, cache cleared), and the sampled
  betweenness against the exact one on a 5,000-organisation generated graph (in memory);
- the API: ``GET /partners/near`` through uvicorn and an HTTP client vs the wrapper, and
  the floor under it in the same run (``bench/asgi_floor.py``: uvicorn with no framework
  giving the same bytes, plus the time pydantic takes to write them);
- the sync driver inline vs through the thread pool vs the async driver (``transport``),
  and ``RETURN 1`` (``round_trip``): what this machine charges for talking to Neo4j.

Everything is timed after ``--warmup-seconds`` of calls (a fresh server's JIT needs minutes).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from neo4j import Driver  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

console = Console(stderr=True)

TARGETS_MS = {
    "partners_near": 5.0,
    "connectors": 20.0,
    "programmes_of_territory": 20.0,
}


# --- the ecosystem ----------------------------------------------------------------------


def _count(driver: Driver, database: str, query: str, **params: Any) -> int:
    records, _, _ = driver.execute_query(query, params, database_=database)
    return records[0][0]


def ensure_ecosystem(driver: Driver, database: str, organisations: int, seed: int) -> dict:
    """Load territories + the generated ecosystem when the database has no organisation."""
    have = _count(driver, database, "MATCH (o:Organisation) RETURN count(o)")
    info: dict[str, Any] = {"loaded_now": False}
    if have == 0:
        from graph.schema import apply_schema
        from loaders.generate import generate, load_places, write_ecosystem
        from loaders.importer import load_paths
        from loaders.territories import load_territories

        apply_schema(driver, database)
        t0 = time.perf_counter()
        if _count(driver, database, "MATCH (c:Commune) RETURN count(c)") == 0:
            console.print("loading the territory reference…")
            load_territories(driver, database=database)
        info["territories_s"] = round(time.perf_counter() - t0, 1)
        console.print(f"generating {organisations:,} organisations (seed {seed})…")
        t0 = time.perf_counter()
        eco = generate(load_places(), organisations, seed)
        with tempfile.TemporaryDirectory(prefix="alliance-bench-") as tmp:
            write_ecosystem(eco, tmp)
            info["generate_s"] = round(time.perf_counter() - t0, 1)
            console.print("importing…")
            t0 = time.perf_counter()
            load_paths(driver, [tmp], database=database, skip_invalid=True,
                       rejects_dir=tmp)
            info["import_s"] = round(time.perf_counter() - t0, 1)
        info["loaded_now"] = True
        have = _count(driver, database, "MATCH (o:Organisation) RETURN count(o)")
    info["organisations"] = have
    for label in ("Programme", "Need", "DialogueSpace", "Commune"):
        info[label] = _count(driver, database, f"MATCH (n:{label}) RETURN count(n)")
    info["relationships"] = _count(driver, database, "MATCH ()-[r]->() RETURN count(r)")
    return info


# --- parameters -------------------------------------------------------------------------


def _column(driver: Driver, database: str, query: str) -> list[Any]:
    records, _, _ = driver.execute_query(query, database_=database)
    return [r[0] for r in records]


def draw_parameters(driver: Driver, database: str, rng: random.Random, n: int) -> dict:
    """Random parameters drawn from the graph, the same for a given seed and graph."""
    communes = sorted(_column(driver, database,
                              "MATCH (c:Commune)<-[:LOCATED_IN]-(:Organisation) "
                              "RETURN DISTINCT c.code"))
    departements = sorted(_column(driver, database, "MATCH (d:Departement) RETURN d.id"))
    orgs = sorted(_column(driver, database,
                          "MATCH (o:Organisation) "
                          "RETURN o.id LIMIT 200000"))
    covers = _column(driver, database,
                     "MATCH (p:Programme)-[:COVERS]->(t:Territory) "
                     "RETURN [p.id, t.id] ORDER BY p.id, t.id")
    children = {}
    for t, child in _column(driver, database,
                            "MATCH (c:Territory)-[:PART_OF]->(t:Territory) "
                            "WHERE NOT c:Commune RETURN [t.id, c.id]"):
        children.setdefault(t, []).append(child)
    needs = sorted(_column(driver, database, "MATCH (n:Need) RETURN n.id"))
    names = _column(driver, database, "MATCH (o:Organisation) RETURN o.name LIMIT 5000")
    words = sorted({w for name in names for w in (name or "").split() if len(w) > 3})

    def connector_pair() -> tuple[str, str]:
        programme, territory = rng.choice(covers)
        # half the time the covered territory, else one inside it (a département of a
        # région, an EPCI of a département…) when it has any
        if rng.random() < 0.5 and children.get(territory):
            territory = rng.choice(children[territory])
        return programme, territory

    return {
        "near": [{"commune": rng.choice(communes), "radius_km": rng.choice([10, 20, 30])}
                 for _ in range(n)],
        "near_filtered": [{"commune": rng.choice(communes), "radius_km": 30,
                           "need": rng.choice(needs), "role": rng.choice([None, "catalyst"])}
                          for _ in range(n)],
        "connectors": [connector_pair() for _ in range(n)],
        "programmes": [rng.choice(communes) for _ in range(n)],
        "gaps": [rng.choice(communes) for _ in range(n)],
        "gaps_departement": [rng.choice(departements) for _ in range(max(n // 5, 5))],
        "neighbourhood": [rng.choice(orgs) for _ in range(n)],
        "paths": [tuple(rng.sample(orgs, 2)) for _ in range(n)],
        "search": [rng.choice(words) for _ in range(n)] if words else ["association"] * n,
    }


# --- timing -----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(call: Callable[[Any], Any], params: list[Any], warmup: int) -> dict:
    """Run ``call`` once per parameter (after ``warmup`` untimed calls); times in ms."""
    for p in params[:warmup]:
        call(p)
    times = []
    for p in params:
        t0 = time.perf_counter()
        call(p)
        times.append((time.perf_counter() - t0) * 1000.0)
    return {"runs": len(times), "p50_ms": round(percentile(times, 0.5), 3),
            "p95_ms": round(percentile(times, 0.95), 3),
            "mean_ms": round(statistics.fmean(times), 3),
            "max_ms": round(max(times), 3)}


def scan_variant(query: str) -> str:
    """The partners-near query forced to scan labels instead of using the point index."""
    needle = "MATCH (o:Organisation)\n  WHERE point.distance"
    out = query.replace(needle, "MATCH (o:Organisation) USING SCAN o:Organisation\n"
                                "  WHERE point.distance")
    if out.count("USING SCAN") != query.count(needle) or "USING SCAN" not in out:
        raise RuntimeError("partners_near.cypher changed shape: update scan_variant()")
    return out


def _plan_operators(driver: Driver, database: str, query: str, params: dict) -> list[str]:
    _, summary, _ = driver.execute_query("PROFILE " + query, params, database_=database)
    ops: list[str] = []

    def walk(plan: Any) -> None:
        ops.append(f"{plan['operatorType'].split('@')[0]} {plan['args'].get('Details', '')}")
        for child in plan.get("children", []):
            walk(child)

    walk(summary.profile)
    return ops


def bench_near_index(driver: Driver, database: str, params: list[dict], warmup: int) -> dict:
    """Raw partners-near Cypher with the point indexes vs forced label scans."""
    from neo4j.spatial import WGS84Point

    from queries.library import load_query
    from queries.territory import resolve_territory_param

    indexed = load_query("partners_near")
    scanned = scan_variant(indexed)
    points = {}
    for p in params:
        if p["commune"] not in points:
            ref = resolve_territory_param(driver, p["commune"], database=database,
                                          level="commune")
            rec, _, _ = driver.execute_query(
                "MATCH (c:Commune {id: $id}) RETURN c.location AS l", id=ref.id,
                database_=database)
            loc = rec[0]["l"]
            points[p["commune"]] = WGS84Point((loc.longitude, loc.latitude))
    rows = [{"point": points[p["commune"]], "commune_id": None,
             "radius_m": p["radius_km"] * 1000.0, "need": None,
             "kind": None, "role": None, "limit": 50, "offset": 0, "links": 10,
             "as_of": None}  # now (graph/as_of.py), as queries._run passes it
            for p in params]

    def run(query: str) -> Callable[[dict], Any]:
        def call(row: dict) -> Any:
            with driver.session(database=database) as session:
                return session.execute_read(lambda tx: tx.run(query, row).data())
        return call

    plan_indexed = _plan_operators(driver, database, indexed, rows[0])
    plan_scanned = _plan_operators(driver, database, scanned, rows[0])
    with_index = measure(run(indexed), rows, warmup)
    without = measure(run(scanned), rows[: max(len(rows) // 4, 20)], min(warmup, 5))
    return {
        "with_point_index": with_index,
        "with_label_scan": without,
        "speedup_p95": round(without["p95_ms"] / with_index["p95_ms"], 1),
        "speedup_p50": round(without["p50_ms"] / with_index["p50_ms"], 1),
        "plan_with_index": [op for op in plan_indexed if "INDEX" in op or "Scan" in op],
        "plan_with_scan": [op for op in plan_scanned if "INDEX" in op or "Scan" in op],
    }


def question_table(driver: Driver, database: str, params: dict, warmup: int
                   ) -> dict[str, tuple[Callable[[Any], Any], list[Any], int]]:
    """Each timed question: its call, its parameters and its untimed calls."""
    import queries as q

    db = {"database": database}

    def share(values: list) -> list:  # the slow questions get a quarter of the runs
        return values[: max(len(values) // 4, 20)]

    return {
        "partners_near": (lambda p: q.partners_near(driver, limit=50, **p, **db),
                          params["near"], warmup),
        "partners_near_need_role": (lambda p: q.partners_near(driver, limit=50, **p, **db),
                                    params["near_filtered"], warmup),
        "connectors": (lambda p: q.connectors(driver, p[0], p[1], limit=50, **db),
                       params["connectors"], warmup),
        "programmes_of_territory": (lambda p: q.programmes_of_territory(driver, p, **db),
                                    params["programmes"], warmup),
        "gaps_commune": (lambda p: q.gaps(driver, p, **db), params["gaps"], warmup),
        "gaps_departement": (lambda p: q.gaps(driver, p, **db), params["gaps_departement"],
                             min(warmup, 3)),
        "neighbourhood_depth1": (lambda p: q.neighbourhood(driver, p, depth=1, limit=50, **db),
                                 params["neighbourhood"], warmup),
        "neighbourhood_depth2": (lambda p: q.neighbourhood(driver, p, depth=2, limit=50, **db),
                                 share(params["neighbourhood"]), min(warmup, 5)),
        "paths_k4": (lambda p: q.paths(driver, p[0], p[1], max_hops=4, **db),
                     share(params["paths"]), min(warmup, 5)),
        "search": (lambda p: q.search(driver, p, limit=20, **db), params["search"], warmup),
        "dialogue_spaces": (lambda _: q.dialogue_spaces(driver, **db), [None] * 10, 2),
        "stats": (lambda _: q.stats(driver, **db), [None] * 10, 2),
    }


def bench_questions(table: dict) -> dict:
    return {name: measure(call, values, warmup) for name, (call, values, warmup) in table.items()}


# --- analytics --------------------------------------------------------------------------


def bench_analytics(driver: Driver, database: str) -> dict:
    from queries import analytics
    from queries.projection import fetch_projection

    t0 = time.perf_counter()
    graph = fetch_projection(driver, database=database)
    fetch_s = time.perf_counter() - t0
    analytics.clear_cache()
    t0 = time.perf_counter()
    top = analytics.brokers(driver, database=database, refresh=True)
    brokers_s = time.perf_counter() - t0
    analytics.clear_cache()
    t0 = time.perf_counter()
    comm = analytics.communities(driver, database=database, refresh=True)
    communities_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = analytics.communities(driver, database=database)
    cached_ms = (time.perf_counter() - t0) * 1000.0
    return {
        "projection": {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                       "fetch_s": round(fetch_s, 2)},
        "brokers": {"seconds": round(brokers_s, 2), "method": top.method, "k": top.k,
                    "top5": [b.id for b in top.items[:5]]},
        "communities": {"seconds": round(communities_s, 2), "count": comm.total,
                        "modularity": comm.modularity},
        "cached_call_ms": round(cached_ms, 2), "cached": again.cached,
    }


def projection_from_rows(elements: list[dict], connections: list[dict]):
    """The projection (queries/projection.cypher's rules) built from generated rows."""
    import networkx as nx

    kept = {"Organisation", "Programme", "DialogueSpace"}
    types = {"PARTNERS_WITH", "MEMBER_OF", "CARRIES", "FUNDS", "OPERATES", "RELAYS",
             "COPILOTS", "PARTICIPATES_IN"}
    label = {e["id"]: e["type"] for e in elements}
    graph = nx.Graph()
    for e in elements:
        if e["type"] == "Organisation":
            graph.add_node(e["id"], label="Organisation", name=e["name"], kind=e["kind"])
    for c in connections:
        a, b = c["from"], c["to"]
        if c["type"] in types and label.get(a) == "Organisation" and label.get(b) in kept \
                and a != b:
            graph.add_node(b, label=label[b])
            graph.add_edge(a, b)
    return graph


def bench_accuracy(organisations: int, seed: int, samples: int) -> dict:
    """Top 20 organisations by sampled betweenness vs exact, on a generated graph."""
    import networkx as nx

    from loaders.generate import generate, load_places
    from queries.analytics import betweenness

    eco = generate(load_places(), organisations, seed)
    graph = projection_from_rows(eco.elements, eco.connections)

    def top20(scores: dict) -> list[str]:
        orgs = [n for n in scores if graph.nodes[n]["label"] == "Organisation"]
        return sorted(orgs, key=lambda n: (-scores[n], n))[:20]

    t0 = time.perf_counter()
    exact = nx.betweenness_centrality(graph, normalized=True)
    exact_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    sampled, method, k = betweenness(graph, samples=samples, seed=42)
    sampled_s = time.perf_counter() - t0
    shared = len(set(top20(exact)) & set(top20(sampled)))
    return {"organisations": organisations, "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(), "method": method, "k": k,
            "exact_s": round(exact_s, 1), "sampled_s": round(sampled_s, 1),
            "top20_shared": shared, "top20_share": shared / 20}


# --- the API ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Server:
    """A uvicorn process serving ``target`` on a free port, and one kept-alive client."""

    def __init__(self, target: str, *, factory: bool = False, env: dict | None = None):
        import http.client

        self.port = _free_port()
        args = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1",
                "--port", str(self.port), "--log-level", "warning", "--no-access-log"]
        if factory:
            args.append("--factory")
        self.process = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **(env or {})},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def get(self, path: str) -> tuple[int, bytes]:
        self.conn.request("GET", path)  # HTTP/1.1: the connection stays open
        response = self.conn.getresponse()
        return response.status, response.read()

    def wait_ready(self, path: str, seconds: float = 60.0) -> str | None:
        """None once ``path`` answers; else why the server did not start."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                self.get(path)
                return None
            except OSError:
                self.conn.close()
                if time.monotonic() > deadline or self.process.poll() is not None:
                    err = self.process.stderr.read().decode()[-500:] if self.process.stderr \
                        else ""
                    return f"uvicorn ({' '.join(self.process.args[2:4])}) did not start: {err}"
                time.sleep(0.2)

    def close(self) -> None:
        self.conn.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def bench_api(driver: Driver, database: str, params: list[dict], warmup: int) -> dict:
    """GET /partners/near through uvicorn (its own process) vs the wrapper, interleaved,
    and the floor under both: a bare ASGI app giving the same bytes, and the serialisation.

    The API runs in a separate process, as in production, so its event loop does not
    share this process's interpreter lock with the HTTP client and the driver calls. It
    runs with uvloop and httptools when installed (uvicorn's ``auto``). The client is the
    standard library's ``http.client`` on one kept-alive connection: httpx's own
    per-request cost (~0.4 ms here, more to read a 40 KB body) is the client's, not the
    API's, and used to be counted as API overhead. Same parameters and page both sides.

    The floor: ``bench/asgi_floor.py`` (uvicorn, no framework) answers the same paths with
    the bytes the API gave, and ``model_dump_json`` of the wrapper's answer is timed in
    this process. ``overhead - floor`` is what FastAPI, its parameters and dependencies
    and the thread-pool hop cost; the floor is what any Python HTTP API answering this page
    pays on this machine.
    """
    from urllib.parse import urlencode

    try:
        import api.routers.partners  # noqa: F401 - the route measured
    except ImportError as exc:
        return {"skipped": f"the API is not importable ({exc})"}
    import queries as q

    paths = ["/partners/near?" + urlencode({"commune": p["commune"],
                                             "radius_km": p["radius_km"], "limit": 50})
             for p in params]
    api = _Server("api.app:create_app", factory=True)
    floor: _Server | None = None
    times: dict[str, list[float]] = {"api": [], "wrapper": [], "floor": []}
    serialise: list[float] = []
    paired = []
    with tempfile.TemporaryDirectory(prefix="alliance-bench-") as tmp:
        try:
            problem = api.wait_ready("/health")
            if problem:
                return {"skipped": problem}
            # One untimed pass: warms the API and keeps its answers for the floor server.
            bodies = {}
            for path in paths:
                status, body = api.get(path)
                if status != 200:
                    raise RuntimeError(f"GET {path} answered {status}: {body[:200]!r}")
                bodies[path] = body.decode("utf-8")
            bodies_file = Path(tmp) / "bodies.json"
            bodies_file.write_text(json.dumps(bodies), encoding="utf-8")
            floor = _Server("bench.asgi_floor:app",
                            env={"ALLIANCE_BENCH_BODIES": str(bodies_file)})
            problem = floor.wait_ready(paths[0])
            if problem:
                return {"skipped": problem}

            def call(way: str, i: int) -> float:
                """The call's time in ms (the wrapper's without serialising its answer)."""
                t0 = time.perf_counter()
                if way == "wrapper":
                    p = params[i]
                    answer = q.partners_near(driver, commune=p["commune"],
                                             radius_km=p["radius_km"], limit=50,
                                             database=database)
                    t1 = time.perf_counter()
                    answer.model_dump_json()
                    serialise.append((time.perf_counter() - t1) * 1000.0)
                    return (t1 - t0) * 1000.0
                status, _ = (api if way == "api" else floor).get(paths[i])
                if status != 200:
                    raise RuntimeError(f"{way}: GET {paths[i]} answered {status}")
                return (time.perf_counter() - t0) * 1000.0

            ways = ("api", "wrapper", "floor")
            for i in range(len(params)):
                # Whichever runs later finds the caches warm for these parameters: the three
                # take turns going first.
                for way in ways[i % 3:] + ways[:i % 3]:
                    elapsed = call(way, i)
                    if i >= warmup:
                        times[way].append(elapsed)
                if i >= warmup:
                    paired.append(times["api"][-1] - times["wrapper"][-1])
        finally:
            api.close()
            if floor is not None:
                floor.close()
    p50 = {way: percentile(values, 0.5) for way, values in times.items()}
    overhead = p50["api"] - p50["wrapper"]
    http_floor = p50["floor"]  # the bare app makes no database call: all of it is floor
    serialise_p50 = percentile(serialise[warmup:], 0.5)
    return {"endpoint": "GET /partners/near (limit 50)", "runs": len(times["api"]),
            "client": "http.client, one kept-alive connection",
            "server": _uvicorn_flavour(),
            "api_p50_ms": round(p50["api"], 3),
            "api_p95_ms": round(percentile(times["api"], 0.95), 3),
            "driver_p50_ms": round(p50["wrapper"], 3),
            "driver_p95_ms": round(percentile(times["wrapper"], 0.95), 3),
            "overhead_p50_ms": round(overhead, 3),
            # the same parameters, one call after the other: the median of the differences
            "overhead_paired_median_ms": round(percentile(paired, 0.5), 3),
            "floor": {
                "bare_asgi_p50_ms": round(p50["floor"], 3),
                "serialise_p50_ms": round(serialise_p50, 3),
                # what no framework can remove: uvicorn + loopback + the same bytes, and
                # pydantic writing them
                "floor_p50_ms": round(http_floor + serialise_p50, 3),
                "body_bytes_median": sorted(len(b) for b in bodies.values())[len(bodies) // 2],
            },
            "framework_p50_ms": round(overhead - http_floor - serialise_p50, 3)}


def bench_transport(driver: Driver, database: str, params: list[dict], warmup: int) -> dict:
    """Three ways an event loop can run the partners-near query: the sync driver inline
    (blocks the loop: not an option for a server, the reference), the sync driver through
    anyio's thread pool (what a FastAPI ``def`` route does), and the async driver.

    The raw query (one read, rows as dicts) the same three ways, interleaved, under uvloop
    when installed: it tells whether an async API would beat the thread-pool hop.
    """
    import asyncio

    import anyio.to_thread
    from neo4j import AsyncGraphDatabase, RoutingControl

    from graph.driver import connection_info
    from queries._run import read
    from queries.library import load_query

    query = load_query("partners_near")
    rows = [{"commune_id": f"commune:{p['commune']}", "point": None,
             "radius_m": p["radius_km"] * 1000.0, "need": None, "kind": None, "role": None,
             "limit": 50, "offset": 0, "links": 10, "as_of": None} for p in params]

    def sync_call(row: dict) -> list[dict]:
        return read(driver, "partners_near", row, database=database)  # as every question

    async def as_dicts(result: Any) -> list[dict]:  # queries._run's transformer, awaited
        keys = result.keys()
        return [dict(zip(keys, values, strict=True)) for values in await result.values()]

    async def run() -> dict[str, list[float]]:
        info = connection_info()
        auth = (info.user, info.password) if info.password is not None else None
        adriver = AsyncGraphDatabase.driver(info.uri, auth=auth,
                                            notifications_min_severity="OFF")
        times: dict[str, list[float]] = {"inline": [], "thread_pool": [], "async_driver": []}
        try:
            for i, row in enumerate(rows):
                ways = list(times)
                for way in ways[i % 3:] + ways[:i % 3]:
                    t0 = time.perf_counter()
                    if way == "inline":
                        sync_call(row)
                    elif way == "thread_pool":
                        await anyio.to_thread.run_sync(sync_call, row)
                    else:
                        await adriver.execute_query(
                            query, row, routing_=RoutingControl.READ, database_=database,
                            bookmark_manager_=None, result_transformer_=as_dicts)
                    if i >= warmup:
                        times[way].append((time.perf_counter() - t0) * 1000.0)
        finally:
            await adriver.close()
        return times

    try:
        import uvloop

        times, loop = uvloop.run(run()), "uvloop"
    except ImportError:
        times, loop = asyncio.run(run()), "asyncio"
    p50 = {way: percentile(values, 0.5) for way, values in times.items()}
    return {"query": "partners_near (commune, page of 50)", "loop": loop,
            "runs": len(times["inline"]),
            **{f"{way}_p50_ms": round(v, 3) for way, v in p50.items()},
            "thread_pool_over_inline_ms": round(p50["thread_pool"] - p50["inline"], 3),
            "async_driver_over_inline_ms": round(p50["async_driver"] - p50["inline"], 3)}


def bench_round_trip(driver: Driver, database: str, runs: int) -> dict:
    """``RETURN 1`` as the questions run it (``execute_query``: BEGIN, RUN, PULL, then
    COMMIT, two round trips) and as an auto-commit query (one): this machine's cost of
    talking to Neo4j at all, under every figure above."""
    from neo4j import READ_ACCESS, RoutingControl

    managed, auto = [], []
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        for i in range(runs + 20):
            t0 = time.perf_counter()
            driver.execute_query("RETURN 1", routing_=RoutingControl.READ, database_=database,
                                 bookmark_manager_=None)
            t1 = time.perf_counter()
            session.run("RETURN 1").consume()
            t2 = time.perf_counter()
            if i >= 20:
                managed.append((t1 - t0) * 1000.0)
                auto.append((t2 - t1) * 1000.0)
    return {"runs": runs,
            "execute_query_p50_ms": round(percentile(managed, 0.5), 3),
            "execute_query_p95_ms": round(percentile(managed, 0.95), 3),
            "auto_commit_p50_ms": round(percentile(auto, 0.5), 3)}


def warm_up(table: dict, seconds: float) -> dict:
    """Call the questions of ``table`` in turn for ``seconds`` before anything is timed.

    A freshly started Neo4j compiles its hot paths for minutes (the JIT's C2 thread busy
    on one of the two cores): a run started right after ``db start`` measured every
    question about twice as slow as the same run five minutes later. ``stats`` (0.4 s a
    call) is left out.
    """
    turns = [(call, values) for name, (call, values, _) in table.items() if name != "stats"]
    deadline = time.monotonic() + seconds
    done = 0
    while time.monotonic() < deadline:
        call, values = turns[done % len(turns)]
        call(values[(done // len(turns)) % len(values)])
        done += 1
    return {"seconds": seconds, "calls": done}


def _uvicorn_flavour() -> str:
    """Which event loop and HTTP parser uvicorn's ``auto`` picks here."""
    import importlib.util

    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http_impl = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"uvicorn, {loop}, {http_impl}"


# --- main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", "-n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=200, help="Timed calls per question.")
    parser.add_argument("--warmup", type=int, default=20,
                        help="Untimed calls before each measurement.")
    parser.add_argument("--warmup-seconds", type=float, default=60.0,
                        help="Seconds of calls to every question before anything is timed "
                             "(a fresh server's JIT needs minutes).")
    parser.add_argument("--accuracy-organisations", type=int, default=5000)
    parser.add_argument("--skip-analytics", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--output", "-o", type=Path,
                        default=ROOT / "bench" / "results" / "queries.json")
    args = parser.parse_args(argv)

    from graph.driver import get_database, get_driver
    from queries.analytics import DEFAULT_SAMPLES, EXACT_THRESHOLD

    driver, database = get_driver(), get_database()
    driver.verify_connectivity()
    dataset = ensure_ecosystem(driver, database, args.organisations, args.seed)
    if dataset["organisations"] != args.organisations:
        console.print(f"[yellow]the database holds {dataset['organisations']:,} "
                      f"organisations, not {args.organisations:,}: measuring those[/]")
    rng = random.Random(args.seed)
    params = draw_parameters(driver, database, rng, args.runs)
    # The benchmark holds 100,000 ids and names an API process does not: keep them out of
    # the garbage collector's full passes (each took ~25 ms, landing in random timings).
    gc.collect()
    gc.freeze()
    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "dataset": dataset,
        "settings": {"runs": args.runs, "warmup": args.warmup,
                     "warmup_seconds": args.warmup_seconds, "seed": args.seed,
                     "betweenness_exact_threshold": EXACT_THRESHOLD,
                     "betweenness_samples": DEFAULT_SAMPLES},
    }
    table = question_table(driver, database, params, args.warmup)
    console.print(f"warming up for {args.warmup_seconds:g} s…")
    results["warm_up"] = warm_up(table, args.warmup_seconds)
    results["round_trip"] = bench_round_trip(driver, database, args.runs)
    console.print("timing the questions…")
    results["questions"] = bench_questions(table)
    console.print("partners near: point index vs label scan…")
    results["partners_near_index"] = bench_near_index(driver, database, params["near"],
                                                      args.warmup)
    if not args.skip_api:
        console.print("the API vs the driver…")
        results["api"] = bench_api(driver, database, params["near"], args.warmup)
        console.print("sync driver inline, through the thread pool, or the async driver…")
        results["transport"] = bench_transport(driver, database, params["near"], args.warmup)
    if not args.skip_analytics:
        console.print("brokers and communities…")
        results["analytics"] = bench_analytics(driver, database)
    if not args.skip_accuracy:
        console.print(f"sampled vs exact betweenness on {args.accuracy_organisations:,} "
                      "organisations…")
        results["betweenness_accuracy"] = bench_accuracy(args.accuracy_organisations,
                                                         args.seed, DEFAULT_SAMPLES)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    report(results)
    console.print(f"wrote {args.output}")
    return 0


def report(results: dict) -> None:
    table = Table(title=f"Questions on {results['dataset']['organisations']:,} organisations")
    for column in ("question", "runs", "p50 ms", "p95 ms", "target p95"):
        table.add_column(column, justify="right" if column != "question" else "left")
    for name, r in results["questions"].items():
        target = TARGETS_MS.get(name)
        table.add_row(name, str(r["runs"]), f"{r['p50_ms']:.2f}", f"{r['p95_ms']:.2f}",
                      f"≤ {target:g}" if target else "")
    console.print(table)
    near = results["partners_near_index"]
    console.print(f"partners near raw: index p95 {near['with_point_index']['p95_ms']} ms, "
                  f"label scan p95 {near['with_label_scan']['p95_ms']} ms "
                  f"(×{near['speedup_p95']})")
    console.print(f"round trip (RETURN 1): {results['round_trip']}")
    if "api" in results:
        console.print(f"API: {results['api']}")
        console.print(f"transport: {results['transport']}")
    if "analytics" in results:
        console.print(f"analytics: {results['analytics']}")
    if "betweenness_accuracy" in results:
        console.print(f"betweenness accuracy: {results['betweenness_accuracy']}")


if __name__ == "__main__":
    raise SystemExit(main())
