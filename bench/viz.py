"""Benchmark of the network pages: layout, build time, size, time to a settled picture.

Synthetic views (no Neo4j) of 100, 1,000 and 5,000 nodes, drawn one by one (no cap, the
hardest case), plus 5,000 nodes as the default page shows them (grouped past 1,500) and
as a map. For each, ``--runs`` times:

- **end to end**: make the view (:func:`viz.synthetic.synthetic_view` stands for a
  builder), lay it out, write the HTML, open it in headless Chromium (already started)
  and wait for the first complete drawing (vis-network's first ``afterDrawing`` with
  physics off, marked ``ag-settled`` by the viewer): from the builder's call to the
  settled picture, process start-up excluded;
- **settled**: the same mark from the page's navigation start (what Chromium alone takes
  to draw the page with its precomputed positions);
- for network views, **today's force layout against the one before issue 13**
  (``force_layout``: igraph against ``engine="reference"``, numpy and networkx) on the
  same sized view, each first in turn (a garbage collection before each timed part), as
  a ratio of medians; and how close the two
  closest nodes are in drawn sizes (``closest_pair_ratio``: below 1 two discs overlap)
  and how many pairs overlap, for both.

    .venv/bin/python bench/viz.py            # writes bench/results/viz.json
    .venv/bin/python bench/viz.py --sizes 100 1000 --runs 3 --no-browser

Targets: 5,000 nodes settled in at most 3 s from the builder's call; the layout at least
10 times faster than before at 5,000 nodes; a page of at most 1 MB + 300 B a node.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from scipy.spatial import cKDTree  # noqa: E402

from viz.grouping import DEFAULT_CAP, group_view  # noqa: E402
from viz.html import VIS_NETWORK_VERSION, render_html, size_target  # noqa: E402
from viz.layout import (  # noqa: E402
    closest_pair_ratio,
    force_layout,
    layout_view,
    size_nodes,
)
from viz.synthetic import synthetic_view  # noqa: E402
from viz.view_graph import ViewGraph  # noqa: E402

SETTLED_TARGET_S = 3.0
SPEEDUP_TARGET = 10.0
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def make_view(n: int, variant: str) -> ViewGraph:
    """The synthetic view of a case (the builder's part)."""
    view = synthetic_view(n, kind="map" if variant == "map" else "network")
    if variant == "grouped":
        view = group_view(view, DEFAULT_CAP)
    return view


def build(n: int, variant: str, engine: str = "igraph") -> tuple[str, ViewGraph, dict]:
    """Make, lay out and render one view; the HTML, the view and the build figures."""
    started = time.perf_counter()
    view = make_view(n, variant)
    made = time.perf_counter()
    layout_view(view, engine=engine)
    laid_out = time.perf_counter()
    html = render_html(view)
    done = time.perf_counter()
    return html, view, {"view_s": made - started, "layout_s": laid_out - made,
                        "render_s": done - laid_out, "build_s": done - started}


def overlapping_pairs(view: ViewGraph) -> int:
    """Pairs of nodes whose drawn discs overlap (centres closer than the two radii)."""
    xy = np.array([(node.x, node.y) for node in view.nodes], dtype=float)
    radii = np.array([node.size for node in view.nodes], dtype=float)
    pairs = cKDTree(xy).query_pairs(2 * float(radii.max()), output_type="ndarray")
    if not len(pairs):
        return 0
    i, j = pairs[:, 0], pairs[:, 1]
    return int((np.hypot(*(xy[i] - xy[j]).T) < radii[i] + radii[j]).sum())


def load(context, path: Path, started_epoch_ms: float | None = None) -> dict:
    """Open ``path`` in a new tab and wait for the first drawing.

    ``settled_ms`` is the ``ag-settled`` mark from navigation start; with
    ``started_epoch_ms`` (the wall clock when the builder was called), ``end_to_end_ms``
    is from then to the same mark (Chromium's ``timeOrigin`` is on the same clock).
    """
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m, e=errors: m.type == "error" and e.append(m.text))
    started = time.perf_counter()
    page.goto(path.as_uri())
    while not page.evaluate("window.__vizReady === true"):
        if time.perf_counter() - started > 120:
            raise RuntimeError(f"{path.name}: no drawing after 120 s")
        page.wait_for_timeout(5)
    origin, mark = page.evaluate(
        "[performance.timeOrigin, performance.getEntriesByName('ag-settled')[0].startTime]")
    page.close()
    if errors:
        raise RuntimeError(f"{path.name}: console errors {errors[:3]}")
    figures = {"settled_ms": mark}
    if started_epoch_ms is not None:
        figures["end_to_end_ms"] = origin + mark - started_epoch_ms
    return figures


