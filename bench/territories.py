"""Benchmark of territory references: the in-memory parser against reading them in Neo4j.

Run it against a server holding the territory reference (``alliance-graph load
territories``; the script loads it when the graph has no commune)::

    .venv/bin/python bench/territories.py

Measured, interleaved in one run (``bench/results/territories.json``), on references drawn
from the reference itself (names as written, names without accents, INSEE codes, postal
codes, département codes, typos):

- ``resolve``: what the product does now — :func:`graph.territory_reference.parse_territory`
  in memory, then one existence check of the id in Neo4j — against what it did before,
  one Cypher lookup by id, code or exact name key (``territory_resolve`` before issue 10),
  which could read neither postal codes, nor ``St-``, nor typos. How many references each
  way reads as the intended territory is counted too;
- ``parse_only``: the parser alone (what the loaders pay per distinct cell);
- ``suggest``: the autocomplete of the pages, :func:`graph.territory_reference.suggest` in
  memory against the ``STARTS WITH`` query on the name and code indexes it replaced;
- ``table_load``: reading the reference table (once per process).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402

console = Console(stderr=True)

# The resolution before the parser (queries/territory_resolve.cypher as it was).
OLD_RESOLVE = """
MATCH (t:Territory) WHERE t.id IN $ids
RETURN t.id AS id, 0 AS rank
UNION
MATCH (t:Territory) WHERE $code IS NOT NULL AND t.code = $code
RETURN t.id AS id, 1 AS rank
UNION
MATCH (t:Territory) WHERE t.name_key = $name_key
RETURN t.id AS id, 2 AS rank
"""
EXISTS = "MATCH (t:Territory {id: $id}) RETURN t.id AS id"
# The pages' autocomplete before (queries/communes_matching.cypher as it was).
OLD_SUGGEST = """
CALL () {
  MATCH (c:Territory) WHERE $key <> '' AND c.name_key STARTS WITH $key AND c:Commune
  RETURN c
  UNION
  MATCH (c:Territory) WHERE $code <> '' AND c.code STARTS WITH $code AND c:Commune
  RETURN c
}
WITH c ORDER BY coalesce(c.population, 0) DESC, c.name LIMIT $limit
RETURN c.id AS id
"""


def _old_ids(text: str) -> tuple[list[str], str | None]:
    """The ids and code the old resolver tried (queries/territory.py before issue 10)."""
    import re

    text = text.strip()
    if text.upper() in ("FR", "FRANCE"):
        return ["FR"], "FR"
    code = text.upper()
    if re.fullmatch(r"\d{9}", code):
        return [f"epci:{code}"], code
    if re.fullmatch(r"[0-9][0-9AB][0-9]{3}", code):
        return [f"commune:{code}"], code
    if re.fullmatch(r"[0-9][0-9AB][0-9]?", code):
        return [f"departement:{code}"], code
    return [], None


def _typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, max(2, len(name) - 1))
    return name[:i] + name[i + 1:] if rng.random() < 0.5 else name[:i] + "x" + name[i + 1:]


def workload(n: int, seed: int) -> list[tuple[str, str, str]]:
    """``n`` references (text, intended id, kind), drawn from the reference table."""
    from graph.territory_table import get_table

    table = get_table()
    rng = random.Random(seed)
    communes = sorted((t for t in table.by_id.values() if t.level == "commune"),
                      key=lambda t: (-t.population, t.id))
    big = communes[:3000]  # the places people write about most
    postal_of = {}
    for cp, codes in table.postal.items():
        for code in codes:
            postal_of.setdefault(code, cp)
    out = []
    kinds = ["name", "name_plain", "insee", "postal", "departement", "typo"]
    while len(out) < n:
        kind = kinds[len(out) % len(kinds)]
        t = rng.choice(big)
        if kind == "name":
            out.append((t.name, t.id, kind))
        elif kind == "name_plain":
            plain = t.name.upper().replace("SAINT-", "ST-").replace("É", "E").replace("È", "E")
            out.append((plain, t.id, kind))
        elif kind == "insee":
            out.append((t.code, t.id, kind))
        elif kind == "postal" and t.code in postal_of:
            out.append((postal_of[t.code], t.id, kind))
        elif kind == "departement":
            dep = t.departements[0]
            out.append((dep, f"departement:{dep}", kind))
        elif kind == "typo" and len(t.name) > 5:
            out.append((_typo(t.name, rng), t.id, kind))
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _summary(ms: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(ms), 4), "p95_ms": round(_pct(ms, 0.95), 4),
            "mean_ms": round(statistics.fmean(ms), 4), "calls": len(ms)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--references", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" /
                        "territories.json")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    from graph.territory_table import build_table, get_table
    get_table()
    table_load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    build_table()
    table_rebuild_s = time.perf_counter() - t0

    from graph.driver import get_driver
    from graph.settings import get_settings
    from graph.territory_reference import parse_territory, suggest
    from graph.vocabulary import normalise_token

    settings = get_settings()
    driver = get_driver()
    database = settings.neo4j_database
    communes = driver.execute_query("MATCH (c:Commune) RETURN count(c) AS n",
                                    database_=database).records[0]["n"]
    if communes == 0:
        from loaders.territories import load_territories
        console.print("loading the territory reference…")
        load_territories(driver, database=database)

    refs = workload(args.references, args.seed)

    def new_way(text: str) -> tuple[str | None, set[str]]:
        """The id taken, and every id the user is told about (other readings, choices,
        suggestions)."""
        reading = parse_territory(text)
        told = {c.id for c in reading.candidates} | {c.id for c in reading.suggestions}
        if reading.taken is None:
            return None, told
        rows = driver.execute_query(EXISTS, {"id": reading.taken.id}, database_=database,
                                    routing_="r").records
        return (rows[0]["id"] if rows else None), told

    def old_way(text: str) -> tuple[str | None, set[str]]:
        ids, code = _old_ids(text)
        rows = driver.execute_query(OLD_RESOLVE, {"ids": ids, "code": code,
                                                  "name_key": normalise_token(text)},
                                    database_=database, routing_="r").records
        if not rows:
            return None, set()
        taken = min(rows, key=lambda r: r["rank"])["id"]
        return taken, {taken}

    # warm both ways (JIT, query caches)
    for text, _, _ in refs[:200]:
        new_way(text)
        old_way(text)

    timings: dict[str, list[float]] = {"new": [], "old": [], "parse_only": []}
    # outcome of each reference, each way: read as intended; the intended territory
    # offered (another reading, a choice, a suggestion); silently read as another
    # territory; nothing read and the intended one not offered
    outcomes: dict[str, dict[str, dict[str, int]]] = {"new": {}, "old": {}}
    for i, (text, intended, kind) in enumerate(refs):
        order = (("new", new_way), ("old", old_way))
        for name, fn in (order if i % 2 == 0 else order[::-1]):
            t0 = time.perf_counter()
            taken, told = fn(text)
            timings[name].append((time.perf_counter() - t0) * 1000)
            if taken == intended:
                outcome = "as_intended"
            elif intended in told:
                outcome = "offered"
            elif taken is not None and len(told) == 1:
                outcome = "silently_other"
            else:
                outcome = "not_found"
            counts = outcomes[name].setdefault(kind, {})
            counts[outcome] = counts.get(outcome, 0) + 1
        t0 = time.perf_counter()
        parse_territory(text)
        timings["parse_only"].append((time.perf_counter() - t0) * 1000)
    per_kind = {kind: {"references": sum(1 for _, _, k in refs if k == kind),
                       "parser": outcomes["new"].get(kind, {}),
                       "old_lookup": outcomes["old"].get(kind, {})}
                for kind in sorted({k for _, _, k in refs})}

    # autocomplete: prefixes of names and codes people type
    rng = random.Random(args.seed)
    prefixes = []
    for text, _, kind in refs:
        if kind in ("name", "insee", "postal"):
            prefixes.append(text[: rng.randint(2, min(6, len(text)))])
    sug: dict[str, list[float]] = {"new": [], "old": []}

    def old_suggest(q: str) -> list[str]:
        code = q.upper() if q[:1].isdigit() else ""
        key = "" if code else normalise_token(q)
        return [r["id"] for r in driver.execute_query(
            OLD_SUGGEST, {"key": key, "code": code, "limit": 12}, database_=database,
            routing_="r").records]

    for q in prefixes[:100]:
        suggest(q, 12)
        old_suggest(q)
    for i, q in enumerate(prefixes):
        order = (("new", lambda q=q: suggest(q, 12)), ("old", lambda q=q: old_suggest(q)))
        for name, fn in (order if i % 2 == 0 else order[::-1]):
            t0 = time.perf_counter()
            fn()
            sug[name].append((time.perf_counter() - t0) * 1000)

    result: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count(),
                    "platform": platform.platform()},
        "references": len(refs), "seed": args.seed,
        "table_load_s": round(table_load_s, 3), "table_rebuild_s": round(table_rebuild_s, 3),
        "resolve": {"parser_plus_exists": _summary(timings["new"]),
                    "old_cypher_lookup": _summary(timings["old"]),
                    "ratio_p50_old_over_new": round(statistics.median(timings["old"])
                                                    / statistics.median(timings["new"]), 2),
                    "outcomes": per_kind},
        "parse_only": _summary(timings["parse_only"]),
        "suggest": {"in_memory": _summary(sug["new"]), "cypher_starts_with": _summary(sug["old"]),
                    "ratio_p50_old_over_new": round(statistics.median(sug["old"])
                                                    / statistics.median(sug["new"]), 2)},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    console.print_json(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
