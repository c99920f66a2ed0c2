"""Load benchmark of the HTTP API: N concurrent clients for D seconds on the read routes,
the same while an import runs, and the driver-only throughput of the same questions.

One command (it starts its own Neo4j in ``.alliance/neo4j-load-bench`` on free loopback
ports, loads the territories and a generated ecosystem the first time, and stops the
server at the end)::

    .venv/bin/python bench/load_http.py                      # 200 clients, 60 s a phase
    .venv/bin/python bench/load_http.py --clients 50 --seconds 10

The API is served by ``alliance-graph serve`` itself (the product's uvicorn options,
``cli.serve.uvicorn_options``) in its own process on a free loopback port; the clients are
asyncio + httpx in this process, each with its own connection, over a mix of the read
routes with parameters drawn from the graph (partners near, connectors, programmes and
gaps of a territory, a territory, an element's neighbourhood, search, paths). In one run:

1. a warm-up pass (every route, ``--warmup-seconds``), then the API's RSS;
2. ``reads``: N clients for D seconds; the API's RSS after;
3. ``reads_during_import``: the same while ``POST /imports`` (with the API key) loads a
   generated file again and again (a job when the API answers 202: ``GET /jobs/{id}`` is
   followed); the API's RSS after;
4. ``driver_only`` and ``driver_only_during_import``: the same questions through the query
   wrappers the routes call, from N threads of this process, no HTTP (the import still
   through the API);

and for each phase req/s, p50/p95/p99, status counts, 5xx, connection errors (every
transport error of the client: refused, reset, closed without an answer, timeout), the CPU
seconds of the API, of Neo4j and of this process, and the machine's load average. The
targets: zero connection errors, zero 5xx, RSS after a run at most 1.2 × RSS after the
warm-up, HTTP throughput at least half the driver-only one of the same phase. Writes
``bench/results/load_http.json``; prints each target met or missed (exit status 1 if
one is missed). Loopback only: a non-loopback ``--host`` is refused. Every wait is
bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import ipaddress
import json
import os
import platform
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: the targets of issue 14 (item 3)
MAX_MEMORY_RATIO = 1.2
MIN_THROUGHPUT_RATIO = 0.5

#: how long one request may take before the client gives up (counted as a timeout)
REQUEST_TIMEOUT_S = 60.0
#: how long one import may take
IMPORT_TIMEOUT_S = 600.0


def _bench_queries():
    """bench/queries.py as a module (``ensure_ecosystem``, ``draw_parameters``): its name
    would clash with the ``queries`` package."""
    if "bench_queries" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_queries",
                                                      ROOT / "bench" / "queries.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_queries"] = module
        spec.loader.exec_module(module)
    return sys.modules["bench_queries"]


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def require_loopback(host: str) -> str:
    """``host`` if it is a loopback address; this benchmark never loads another machine."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"refused: {host} is not a loopback address (this benchmark only "
                         "runs against 127.0.0.1 or ::1)")
    return host


