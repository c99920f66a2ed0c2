"""``GET /`` (accueil: what the tool answers, the two pages, a search box, the figures) and
``GET /recherche`` (full-text search over names, 20 a page)."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import DatabaseDep, DriverDep
from api.pages.forms import page_number
from api.pages.rendering import guarded, render

router = APIRouter(include_in_schema=False)

#: results per page of the search
SEARCH_PAGE_SIZE = 20


@router.get("/", response_class=HTMLResponse)
def home(request: Request, driver: DriverDep, database: DatabaseDep) -> HTMLResponse:
    """Accueil: what the tool answers, the two pages, a search box, the figures."""
    from queries import stats

    figures = stats(driver, database=database)
    return render(request, "home.html", {"nav": "accueil", "stats": figures})


@router.get("/recherche", response_class=HTMLResponse)
def search_page(request: Request, driver: DriverDep, database: DatabaseDep,
                q: str = "", page: str = "1") -> HTMLResponse:
    """Full-text search over names, 20 a page."""
    from queries import search

    q = q.strip()[:200]
    number = page_number(page)
    context: dict[str, Any] = {"nav": "recherche", "q": q, "result": None, "error": None,
                               "page": number}
    if not q:
        return render(request, "search.html", context)
    if not any(ch.isalnum() for ch in q):  # signs alone: nothing a name could hold
        context["error"] = ("Tapez au moins un mot (des lettres ou des chiffres) : les signes "
                            "seuls comme * ou ? ne suffisent pas.")
        return render(request, "search.html", context, status=400)
    result, error, status = guarded(
        lambda: search(driver, q, limit=SEARCH_PAGE_SIZE,
                       offset=(number - 1) * SEARCH_PAGE_SIZE, database=database))
    if error is not None:  # the only refusal: text with no word in it
        error = ("Tapez au moins un mot (des lettres ou des chiffres) : les signes seuls "
                 "comme * ou ? ne suffisent pas.")
    context.update(result=result, error=error)
    if result is not None:
        context["pages"] = max(1, math.ceil(result.total / SEARCH_PAGE_SIZE))
    return render(request, "search.html", context, status=status)
