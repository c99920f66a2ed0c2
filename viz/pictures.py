"""Static pictures of a view (PNG, SVG) for print reports, drawn with matplotlib.

Same positions, colours and legend as the HTML page, and what the page shows at first:
the nodes it hides until asked (the régions and France of a neighbourhood, viz/upper.py)
are left out and named in a note. Text is drawn as text objects, so matplotlib escapes it
in SVG (an element named ``<img …>`` stays text); the Agg backend is used, so no display
is needed.

Readable and whole: labels are placed most important first (the centre, then the
largest nodes) and one that would overlap a label or a node already drawn is left out;
nothing is clipped by the axes, and the file is cut around everything drawn with a white
margin of :data:`MARGIN_IN`, so no shape touches the edge. The title, what the view holds,
the notes and the date of the data (« Données du … ») are written on the picture.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from viz.builders import SUGGESTED, SUGGESTED_FR
from viz.palette import MARKERS, colour_of, group_key, legend, shape_of
from viz.upper import hidden_words
from viz.view_graph import ViewGraph, ViewNode

#: at most this many labels are tried (most important first)
LABELS_MAX = 400
#: labels longer than this are cut with "…"
LABEL_CHARS = 48
#: white margin around everything drawn, in inches
MARGIN_IN = 0.3
#: the dashed suggested link, as the page draws it (viz/static/viewer.js)
SUGGESTED_COLOUR = "#c2410c"
#: the largest disc (points²; about half an inch across): a picture of two or three nodes
#: spans little, and the scale that suits a network would draw them a hand wide
MAX_DISC_AREA = 900.0
#: a picture of this many nodes or fewer is drawn narrower (inches): a pair and what it
#: shares need no page-wide figure
SMALL_NODES, SMALL_WIDTH_IN = 8, 7.0
#: pyplot and rcParams are process-wide: one picture at a time (the API draws in threads)
_DRAWING = threading.Lock()


def _plain(text: str) -> str:
    # matplotlib reads $…$ as mathtext: escape the dollar so names show as written.
    return text.replace("$", r"\$")


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1].rstrip() + "…"


def _caption(view: ViewGraph) -> list[str]:
    """The lines under the drawing: notes, what is hidden, the date of the data."""
    from viz.html import data_date_text

    lines = list(view.notes)
    hidden = hidden_words(view)
    if hidden:
        lines.append(f"Non dessinés ici : {hidden} (l'image interactive les montre).")
    date = data_date_text(view)
    if date:
        lines.append(date)
    return lines


def draw_picture(view: ViewGraph, path: str | Path | io.IOBase, *, fmt: str | None = None,
                 width_in: float = 11.0, dpi: int = 150) -> Path | io.IOBase:
    """Write a PNG or SVG of a laid-out view.

    Parameters
    ----------
    view
        A view whose nodes have ``x``/``y`` (see :func:`viz.layout.layout_view`).
    path
        The file to write, or a binary file object (then ``fmt`` is needed).
    fmt
        ``"png"`` or ``"svg"``; by default the file's extension.
    width_in, dpi
        Figure width in inches and PNG resolution.

    Returns
    -------
    Path or file object
        What was written.
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    if not isinstance(path, io.IOBase):
        path = Path(path)
        fmt = fmt or path.suffix.lstrip(".")
    fmt = (fmt or "").lower()
    if fmt not in ("png", "svg"):
        raise ValueError(f"a picture is png or svg, not {fmt!r}")
    placed = [n for n in view.nodes if n.x is not None and n.y is not None and not n.upper]
    if len(placed) <= SMALL_NODES and not view.outline:
        width_in = min(width_in, SMALL_WIDTH_IN)
    land = [] if view.circle else view.outline  # a circle cuts the land around a commune
    xs = [n.x for n in placed] + [p[0] for ring in land for p in ring] or [0.0]
    ys = [n.y for n in placed] + [p[1] for ring in land for p in ring] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    height_in = max(4.0, min(width_in * span_y / span_x, width_in * 1.4)) + 1.2
    with _DRAWING, plt.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        fig, ax = plt.subplots(figsize=(width_in, height_in))
        try:
            _draw(fig, ax, view, placed, max(span_x, span_y))
            fig.savefig(path, format=fmt, dpi=dpi, bbox_inches="tight", pad_inches=MARGIN_IN,
                        facecolor="white",
                        metadata={"Date": None} if fmt == "svg" else None)
        finally:
            plt.close(fig)
    return path


def picture_bytes(view: ViewGraph, fmt: str) -> bytes:
    """A PNG or SVG of a laid-out view, as bytes (for the API's downloads)."""
    buffer = io.BytesIO()
    draw_picture(view, buffer, fmt=fmt)
    return buffer.getvalue()


