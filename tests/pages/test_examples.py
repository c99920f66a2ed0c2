"""Every example the pages suggest gives an answer on the shipped data (the territories
the examples name and the curated dataset, loaded as `make run` does:
tests/shipped_fixtures.py).

The examples are collected from the rendered pages, as a user reads them: the
placeholders of the boxes, the "par exemple …" / "exemples : …" hints of their labels, and
the examples of the messages a page gives when a box is wrong. Each is then typed in its
box, and the answer must not be empty: search results, partners, connectors or a path.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

#: the pages (and the refusals) whose boxes or messages give examples; for a message,
#: the box its examples are for
SOURCES: list[tuple[str, str | None]] = [
    ("/", None), ("/recherche", None), ("/catalyseurs", None), ("/analystes", None),
    ("/chemin", None), ("/espaces", None), ("/fiche/inconnu", None),
    ("/catalyseurs?commune=Roubaix&rayon=999", "rayon"),
    ("/analystes?programme=programme%3Afrance-relance", "territoire"),
]
#: the programme the analyst examples are tried with: the shipped relance plan
PROGRAMME = "programme:france-relance"


class FormText(HTMLParser):
    """The placeholder and label hint of each box (by name), and the messages."""

    def __init__(self):
        super().__init__()
        self.names: dict[str, str] = {}  # box id → name
        self.placeholders: dict[str, str] = {}  # name → placeholder
        self.hints: dict[str, str] = {}  # box id → hint of its label
        self.messages: list[str] = []
        self._label_for: str | None = None
        self._in_hint = False
        self._message_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("input", "select") and a.get("name"):
            self.names[a.get("id", "")] = a["name"]
            if a.get("placeholder"):
                self.placeholders[a["name"]] = a["placeholder"]
        elif tag == "label":
            self._label_for = a.get("for")
        elif tag == "span" and self._label_for and "hint" in (a.get("class") or ""):
            self._in_hint = True
        if tag == "div" and ("error" in (a.get("class") or "") or self._message_depth):
            self._message_depth += 1
            if self._message_depth == 1:
                self.messages.append("")

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for, self._in_hint = None, False
        elif tag == "span":
            self._in_hint = False
        elif tag == "div" and self._message_depth:
            self._message_depth -= 1

    def handle_data(self, data):
        if self._in_hint and self._label_for:
            self.hints[self._label_for] = self.hints.get(self._label_for, "") + data
        if self._message_depth:
            self.messages[-1] += data


def examples_in(text: str) -> list[str]:
    """The examples a text gives: after "par exemple" or "exemples :", separated by commas
    and "ou", glosses in parentheses dropped; or the codes of "59 pour le Nord, …"."""
    text = " ".join(text.split())
    m = re.search(r"(?:par exemple|exemples?)\s*:?\s*(.*)", text, re.IGNORECASE)
    if m:
        body = re.sub(r"\s*\([^()]*\)", "", m.group(1))
        body = re.split(r"\)|\.\s|\.$", body)[0].replace("…", "")
        return [e.strip() for e in re.split(r",\s*|\s+ou\s+", body) if e.strip()]
    m = re.search(r"code\s*:\s*([^)]*)\)", text)
    if m:
        return [item.split(" pour ")[0].strip() for item in m.group(1).split(",")]
    return []


def collect(client) -> dict[str, list[str]]:
    """Every example of every page of :data:`SOURCES`, by the name of its box."""
    found: dict[str, list[str]] = {}
    for url, message_box in SOURCES:
        page = FormText()
        page.feed(client.get(url).text)
        for name, placeholder in page.placeholders.items():
            found.setdefault(name, []).extend(examples_in(placeholder))
        for box_id, hint in page.hints.items():
            found.setdefault(page.names.get(box_id, box_id), []).extend(examples_in(hint))
        for message in page.messages:
            if message_box:
                found.setdefault(message_box, []).extend(examples_in(message))
    return {name: list(dict.fromkeys(values)) for name, values in found.items() if values}


@pytest.fixture(scope="module")
def examples(shipped_client):
    return collect(shipped_client)


def test_the_examples_are_collected(examples):
    # what the pages show today; a page that stops giving examples fails here, not silently
    assert {"q", "commune", "territoire", "de", "a", "rayon"} <= set(examples)
    assert {"Le RAMEAU", "CDC", "Roubaix"} <= set(examples["q"])
    assert {"Roubaix", "59512"} <= set(examples["commune"])
    assert {"Nord", "59", "Hauts-de-France", "France", "region:32", "FR"} <= set(
        examples["territoire"])
    assert sum(len(v) for v in examples.values()) >= 18


def test_examples_in_reads_hints_placeholders_and_messages():
    assert examples_in("Par exemple : Le RAMEAU, CDC, jouer collectif, Roubaix…") == [
        "Le RAMEAU", "CDC", "jouer collectif", "Roubaix"]
    assert examples_in("nom, code postal ou code INSEE, par exemple Roubaix, 59000 (Lille) "
                       "ou 59512 (Roubaix)") == ["Roubaix", "59000", "59512"]
    assert examples_in("entre 1 et 200 (par exemple 30). Vous avez saisi « 999 ».") == ["30"]
    assert examples_in("Indiquez aussi un territoire (nom ou code : 59 pour le Nord, "
                       "FR pour la France entière).") == ["59", "FR"]


def organisation_rows(body: str, start: str, end: str | None = None) -> int:
    part = body.split(start, 1)[1]
    if end and end in part:
        part = part.split(end, 1)[0]
    return part.count('data-label="Organisation"')


def test_every_search_example_finds_something(shipped_client, examples):
    for text in examples["q"]:
        response = shipped_client.get("/recherche", params={"q": text})
        assert response.status_code == 200, text
        assert "Aucun élément ne correspond" not in response.text, text
        assert 'data-label="Nom"' in response.text, text


def test_every_commune_and_radius_example_finds_partners(shipped_client, examples):
    tries = [(c, "30") for c in examples["commune"]]
    tries += [("Roubaix", r) for r in examples["rayon"]]
    for commune, rayon in tries:
        response = shipped_client.get("/catalyseurs",
                                      params={"commune": commune, "rayon": rayon})
        assert response.status_code == 200, (commune, rayon)
        assert organisation_rows(response.text, 'id="partenaires"', 'id="programmes"') >= 1, (
            commune, rayon)


def test_every_territory_example_finds_connectors(shipped_client, examples):
    for territory in examples["territoire"]:
        response = shipped_client.get("/analystes", params={"programme": PROGRAMME,
                                                            "territoire": territory})
        assert response.status_code == 200, territory
        assert organisation_rows(response.text, 'id="connecteurs"', 'id="trous"') >= 1, (
            territory)


def test_every_organisation_example_finds_a_path(shipped_client, examples):
    for source in examples["de"]:
        for target in examples["a"]:
            response = shipped_client.get("/chemin", params={"de": source, "a": target})
            assert response.status_code == 200, (source, target)
            assert '<ol class="paths">' in response.text, (source, target)