# --- processes ----------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` (MB), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of ``pid`` so far (all its threads), or None."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ApiProcess:
    """``alliance-graph serve`` in its own process on a free loopback port; its output goes
    to ``log_path`` (read afterwards for errors)."""

    def __init__(self, env: dict[str, str], log_path: Path, host: str = "127.0.0.1"):
        self.host = require_loopback(host)
        self.port = free_port(host)
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from cli.main import app; app()", "serve",
             "--host", host, "--port", str(self.port)],
            cwd=ROOT, env={**os.environ, **env}, stdout=self._log, stderr=subprocess.STDOUT)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self, timeout: float = 120.0) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(self.base_url + "/health", timeout=5.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("the API did not start: " + self.log_tail())

    def log_tail(self, chars: int = 2000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def log_problems(self) -> dict:
        """What the server's log reports as a problem: the count of error and warning
        lines, and the first 60 lines from the first of them (its traceback)."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        marks = [i for i, line in enumerate(lines)
                 if line.startswith(("ERROR", "WARNING", "CRITICAL"))]
        return {"error_lines": sum(lines[i].startswith(("ERROR", "CRITICAL")) for i in marks),
                "warning_lines": sum(lines[i].startswith("WARNING") for i in marks),
                "first": lines[marks[0]:marks[0] + 60] if marks else []}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


# --- what the clients ask -----------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """One question: its route, its HTTP path and the same question without HTTP."""

    route: str
    path: str
    call: Callable[[Any, str], Any]  # (driver, database) → the wrappers the route calls


def _q(value: Any) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="")


def question_mix(params: dict, codes: list[str]) -> list[Ask]:
    """Every question of the mix, from parameters drawn from the graph (bench/queries.py's
    ``draw_parameters``), route by route in turn."""
    from queries import (
        connectors,
        gaps,
        neighbourhood,
        partners_near,
        paths,
        programmes_of_territory,
        search,
    )
    from queries.element_names import ANY, ORGANISATION, PROGRAMME, element_param
    from queries.elements import territory_detail

    def near(p):
        return Ask("partners_near",
                   f"/partners/near?commune={_q(p['commune'])}&radius_km={p['radius_km']}"
                   "&limit=50",
                   lambda d, db: partners_near(d, commune=p["commune"],
                                               radius_km=p["radius_km"], limit=50,
                                               database=db))

    def conn(p):
        programme, territory = p

        def call(d, db):
            pid = element_param(d, programme, labels=PROGRAMME, database=db)
            return connectors(d, pid, territory, limit=50, database=db)
        return Ask("connectors", f"/connectors?programme={_q(programme)}"
                                 f"&territory={_q(territory)}&limit=50", call)

    def programmes(code):
        return Ask("programmes_of_territory", f"/territories/{_q(code)}/programmes",
                   lambda d, db: programmes_of_territory(d, code, database=db))

    def gap(code):
        return Ask("gaps", f"/territories/{_q(code)}/gaps",
                   lambda d, db: gaps(d, code, database=db))

    def territory(code):
        return Ask("territory", f"/territories/{_q(code)}",
                   lambda d, db: territory_detail(d, code, database=db))

    def neigh(element):
        def call(d, db):
            eid = element_param(d, element, labels=ANY, database=db)
            return neighbourhood(d, eid, depth=1, limit=50, database=db)
        return Ask("neighbourhood", f"/elements/{_q(element)}/neighbourhood?limit=50", call)

    def find(word):
        return Ask("search", f"/search?q={_q(word)}&limit=20",
                   lambda d, db: search(d, word, limit=20, database=db))

    def path(pair):
        a, b = pair

        def call(d, db):
            start = element_param(d, a, labels=ORGANISATION, database=db)
            end = element_param(d, b, labels=ORGANISATION, database=db)
            return paths(d, start, end, max_hops=4, limit=10, database=db)
        return Ask("paths", f"/paths?source={_q(a)}&target={_q(b)}&max_hops=4", call)

    columns = [
        [near(p) for p in params["near"]],
        [conn(p) for p in params["connectors"]],
        [programmes(c) for c in params["programmes"]],
        [gap(c) for c in params["gaps"]],
        [territory(c) for c in codes],
        [neigh(e) for e in params["neighbourhood"]],
        [find(w) for w in params["search"]],
        [path(p) for p in params["paths"]],
    ]
    width = min(len(c) for c in columns)
    return [column[i] for i in range(width) for column in columns]


# --- one phase ------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a phase saw: latencies of the answers, statuses, transport errors."""

    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    by_route: dict[str, list[float]] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    def answered(self, route: str, status: int, ms: float) -> None:
        self.latencies_ms.append(ms)
        self.statuses[status] += 1
        self.by_route.setdefault(route, []).append(ms)

    def failed(self, route: str, exc: BaseException) -> None:
        self.errors[type(exc).__name__] += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(f"{route}: {type(exc).__name__}: {exc!r}"[:300])

    def summary(self, seconds: float) -> dict:
        done = len(self.latencies_ms)
        return {
            "requests": done + sum(self.errors.values()),
            "answered": done,
            "seconds": round(seconds, 2),
            "req_per_s": round(done / seconds, 1) if seconds else None,
            "p50_ms": _r(percentile(self.latencies_ms, 0.5)),
            "p95_ms": _r(percentile(self.latencies_ms, 0.95)),
            "p99_ms": _r(percentile(self.latencies_ms, 0.99)),
            "max_ms": _r(max(self.latencies_ms, default=None)),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "status_5xx": sum(v for k, v in self.statuses.items() if k >= 500),
            "connection_errors": sum(self.errors.values()),
            "errors": dict(self.errors),
            "error_samples": self.error_samples,
            "by_route": {route: {"n": len(v), "p50_ms": _r(percentile(v, 0.5)),
                                 "p95_ms": _r(percentile(v, 0.95))}
                         for route, v in sorted(self.by_route.items())},
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


async def http_clients(base_url: str, asks: list[Ask], clients: int, seconds: float,
                       tally: Tally, seed: int) -> float:
    """``clients`` clients, each with its own connection (httpx's defaults otherwise: the
    client is an ordinary one), asking the mix in turn from a random start until
    ``seconds`` have passed. Returns the seconds it took."""
    import httpx

    deadline = time.monotonic() + seconds
    rng = random.Random(seed)

    async def client(start: int) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base_url, limits=limits,
                                     timeout=REQUEST_TIMEOUT_S) as http:
            i = start
            while time.monotonic() < deadline:
                ask = asks[i % len(asks)]
                i += 1
                t0 = time.perf_counter()
                try:
                    response = await http.get(ask.path)
                except httpx.TransportError as exc:
                    tally.failed(ask.route, exc)
                    continue
                tally.answered(ask.route, response.status_code,
                               (time.perf_counter() - t0) * 1000.0)

    t0 = time.monotonic()
    tasks = [asyncio.create_task(client(rng.randrange(len(asks)))) for _ in range(clients)]
    # bounded: every request has its own timeout; past that, the phase is cut
    _, pending = await asyncio.wait(tasks, timeout=seconds + REQUEST_TIMEOUT_S + 30)
    for task in pending:
        task.cancel()
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            tally.failed("client", task.exception())
    return time.monotonic() - t0


def driver_clients(driver: Any, database: str, asks: list[Ask], clients: int, seconds: float,
                   tally: Tally, seed: int) -> float:
    """The same questions through the wrappers, from ``clients`` threads, no HTTP."""
    deadline = time.monotonic() + seconds
    rng = random.Random(seed)
    lock = threading.Lock()

    def worker(start: int) -> None:
        i = start
        while time.monotonic() < deadline:
            ask = asks[i % len(asks)]
            i += 1
            t0 = time.perf_counter()
            try:
                ask.call(driver, database)
                status = 200
            except Exception as exc:  # a question that fails counts like a 5xx would
                status = getattr(exc, "status", None) or 500
                if status >= 500:
                    with lock:
                        tally.failed(ask.route, exc)
                    continue
            ms = (time.perf_counter() - t0) * 1000.0
            with lock:
                tally.answered(ask.route, status, ms)

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(rng.randrange(len(asks)),), daemon=True)
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT_S + 30)
    return time.monotonic() - t0


