"""``GET /chemin?de=…&a=…``: the shortest paths between two organisations chosen by name,
read as French chains; ``GET /pages-api/organisations?q=`` suggests organisation names.

A box is read as: an organisation id (a choice link sends one) → that organisation; else
the organisations whose name is the text (accents, case and punctuation ignored): one is
taken, several are asked back (choices); else the full-text search (the one of ``GET
/search``) gives suggestions, never a silent pick.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from api.deps import DatabaseDep, DriverDep
from api.pages.forms import FormError
from api.pages.rendering import rel_fr, render
from graph.vocabulary import KIND_FR
from queries.errors import InvalidParameter
from queries.explore import MAX_HOPS
from queries.models import NodeRef

router = APIRouter(include_in_schema=False)

#: the path length looked for first, in links
HOPS_DEFAULT = 4
#: paths shown at most
PATHS_SHOWN = 10
#: candidates offered when a name matches nothing exactly
SUGGESTIONS = 6


def fold(text: str) -> str:
    """A name for comparison: no accents, no case, punctuation as spaces.

    >>> fold("  Le Rameau ! ") == fold("le RAMEAU")
    True
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.split(r"[^\w]+", text)).strip()


@dataclass
class Choice:
    label: str
    href: str
    hint: str = ""


@dataclass
class BoxAsk:
    """What the page says instead of reading a box: a sentence and the choices."""

    lead: str
    choices: list[Choice] = field(default_factory=list)


def _hint(node: NodeRef) -> str:
    return KIND_FR.get(node.kind, node.kind.replace("_", " ")) if node.kind else ""


def _search(driver, text: str, database: str, limit: int) -> list[NodeRef]:
    from queries import search

    try:
        page = search(driver, text, labels=["Organisation"], limit=limit, database=database)
    except InvalidParameter:
        return []
    return [NodeRef(id=h.id, name=h.name, label=h.label, labels=h.labels, kind=h.kind)
            for h in page.items]


def read_organisation(driver, text: str, database: str, what: str,
                      href) -> tuple[NodeRef | None, BoxAsk | None]:
    """One box: the organisation it names, or what to ask back."""
    from queries.spaces import organisations_by_id

    by_id = organisations_by_id(driver, [text], database=database)
    if text in by_id:
        return by_id[text], None
    found = _search(driver, text, database, 50)
    same = [n for n in found if n.name and fold(n.name) == fold(text)]
    if len(same) == 1:
        return same[0], None
    if same:
        return None, BoxAsk(
            f"Plusieurs organisations s'appellent « {text} » ({what}). Laquelle ?",
            [Choice(n.name or n.id, href(n.id), f"{_hint(n)} — {n.id}".strip(" —"))
             for n in same])
    if found:
        return None, BoxAsk(
            f"Aucune organisation ne s'appelle exactement « {text} » ({what}). "
            "Vouliez-vous dire :",
            [Choice(n.name or n.id, href(n.id), _hint(n)) for n in found[:SUGGESTIONS]])
    return None, BoxAsk(
        f"Aucune organisation ne correspond à « {text} » ({what}). Vérifiez l'orthographe, "
        "ou tapez le début du nom et choisissez dans les suggestions.")


def chain(path) -> list[dict[str, Any]]:
    """A path as the pieces of a French chain: nodes, and between them the link read from
    left to right (``→``) or from right to left (``←``)."""
    pieces: list[dict[str, Any]] = []
    for i, node in enumerate(path.nodes):
        pieces.append({"node": node})
        if i < len(path.relationships):
            rel = path.relationships[i]
            forward = rel.source == node.id
            pieces.append({"link": rel_fr(rel.type, "out"), "forward": forward})
    return pieces