def disc_areas(placed: list[ViewNode], span: float) -> dict[str, float]:
    """Each node's marker area (points²): its size scaled to the picture's span, at least
    a dot, at most :data:`MAX_DISC_AREA`.

    >>> pair = [ViewNode(id=i, label=i, type="Organisation", size=36.0) for i in "ab"]
    >>> disc_areas(pair, 280.0) == {"a": MAX_DISC_AREA, "b": MAX_DISC_AREA}
    True
    >>> round(disc_areas(pair, 3000.0)["a"])
    105
    """
    scale = 900.0 / max(span, 300.0)
    return {n.id: min(max(12.0, (n.size * scale) ** 2 * 0.9), MAX_DISC_AREA) for n in placed}


def _draw(fig, ax, view: ViewGraph, placed: list[ViewNode], span: float) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    ax.set_title(_plain(view.title), fontsize=13, loc="left")
    fixed = _draw_backdrop(ax, view)
    by_id = {n.id: n for n in placed}
    drawn = [e for e in view.edges if e.source in by_id and e.target in by_id]
    drawn_edges = [e for e in drawn if e.type != SUGGESTED]
    suggested = [e for e in drawn if e.type == SUGGESTED]
    if suggested:  # a hypothesis, not a relationship: dashed, as on the page
        ax.add_collection(LineCollection(
            [[(by_id[e.source].x, -by_id[e.source].y), (by_id[e.target].x, -by_id[e.target].y)]
             for e in suggested], colors=SUGGESTED_COLOUR, linewidths=2.2,
            linestyles=(0, (4, 3)), zorder=1, clip_on=False))
    segments = [[(by_id[e.source].x, -by_id[e.source].y), (by_id[e.target].x, -by_id[e.target].y)]
                for e in drawn_edges]
    widths = [min(0.6 + 0.4 * (e.count - 1), 4.0) for e in drawn_edges]
    ax.add_collection(LineCollection(segments, colors="#9aa5b1", linewidths=widths, zorder=1,
                                     clip_on=False))
    areas = disc_areas(placed, span)
    by_key: dict[str, list[ViewNode]] = {}
    for node in placed:
        by_key.setdefault(group_key(node), []).append(node)
    for nodes in by_key.values():
        ax.scatter([n.x for n in nodes], [-n.y for n in nodes], s=[areas[n.id] for n in nodes],
                   c=colour_of(nodes[0]), marker=MARKERS.get(shape_of(nodes[0]), "o"),
                   edgecolors=["#111" if n.centre else "white" for n in nodes],
                   linewidths=0.8, zorder=2, clip_on=False)
    ax.set_aspect("equal", adjustable="datalim")
    ax.autoscale_view()
    ax.margins(0.05)
    ax.axis("off")
    fig.tight_layout()
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()
    # the captions of a map's columns and its circle's caption are always written: the
    # labels keep off them
    obstacles = [_extent(artist, renderer) for artist in fixed]
    boxes = _place_labels(fig, ax, placed, areas, fontsize=7 if len(placed) > 40 else 8.5,
                          obstacles=obstacles)
    boxes += _place_names(ax, view, renderer, boxes)
    boxes += _backdrop_extent(ax, view)
    # the legend right of what is drawn and the caption under it, labels included (the
    # limits of equal axes leave room that is not drawn on)
    to_axes = ax.transAxes.inverted()
    if boxes:
        (left, bottom), (right, top) = to_axes.transform(
            [(min(b[0] for b in boxes), min(b[1] for b in boxes)),
             (max(b[2] for b in boxes), max(b[3] for b in boxes))])
    else:
        left, bottom, right, top = 0.0, 0.0, 1.0, 1.0
    handles = [Line2D([], [], linestyle="", marker=MARKERS.get(str(e["shape"]), "o"),
                      markerfacecolor=str(e["colour"]), markeredgecolor="white",
                      markersize=9, label=_plain(f"{e['name']} ({e['count']})"))
               for e in legend(placed)]
    if suggested:
        handles += [Line2D([], [], color="#9aa5b1", linewidth=1.2, label="lien existant"),
                    Line2D([], [], color=SUGGESTED_COLOUR, linewidth=2.2,
                           linestyle=(0, (4, 3)), label=SUGGESTED_FR)]
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(right + 0.02, top),
                  fontsize=8, frameon=False)
    lines = ([view.subtitle] if view.subtitle else []) + _caption(view)
    if lines:
        ax.annotate("\n".join(_plain(line) for line in lines), (left, bottom),
                    xycoords="axes fraction", xytext=(0, -10), textcoords="offset points",
                    ha="left", va="top", fontsize=8, color="#444", annotation_clip=False)


Box = tuple[float, float, float, float]


def _extent(artist, renderer) -> Box:
    box = artist.get_window_extent(renderer)
    return (box.x0, box.y0, box.x1, box.y1)


def _clashes(box: Box, taken: list[Box]) -> bool:
    return any(box[0] < x1 and x0 < box[2] and box[1] < y1 and y0 < box[3]
               for x0, y0, x1, y1 in taken)