class ImportLoop:
    """``POST /imports`` of one file again and again until stopped (in a thread of its
    own): with the API key, as an operator would. A 202 is a job: ``GET /jobs/{id}`` is
    followed until it ends."""

    def __init__(self, base_url: str, api_key: str, files: list[Path], api_pid: int):
        self.base_url, self.api_key, self.files = base_url, api_key, files
        self.api_pid = api_pid
        self.stop_event = threading.Event()
        self.results: list[dict] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> ImportLoop:
        self.thread.start()
        return self

    def _once(self, http) -> dict:
        t0 = time.monotonic()
        files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in self.files]
        response = http.post("/imports", files=files, params={"skip_invalid": "true"})
        outcome = {"status": response.status_code}
        if response.status_code == 202:  # a job: follow it
            job = response.json()
            url = job.get("url") or f"/jobs/{job['id']}"
            while time.monotonic() - t0 < IMPORT_TIMEOUT_S:
                state = http.get(url).json()
                if state.get("status") in ("done", "failed", "succeeded", "error"):
                    outcome["job"] = state.get("status")
                    break
                time.sleep(0.5)
        outcome["seconds"] = round(time.monotonic() - t0, 2)
        outcome["api_rss_mb_after"] = round(rss_mb(self.api_pid), 1)
        return outcome

    def _client(self):
        import httpx

        return httpx.Client(base_url=self.base_url, timeout=IMPORT_TIMEOUT_S,
                            headers={"X-API-Key": self.api_key})

    def run_once(self) -> dict:
        """One import, waited for (the warm-up's)."""
        with self._client() as http:
            self.results.append(self._once(http))
        return self.results[-1]

    def _run(self) -> None:
        import httpx

        with self._client() as http:
            while not self.stop_event.is_set():
                try:
                    self.results.append(self._once(http))
                except httpx.HTTPError as exc:
                    self.results.append({"error": f"{type(exc).__name__}: {exc}"[:300]})

    def stop(self, timeout: float = IMPORT_TIMEOUT_S) -> list[dict]:
        """Stop after the import under way (bounded by ``timeout``)."""
        self.stop_event.set()
        self.thread.join(timeout=timeout)
        return self.results


