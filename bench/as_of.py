"""Benchmark of ``as_of``: each question now and as of a past instant, in one run, and what
the rule of when a fact exists costs the plain question.

Run it (it starts its own Neo4j, kept between runs, and loads the ecosystem the first
time)::

    .venv/bin/python bench/as_of.py                        # 20,000 organisations
    .venv/bin/python bench/as_of.py --organisations 100000 --db-dir .alliance/neo4j-asof-100k

On the generated ecosystem (``loaders.generate``, as bench/queries.py loads it) it writes a
history the way the loaders record it (graph/bookkeeping.py), once: every element and
connection first seen at T0 (``imp-bench-1``), then at T1 (``imp-bench-2``) 5 % of the
organisations added (first seen at T1, with their connections), 5 % retired with their
connections, and 3 % of the other connections retired. Territories keep no history (the
reference). Questions as of T0 + 1 day see the graph before T1.

Each question runs through its Python wrapper over the parameters bench/queries.py draws,
in three ways taking turns on every parameter (whichever goes first rotates):

- ``plain``: now (``$as_of`` null), the question as it runs in production;
- ``as_of``: as of T0 + 1 day;
- ``no_rule``: the same wrapper with the rule written out as ``true`` — the questions as
  they were before ``as_of`` existed, to measure what the rule costs the plain question.

Then each question's exact query (as the wrapper sent it) is PROFILEd in the three ways:
the operators (without the filters) must be the same — the rule is a filter on what the
indexes find, never a reason to plan otherwise — and the database hits are recorded.

The target (issue 15): ``as_of`` at most 1.5 times the plain question at p95.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: as_of costs at most this many times the plain question, at p95
TARGET_RATIO = 1.5

T0 = datetime(2026, 1, 10, 10, 0, tzinfo=UTC)
T1 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
#: the instant the as_of questions ask about: after the first import, before the second
ASKED = T0 + timedelta(days=1)

MODES = ("plain", "as_of", "no_rule")

#: the history, written once (each statement in batches: auto-commit, IN TRANSACTIONS)
HISTORY = [
    # everything but the territories and their PART_OF, first seen at the first import
    """MATCH (n) WHERE NOT n:Territory AND NOT n:Import AND n.first_seen IS NULL
       CALL (n) { SET n.first_seen = $t0, n.import_id = 'imp-bench-1' }
       IN TRANSACTIONS OF 10000 ROWS""",
    """MATCH ()-[r]->() WHERE NOT r:PART_OF AND r.first_seen IS NULL
       CALL (r) { SET r.first_seen = $t0, r.import_id = 'imp-bench-1' }
       IN TRANSACTIONS OF 10000 ROWS""",
    # 5 % of the organisations added by the second import, with their connections
    """MATCH (o:Organisation) WHERE toInteger(right(o.id, 2)) < 5
       CALL (o) { SET o.first_seen = $t1, o.import_id = 'imp-bench-2'
                  WITH o MATCH (o)-[r]-() SET r.first_seen = $t1 }
       IN TRANSACTIONS OF 2000 ROWS""",
    # 5 % retired by it, with their connections
    """MATCH (o:Organisation) WHERE 5 <= toInteger(right(o.id, 2)) < 10
       CALL (o) { SET o.retired_at = $t1, o.retired_by = 'imp-bench-2'
                  WITH o MATCH (o)-[r]-() SET r.retired_at = $t1, r.retired_by = 'imp-bench-2' }
       IN TRANSACTIONS OF 2000 ROWS""",
    # and 3 % of the other connections
    """MATCH ()-[r]->() WHERE NOT r:PART_OF AND r.retired_at IS NULL
         AND toInteger(split(elementId(r), ':')[-1]) % 100 < 3
       CALL (r) { SET r.retired_at = $t1, r.retired_by = 'imp-bench-2' }
       IN TRANSACTIONS OF 10000 ROWS""",
    """CREATE (:Import {id: 'imp-bench-1', at: $t0, dataset: 'bench'}),
              (:Import {id: 'imp-bench-2', at: $t1, dataset: 'bench'})""",
]


def _bench_queries():
    """bench/queries.py as a module (its name would clash with the ``queries`` package)."""
    if "bench_queries" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_queries",
                                                      ROOT / "bench" / "queries.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_queries"] = module
        spec.loader.exec_module(module)
    return sys.modules["bench_queries"]


def ensure_history(driver: Any, database: str) -> dict:
    """Write the history above unless the graph records it already; its counts."""
    records, _, _ = driver.execute_query(
        "MATCH (i:Import {id: 'imp-bench-2'}) RETURN count(i) AS n", database_=database)
    written_s = None
    if not records[0]["n"]:
        print("writing the history (first_seen, retired_at)…", file=sys.stderr)
        t = time.perf_counter()
        with driver.session(database=database) as session:
            for statement in HISTORY:
                session.run(statement, t0=T0, t1=T1).consume()
        written_s = round(time.perf_counter() - t, 1)
    counts, _, _ = driver.execute_query(
        "CALL () { MATCH (o:Organisation) WHERE o.retired_at IS NOT NULL RETURN count(o) AS a }"
        " CALL () { MATCH (o:Organisation) WHERE o.first_seen = $t1 RETURN count(o) AS b }"
        " CALL () { MATCH ()-[r]->() WHERE r.retired_at IS NOT NULL RETURN count(r) AS c }"
        " RETURN a AS retired_organisations, b AS added_organisations,"
        " c AS retired_relationships", t1=T1, database_=database)
    return {"written_s": written_s, **dict(counts[0])}


# --- the three ways -----------------------------------------------------------------------


def _without_rule(name: str, **bounds: int) -> str:
    """``queries/<name>.cypher`` with every ``{{alive …}}`` written as ``true``."""
    from queries import library

    text = library._ALIVE.sub("true", library._source(name))
    return library._PLACEHOLDER.sub(lambda m: str(bounds[m.group(1)]), text)


@contextmanager
def way(mode: str) -> Iterator[None]:
    """The questions within run ``plain``, ``as_of`` (ASKED) or ``no_rule``."""
    from graph import as_of
    from queries import _run

    if mode == "no_rule":
        original = _run.load_query
        _run.load_query = _without_rule
        try:
            yield
        finally:
            _run.load_query = original
    else:
        with as_of.scope(ASKED if mode == "as_of" else None):
            yield


def question_table(driver: Any, database: str, params: dict, warmup: int) -> dict:
    """bench/queries.py's questions, and a few more that the rule touches; ``stats`` is
    the question itself, not its answer kept until the graph changes."""
    from queries.explore import _stats
    from queries.lookups import element_card

    table = _bench_queries().question_table(driver, database, params, warmup)
    db = {"database": database}
    # the counts themselves: the wrapper keeps its answer until the graph changes
    table["stats"] = (lambda _: _stats(driver, database), [None] * 10, 2)
    organisations = params["neighbourhood"]
    table["element_card"] = (lambda p: element_card(driver, p, **db), organisations, warmup)
    # not here: the organisations of a département (GET /organisations?territory=59), which
    # took 5-20 s with the rule and 140-160 s without it at 20,000 organisations (one
    # PART_OF path looked for per organisation: bench/README.md)
    return table


def _safely(call: Callable[[Any], Any], value: Any) -> None:
    from queries.errors import InvalidParameter, NotFoundError

    # an element retired now (or not there yet then) is an answer too
    with suppress(NotFoundError, InvalidParameter):
        call(value)


def measure_three(call: Callable[[Any], Any], values: list[Any], warmup: int) -> dict:
    """Each parameter asked the three ways in turn; p50, p95 of each (ms) and the ratios."""
    bq = _bench_queries()
    for value in values[:warmup]:
        for mode in MODES:
            with way(mode):
                _safely(call, value)
    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    for n, value in enumerate(values):
        for k in range(len(MODES)):
            mode = MODES[(n + k) % len(MODES)]
            with way(mode):
                t = time.perf_counter()
                _safely(call, value)
                times[mode].append((time.perf_counter() - t) * 1000.0)
    out: dict[str, Any] = {"runs": len(values)}
    for mode in MODES:
        out[mode] = {"p50_ms": round(bq.percentile(times[mode], 0.5), 3),
                     "p95_ms": round(bq.percentile(times[mode], 0.95), 3)}
    out["as_of_over_plain_p95"] = round(out["as_of"]["p95_ms"] / out["plain"]["p95_ms"], 2)
    out["as_of_over_plain_p50"] = round(out["as_of"]["p50_ms"] / out["plain"]["p50_ms"], 2)
    out["plain_over_no_rule_p95"] = round(out["plain"]["p95_ms"] / out["no_rule"]["p95_ms"], 2)
    out["plain_over_no_rule_p50"] = round(out["plain"]["p50_ms"] / out["no_rule"]["p50_ms"], 2)
    return out


# --- plans --------------------------------------------------------------------------------


class _Recorder:
    """A driver that remembers the last query and parameters a wrapper sent."""

    def __init__(self, driver: Any):
        self._driver = driver
        self.sent: list[tuple[str, dict]] = []

    def execute_query(self, query: Any, parameters: dict | None = None, **options: Any) -> Any:
        self.sent.append((getattr(query, "text", query), dict(parameters or {})))
        return self._driver.execute_query(query, parameters, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


_FILTERS = {"Filter", "CacheProperties"}


def _plan(driver: Any, database: str, text: str, params: dict) -> dict:
    """The operators of a PROFILE (filters left out, in order) and its database hits."""
    _, summary, _ = driver.execute_query("PROFILE " + text, params, database_=database)
    operators: list[str] = []
    hits = 0

    def walk(plan: Any) -> None:
        nonlocal hits
        hits += plan.get("dbHits", 0)
        name = plan["operatorType"].split("@")[0]
        details = str(plan.get("args", {}).get("Details", ""))
        if name not in _FILTERS:
            index = re.search(r"(POINT|RANGE|TEXT|FULLTEXT|LOOKUP)? ?INDEX [\w:()., ]+", details)
            operators.append(name + (f" [{index.group(0).strip()}]" if index else ""))
        for child in plan.get("children", []):
            walk(child)

    walk(summary.profile)
    return {"operators": operators, "db_hits": hits}


def plans(driver: Any, database: str, table: dict) -> dict:
    """Each question's queries, as its wrapper sent them for its first parameter,
    PROFILEd the three ways."""
    recorder = _Recorder(driver)
    found = {}
    for name, (call, values, _) in table.items():
        shapes: dict[str, Any] = {}
        for mode in MODES:
            recorder.sent.clear()
            with way(mode):
                # the wrappers take the driver from their closure: ask with the recorder
                _safely(_rebind(call, recorder), values[0])
            profiled = [_plan(driver, database, text, params) for text, params in recorder.sent]
            shapes[mode] = {"queries": len(profiled),
                            "operators": [p["operators"] for p in profiled],
                            "db_hits": sum(p["db_hits"] for p in profiled)}
        found[name] = {
            "db_hits": {mode: shapes[mode]["db_hits"] for mode in MODES},
            "same_operators_plain_and_as_of":
                shapes["plain"]["operators"] == shapes["as_of"]["operators"],
            "same_operators_plain_and_no_rule":
                shapes["plain"]["operators"] == shapes["no_rule"]["operators"],
            "index_operators": sorted({op for ops in shapes["plain"]["operators"] for op in ops
                                       if "INDEX" in op}),
            "operators_no_rule": None if shapes["plain"]["operators"]
            == shapes["no_rule"]["operators"] else shapes["no_rule"]["operators"],
            "operators_plain": shapes["plain"]["operators"],
        }
    return found


def _rebind(call: Callable[[Any], Any], driver: Any) -> Callable[[Any], Any]:
    """``call`` with the driver of its closure replaced by ``driver``."""
    import types

    cells = call.__code__.co_freevars
    closure = tuple(
        types.CellType(driver) if name == "driver" else cell
        for name, cell in zip(cells, call.__closure__ or (), strict=True))
    return types.FunctionType(call.__code__, call.__globals__, call.__name__,
                              call.__defaults__, closure)


# --- the run ------------------------------------------------------------------------------


def warm_up(table: dict, seconds: float) -> int:
    """Ask every question every way until ``seconds`` have passed (a fresh server's JIT)."""
    calls = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for call, values, _ in table.values():
            for mode in MODES:
                with way(mode):
                    _safely(call, random.choice(values))
                calls += 1
            if time.monotonic() >= end:
                break
    return calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", "-n", type=int, default=20_000,
                        help="Size of the generated ecosystem (100000 for the big one).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=120,
                        help="Parameters per question (the slow ones take a quarter).")
    parser.add_argument("--warmup", type=int, default=10, help="Untimed calls per question.")
    parser.add_argument("--warmup-seconds", type=float, default=60.0)
    parser.add_argument("--db-dir", type=Path, default=ROOT / ".alliance" / "neo4j-asof-bench",
                        help="Home of the Neo4j this benchmark starts (kept between runs).")
    parser.add_argument("--settings-server", action="store_true",
                        help="Use the server of the settings instead (its data gets the "
                             "history's bookkeeping properties).")
    parser.add_argument("--only", help="Comma-separated question names.")
    parser.add_argument("--output", "-o", type=Path,
                        default=ROOT / "bench" / "results" / "as_of.json")
    args = parser.parse_args(argv)

    from graph.driver import connection_info, make_driver
    from graph.server import ManagedNeo4j
    from graph.settings import Settings

    bq = _bench_queries()
    server = None
    if args.settings_server:
        info = connection_info()
    else:
        settings = Settings(NEO4J_URI=None, db_dir=args.db_dir, bolt_port=_free_port(),
                            http_port=_free_port(), heap="1g", pagecache="1g")
        server = ManagedNeo4j(settings)
        print(f"starting Neo4j in {args.db_dir} on port {settings.bolt_port}…",
              file=sys.stderr)
        server.start()
        info = connection_info(settings)
    driver = make_driver(info)
    try:
        dataset = bq.ensure_ecosystem(driver, info.database, args.organisations, args.seed)
        dataset["history"] = ensure_history(driver, info.database)
        rng = random.Random(args.seed)
        params = bq.draw_parameters(driver, info.database, rng, args.runs)
        table = question_table(driver, info.database, params, args.warmup)
        if args.only:
            table = {k: v for k, v in table.items() if k in args.only.split(",")}
        gc.collect()
        gc.freeze()  # the drawn ids: no full collection in the timings
        print(f"warming up {args.warmup_seconds:.0f} s…", file=sys.stderr)
        warmed = warm_up(table, args.warmup_seconds)
        results: dict[str, Any] = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                        "platform": platform.platform(),
                        "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
            "dataset": dataset, "asked": ASKED.isoformat(), "warmup_calls": warmed,
            "target_as_of_over_plain_p95": TARGET_RATIO, "questions": {},
        }
        for name, (call, values, warmup) in table.items():
            print(f"{name}…", file=sys.stderr)
            try:
                results["questions"][name] = measure_three(call, values, warmup)
            except Exception as exc:  # noqa: BLE001 - a question past its deadline: said
                results["questions"][name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        measured = {n: table[n] for n, r in results["questions"].items() if "error" not in r}
        results["plans"] = plans(driver, info.database, measured)
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        missed = [n for n, r in results["questions"].items()
                  if "error" in r or r["as_of_over_plain_p95"] > TARGET_RATIO]
        results["target_met"] = not missed
        results["missed"] = missed
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        report(results)
        print(f"wrote {args.output}")
        return 0 if not missed else 1
    finally:
        driver.close()
        if server is not None:
            server.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def report(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"as_of ({results['dataset']['organisations']:,} organisations)")
    for column in ("question", "plain p50/p95", "as_of p50/p95", "as_of/plain p95",
                   "no rule p50/p95", "plain/no rule p95", "plan"):
        table.add_column(column)
    for name, r in results["questions"].items():
        if "error" in r:
            table.add_row(name, r["error"][:60], "", "", "", "", "")
            continue
        plan = results["plans"].get(name, {})
        same = "same" if plan.get("same_operators_plain_and_as_of") else "DIFFERS"
        table.add_row(name, f"{r['plain']['p50_ms']} / {r['plain']['p95_ms']}",
                      f"{r['as_of']['p50_ms']} / {r['as_of']['p95_ms']}",
                      f"× {r['as_of_over_plain_p95']}",
                      f"{r['no_rule']['p50_ms']} / {r['no_rule']['p95_ms']}",
                      f"× {r['plain_over_no_rule_p95']}", same)
    Console(stderr=True).print(table)


if __name__ == "__main__":
    raise SystemExit(main())