def _place_labels(fig, ax, placed: list[ViewNode], areas: dict[str, float], *,
                  fontsize: float, obstacles: list[Box] = ()) -> list[Box]:
    """Label the nodes most important first; a label that would overlap a label, a node
    or an obstacle already there is removed (its node stays, unlabelled). The boxes of
    the nodes and of the labels kept, in display pixels (x0, y0, x1, y1)."""
    import math

    renderer = fig.canvas.get_renderer()
    to_pixels = ax.transData
    points = fig.dpi / 72.0
    taken: list[tuple[str, float, float, float, float]] = [("", *b) for b in obstacles]
    for node in placed:  # every node is an obstacle, its own too (labels sit under it)
        cx, cy = to_pixels.transform((node.x, -node.y))
        r = math.sqrt(areas[node.id]) / 2 * points
        taken.append((node.id, cx - r, cy - r, cx + r, cy + r))
    order = sorted(placed, key=lambda n: (not n.centre, n.count == 1, -n.size, len(n.label),
                                          n.id))[:LABELS_MAX]
    for node in order:
        r = math.sqrt(areas[node.id]) / 2
        text = ax.annotate(_plain(_short(node.label)), (node.x, -node.y),
                           xytext=(0, -(r + 1.5)), textcoords="offset points", ha="center",
                           va="top", fontsize=fontsize, color="#222", zorder=3,
                           annotation_clip=False)
        box = text.get_window_extent(renderer)
        clash = any(box.x0 < x1 and x0 < box.x1 and box.y0 < y1 and y0 < box.y1
                    for other, x0, y0, x1, y1 in taken if other != node.id)
        if clash:
            text.remove()
        else:
            taken.append(("", box.x0, box.y0, box.x1, box.y1))
    return [box[1:] for box in taken]


def _place_names(ax, view: ViewGraph, renderer, taken: list[Box]) -> list[Box]:
    """The names of a map's largest places, after the nodes' labels: one that would
    overlap a label, a node or another name is left out. Their boxes."""
    kept: list[Box] = []
    for x, y, name in view.places:
        text = ax.annotate(_plain(name), (x, -y), xytext=(0, 1), textcoords="offset points",
                           ha="center", va="bottom", fontsize=6.5, color="#5f6d7c",
                           fontstyle="italic", zorder=0.6, annotation_clip=False)
        box = _extent(text, renderer)
        if _clashes(box, taken) or _clashes(box, kept):
            text.remove()
        else:
            kept.append(box)
    return kept


def _backdrop_extent(ax, view: ViewGraph) -> list[Box]:
    """The box of a map's land, points and circle, in display pixels ([] for none)."""
    land = [] if view.circle else view.outline
    points = [p for ring in land for p in ring] + list(view.dots)
    if view.circle:
        x, y, r, _ = view.circle
        points += [(x - r, y - r), (x + r, y + r)]
    if not points:
        return []
    pixels = ax.transData.transform([(x, -y) for x, y in points])
    return [(float(pixels[:, 0].min()), float(pixels[:, 1].min()),
             float(pixels[:, 0].max()), float(pixels[:, 1].max()))]


def _draw_backdrop(ax, view: ViewGraph) -> list:
    """A map's backdrop, as the page draws it: the outline (even-odd), the faint commune
    points, the circle of a radius and the side columns' captions (the places' names come
    after the labels, :func:`_place_names`). The texts drawn, which labels keep off."""
    from matplotlib.patches import Circle, PathPatch
    from matplotlib.path import Path as MplPath

    texts = []
    circle = None
    if view.circle:
        x, y, r, text = view.circle
        circle = ax.add_patch(Circle((x, -y), r, facecolor="none", edgecolor="#7b8da3",
                                     linestyle="--", linewidth=1.0, zorder=0.2, clip_on=False))
        texts.append(ax.annotate(_plain(text), (x, -y + r), xytext=(0, 3),
                                 textcoords="offset points", ha="center", va="bottom",
                                 fontsize=7, color="#5b6b7d", annotation_clip=False))
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
            land.set_clip_on(False)
        else:  # around a commune, the land is cut by the circle (and does not widen the axes)
            ax.add_artist(land)
            land.set_clip_path(circle)
    if view.dots:
        ax.scatter([x for x, _ in view.dots], [-y for _, y in view.dots], s=0.6,
                   c="#aeb9c6", marker="s", linewidths=0, zorder=0.5, clip_on=False)
    for x, y, text in view.captions:
        texts.append(ax.annotate(_plain(text), (x, -y), ha="left", va="top", fontsize=7.5,
                                 fontweight="bold", color="#3a4654", zorder=3,
                                 annotation_clip=False))
        # texts do not widen the axes: an invisible line over the caption does
        ax.plot([x, x + 230], [-y, -y - 20 * (text.count("\n") + 1)], alpha=0)
    return texts