def import_files(directory: Path, organisations: int, seed: int,
                 places: list | None = None) -> list[Path]:
    """A generated ecosystem of ``organisations`` (on ``places``, default every territory)
    under ids of its own (``org:loadjob-…``), so importing it never changes the ecosystem
    the clients read, and importing it again writes the same facts (MERGE on id)."""
    from loaders.generate import generate, load_places, write_ecosystem

    directory.mkdir(parents=True, exist_ok=True)
    eco = generate(places if places is not None else load_places(), organisations, seed)
    paths = write_ecosystem(eco, directory)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("org:synth-", "org:loadjob-")
                        .replace("programme:synth-", "programme:loadjob-"), encoding="utf-8")
    return list(paths)


# --- a phase, with what the processes spent ------------------------------------------------


def measured(name: str, run: Callable[[], float], tally: Tally,
             pids: dict[str, int | None]) -> dict:
    before = {k: cpu_seconds(pid) for k, pid in pids.items()}
    load_before = os.getloadavg()[0]
    seconds = run()
    cpu = {}
    for k, pid in pids.items():
        after = cpu_seconds(pid)
        if after is not None and before[k] is not None:
            cpu[k] = round(after - before[k], 1)
    out = tally.summary(seconds)
    out["cpu_seconds"] = cpu
    out["cpu_share_of_two_cores"] = {k: round(v / (seconds * (os.cpu_count() or 1)), 2)
                                     for k, v in cpu.items()}
    out["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    print(f"  {name}: {out['req_per_s']} req/s, p50 {out['p50_ms']} ms, p99 {out['p99_ms']} "
          f"ms, 5xx {out['status_5xx']}, connection errors {out['connection_errors']}, "
          f"cpu {cpu}", file=sys.stderr)
    return out


def run_http(base_url: str, asks: list[Ask], clients: int, seconds: float, seed: int,
             name: str, pids: dict[str, int | None]) -> dict:
    tally = Tally()

    def go() -> float:
        try:
            import uvloop

            return uvloop.run(http_clients(base_url, asks, clients, seconds, tally, seed))
        except ImportError:
            return asyncio.run(http_clients(base_url, asks, clients, seconds, tally, seed))

    return measured(name, go, tally, pids)


def run_driver(driver: Any, database: str, asks: list[Ask], clients: int, seconds: float,
               seed: int, name: str, pids: dict[str, int | None]) -> dict:
    tally = Tally()
    return measured(name, lambda: driver_clients(driver, database, asks, clients, seconds,
                                                 tally, seed), tally, pids)


# --- the whole run --------------------------------------------------------------------------


def api_env(info: Any, api_key: str) -> dict[str, str]:
    """What the API process needs: the database, the key (imports), nothing else changed."""
    return {"NEO4J_URI": info.uri, "NEO4J_USER": info.user,
            "NEO4J_PASSWORD": info.password or "", "NEO4J_DATABASE": info.database,
            "ALLIANCE_API_KEY": api_key}


