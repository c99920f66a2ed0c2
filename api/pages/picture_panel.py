"""The « Intégrer » panel under every picture of the pages: the ``<iframe>`` code to copy
(the same as ``/viz/…/embed`` gives), who may embed it, and the downloads (PNG, SVG,
CSV, GraphML, the offline page), each file named after the picture's title.

The ``picture`` macro of ``_macros.html`` calls :func:`picture_panel` with the frame's
``src`` (``/viz/neighbourhood/org:le-rameau``) and its title in words; the code needs the
site's address, read from the request being rendered (:data:`CURRENT_REQUEST`, set by
:func:`api.pages.rendering.render`), so no template has to pass it.
"""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import Request

from viz.embed import embed_height, iframe_snippet
from viz.titles import file_stem

#: the request whose page is being rendered (for the site's address)
CURRENT_REQUEST: ContextVar[Request | None] = ContextVar("picture_panel_request", default=None)

#: the views a picture's frame can show, by the first segment after /viz/
VIEWS = ("neighbourhood", "connectors", "space", "territory", "suggestion")


@dataclass(frozen=True)
class Download:
    """One file of a picture: what the link says, its address, the file's name."""

    label: str
    href: str
    filename: str


@dataclass(frozen=True)
class PicturePanel:
    """What the panel shows for one picture."""

    #: the panel's element ids start with it (one page may show several pictures)
    key: str
    title: str
    snippet: str
    who: str
    downloads: list[Download] = field(default_factory=list)


def who_may_embed(frame_ancestors: str) -> str:
    """Who may embed the pictures, in words, from ``ALLIANCE_FRAME_ANCESTORS``.

    >>> who_may_embed("*").split(". ")[-1]
    "Tout site peut l'intégrer : le serveur le permet (réglage ALLIANCE_FRAME_ANCESTORS)."
    >>> who_may_embed("'self' https://rapports.example.org").split(" : ")[-1]
    'ce site et https://rapports.example.org.'
    """
    lead = ("L'image est publique et en lecture seule : elle montre les données du graphe "
            "au moment où on l'ouvre, et personne ne peut rien y modifier. ")
    sources = frame_ancestors.split()
    if "*" in sources:
        return lead + ("Tout site peut l'intégrer : le serveur le permet "
                       "(réglage ALLIANCE_FRAME_ANCESTORS).")
    named = ["ce site" if s == "'self'" else s for s in sources if s != "'none'"]
    if not named:
        return lead + ("Aucun site ne peut l'intégrer pour l'instant : le serveur ne le "
                       "permet pas (réglage ALLIANCE_FRAME_ANCESTORS).")
    if named == ["ce site"]:
        return lead + ("Seul ce site peut l'intégrer pour l'instant : le serveur le décide "
                       "(réglage ALLIANCE_FRAME_ANCESTORS).")
    listed = ", ".join(named[:-1]) + " et " + named[-1] if len(named) > 1 else named[0]
    return lead + ("Le serveur en décide (réglage ALLIANCE_FRAME_ANCESTORS) : seuls ces "
                   f"sites peuvent l'intégrer : {listed}.")


def downloads_for(src: str, title: str) -> list[Download]:
    """The files of the picture at ``src`` (``/viz/<view>/<id>?…``): PNG, SVG, the nodes'
    and the links' CSV tables, GraphML and the offline page; [] for another address."""
    parts = urlsplit(src)
    segments = parts.path.split("/")
    if len(segments) < 3 or segments[1] != "viz" or segments[2] not in VIEWS:
        return []
    view, rest = segments[2], "/".join(segments[3:])
    query = f"?{parts.query}" if parts.query else ""
    picture = f"/viz/{view}/{rest}" if rest else f"/viz/{view}"
    export = f"/export/{view}/{rest}" if rest else f"/export/{view}"
    # the exports take every node (no cap): only the view's own question goes along
    asked = [(k, v) for k, v in parse_qsl(parts.query)
             if k in ("depth", "programme", "territory", "radius_km", "need", "role",
                      "as_of")]
    export_query = f"?{urlencode(asked)}" if asked else ""
    stem = file_stem(title)
    return [
        Download("Image PNG (impression)", f"{picture}.png{query}", f"{stem}.png"),
        Download("Image SVG (vectorielle)", f"{picture}.svg{query}", f"{stem}.svg"),
        Download("Tableau des nœuds (Excel, CSV)", f"{export}.nodes.csv{export_query}",
                 f"{stem}-noeuds.csv"),
        Download("Tableau des liens (Excel, CSV)", f"{export}.edges.csv{export_query}",
                 f"{stem}-liens.csv"),
        Download("GraphML (Gephi, yEd)", f"{export}.graphml{export_query}",
                 f"{stem}.graphml"),
        Download("Page HTML (hors ligne)", f"{picture}.html{query}", f"{stem}.html"),
    ]


def picture_panel(src: str, title: str) -> PicturePanel:
    """The panel of the picture at ``src`` (a path of this site) titled ``title``."""
    request = CURRENT_REQUEST.get()
    base = str(request.base_url).rstrip("/") if request is not None else ""
    frame_ancestors = (request.app.state.settings.frame_ancestors if request is not None
                       else "*")
    key = "integrer-" + hashlib.sha256(src.encode("utf-8")).hexdigest()[:8]
    segments = src.split("?")[0].split("/")
    height = embed_height(segments[2] if len(segments) > 2 else "")
    return PicturePanel(key=key, title=title, snippet=iframe_snippet(base + src, title, height),
                        who=who_may_embed(frame_ancestors), downloads=downloads_for(src, title))