def run_case(n: int, variant: str, *, runs: int, context, workdir: Path,
             reference: bool) -> dict:
    """Every figure of one case, medians over ``runs``."""
    builds: list[dict] = []
    reference_s: list[float] = []
    view = None
    new_s: list[float] = []
    reference_view = None

    def time_layouts(first: str) -> None:
        """igraph's layout and the reference on the same sized view, ``first`` first."""
        nonlocal reference_view
        for engine in (first, "reference" if first == "igraph" else "igraph"):
            fresh = make_view(n, variant)
            size_nodes(fresh)
            gc.collect()  # the garbage of what ran before is not collected in this time
            started = time.perf_counter()
            force_layout(fresh, engine=engine)
            (reference_s if engine == "reference" else new_s).append(
                time.perf_counter() - started)
            if engine == "reference":
                reference_view = fresh

    for run in range(runs):
        # the layout before issue 13 and today's, on the same view, each first in turn
        if reference:
            time_layouts("reference" if run % 2 == 0 else "igraph")
        path = workdir / f"viz-{n}-{variant}-{run}.html"
        gc.collect()
        started_epoch_ms = time.time() * 1000
        html, view, figures = build(n, variant)
        path.write_text(html, encoding="utf-8")
        if context is not None:
            figures.update(load(context, path, started_epoch_ms))
        builds.append(figures)
    assert view is not None
    size = len(render_html(view).encode("utf-8"))

    def median(key: str, scale: float = 1.0, digits: int = 3):
        return round(statistics.median(b[key] for b in builds) * scale, digits)

    result = {
        "nodes_in": n, "variant": variant, "nodes_drawn": len(view.nodes),
        "edges_drawn": len(view.edges),
        "view_s": median("view_s"), "layout_s": median("layout_s"),
        "render_s": median("render_s"), "build_s": median("build_s"),
        "layout_runs_s": [round(b["layout_s"], 3) for b in builds],
        "html_bytes": size, "size_target_bytes": size_target(n),
        "size_ok": size <= size_target(n),
        "closest_pair_ratio": closest_pair_ratio(view),
        "overlapping_pairs": overlapping_pairs(view),
    }
    if reference:
        ref = statistics.median(reference_s)
        new = statistics.median(new_s)
        result.update({
            "force_layout_s": round(new, 3),
            "force_layout_runs_s": [round(s, 3) for s in new_s],
            "reference_force_layout_s": round(ref, 3),
            "reference_force_layout_runs_s": [round(s, 3) for s in reference_s],
            "layout_speedup": round(ref / new, 1),
            "reference_closest_pair_ratio": closest_pair_ratio(reference_view),
            "reference_overlapping_pairs": overlapping_pairs(reference_view),
        })
    if context is not None:
        settled = statistics.median(b["settled_ms"] for b in builds)
        end_to_end = statistics.median(b["end_to_end_ms"] for b in builds)
        result.update({
            "settled_ms": round(settled), "settled_runs_ms": [round(b["settled_ms"])
                                                             for b in builds],
            "end_to_end_ms": round(end_to_end),
            "end_to_end_runs_ms": [round(b["end_to_end_ms"]) for b in builds],
            "end_to_end_ok": end_to_end <= SETTLED_TARGET_S * 1000,
        })
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="Build figures only.")
    parser.add_argument("--no-reference", action="store_true",
                        help="Skip the layout before issue 13 (slow at 5,000 nodes).")
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
            # one page first, so no case pays for the browser's first tab
            warm = workdir / "warm.html"
            warm.write_text(render_html(layout_view(synthetic_view(20))), encoding="utf-8")
            load(context, warm)
        else:
            layout_view(synthetic_view(20))  # imports (igraph, scipy) before any timing
        for n, variant in cases:
            figures = run_case(n, variant, runs=args.runs, context=context, workdir=workdir,
                               reference=variant == "network" and not args.no_reference)
            results.append(figures)
            line = (f"{n:>6} {variant:<8} drawn {figures['nodes_drawn']:>5}  "
                    f"layout {figures['layout_s']:>6.3f} s")
            if "reference_force_layout_s" in figures:
                line += (f"  force layout {figures['force_layout_s']:.3f} s"
                         f" (before {figures['reference_force_layout_s']:.2f} s,"
                         f" x{figures['layout_speedup']})")
            line += (f"  build {figures['build_s']:>5.2f} s  html {figures['html_bytes']:>9,} B"
                     f"  closest {figures['closest_pair_ratio']}")
            if "reference_closest_pair_ratio" in figures:
                line += f" (before {figures['reference_closest_pair_ratio']})"
            if "settled_ms" in figures:
                line += (f"  settled {figures['settled_ms']:>5} ms"
                         f"  end to end {figures['end_to_end_ms']:>5} ms")
            print(line, flush=True)
    finally:
        if context is not None:
            context.close()
        if playwright is not None:
            playwright.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    report = {
        "benchmark": "viz",
        "targets": {"end_to_end_s_at_5000": SETTLED_TARGET_S,
                    "layout_speedup_at_5000": SPEEDUP_TARGET,
                    "html_bytes": "1,000,000 + 300 per node"},
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "load_average": [round(x, 2)
                                                             for x in os.getloadavg()]},
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
