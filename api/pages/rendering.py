"""How a page is rendered: the Jinja environment and its French filters, the pages'
Content-Security-Policy, and :func:`render` (template + security headers).

Templates are autoescaped and never mark data ``|safe``; pages carry a strict CSP
(scripts, styles and frames from this origin only), so a name like ``<img src=x
onerror=…>`` is shown as text and can run nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.pages.forms import RADIUS_MAX, RADIUS_MIN
from api.pages.picture_panel import CURRENT_REQUEST, picture_panel
from graph.as_of import PARIS
from graph.french import date_fr, kind_fr, km, label_fr, num, of_place, plural, rel_fr
from graph.settings import Settings
from graph.sources import source_title
from graph.vocabulary import PROPERTY_FR
from queries.errors import InvalidParameter, NotFoundError
from viz.html import content_security_policy
from viz.titles import (
    commune_title,
    connectors_title,
    neighbourhood_title,
    space_title,
    suggestion_title,
    territory_title,
)

API_DIR = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = API_DIR / "templates"
STATIC_DIR = API_DIR / "static"

#: the pages' policy: everything from this origin, nothing inline, no plugin, no base
#: (``frame-ancestors 'self'`` is added by :func:`page_policy`)
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


#: who may frame a page: this site only. ALLIANCE_FRAME_ANCESTORS opens the /viz pictures
#: (public, read-only) to other sites, never the pages, whose forms and links another
#: site could dress up (clickjacking)
PAGE_FRAME_ANCESTORS = "'self'"


def page_policy(settings: Settings | None = None) -> str:
    """The pages' Content-Security-Policy header: ``frame-ancestors 'self'`` whatever the
    settings say (``settings`` is accepted for the callers that pass it)."""
    return content_security_policy(PAGE_FRAME_ANCESTORS, sources=PAGE_SOURCES)


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


# --- as of a past time (api/as_of.py) -----------------------------------------------------


def as_of_text() -> str | None:
    """The ``as_of`` of the page being rendered, as its reader wrote it (None: now)."""
    request = CURRENT_REQUEST.get()
    return getattr(request.state, "as_of_text", None) if request is not None else None


def keep_as_of(url: str) -> str:
    """A link of this site that stays at the page's ``as_of``: a reader looking at the
    graph of 19 June 2026 keeps looking at it from page to page (``#…`` stays last).

    >>> keep_as_of("/fiche/org:x")  # no page being rendered: as it is
    '/fiche/org:x'
    """
    text = as_of_text()
    if not text:
        return url
    base, hash_mark, fragment = url.partition("#")
    if "as_of" in dict(parse_qsl(urlsplit(base).query)):
        return url
    joined = base + ("&" if "?" in base else "?") + urlencode({"as_of": text})
    return joined + hash_mark + fragment


def as_of_today() -> str:
    """The page being rendered, as of now: its address without ``as_of``."""
    request = CURRENT_REQUEST.get()
    if request is None:
        return "/"
    url = request.url.remove_query_params("as_of")
    return url.path + (f"?{url.query}" if url.query else "")


def as_of_label() -> str | None:
    """The instant of the page in words, Paris time: « 19 juin 2026 à 23:59 »."""
    request = CURRENT_REQUEST.get()
    moment = getattr(request.state, "as_of", None) if request is not None else None
    if moment is None:
        return None
    local = moment.astimezone(PARIS)
    return f"{date_fr(local.date())} à {local:%H:%M}"


def _pistes_href(organisation_id: str, radius: float | None = None) -> str:
    """The « Pistes d'alliance » of an organisation (api/pages/pistes.py)."""
    from api.pages.pistes import organisation_href

    return organisation_href(organisation_id, radius)


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
        as_of=keep_as_of,
        date_fr=date_fr,
        of_place=of_place,
    )
    env.globals.update(picture_panel=picture_panel, neighbourhood_title=neighbourhood_title,
                       connectors_title=connectors_title, space_title=space_title,
                       commune_title=commune_title, territory_title=territory_title,
                       suggestion_title=suggestion_title, organisation_href=_pistes_href,
                       as_of_text=as_of_text, as_of_label=as_of_label,
                       as_of_today=as_of_today,
                       # the radius every form accepts (api/pages/forms.py reads it)
                       radius_min=RADIUS_MIN, radius_max=RADIUS_MAX)
    return env


ENV = _make_env()


def render(request: Request, template: str, context: dict[str, Any], *,
           status: int = 200) -> HTMLResponse:
    """Render a page with the common context and the security headers."""
    token = CURRENT_REQUEST.set(request)  # the picture panels' site address
    try:
        html = ENV.get_template(template).render(request=request,
                                                 data_date=_data_date(request, status),
                                                 **context)
    finally:
        CURRENT_REQUEST.reset(token)
    return HTMLResponse(html, status_code=status, headers={
        "Content-Security-Policy": page_policy(),
        "X-Frame-Options": "SAMEORIGIN",  # for browsers that predate frame-ancestors
        "Cache-Control": "no-store",
    })


def _data_date(request: Request, status: int) -> str | None:
    """« Données du 3 décembre 2026 » (the latest import) for the footer; None when the
    graph records no import, or when the database cannot say (a page about an outage)."""
    from queries.data_date import kept_data_date

    state = request.app.state
    if status >= 500 or not hasattr(state, "driver"):
        return None
    try:
        day = kept_data_date(state.driver, database=state.database)
    except Exception:  # noqa: BLE001 - the footer never fails a page
        return None
    return f"Données du {date_fr(day)}" if day else None


def guarded(call: Callable[[], Any]) -> tuple[Any, str | None, int]:
    """Run one query; a domain error becomes (None, its message, its status)."""
    try:
        return call(), None, 200
    except NotFoundError as exc:
        return None, str(exc), 404
    except InvalidParameter as exc:
        return None, str(exc), 400