def load_run(info: Any, driver: Any, asks: list[Ask], *, clients: int, seconds: float,
             warmup_seconds: float, driver_seconds: float | None, import_paths: list[Path],
             neo4j_pid: int | None, seed: int, work_dir: Path, host: str = "127.0.0.1",
             with_import: bool = True, warmup_clients: int = 8) -> dict:
    """Every phase against one API process; the figures and the API's log problems."""
    api_key = secrets.token_urlsafe(24)
    api = ApiProcess(api_env(info, api_key), work_dir / "api.log", host)
    results: dict[str, Any] = {"clients": clients, "seconds": seconds}
    try:
        api.wait_ready()
        pids = {"api": api.pid, "neo4j": neo4j_pid, "bench": os.getpid()}
        results["rss_mb"] = {"started": round(rss_mb(api.pid), 1)}
        # Warm-up: every route many times (and one import when there are imports), so
        # that what the API keeps for its life (caches, pools, the thread pool) is there.
        # A fresh Neo4j plans each question and compiles its hot paths first: a few clients
        # for most of the warm-up (a queue of N would only time out meanwhile), then all N.
        run_http(api.base_url, asks, min(clients, warmup_clients), warmup_seconds, seed,
                 "warm-up", pids)
        run_http(api.base_url, asks, clients, min(10.0, warmup_seconds), seed,
                 f"warm-up, {clients} clients", pids)
        if with_import:
            results["warmup_import"] = ImportLoop(api.base_url, api_key, import_paths,
                                                  api.pid).run_once()
        results["rss_mb"]["after_warmup"] = round(rss_mb(api.pid), 1)
        results["reads"] = run_http(api.base_url, asks, clients, seconds, seed + 1, "reads",
                                    pids)
        results["rss_mb"]["after_reads"] = round(rss_mb(api.pid), 1)
        if driver_seconds:
            results["driver_only"] = run_driver(driver, info.database, asks, clients,
                                                driver_seconds, seed + 1, "driver only",
                                                pids)
        if with_import:
            loop = ImportLoop(api.base_url, api_key, import_paths, api.pid).start()
            results["reads_during_import"] = run_http(api.base_url, asks, clients, seconds,
                                                      seed + 2, "reads during import", pids)
            results["reads_during_import"]["imports"] = loop.stop()
            results["rss_mb"]["after_import_run"] = round(rss_mb(api.pid), 1)
            if driver_seconds:
                loop = ImportLoop(api.base_url, api_key, import_paths, api.pid).start()
                results["driver_only_during_import"] = run_driver(
                    driver, info.database, asks, clients, driver_seconds, seed + 2,
                    "driver only during import", pids)
                results["driver_only_during_import"]["imports"] = loop.stop()
        warm = results["rss_mb"]["after_warmup"]
        results["memory_ratio"] = {k: round(v / warm, 3) for k, v in results["rss_mb"].items()
                                   if k.startswith("after_") and k != "after_warmup"}
    finally:
        api.stop()
        results["server_log"] = api.log_problems()
    return results


