"""The users' journeys in Chromium, on the data ``make run`` loads.

The graph is what a newcomer gets after ``make run``: the full territory reference and the
curated dataset, loaded by the very functions the CLI's ``load territories`` and ``load
curated`` call (``loaders.territories.load_territories``, ``loaders.curated.load_curated``),
on the test Neo4j. The app is served by uvicorn in a thread; a headless Chromium walks the
pages as a user would.

Fixtures:

- ``journey_graph`` (package): empties the test database, loads the territories then the
  curated dataset (about 10 s), and empties the database again at the end, so the tests of
  other packages find the empty graph they expect. Other packages' fixtures (``db``, the
  module graphs of tests/pages, tests/queries) empty the graph when they start: the
  function-scoped ``loaded_graph`` (autouse) checks before every journey test that the
  graph is still the loaded one, and loads it again if anything emptied it, whatever order
  the tests run in.
- ``journey_server`` (package): the real app under uvicorn on a free port.
- ``journey_browser`` (package): headless Chromium (``/usr/bin/chromium`` or
  ``ALLIANCE_CHROMIUM``), from the session's Playwright.
- ``user`` (function): a :class:`User` on a fresh browser page. It aborts and records any
  request to another host, records console errors, dialogs and failed responses, and
  takes each step's full-page screenshot under ``test-artifacts/journeys/``.

A missing loader module, Playwright or Chromium fails these tests in CI (``CI=true``) and
skips them elsewhere (``require()`` of tests/conftest.py).
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, is_foreign
from tests.conftest import IN_CI, ROOT, empty_graph, free_ports, require

#: where the screenshots go (gitignored; CI keeps test-artifacts/ as artifacts)
SHOTS = ROOT / "test-artifacts" / "journeys"

#: at least this many territories once the reference is loaded (about 36,000)
MIN_TERRITORIES = 35_000

#: what must never show anywhere on a page: raw JSON, a stack trace, an English error, a
#: Python or JavaScript null value, an unrendered template
FORBIDDEN = re.compile(
    r'\{"|\[\{|\{\{|\}\}|\{%|%\}|Traceback|Internal Server Error|\bException\b|\bError\b'
    r"|\berror\b|\bNot Found\b|\bnot found\b|\bBad Request\b|\bUnprocessable\b|\bInvalid\b"
    r"|\binvalid\b|\bmissing\b|\brequired\b|\bNone\b|\bnull\b|\bundefined\b|\bnan\b|\bNaN\b"
)


#: how many canvas pixels differ from its top-left (background) pixel
DRAWN_PIXELS = """() => {
  const canvas = document.querySelector('canvas');
  if (!canvas || !canvas.width || !canvas.height) return 0;
  const ctx = canvas.getContext('2d');
  if (!ctx) return 0;
  const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 4; i < d.length; i += 4) {
    if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) n++;
  }
  return n;
}"""


#: what a settled picture (the viewer's ``ag-settled`` mark) draws: its nodes (id, label,
#: aside or on the map, canvas coordinates, whether the whole node is inside the drawing
#: area as shown), its outline and captions, whether the outline and the circle of a
#: radius are inside the drawing area (``backdrop``), and the drawing area; null before it
#: settles
PICTURE_STATE = """() => {
  if (!performance.getEntriesByName('ag-settled').length || !window.__vizNetwork) return null;
  const data = JSON.parse(document.getElementById('ag-data').textContent);
  const F = data.fields, net = window.__vizNetwork;
  const box = document.getElementById('ag-network');
  const width = box.clientWidth, height = box.clientHeight, scale = net.getScale();
  const pos = net.getPositions();
  const nodes = data.nodes.map((row, i) => {
    const p = net.canvasToDOM(pos[i]), r = row[F.size] * scale;
    return {id: row[F.id], label: row[F.label], aside: !!row[F.aside], x: pos[i].x,
            y: pos[i].y, inside: p.x - r >= 0 && p.y - r >= 0 && p.x + r <= width
                                 && p.y + r <= height};
  });
  // the backdrop too: the outline, or the circle of the radius that cuts it, in the
  // drawing area
  const c = data.circle;
  const corners = c ? [[c[0] - c[2], c[1] - c[2]], [c[0] + c[2], c[1] + c[2]]]
                    : [].concat(...data.outline);
  const backdrop = corners.every(q => {
    const p = net.canvasToDOM({x: q[0], y: q[1]});
    return p.x >= 0 && p.y >= 0 && p.x <= width && p.y <= height;
  });
  return {nodes: nodes, outline: data.outline, circle: data.circle, backdrop: backdrop,
          captions: data.captions.map(c => c[2].replace(/\\n/g, ' ')),
          places: data.places.map(p => p[2]), dots: data.dots.length / 2,
          width: width, height: height};
}"""


def settled_picture(target, timeout: float = 30.0) -> dict:
    """The state of the picture in ``target`` (a page or a frame) once it settled."""
    deadline = time.monotonic() + timeout
    while True:
        state = target.evaluate(PICTURE_STATE)
        if state:
            return state
        assert time.monotonic() < deadline, "the picture did not settle"
        time.sleep(0.05)


def _curated_counts(driver, database: str) -> tuple[int, int]:
    records, _, _ = driver.execute_query(
        "CALL () { MATCH (t:Territory) RETURN count(t) AS territories } "
        "CALL () { MATCH (o:Organisation) RETURN count(o) AS organisations } "
        "RETURN territories, organisations", database_=database)
    return records[0]["territories"], records[0]["organisations"]


def _expected_organisations() -> int:
    """Organisations of data/curated/elements.csv (what the loaded graph must hold)."""
    import csv

    from loaders.curated import curated_files

    with curated_files()[0].open(encoding="utf-8", newline="") as fh:
        return sum(1 for row in csv.DictReader(fh) if row["type"] == "Organisation")


def load_as_make_run(driver, database: str) -> None:
    """Empty the database, then what ``make run`` loads: territories, then curated data."""
    territories = require("loaders.territories")
    curated = require("loaders.curated")
    empty_graph(driver, database)
    territories.load_territories(driver, database=database)
    report = curated.load_curated(driver, database=database)
    assert report.ok, report


@pytest.fixture(scope="package")
def journey_graph(neo4j_driver, neo4j_server):
    """The test database as ``make run`` leaves it; emptied again at the end."""
    database = neo4j_server.database
    load_as_make_run(neo4j_driver, database)
    expected = _expected_organisations()
    yield neo4j_driver, database, expected
    empty_graph(neo4j_driver, database)


@pytest.fixture(autouse=True)
def loaded_graph(journey_graph):
    """Before each journey test: the graph is still the loaded one, or is loaded again."""
    driver, database, expected = journey_graph
    territories, organisations = _curated_counts(driver, database)
    if territories < MIN_TERRITORIES or organisations != expected:
        load_as_make_run(driver, database)
        territories, organisations = _curated_counts(driver, database)
    assert territories >= MIN_TERRITORIES and organisations == expected
    return driver


@pytest.fixture(scope="package")
def journey_server(journey_graph):
    """The real app under uvicorn in a background thread; its base URL."""
    import uvicorn

    from api.app import create_app

    (port,) = free_ports(1)
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start", pytrace=False)
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="package")
def journey_browser(playwright_driver):
    executable = chromium_path()
    if executable is None or not (Path(executable).exists() or shutil.which(executable)):
        message = "no Chromium at /usr/bin/chromium nor at $ALLIANCE_CHROMIUM"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    browser = playwright_driver.chromium.launch(executable_path=executable, headless=True,
                                                args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def shots_dir() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


class User:
    """A person walking a journey in a browser page.

    Records what the page did (console errors, dialogs, requests to other hosts, which are
    aborted, and responses with a 4xx/5xx status) and reads what the page shows: the
    visible text of ``main`` and its sections, one per heading.
    """

    def __init__(self, page, base: str, shots: Path, journey: str):
        self.page = page
        self.base = base
        self.shots = shots
        self.journey = journey
        self.steps = 0
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign_requests: list[str] = []
        self.failed_responses: list[str] = []
        #: URLs expected to answer a 4xx (a picture frame saying why there is none)
        self.expected_failures: set[str] = set()
        #: the visible text of the last picture checked
        self.picture_text = ""
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        page.on("dialog", self._dialog)
        page.on("response", self._response)
        page.on("request", self._request)
        page.route("**/*", self._route)

    # --- what the page did ---------------------------------------------------------------

    def _console(self, message) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self.console_errors.append(f"{message.text} [{where}]")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed_responses.append(f"{response.status} {response.url}")

    def _request(self, request) -> None:
        if is_foreign(request.url) and request.url not in self.foreign_requests:
            self.foreign_requests.append(request.url)

    def _route(self, route) -> None:
        if is_foreign(route.request.url):
            if route.request.url not in self.foreign_requests:
                self.foreign_requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    # --- moving ----------------------------------------------------------------------------

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.status == 200, (path, response)

    def follow(self, name: str, *, within: str = "main", exact: bool = True) -> None:
        """Click the link whose text is ``name`` (the first one) and wait for the page."""
        link = self.page.locator(within).get_by_role("link", name=name, exact=exact).first
        with self.page.expect_navigation(wait_until="load"):
            link.click()

    def type_and_pick(self, box: str, typed: str, option: str, *,
                      shot: str | None = None) -> str:
        """Type ``typed`` in the box ``#box`` as a person would, then click the suggestion
        whose text starts with ``option`` (after checking the page and taking the
        screenshot ``shot``, suggestions open, if given); return what the box then holds."""
        field = self.page.locator(f"#{box}")
        field.click()
        field.fill("")
        field.press_sequentially(typed, delay=25)
        choice = self.page.locator(f"#{box}-suggestions li[role=option]").filter(
            has_text=re.compile("^" + re.escape(option))).first
        choice.wait_for(timeout=10_000)
        if shot:
            self.check(shot)
        choice.click()
        return field.input_value()

    def submit(self, button: str) -> None:
        with self.page.expect_navigation(wait_until="load"):
            self.page.get_by_role("button", name=button).click()

    # --- reading ---------------------------------------------------------------------------

    def main_text(self) -> str:
        return squash(self.page.locator("main").inner_text())

    def headings(self) -> list[str]:
        return [squash(h) for h in self.page.locator("main :is(h1, h2, h3)").all_inner_texts()]

    def section(self, heading: str) -> str:
        """The visible text under the heading that starts with ``heading``, up to the next
        heading (of any level); fails if no heading starts so."""
        text = self.main_text()
        found = [h for h in self.headings() if h]
        starts = []
        position = 0
        for h in found:
            at = text.find(h, position)
            if at < 0:
                continue
            starts.append((h, at))
            position = at + len(h)
        for n, (h, at) in enumerate(starts):
            if h.startswith(heading):
                end = starts[n + 1][1] if n + 1 < len(starts) else len(text)
                return text[at + len(h):end].strip()
        raise AssertionError(f"no heading starting with {heading!r} in {found}")

    # --- checking --------------------------------------------------------------------------

    def check(self, step: str, *, picture: str | None = None) -> str:
        """The checks every step makes, then its full-page screenshot; returns the visible
        text of ``main``.

        Nothing forbidden in the visible text nor in the title (:data:`FORBIDDEN`), no
        unrendered template in the HTML, one ``h1``, the page in French; no console error,
        dialog, request to another host or failed response. ``picture``: the page shows
        its network picture in an ``iframe`` of this origin, drawn (a canvas) before the
        screenshot.
        """
        page = self.page
        body = squash(page.locator("body").inner_text())
        bad = FORBIDDEN.search(body) or FORBIDDEN.search(page.title())
        assert bad is None, (step, bad.group(0), body[max(0, bad.start() - 200):bad.end() + 200])
        html = page.content()
        assert "{{" not in html and "{%" not in html, step
        assert page.locator("html").get_attribute("lang") == "fr", step
        assert page.locator("main h1").count() == 1, step
        if picture:
            self._picture(step, picture)
        self.steps += 1
        page.screenshot(path=str(self.shots / f"{self.journey}-{self.steps:02d}-{step}.png"),
                        full_page=True)
        self.assert_clean(step)
        return self.main_text()

    def check_picture(self, step: str) -> dict:
        """A picture opened alone (a report's iframe, "Ouvrir l'image seule"): in French,
        nothing forbidden in what it shows, settled; then its screenshot, and nothing
        failed. Returns :func:`settled_picture`'s state."""
        page = self.page
        text = squash(page.locator("body").inner_text())
        bad = FORBIDDEN.search(text) or FORBIDDEN.search(page.title())
        assert bad is None, (step, bad.group(0), text[max(0, bad.start() - 200):bad.end() + 200])
        assert page.locator("html").get_attribute("lang") == "fr", step
        state = settled_picture(page)
        self.steps += 1
        page.screenshot(path=str(self.shots / f"{self.journey}-{self.steps:02d}-{step}.png"),
                        full_page=True)
        self.assert_clean(step)
        return state

    def _picture(self, step: str, wanted: str) -> None:
        page = self.page
        box = page.locator("main iframe").first
        assert page.locator("main iframe").count() >= 1, f"{step}: no picture"
        src = box.get_attribute("src") or ""
        assert src.startswith("/viz/"), src
        box.scroll_into_view_if_needed()  # the frame loads lazily
        frame = box.element_handle().content_frame()
        assert frame is not None, step
        deadline = time.monotonic() + 20
        while not (frame.url.startswith(self.base + "/viz/")
                   and frame.evaluate("document.readyState") == "complete"):
            assert time.monotonic() < deadline, f"{step}: the picture did not load"
            page.wait_for_timeout(50)
        text = squash(frame.locator("body").inner_text())
        bad = FORBIDDEN.search(text)
        assert bad is None, f"{step}: {bad.group(0)!r} in the picture: {text[:500]!r}"
        if wanted == "drawn":
            frame.wait_for_selector("canvas", state="attached", timeout=20_000)
            while frame.evaluate(DRAWN_PIXELS) < 200:
                assert time.monotonic() < deadline + 20, f"{step}: the picture is blank"
                page.wait_for_timeout(100)
        else:
            assert frame.locator("canvas").count() == 0, step
            assert "pas d'image" in text, f"{step}: no French reason in {text!r}"
            self.expected_failures.add(frame.url)
        self.picture_text = text
        page.evaluate("window.scrollTo(0, 0)")

    def assert_clean(self, step: str) -> None:
        failed = [f for f in self.failed_responses
                  if f.split(" ", 1)[1] not in self.expected_failures]
        # Chromium logs a "Failed to load resource" line for a document served with a 4xx
        # on purpose (an ask-back): that line is expected, nothing else
        errors = [e for e in self.console_errors
                  if not (e.startswith("Failed to load resource: the server responded with "
                                       "a status of 4")
                          and any(e.endswith(f"[{url}]") for url in self.expected_failures))]
        assert errors == [], step
        assert self.dialogs == [], step
        assert self.foreign_requests == [], step
        assert failed == [], step


def squash(text: str) -> str:
    """Whitespace as one space (cells, cards and lines all read the same)."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def user(request, journey_browser, journey_server, shots_dir):
    """A :class:`User` on a fresh page; the journey's name is the test's, without
    ``test_``."""
    context = journey_browser.new_context(viewport={"width": 1280, "height": 900},
                                          locale="fr-FR", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(20_000)
    journey = request.node.name.removeprefix("test_").replace("_", "-")
    walker = User(page, journey_server, shots_dir, journey)
    yield walker
    context.close()