def chain_text(path) -> str:
    """The chain as one line of text ("Le RAMEAU — copilote → Espace ← participe à — X")."""
    parts = []
    for piece in chain(path):
        if "node" in piece:
            parts.append(piece["node"].name or piece["node"].id)
        else:
            parts.append(f"— {piece['link']} →" if piece["forward"]
                         else f"← {piece['link']} —")
    return " ".join(parts)


def _hops(text: str) -> int:
    try:
        return max(1, min(int(text), MAX_HOPS))
    except ValueError:
        return HOPS_DEFAULT


@router.get("/chemin", response_class=HTMLResponse)
def paths_page(request: Request, driver: DriverDep, database: DatabaseDep, de: str = "",
               a: str = "", liens: str = "") -> HTMLResponse:
    """Who can introduce me: the shortest paths between two organisations."""
    from queries import paths

    form = {"de": de.strip()[:200], "a": a.strip()[:200]}
    hops = _hops(liens) if liens else HOPS_DEFAULT
    context: dict[str, Any] = {"nav": "chemin", "form": form, "hops": hops,
                               "max_hops": MAX_HOPS, "error": None, "asks": [],
                               "result": None, "chains": [], "more_href": None}
    status = 200
    try:
        if not form["de"] and not form["a"]:
            return render(request, "paths.html", context)
        if not form["de"] or not form["a"]:
            raise FormError("Indiquez deux organisations : celle d'où vous partez et celle "
                            "que vous voulez joindre.")
        ends: dict[str, NodeRef] = {}
        for key, what in (("de", "point de départ"), ("a", "point d'arrivée")):
            def href(node_id: str, key: str = key) -> str:
                return "/chemin?" + urlencode({**form, key: node_id, "liens": hops})

            node, ask = read_organisation(driver, form[key], database, what, href)
            if node is None:
                context["asks"].append(ask)
            else:
                ends[key] = node
                form[key] = _box_value(driver, node, database)
        if context["asks"]:
            raise FormError("", status=400 if any(a.choices for a in context["asks"]) else 404)
        if ends["de"].id == ends["a"].id:
            raise FormError("Choisissez deux organisations différentes : le départ et "
                            "l'arrivée sont la même organisation.")
        result = paths(driver, ends["de"].id, ends["a"].id, max_hops=hops, limit=PATHS_SHOWN,
                       database=database)
        context["result"] = result
        context["chains"] = [chain(p) for p in result.paths]
        if not result.paths and hops < MAX_HOPS:
            context["more_href"] = "/chemin?" + urlencode({**form, "liens": hops + 1})
    except FormError as exc:
        context["error"] = exc.message or None
        status = exc.status
    return render(request, "paths.html", context, status=status)


def _box_value(driver, node: NodeRef, database: str) -> str:
    """What the box shows once read: the name when it names only this organisation, else
    the id (which reads back as exactly this one)."""
    if not node.name:
        return node.id
    same = [n for n in _search(driver, node.name, database, 50)
            if n.name and fold(n.name) == fold(node.name)]
    return node.name if len(same) <= 1 else node.id


@router.get("/pages-api/organisations")
def organisation_suggestions(driver: DriverDep, database: DatabaseDep, q: str = "",
                             limit: int = 8) -> JSONResponse:
    """Organisation names for the boxes of ``/chemin``: the full-text search of ``GET
    /search`` (organisations only, best first), as ``[{id, value, label, hint}]``; a name
    several organisations share is given as the id, so the box reads exactly that one."""
    if len(q.strip()) < 2:
        return JSONResponse([])
    found = _search(driver, q.strip()[:200], database, max(1, min(limit, 20)))
    names: dict[str, int] = {}
    for n in found:
        names[fold(n.name or "")] = names.get(fold(n.name or ""), 0) + 1
    return JSONResponse([
        {"id": n.id, "value": n.name if n.name and names[fold(n.name)] == 1 else n.id,
         "label": n.name or n.id,
         "hint": _hint(n) + (f" — {n.id}" if n.name and names[fold(n.name)] > 1 else "")}
        for n in found])
