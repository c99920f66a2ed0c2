"""Headless Chromium for browser tests (Playwright driving Debian's ``chromium``).

Fixtures (general: any test of a page may use them):

- ``chromium_browser`` (session): a headless Chromium, launched from
  ``ALLIANCE_CHROMIUM`` or ``/usr/bin/chromium`` (never ``playwright install``), with a
  fresh profile. Outside CI a missing Chromium or Playwright skips the browser tests;
  with ``CI=true`` it fails them.
- ``chromium_page`` (function): a new page whose ``page.console_errors`` lists console
  errors and uncaught exceptions, ``page.dialogs`` every alert/confirm/prompt (dismissed),
  and ``page.foreign_requests`` every request to a host other than 127.0.0.1/localhost
  (``about:``, ``data:``, ``blob:`` and ``file:`` are local). Requests to other hosts are
  aborted, so a test never reaches the network.
- ``artifacts_dir``: ``test-artifacts/`` at the repository root (gitignored), where
  screenshots go.

:data:`LABEL_CHECK` (JavaScript for ``page.evaluate`` in a picture) says which labels the
viewer drew and what they overlap. :func:`other_site` (a context manager, for any test
package) serves pages from memory on
another origin than the app's: ``http://localhost:<port>`` (the app is ``127.0.0.1``), to
frame the pictures as a report on another site would.

:func:`wait_js` waits for a JavaScript condition by polling ``page.evaluate``: Playwright's
``wait_for_function`` evaluates strings with ``eval``, which a strict page policy (no
``'unsafe-eval'``) refuses.
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"about", "data", "blob", "file", "chrome-error"}


def chromium_path() -> str | None:
    """Debian's Chromium, or ``ALLIANCE_CHROMIUM``; None when absent."""
    wanted = os.environ.get("ALLIANCE_CHROMIUM")
    for candidate in ([wanted] if wanted else []) + ["/usr/bin/chromium",
                                                     shutil.which("chromium") or ""]:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def is_foreign(url: str) -> bool:
    """Whether a request goes to a host other than this machine."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return False
    return (parts.hostname or "") not in LOCAL_HOSTS


def wait_js(page, expression: str, timeout: float = 30.0, interval: float = 0.05):
    """Poll ``expression`` (a JS expression) until it is truthy; its value, or fail."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {expression}")
        page.wait_for_timeout(interval * 1000)


#: In a picture: the labels drawn last (window.__vizLabels, boxes in pixels of the
#: network) and, of those, the pairs that overlap, the labels that overlap the disc of a
#: shown node other than their own (the centre's label may: it is always drawn), and
#: those not wholly inside the network's frame.
LABEL_CHECK = """() => {
  const labels = window.__vizLabels || [];
  const net = window.__vizNetwork;
  const box = document.getElementById('ag-network');
  const width = box.clientWidth, height = box.clientHeight;
  const meet = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const pairs = [];
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++)
      if (meet(labels[i], labels[j])) pairs.push([labels[i].id, labels[j].id]);
  const data = JSON.parse(document.getElementById('ag-data').textContent);
  const F = data.fields, scale = net.getScale(), positions = net.getPositions();
  const shown = net.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id);
  const onNodes = [];
  const centre = data.nodes.filter(row => row[F.centre]).map(row => row[F.id]);
  for (const label of labels) {
    if (centre.includes(label.id)) continue;
    for (const i of shown) {
      if (data.nodes[i][F.id] === label.id) continue;
      const p = net.canvasToDOM(positions[i]), r = data.nodes[i][F.size] * scale;
      // the disc's square, a little inside (a label may graze a disc's corner area)
      const disc = {x: p.x - 0.7 * r, y: p.y - 0.7 * r, w: 1.4 * r, h: 1.4 * r};
      if (meet(label, disc)) onNodes.push([label.id, data.nodes[i][F.id]]);
    }
  }
  const outside = labels.filter(l => l.x < 0 || l.y < 0 || l.x + l.w > width + 0.5
                                     || l.y + l.h > height + 0.5).map(l => l.id);
  return {ids: labels.map(l => l.id), pairs: pairs, onNodes: onNodes, outside: outside};
}"""


