"""The self-contained HTML page of a view: no request to any host, every text escaped.

The page is ours, not pyvis's (whose template loads bootstrap and vis-network from CDNs
and puts titles into ``innerHTML``): vis-network's standalone build and our viewer are
inlined, the data travel as JSON inside ``<script type="application/json">`` (with
``<``, ``>``, ``&``, U+2028 and U+2029 escaped) read with ``JSON.parse``, the heading
goes through Jinja2's autoescape, and tooltips are built with ``textContent``. A strict
Content-Security-Policy (scripts allowed by their SHA-256 only) is in the page itself;
the API sends the same policy as a header, plus ``frame-ancestors``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from graph.french import date_fr
from graph.sources import source_title
from graph.vocabulary import LEVELS
from viz.builders import SUGGESTED, SUGGESTED_FR
from viz.palette import TYPE_NAMES, group_key, kind_name, legend
from viz.upper import toggle_label
from viz.view_graph import ViewGraph, ViewNode

VIS_NETWORK_VERSION = "9.1.13"
STATIC = Path(__file__).resolve().parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: the order of a node row in the page's JSON (short rows keep big pages small)
NODE_FIELDS = ("id", "label", "type", "kind", "territory", "source", "x", "y", "size",
               "count", "centre", "group_key", "upper", "type_fr", "aside")


@cache
def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES),
                       autoescape=select_autoescape(["html"], default_for_string=True))


def sha256_source(text: str) -> str:
    """A CSP source allowing the inline script ``text``: ``'sha256-…'``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


_sha256 = sha256_source


@cache
def _picture_sources() -> tuple[tuple[str, str], ...]:
    """The picture's sources: nothing from anywhere, except our two inline scripts (by
    hash), inline styles (vis-network injects its own) and ``data:`` images."""
    scripts = " ".join((_sha256(_static("vis-network.min.js")), _sha256(_static("viewer.js"))))
    return (("default-src", "'none'"), ("script-src", scripts),
            ("style-src", "'unsafe-inline'"), ("img-src", "data:"), ("base-uri", "'none'"),
            ("form-action", "'none'"))


@cache
def content_security_policy(frame_ancestors: str | None = None, *,
                            sources: tuple[tuple[str, str], ...] | None = None) -> str:
    """A Content-Security-Policy: the picture's by default, the web pages' with their
    ``sources`` (api/pages/rendering.py); one function so both read the same way.

    Parameters
    ----------
    frame_ancestors
        Added as ``frame-ancestors`` (only an HTTP header can carry it, not a meta tag).
    sources
        ``(directive, value)`` pairs, in order; the picture's when None.
    """
    directives = list(sources if sources is not None else _picture_sources())
    if frame_ancestors:
        directives.append(("frame-ancestors", frame_ancestors))
    return "; ".join(f"{name} {value}" for name, value in directives)


def script_json(value: object) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>``, ``&``, U+2028, U+2029.

    ``JSON.parse`` reads the ``\\uXXXX`` escapes back, so the data are unchanged.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def data_date_text(view: ViewGraph) -> str | None:
    """« Données du 2 décembre 2026 », or None when the date of the data is unknown."""
    return f"Données du {date_fr(view.data_date)}" if view.data_date else None


def _shown(node: ViewNode) -> tuple[str, str | None, str | None, str | None]:
    """What the tooltip says of a node, in words: its type, its kind (unless the type says
    it already), its place (not a territory's level) and its source (a seed document's
    title, see graph/sources.py)."""
    type_fr = TYPE_NAMES.get(node.type, node.type)
    kind = TYPE_NAMES.get(node.kind, node.kind) if node.type == "Group" else kind_name(
        node.kind)
    if kind and kind.lower() == type_fr.lower():
        kind = None
    place = None if node.territory in LEVELS else node.territory
    source = node.source if node.count > 1 else source_title(node.source)
    return type_fr, kind, place, source


def page_data(view: ViewGraph) -> dict:
    """What the viewer reads: node rows (see :data:`NODE_FIELDS`; kind, place and source
    in words), edges as ``[source index, target index, type, count]``, legend, outline,
    notes, ``upper``: the toggle's words when some nodes start hidden, else None, and a
    map's backdrop: ``dots`` (flat ``[x0, y0, x1, y1, …]`` in whole pixels: a country has
    35,000 communes), ``places`` ``[x, y, name]``, ``circle`` ``[x, y, r, caption]``,
    ``captions`` ``[x, y, text]``."""
    index = {node.id: i for i, node in enumerate(view.nodes)}
    rows = []
    for node in view.nodes:
        type_fr, kind, place, source = _shown(node)
        rows.append([node.id, node.label, node.type, kind, place, source,
                     node.x if node.x is not None else 0.0,
                     node.y if node.y is not None else 0.0,
                     node.size, node.count, 1 if node.centre else 0, group_key(node),
                     1 if node.upper else 0, type_fr, 1 if node.aside else 0])
    edges = [[index[e.source], index[e.target], e.type, e.count] for e in view.edges
             if e.source in index and e.target in index]
    return {
        "fields": {name: i for i, name in enumerate(NODE_FIELDS)},
        "nodes": rows,
        "edges": edges,
        "legend": legend(view.nodes),
        "outline": view.outline,
        "notes": view.notes,
        "upper": toggle_label(view),
        "map": view.kind == "map",
        "dots": [round(v) for point in view.dots for v in point],
        "places": [list(p) for p in view.places],
        "circle": list(view.circle) if view.circle else None,
        "captions": [list(c) for c in view.captions],
    }


def render_html(view: ViewGraph) -> str:
    """The complete page of a laid-out view (see :func:`viz.layout.layout_view`).

    Returns
    -------
    str
        One HTML document with everything inline; opens from ``file://`` offline.
    """
    template = _environment().get_template("network.html")
    data = page_data(view)
    return template.render(
        title=view.title,
        subtitle=view.subtitle,
        date=data_date_text(view),
        upper=data["upper"],
        notes=view.notes,
        # the line legend, when a suggested link is drawn dashed (viz/builders.py)
        suggested=SUGGESTED_FR if any(e.type == SUGGESTED for e in view.edges) else None,
        policy=content_security_policy(),
        vis_version=VIS_NETWORK_VERSION,
        css=Markup(_static("viewer.css")),  # noqa: S704 - our own file, no user text
        data_json=Markup(script_json(data)),  # noqa: S704 - escaped by script_json
        vis_js=Markup(_static("vis-network.min.js")),  # noqa: S704 - vendored, checked
        viewer_js=Markup(_static("viewer.js")),  # noqa: S704 - our own file
    )


def size_target(node_count: int) -> int:
    """The size a page should stay under: 1 MB plus 300 bytes a node."""
    return 1_000_000 + 300 * node_count
