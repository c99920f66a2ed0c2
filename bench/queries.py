"""Benchmark of the questions: p50 and p95 of each, on the synthetic ecosystem.

Run it against a server whose data you can replace (it loads the ecosystem when the
database holds no organisation)::

    .venv/bin/python bench/queries.py --organisations 100000 --seed 1

It uses the process settings (``NEO4J_URI`` or the managed server, see README.md). When the
database holds no organisation it loads the territory reference, generates the ecosystem
with ``loaders.generate`` and imports it with ``loaders.importer``; otherwise it measures
what is there (and says how many organisations that is).

Measured (``bench/results/queries.json``):

- each question through its wrapper (driver call + models), over many random parameters;
- partners near, the raw query with the point indexes vs the same query forced to scan
  labels (``USING SCAN``), with both plans checked by PROFILE;
- brokers and communities end to end (projection fetched, cache cleared), and the sampled
  betweenness against the exact one on a 5,000-organisation generated graph (in memory);
- the API: ``GET /partners/near`` through uvicorn and an HTTP client vs the wrapper.
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
            ref = resolve_territory_param(driver, p["commune"], database=database)
            rec, _, _ = driver.execute_query(
                "MATCH (c:Commune {id: $id}) RETURN c.location AS l", id=ref.id,
                database_=database)
            loc = rec[0]["l"]
            points[p["commune"]] = WGS84Point((loc.longitude, loc.latitude))
    rows = [{"point": points[p["commune"]], "commune_id": None,
             "radius_m": p["radius_km"] * 1000.0, "need": None,
             "kind": None, "role": None, "limit": 50, "offset": 0, "links": 10}
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


def bench_questions(driver: Driver, database: str, params: dict, warmup: int) -> dict:
    import queries as q

    db = {"database": database}
    return {
        "partners_near": measure(lambda p: q.partners_near(driver, limit=50, **p, **db),
                                 params["near"], warmup),
        "partners_near_need_role": measure(
            lambda p: q.partners_near(driver, limit=50, **p, **db), params["near_filtered"],
            warmup),
        "connectors": measure(lambda p: q.connectors(driver, p[0], p[1], limit=50, **db),
                              params["connectors"], warmup),
        "programmes_of_territory": measure(
            lambda p: q.programmes_of_territory(driver, p, **db), params["programmes"], warmup),
        "gaps_commune": measure(lambda p: q.gaps(driver, p, **db), params["gaps"], warmup),
        "gaps_departement": measure(lambda p: q.gaps(driver, p, **db),
                                    params["gaps_departement"], min(warmup, 3)),
        "neighbourhood_depth1": measure(
            lambda p: q.neighbourhood(driver, p, depth=1, limit=50, **db),
            params["neighbourhood"], warmup),
        "neighbourhood_depth2": measure(
            lambda p: q.neighbourhood(driver, p, depth=2, limit=50, **db),
            params["neighbourhood"][: max(len(params["neighbourhood"]) // 4, 20)],
            min(warmup, 5)),
        "paths_k4": measure(lambda p: q.paths(driver, p[0], p[1], max_hops=4, **db),
                            params["paths"][: max(len(params["paths"]) // 4, 20)],
                            min(warmup, 5)),
        "search": measure(lambda p: q.search(driver, p, limit=20, **db), params["search"],
                          warmup),
        "dialogue_spaces": measure(lambda _: q.dialogue_spaces(driver, **db), [None] * 10, 2),
        "stats": measure(lambda _: q.stats(driver, **db), [None] * 10, 2),
    }


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


def bench_api(driver: Driver, database: str, params: list[dict], warmup: int) -> dict:
    """GET /partners/near through uvicorn (its own process) vs the wrapper, interleaved.

    The API runs in a separate process, as in production, so its event loop does not
    share this process's interpreter lock with the HTTP client and the driver calls. It
    runs with uvloop and httptools when installed (uvicorn's ``auto``). The client is the
    standard library's ``http.client`` on one kept-alive connection: httpx's own
    per-request cost (~0.4 ms here, more to read a 40 KB body) is the client's, not the
    API's, and used to be counted as API overhead. Same parameters and page both sides.
    """
    import http.client
    from urllib.parse import urlencode

    try:
        import api.routers.partners  # noqa: F401 - the route measured
    except ImportError as exc:
        return {"skipped": f"the API is not importable ({exc})"}
    import queries as q

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--no-access-log"],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    api_times, wrapper_times, paired = [], [], []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(path: str) -> tuple[int, bytes]:
        conn.request("GET", path)  # HTTP/1.1: the connection stays open
        response = conn.getresponse()
        return response.status, response.read()

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get("/health")
                break
            except OSError:
                conn.close()
                if time.monotonic() > deadline or server.poll() is not None:
                    err = server.stderr.read().decode()[-500:] if server.stderr else ""
                    return {"skipped": f"uvicorn did not start: {err}"}
                time.sleep(0.2)
        for i, p in enumerate(params):
            path = "/partners/near?" + urlencode(
                {"commune": p["commune"], "radius_km": p["radius_km"], "limit": 50})
            # Whichever runs second finds the server's caches warm for these parameters:
            # the two take turns going first.
            for api_turn in ((True, False) if i % 2 == 0 else (False, True)):
                t0 = time.perf_counter()
                if api_turn:
                    status, body = get(path)
                    if status != 200:
                        raise RuntimeError(f"GET {path} answered {status}: {body[:200]!r}")
                else:
                    q.partners_near(driver, commune=p["commune"], radius_km=p["radius_km"],
                                    limit=50, database=database)
                elapsed = (time.perf_counter() - t0) * 1000.0
                if i >= warmup:
                    (api_times if api_turn else wrapper_times).append(elapsed)
            if i >= warmup:
                paired.append(api_times[-1] - wrapper_times[-1])
    finally:
        conn.close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    api_p50, wrap_p50 = percentile(api_times, 0.5), percentile(wrapper_times, 0.5)
    return {"endpoint": "GET /partners/near (limit 50)", "runs": len(api_times),
            "client": "http.client, one kept-alive connection",
            "server": _uvicorn_flavour(),
            "api_p50_ms": round(api_p50, 3), "api_p95_ms": round(percentile(api_times, 0.95), 3),
            "driver_p50_ms": round(wrap_p50, 3),
            "driver_p95_ms": round(percentile(wrapper_times, 0.95), 3),
            "overhead_p50_ms": round(api_p50 - wrap_p50, 3),
            # the same parameters, one call after the other: the median of the differences
            "overhead_paired_median_ms": round(percentile(paired, 0.5), 3)}


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
    parser.add_argument("--warmup", type=int, default=20)
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
        "settings": {"runs": args.runs, "warmup": args.warmup, "seed": args.seed,
                     "betweenness_exact_threshold": EXACT_THRESHOLD,
                     "betweenness_samples": DEFAULT_SAMPLES},
    }
    console.print("timing the questions…")
    results["questions"] = bench_questions(driver, database, params, args.warmup)
    console.print("partners near: point index vs label scan…")
    results["partners_near_index"] = bench_near_index(driver, database, params["near"],
                                                      args.warmup)
    if not args.skip_api:
        console.print("the API vs the driver…")
        results["api"] = bench_api(driver, database, params["near"], args.warmup)
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
    if "api" in results:
        console.print(f"API: {results['api']}")
    if "analytics" in results:
        console.print(f"analytics: {results['analytics']}")
    if "betweenness_accuracy" in results:
        console.print(f"betweenness accuracy: {results['betweenness_accuracy']}")


if __name__ == "__main__":
    raise SystemExit(main())