#: In an SVG file opened in Chromium: how far the drawing lies inside its viewBox. Every
#: shape drawn (paths, markers, texts…; not the white page behind, nothing invisible, a
#: clipped shape cut by its clip path) is measured by the browser, in the viewBox's units
#: (points); returns the number of shapes and the least room left on each side (negative:
#: a shape crosses the edge), with the ids of the groups nearest each side.
SVG_MARGINS = """() => {
  const svg = document.documentElement;
  const vb = svg.viewBox.baseVal, root = svg.getBoundingClientRect();
  const k = vb.width / root.width;
  const user = r => ({x0: (r.left - root.left) * k + vb.x, y0: (r.top - root.top) * k + vb.y,
                      x1: (r.right - root.left) * k + vb.x, y1: (r.bottom - root.top) * k + vb.y});
  const margins = {left: Infinity, top: Infinity, right: Infinity, bottom: Infinity};
  const nearest = {};
  let shapes = 0;
  const drawn = 'path, use, text, circle, rect, ellipse, polygon, polyline, line, image';
  for (const el of svg.querySelectorAll(drawn)) {
    if (el.closest('defs, clipPath, mask, metadata, #patch_1')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || +style.opacity === 0)
      continue;
    const filled = style.fill !== 'none' && +style.fillOpacity > 0;
    const stroked = style.stroke !== 'none' && +style.strokeOpacity > 0;
    if (!filled && !stroked && el.tagName !== 'text' && el.tagName !== 'use') continue;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    let b = user(r);
    const clipped = el.closest('[clip-path]');
    if (clipped) {
      const id = clipped.getAttribute('clip-path').match(/#([^)"']+)/)[1];
      const c = document.getElementById(id).firstElementChild.getBBox();
      b = {x0: Math.max(b.x0, c.x), y0: Math.max(b.y0, c.y),
           x1: Math.min(b.x1, c.x + c.width), y1: Math.min(b.y1, c.y + c.height)};
      if (b.x0 >= b.x1 || b.y0 >= b.y1) continue;
    }
    shapes++;
    const group = (el.closest('g[id]') || {}).id || el.tagName;
    const room = {left: b.x0 - vb.x, top: b.y0 - vb.y, right: vb.x + vb.width - b.x1,
                  bottom: vb.y + vb.height - b.y1};
    for (const side in room) {
      if (room[side] < margins[side]) { margins[side] = room[side]; nearest[side] = group; }
    }
  }
  return {shapes: shapes, margins: margins, nearest: nearest,
          viewBox: [vb.x, vb.y, vb.width, vb.height]};
}"""


def svg_margins(page, path: Path) -> dict:
    """:data:`SVG_MARGINS` of the SVG file at ``path``, opened in ``page``."""
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page.evaluate(SVG_MARGINS)


def png_border_is_background(path: Path, band: int = 10) -> bool:
    """No pixel of the ``band`` outer pixels on any side of the PNG at ``path`` is
    anything but white (the background): nothing drawn touches the edge."""
    import numpy as np
    from PIL import Image

    image = np.asarray(Image.open(path).convert("RGB")).astype(int)
    edges = [image[:band], image[-band:], image[:, :band], image[:, -band:]]
    return all(int((edge.min(axis=-1) < 250).sum()) == 0 for edge in edges)


class _Site(http.server.BaseHTTPRequestHandler):
    """Serves ``self.server.pages`` (path → HTML); anything else is a 404."""

    def do_GET(self):  # noqa: N802 - the name http.server calls
        body = self.server.pages.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write((body or "").encode("utf-8"))

    def log_message(self, *args):  # quiet
        pass


@contextmanager
def other_site() -> Iterator[tuple[str, dict[str, str]]]:
    """A second site, another origin than the app's: its base URL
    (``http://localhost:<port>``) and the dict of its pages (path → HTML) to fill."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Site)
    server.pages = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{port}", server.pages
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def report_page(title: str, body: str) -> str:
    """A minimal page of that other site (no favicon request)."""
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}'
            f'</title><link rel="icon" href="data:,"></head><body><h1>{title}</h1>{body}'
            "</body></html>")


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"browser tests need Chromium and Playwright: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser(playwright_driver):
    executable = chromium_path()
    if executable is None:
        _missing("no Chromium at /usr/bin/chromium (apt-get install chromium) "
                 "nor at $ALLIANCE_CHROMIUM")
    profile = tempfile.mkdtemp(prefix="alliance-chromium-")
    # A persistent context is how Playwright takes a user-data-dir: a fresh one.
    context = playwright_driver.chromium.launch_persistent_context(
        profile, executable_path=executable, headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 860}, service_workers="block",
    )
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def chromium_page(chromium_browser):
    page = chromium_browser.new_page()
    page.console_errors = []
    page.dialogs = []
    page.foreign_requests = []

    def on_console(message):
        if message.type == "error":
            page.console_errors.append(message.text)

    def on_dialog(dialog):
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_route(route):
        if is_foreign(route.request.url):
            page.foreign_requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.console_errors.append(f"uncaught: {exc}"))
    page.on("dialog", on_dialog)
    page.route("**/*", on_route)
    # routes do not see every request (e.g. some made by the browser itself): listen too
    page.on("request", lambda request: is_foreign(request.url)
            and request.url not in page.foreign_requests
            and page.foreign_requests.append(request.url))
    yield page
    page.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
