"""How a page is rendered: the Jinja environment and its French filters, the pages'
Content-Security-Policy, and :func:`render` (template + security headers).

Templates are autoescaped and never mark data ``|safe``; pages carry a strict CSP
(scripts, styles and frames from this origin only), so a name like ``<img src=x
onerror=…>`` is shown as text and can run nothing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from graph.french import kind_fr, km, label_fr, num, plural, rel_fr
from graph.settings import Settings
from graph.sources import source_title
from graph.vocabulary import PROPERTY_FR
from queries.errors import InvalidParameter, NotFoundError
from viz.html import content_security_policy

API_DIR = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = API_DIR / "templates"
STATIC_DIR = API_DIR / "static"

#: the pages' policy: everything from this origin, nothing inline, no plugin, no base
#: (``frame-ancestors`` from the settings is added by :func:`page_policy`)
PAGE_SOURCES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("frame-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
)


def page_policy(settings: Settings) -> str:
    """The pages' Content-Security-Policy header, with the configured frame ancestors."""
    return content_security_policy(settings.frame_ancestors, sources=PAGE_SOURCES)


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_policy(settings: Settings, html: str) -> str:
    """The policy of /docs (Swagger UI, api/routers/docs.py): the pages' policy, framing
    included, with the one inline script FastAPI writes to start Swagger UI allowed by
    its SHA-256 (any other inline script stays refused)."""
    hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest())
              .decode() + "'" for body in _INLINE_SCRIPT.findall(html)]
    sources = tuple((name, " ".join([value, *hashes]) if name == "script-src" else value)
                    for name, value in PAGE_SOURCES)
    return content_security_policy(settings.frame_ancestors, sources=sources)


# --- filters -----------------------------------------------------------------------------


def segment(value: Any) -> str:
    """An id as one URL path segment (``:`` kept readable, ``/`` and the rest escaped)."""
    return quote(str(value), safe=":")


def _css_token(value: Any) -> str:
    return re.sub(r"[^a-z0-9_-]", "", str(value).lower())


def _decimal(value: float | None, digits: int) -> str:
    """``value`` with ``digits`` decimals and a French decimal comma; "—" when absent."""
    if value is None:
        return "—"
    return f"{value:.{digits}f}".replace(".", ",")


def _km(value: float | None) -> str:
    # the partners' distances: one decimal, as the pictures write them
    return km(value, 1)


def _score(value: float | None) -> str:
    # a small positive score must not read as zero next to "zero scores hidden"
    if value is not None and 0 < value < 0.0005:
        return "< 0,001"
    return _decimal(value, 3)


def _prop_fr(value: Any) -> str:
    return PROPERTY_FR.get(str(value), str(value).replace("_", " "))


def web_url(value: Any) -> str | None:
    """The value if it is an http(s) address with a host, to link it; anything else
    (``javascript:``, ``data:``, a bare word) is shown as text."""
    text = str(value or "").strip()
    if not re.match(r"^https?://[^\s]+$", text, re.IGNORECASE):
        return None
    try:
        host = urlsplit(text).hostname
    except ValueError:  # a malformed address (an unclosed IPv6 bracket): text
        return None
    return text if host else None


def web_host(url: str) -> str:
    """What a link to a website shows: its host name (``www.lerameau.fr``), which people
    recognise and which cannot hide where the link goes."""
    return urlsplit(url).hostname or url


def _make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        segment=segment,
        css_token=_css_token,
        num=num,
        plural=plural,
        km=_km,
        score=_score,
        kind_fr=kind_fr,
        label_fr=label_fr,
        prop_fr=_prop_fr,
        rel_fr=rel_fr,
        web_url=web_url,
        source_title=source_title,
    )
    return env


ENV = _make_env()


def render(request: Request, template: str, context: dict[str, Any], *,
           status: int = 200) -> HTMLResponse:
    """Render a page with the common context and the security headers."""
    settings: Settings = request.app.state.settings
    html = ENV.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers={
        "Content-Security-Policy": page_policy(settings),
        "Cache-Control": "no-store",
    })


def guarded(call: Callable[[], Any]) -> tuple[Any, str | None, int]:
    """Run one query; a domain error becomes (None, its message, its status)."""
    try:
        return call(), None, 200
    except NotFoundError as exc:
        return None, str(exc), 404
    except InvalidParameter as exc:
        return None, str(exc), 400
