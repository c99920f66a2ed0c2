"""Static pictures of a view (PNG, SVG) for print reports, drawn with matplotlib.

Same positions, colours and legend as the HTML page. Text is drawn as text objects, so
matplotlib escapes it in SVG (an element named ``<img …>`` stays text); the Agg backend
is used, so no display is needed. Labels are drawn for the largest nodes only past 150
nodes, so a picture stays readable.
"""

from __future__ import annotations

from pathlib import Path

from viz.palette import MARKERS, colour_of, group_key, legend, shape_of
from viz.view_graph import ViewGraph

#: past this many nodes, only the largest ones are labelled
LABEL_ALL_MAX = 150
LABELS_MAX = 60


def _plain(text: str) -> str:
    # matplotlib reads $…$ as mathtext: escape the dollar so names show as written.
    return text.replace("$", r"\$")


def draw_picture(view: ViewGraph, path: str | Path, *, fmt: str | None = None,
                 width_in: float = 11.0, dpi: int = 150) -> Path:
    """Write a PNG or SVG of a laid-out view.

    Parameters
    ----------
    view
        A view whose nodes have ``x``/``y`` (see :func:`viz.layout.layout_view`).
    path
        The file to write.
    fmt
        ``"png"`` or ``"svg"``; by default the file's extension.
    width_in, dpi
        Figure width in inches and PNG resolution.

    Returns
    -------
    Path
        The file written.
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in ("png", "svg"):
        raise ValueError(f"a picture is png or svg, not {fmt!r}")
    placed = [n for n in view.nodes if n.x is not None and n.y is not None]
    land = [] if view.circle else view.outline  # a circle cuts the land around a commune
    xs = [n.x for n in placed] + [p[0] for ring in land for p in ring] or [0.0]
    ys = [n.y for n in placed] + [p[1] for ring in land for p in ring] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    height_in = max(4.0, min(width_in * span_y / span_x, width_in * 1.4)) + 1.2
    with plt.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        fig, ax = plt.subplots(figsize=(width_in, height_in))
        try:
            ax.set_title(_plain(view.title), fontsize=13, loc="left")
            _draw_backdrop(ax, view)
            by_id = {n.id: n for n in placed}
            segments = [[(by_id[e.source].x, -by_id[e.source].y),
                         (by_id[e.target].x, -by_id[e.target].y)]
                        for e in view.edges if e.source in by_id and e.target in by_id]
            widths = [min(0.6 + 0.4 * (e.count - 1), 4.0) for e in view.edges
                      if e.source in by_id and e.target in by_id]
            ax.add_collection(LineCollection(segments, colors="#9aa5b1", linewidths=widths,
                                             zorder=1))
            scale = 900.0 / max(span_x, span_y, 300.0)
            by_key: dict[str, list] = {}
            for node in placed:
                by_key.setdefault(group_key(node), []).append(node)
            for nodes in by_key.values():
                ax.scatter([n.x for n in nodes], [-n.y for n in nodes],
                           s=[max(12.0, (n.size * scale) ** 2 * 0.9) for n in nodes],
                           c=colour_of(nodes[0]), marker=MARKERS.get(shape_of(nodes[0]), "o"),
                           edgecolors=["#111" if n.centre else "white" for n in nodes],
                           linewidths=0.8, zorder=2)
            labelled = placed if len(placed) <= LABEL_ALL_MAX else sorted(
                placed, key=lambda n: (-n.size, n.label))[:LABELS_MAX]
            for node in labelled:
                ax.annotate(_plain(node.label), (node.x, -node.y), xytext=(0, -9),
                            textcoords="offset points", ha="center", va="top",
                            fontsize=7 if len(placed) > 40 else 8.5, color="#222", zorder=3)
            handles = [Line2D([], [], linestyle="", marker=MARKERS.get(str(e["shape"]), "o"),
                              markerfacecolor=str(e["colour"]), markeredgecolor="white",
                              markersize=9, label=_plain(f"{e['name']} ({e['count']})"))
                       for e in legend(view.nodes)]
            if handles:
                ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0),
                          fontsize=8, frameon=False)
            for note in view.notes:
                fig.text(0.01, 0.01, _plain(note), fontsize=7, color="#6d4c00")
            ax.set_aspect("equal", adjustable="datalim")
            ax.autoscale_view()
            ax.margins(0.05)
            ax.axis("off")
            fig.tight_layout()
            fig.savefig(path, format=fmt, dpi=dpi, bbox_inches="tight",
                        metadata={"Date": None} if fmt == "svg" else None)
        finally:
            plt.close(fig)
    return path


def _draw_backdrop(ax, view: ViewGraph) -> None:
    """A map's backdrop, as the page draws it: the outline (even-odd), the faint commune
    points, the circle of a radius, the places named and the side columns' captions."""
    from matplotlib.patches import Circle, PathPatch
    from matplotlib.path import Path as MplPath

    circle = None
    if view.circle:
        x, y, r, text = view.circle
        circle = ax.add_patch(Circle((x, -y), r, facecolor="none", edgecolor="#7b8da3",
                                     linestyle="--", linewidth=1.0, zorder=0.2))
        ax.annotate(_plain(text), (x, -y + r), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=7, color="#5b6b7d")
    rings = [ring for ring in view.outline if len(ring) >= 3]
    if rings:
        vertices, codes = [], []
        for ring in rings:
            vertices += [(x, -y) for x, y in ring] + [(ring[0][0], -ring[0][1])]
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 1) + [MplPath.CLOSEPOLY]
        land = PathPatch(MplPath(vertices, codes), facecolor="#eef2f7", edgecolor="#8d9bab",
                         linewidth=1.0, zorder=0)
        if circle is None:
            ax.add_patch(land)
        else:  # around a commune, the land is cut by the circle (and does not widen the axes)
            ax.add_artist(land)
            land.set_clip_path(circle)
    if view.dots:
        ax.scatter([x for x, _ in view.dots], [-y for _, y in view.dots], s=0.6,
                   c="#aeb9c6", marker="s", linewidths=0, zorder=0.5)
    for x, y, name in view.places:
        ax.annotate(_plain(name), (x, -y), xytext=(0, 1), textcoords="offset points",
                    ha="center", va="bottom", fontsize=6.5, color="#5f6d7c",
                    fontstyle="italic", zorder=0.6)
    for x, y, text in view.captions:
        ax.annotate(_plain(text), (x, -y), ha="left", va="top", fontsize=7.5,
                    fontweight="bold", color="#3a4654", zorder=3)
        # texts do not widen the axes: an invisible line over the caption does
        ax.plot([x, x + 230], [-y, -y - 20 * (text.count("\n") + 1)], alpha=0)