def targets(results: dict) -> list[tuple[str, bool, str]]:
    """Each target of the issue: its name, met or not, the figure."""
    out = []
    for phase, driver_phase in (("reads", "driver_only"),
                                ("reads_during_import", "driver_only_during_import")):
        if phase not in results:
            continue
        r = results[phase]
        out.append((f"{phase}: zero connection errors", r["connection_errors"] == 0,
                    str(r["connection_errors"])))
        out.append((f"{phase}: zero 5xx", r["status_5xx"] == 0, str(r["status_5xx"])))
        key = "after_reads" if phase == "reads" else "after_import_run"
        ratio = results["memory_ratio"].get(key)
        out.append((f"{phase}: RSS ≤ {MAX_MEMORY_RATIO} × after warm-up",
                    ratio is not None and ratio <= MAX_MEMORY_RATIO, f"× {ratio}"))
        if driver_phase in results:
            d = results[driver_phase]
            # What bounds a shared machine: the share of CPU each process gets. Answers per
            # CPU second of the process doing the Python work (the API's for HTTP, this
            # one's for the driver only) compare the two ways whatever that share.
            if r["cpu_seconds"].get("api") and d["cpu_seconds"].get("bench"):
                per_cpu = {"http_per_api_cpu_s": round(r["answered"] / r["cpu_seconds"]["api"], 1),
                           "driver_per_bench_cpu_s": round(d["answered"]
                                                           / d["cpu_seconds"]["bench"], 1)}
                per_cpu["ratio"] = round(per_cpu["http_per_api_cpu_s"]
                                         / per_cpu["driver_per_bench_cpu_s"], 3)
                results.setdefault("answers_per_cpu_second", {})[phase] = per_cpu
            t = r["req_per_s"] / d["req_per_s"]
            results.setdefault("throughput_ratio", {})[phase] = round(t, 3)
            out.append((f"{phase}: HTTP ≥ {MIN_THROUGHPUT_RATIO} × driver only",
                        t >= MIN_THROUGHPUT_RATIO,
                        f"{r['req_per_s']} / {results[driver_phase]['req_per_s']} req/s = "
                        f"× {t:.2f}"))
        if phase == "reads_during_import":
            bad = [i for i in r.get("imports", []) if i.get("status") not in (200, 202)
                   or i.get("job") in ("failed", "error")]
            out.append(("imports during the run all succeeded", not bad,
                        f"{len(r.get('imports', []))} imports, {len(bad)} failed"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", "-c", type=int, default=200)
    parser.add_argument("--seconds", "-d", type=float, default=60.0,
                        help="Seconds of each HTTP phase.")
    parser.add_argument("--driver-seconds", type=float, default=30.0,
                        help="Seconds of each driver-only phase (0: skip).")
    parser.add_argument("--warmup-seconds", type=float, default=30.0,
                        help="Seconds of the warm-up pass (with --warmup-clients), followed "
                             "by 10 s with every client; neither is counted.")
    parser.add_argument("--warmup-clients", type=int, default=8)
    parser.add_argument("--organisations", "-n", type=int, default=20_000,
                        help="Size of the generated ecosystem the clients read.")
    parser.add_argument("--import-organisations", type=int, default=2_000,
                        help="Size of the file the import job loads, again and again.")
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--host", default="127.0.0.1", help="Loopback address to serve on.")
    parser.add_argument("--db-dir", type=Path, default=ROOT / ".alliance" / "neo4j-load-bench",
                        help="Home of the Neo4j this benchmark starts (kept between runs).")
    parser.add_argument("--settings-server", action="store_true",
                        help="Use the server of the settings (NEO4J_URI or the managed one) "
                             "instead of starting one.")
    parser.add_argument("--output", "-o", type=Path,
                        default=ROOT / "bench" / "results" / "load_http.json")
    args = parser.parse_args(argv)
    require_loopback(args.host)

    from graph.driver import connection_info, make_driver
    from graph.server import ManagedNeo4j
    from graph.settings import Settings

    server = None
    if args.settings_server:
        info = connection_info()
    else:
        settings = Settings(NEO4J_URI=None, db_dir=args.db_dir, bolt_port=free_port(),
                            http_port=free_port(), heap="1g", pagecache="512m")
        server = ManagedNeo4j(settings)
        print(f"starting Neo4j in {args.db_dir} on port {settings.bolt_port}…",
              file=sys.stderr)
        server.start()
        info = connection_info(settings)
    driver = make_driver(info)
    try:
        bq = _bench_queries()
        dataset = bq.ensure_ecosystem(driver, info.database, args.organisations, args.seed)
        rng = random.Random(args.seed)
        params = bq.draw_parameters(driver, info.database, rng, 200)
        codes = [rng.choice(params["programmes"] + params["gaps_departement"])
                 for _ in range(200)]
        asks = question_mix(params, codes)
        with tempfile.TemporaryDirectory(prefix="alliance-load-") as tmp:
            work = Path(tmp)
            paths = [] if args.no_import else import_files(
                work / "import", args.import_organisations, args.seed + 100)
            results: dict[str, Any] = {
                "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                            "platform": platform.platform(),
                            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
                "dataset": dataset,
                "mix": sorted({a.route for a in asks}),
                "import_organisations": None if args.no_import else args.import_organisations,
            }
            results.update(load_run(
                info, driver, asks, clients=args.clients, seconds=args.seconds,
                warmup_seconds=args.warmup_seconds, driver_seconds=args.driver_seconds,
                import_paths=paths, neo4j_pid=server.pid() if server else None,
                seed=args.seed, work_dir=work, host=args.host,
                with_import=not args.no_import, warmup_clients=args.warmup_clients))
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        checks = targets(results)
        results["targets"] = [{"target": n, "met": ok, "figure": f} for n, ok, f in checks]
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        for name, ok, figure in checks:
            print(f"{'met   ' if ok else 'MISSED'}  {name}: {figure}")
        print(f"wrote {args.output}")
        return 0 if all(ok for _, ok, _ in checks) else 1
    finally:
        driver.close()
        if server is not None:
            server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
