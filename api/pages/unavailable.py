"""The French page a page (or a picture opened in a browser) shows instead of its answer
when the database cannot answer in time: stopped, hung, too busy, or past the request's
deadline. Never the JSON error body, never a trace; the same status (503 or 504) and
``Retry-After`` as the API (api/errors.py)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.pages.rendering import render
from graph.french import num

#: why the database cannot answer (``detail.neo4j`` of the API's 503) → what the page says
_WHY_FR = {
    "down": "La base de données ne répond pas pour le moment : elle est arrêtée ou en train "
            "de redémarrer.",
    "not_answering": "La base de données ne répond pas pour le moment.",
    "busy": "Trop de demandes attendent déjà la base de données.",
    "unavailable": "La base de données ne répond pas pour le moment.",
}


def is_page(request: Request) -> bool:
    """Whether the request went to a page (api/pages), or to a picture a browser opened
    (``/viz/…`` asking for HTML: a page's frame): those answer in French, in HTML."""
    endpoint = request.scope.get("endpoint")
    if getattr(endpoint, "__module__", "").startswith("api.pages."):
        # the suggestions of the pages' boxes are JSON, read by a script: the error body
        return not request.url.path.startswith("/pages-api/")
    return (request.url.path.startswith("/viz/")
            and "text/html" in request.headers.get("accept", ""))


def unavailable_page(request: Request, status: int, why: str | None,
                     retry_after: int, deadline: float | None = None) -> HTMLResponse:
    """The page: the database does not answer (``why``: see :data:`_WHY_FR`), or not within
    ``deadline`` seconds (504); retry in a moment."""
    if status == 504 and deadline is not None:
        said = f"La base de données n'a pas répondu à temps (en {num(deadline)} s)."
    else:
        said = _WHY_FR.get(why or "unavailable", _WHY_FR["unavailable"])
    wait = "une seconde" if retry_after <= 1 else f"{num(retry_after)} secondes"
    message = f"{said} Réessayez dans un instant (dans {wait} par exemple)."
    response = render(request, "unavailable.html", {
        "nav": None, "title": "La base de données ne répond pas", "message": message,
        "again": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }, status=status)
    response.headers["Retry-After"] = str(retry_after)
    return response
