"""GET /docs: the interactive API documentation, with Swagger UI served from this app.

FastAPI's default /docs loads Swagger UI from a CDN; catalysts open the tool on networks
that block CDNs, and no page of ours may call another host. The two files are vendored in
api/static/swagger/ (see VENDORED.md). Like the pages, /docs carries a strict
Content-Security-Policy with ``frame-ancestors 'self'``: no other site may frame it,
whatever ``ALLIANCE_FRAME_ANCESTORS`` says (that setting is for the /viz pictures).
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from api.pages.rendering import PAGE_FRAME_ANCESTORS, PAGE_SOURCES
from viz.html import content_security_policy, sha256_source

SWAGGER_DIR = Path(__file__).resolve().parents[1] / "static" / "swagger"
_FILES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}
#: the inline script FastAPI writes to start Swagger UI (the only one without src)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

router = APIRouter(include_in_schema=False)


def docs_policy(html: str) -> str:
    """The policy of the /docs page: the pages' own (api/pages/rendering.py), framing
    included (``'self'``), with the page's one inline script allowed by its hash."""
    scripts = " ".join(["'self'", *(sha256_source(body)
                                     for body in _INLINE_SCRIPT.findall(html))])
    sources = tuple((name, scripts if name == "script-src" else value)
                    for name, value in PAGE_SOURCES)
    return content_security_policy(PAGE_FRAME_ANCESTORS, sources=sources)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json, every asset from this server."""
    root = request.scope.get("root_path", "")
    page = get_swagger_ui_html(
        openapi_url=f"{root}/openapi.json",
        title="Alliance Graph — API",
        swagger_js_url=f"{root}/docs-static/swagger-ui-bundle.js",
        swagger_css_url=f"{root}/docs-static/swagger-ui.css",
        swagger_favicon_url="data:,",
    )
    html = page.body.decode("utf-8")
    return HTMLResponse(html, headers={"Content-Security-Policy": docs_policy(html),
                                       "X-Frame-Options": "SAMEORIGIN"})


@router.get("/docs-static/{name}")
def swagger_asset(name: str) -> FileResponse:
    """One of the two vendored Swagger UI files (nothing else is served from here)."""
    if name not in _FILES:
        raise HTTPException(status_code=404, detail=f"no such file: {name}")
    return FileResponse(SWAGGER_DIR / name, media_type=_FILES[name],
                        headers={"Cache-Control": "public, max-age=86400"})
