"""What every form behind the stewards' login answers when it may not go on: the login page
(which comes back once signed in), or « Formulaire expiré » for a form of another session.
The stewards' pages (api/pages/steward.py) and the marks of the « Pistes d'alliance »
page (api/pages/pistes.py) share them."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from api.pages.rendering import render
from api.pages.steward_session import (
    StewardSession,
    csrf_ok,
    current_session,
    stewards_enabled,
)


def local_after(path: str | None) -> str:
    """Where to go after logging in: a path of this site only (never another site)."""
    if path and path.startswith("/gestion") and not path.startswith("//"):
        return path
    return "/gestion/imports"


def login_page(request: Request, *, message: str | None = None, status: int = 200,
                after: str | None = None) -> HTMLResponse:
    return render(request, "steward_login.html", {
        "nav": None, "enabled": stewards_enabled(request), "message": message,
        "after": local_after(after)}, status=status)


def signed_in(request: Request) -> StewardSession | Response:
    """The session, or the login page (which comes back here once signed in)."""
    session = current_session(request)
    if session is None:
        return login_page(request, after=request.url.path, status=401)
    return session


def posted(request: Request, csrf: str) -> StewardSession | Response:
    """The session of a posted form: the login page without one, a refusal when the form
    does not carry the session's CSRF token."""
    session = signed_in(request)
    if isinstance(session, StewardSession) and not csrf_ok(session, csrf):
        return refused(request)
    return session


def refused(request: Request) -> HTMLResponse:
    return render(request, "error.html", {
        "nav": None, "title": "Formulaire expiré",
        "message": "Ce formulaire a expiré ou ne vient pas de cette session : rechargez la "
                   "page et recommencez."}, status=403)
