"""The same territory references through the loaders, the API, the CLI and a page: they
read them the same way (graph/territory_reference.py) and follow the same rule.

For each reference the parser's status says what every entry point must do:

- ``found``: the API answers 200 with that territory, the CLI exits 0 with no warning,
  the analyst page answers (200), a loaded cell gets that territory with no warning;
- ``default``: the API answers 200 with the default and the other readings in
  ``also_matches``, the CLI exits 0 with one warning line, the page asks (400) with a link
  for each reading, the loader loads the default and warns once for the column;
- ``ambiguous``: API 409 ``ambiguous_territory`` with the candidates, CLI exit 2 with the
  candidates numbered, the page asks with a link for each, the loader refuses the row
  naming them;
- ``unknown`` / ``uncovered``: API 404, CLI exit 1, page 404, loader row error.

And the ids offered (taken + others, or the candidates) are the same set everywhere.
The graph holds the territories of tests/territory_fixtures.py and nothing else.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from graph.territory_reference import parse_territory
from tests.territory_fixtures import TERRITORY_TABLE, create_territories

REFERENCES = [
    "59100", "13001", "32", "Saint-Denis", "Saint-Denis (93)", "Roubaix", "Roubaiz", "975",
    "75111", "Annecy-le-Vieux", "dep:59", "reg:32", "national", "2A004", "MEL",
]
_ID = re.compile(r"\b(FR|(?:region|departement|epci|commune):[0-9AB]+)\b")


@pytest.fixture(scope="module")
def world(neo4j_driver, neo4j_server):
    from tests.conftest import empty_graph

    empty_graph(neo4j_driver, neo4j_server.database)
    create_territories(neo4j_driver, list(TERRITORY_TABLE))
    from queries.territory import clear_territory_cache

    clear_territory_cache()
    from api.app import create_app
    from graph.settings import get_settings

    with TestClient(create_app(get_settings())) as client:
        yield neo4j_driver, client
    empty_graph(neo4j_driver, neo4j_server.database)


def _offered(reading) -> set[str]:
    return {c.id for c in reading.candidates}


def _api(client, text):
    response = client.get(f"/territories/{urllib.parse.quote(text, safe='')}/programmes")
    body = response.json()
    if response.status_code == 200:
        territory = body["territory"]
        return "taken", territory["id"], {territory["id"]} | {
            m["id"] for m in territory.get("also_matches") or []}
    if response.status_code == 409:
        assert body["error"]["code"] == "ambiguous_territory"
        return "ask", None, {c["id"] for c in body["error"]["detail"]["candidates"]}
    assert response.status_code == 404, response.text
    return "refuse", None, set()


def _cli(text):
    from cli.main import app

    result = CliRunner().invoke(app, ["query", "programmes", text, "--json"])
    out = result.output + (getattr(result, "stderr", "") or "")
    if result.exit_code == 0:
        import json

        payload = json.loads(result.stdout[result.stdout.index("{"):])
        territory = payload["territory"]
        warned = "warning:" in out
        offered = {territory["id"]} | {m["id"] for m in territory.get("also_matches") or []}
        return ("taken_warned" if warned else "taken"), territory["id"], offered
    if result.exit_code == 2:
        return "ask", None, set(_ID.findall(out))
    assert result.exit_code == 1, out
    return "refuse", None, set()


def _page(client, text):
    response = client.get("/analystes", params={"territoire": text})
    body = response.text
    assert "Traceback" not in body and '{"error"' not in body
    if response.status_code == 200:
        return "answer", None, set()
    if response.status_code == 400:
        links = re.findall(r'href="([^"]*territoire=[^"]*)"', body)
        ids = set()
        for href in links:
            query = urllib.parse.urlparse(href.replace("&amp;", "&")).query
            value = urllib.parse.parse_qs(query).get("territoire", [""])[0]
            ids.update(_ID.findall(value))
        return "ask", None, ids
    assert response.status_code in (404, 422), (response.status_code, body[:300])
    return "refuse", None, set()


def _loader(driver, text, tmp_path):
    from loaders.importer import load_paths

    path = tmp_path / "elements.csv"
    path.write_text(f'type,nom,territoire\nOrganisation,Org,"{text}"\n', encoding="utf-8")
    report = load_paths(driver, [path], dry_run=True)
    (f,) = report.files
    if f.errors:
        message = " ".join(e.message if hasattr(e, "message") else str(e) for e in f.errors)
        return "refuse_or_ask", None, set(_ID.findall(message))
    warnings = " ".join(f.warnings)
    return ("taken_warned" if warnings else "taken"), None, set(_ID.findall(warnings))


@pytest.mark.parametrize("text", REFERENCES)
def test_every_entry_point_reads_it_the_same(world, text, tmp_path):
    driver, client = world
    reading = parse_territory(text)
    api = _api(client, text)
    cli = _cli(text)
    page = _page(client, text)
    loader = _loader(driver, text, tmp_path)
    offered = _offered(reading)
    if reading.status == "found":
        assert api == ("taken", reading.taken.id, {reading.taken.id})
        assert cli[:2] == ("taken", reading.taken.id) or (
            cli[0] == "taken_warned" and reading.taken.notice), cli  # a notice is a note line
        assert page[0] == "answer"
        assert loader[0] in ("taken", "taken_warned")
        assert not loader[2] - {reading.taken.id}
    elif reading.status == "default":
        assert api == ("taken", reading.taken.id, offered)
        assert cli == ("taken_warned", reading.taken.id, offered)
        assert page == ("ask", None, offered)
        assert loader[0] == "taken_warned" and loader[2] == offered
    elif reading.status == "ambiguous":
        assert api == ("ask", None, offered)
        assert cli[0] == "ask" and cli[2] == offered
        assert page == ("ask", None, offered)
        assert loader[0] == "refuse_or_ask" and loader[2] == offered
    else:  # unknown, uncovered: nothing taken anywhere
        assert api[0] == cli[0] == page[0] == "refuse"
        assert loader[0] == "refuse_or_ask"


def test_the_references_cover_every_status():
    statuses = {parse_territory(text).status for text in REFERENCES}
    assert statuses == {"found", "default", "ambiguous", "unknown", "uncovered"}
