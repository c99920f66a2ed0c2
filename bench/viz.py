"""Benchmark of the network pages: build time, size, and time to a settled picture.

Synthetic views (no Neo4j) of 100, 1,000 and 5,000 nodes, drawn one by one (no cap, the
hardest case), plus 5,000 nodes as the default page shows them (grouped past 1,500) and
as a map. For each: the time to lay out and write the HTML, its size against the target
(1 MB + 300 bytes a node), and the time headless Chromium takes from navigation start to
the first complete drawing (vis-network's first ``afterDrawing`` with physics off, marked
``ag-settled`` by the viewer; the median of ``--runs`` loads).

    .venv/bin/python bench/viz.py            # writes bench/results/viz.json
    .venv/bin/python bench/viz.py --sizes 100 1000 --runs 3

Targets: 5,000 nodes settled in at most 3 s; a page of at most 1 MB + 300 B a node.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viz.grouping import DEFAULT_CAP, group_view  # noqa: E402
from viz.html import VIS_NETWORK_VERSION, render_html, size_target  # noqa: E402
from viz.layout import layout_view  # noqa: E402
from viz.synthetic import synthetic_view  # noqa: E402

SETTLED_TARGET_S = 3.0
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def build(n: int, variant: str) -> tuple[str, dict]:
    """Lay out and render one view; the HTML and its build figures."""
    started = time.perf_counter()
    view = synthetic_view(n, kind="map" if variant == "map" else "network")
    if variant == "grouped":
        view = group_view(view, DEFAULT_CAP)
    layout_view(view)
    laid_out = time.perf_counter()
    html = render_html(view)
    done = time.perf_counter()
    size = len(html.encode("utf-8"))
    return html, {
        "nodes_in": n, "variant": variant, "nodes_drawn": len(view.nodes),
        "edges_drawn": len(view.edges),
        "layout_s": round(laid_out - started, 3), "render_s": round(done - laid_out, 3),
        "build_s": round(done - started, 3), "html_bytes": size,
        "size_target_bytes": size_target(n), "size_ok": size <= size_target(n),
    }


def settle_times(context, path: Path, runs: int) -> dict:
    """Median time (ms) from navigation start to the first drawing, over ``runs`` loads."""
    marks, walls = [], []
    for _ in range(runs):
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, e=errors: m.type == "error" and e.append(m.text))
        started = time.perf_counter()
        page.goto(path.as_uri())
        while not page.evaluate("window.__vizReady === true"):
            if time.perf_counter() - started > 120:
                raise RuntimeError(f"{path.name}: no drawing after 120 s")
            page.wait_for_timeout(10)
        walls.append((time.perf_counter() - started) * 1000)
        marks.append(page.evaluate(
            "performance.getEntriesByName('ag-settled')[0].startTime"))
        if errors:
            raise RuntimeError(f"{path.name}: console errors {errors[:3]}")
        page.close()
    settled = statistics.median(marks)
    return {"settled_ms": round(settled), "settled_runs_ms": [round(m) for m in marks],
            "wall_ms": round(statistics.median(walls)),
            "settled_ok": settled <= SETTLED_TARGET_S * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="Build figures only.")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "viz.json")
    args = parser.parse_args()

    cases = [(n, "network") for n in args.sizes]
    largest = max(args.sizes)
    if largest > DEFAULT_CAP:
        cases += [(largest, "grouped"), (largest, "map")]
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="alliance-bench-viz-"))
    context = playwright = None
    try:
        if not args.no_browser:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            context = playwright.chromium.launch_persistent_context(
                str(workdir / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS,
                viewport={"width": 1280, "height": 860})
        for n, variant in cases:
            html, figures = build(n, variant)
            path = workdir / f"viz-{n}-{variant}.html"
            path.write_text(html, encoding="utf-8")
            if context is not None:
                figures.update(settle_times(context, path, args.runs))
            results.append(figures)
            print(f"{n:>6} {variant:<8} drawn {figures['nodes_drawn']:>5}  "
                  f"build {figures['build_s']:>6.2f} s  html {figures['html_bytes']:>9,} B "
                  f"(target {figures['size_target_bytes']:,}) "
                  + (f" settled {figures['settled_ms']:>5} ms" if "settled_ms" in figures
                     else ""), flush=True)
    finally:
        if context is not None:
            context.close()
        if playwright is not None:
            playwright.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    report = {
        "benchmark": "viz",
        "targets": {"settled_s_at_5000": SETTLED_TARGET_S,
                    "html_bytes": "1,000,000 + 300 per node"},
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": __import__("os").cpu_count()},
        "vis_network": VIS_NETWORK_VERSION,
        "runs": args.runs,
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
