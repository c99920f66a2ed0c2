"""The documentation stays true: the configuration page, the links, no file cited from outside.

No database: these tests read files only.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from pathlib import Path

import pytest

from graph import settings_doc
from graph.settings import Settings
from graph.settings_doc import MissingComment, field_comments, render, settings_docs

ROOT = Path(__file__).resolve().parents[2]
#: the Markdown files whose relative links must resolve
LINKED_PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
                ROOT / "data" / "curated" / "README.md", ROOT / "bench" / "README.md",
                ROOT / "queries" / "README.md"]


# --- docs/configuration.md -----------------------------------------------------------------


def test_configuration_page_is_up_to_date():
    committed = (ROOT / settings_doc.PAGE).read_text(encoding="utf-8")
    assert committed == render(), (
        f"{settings_doc.PAGE} differs from graph/settings.py: regenerate it with "
        f"`{settings_doc.REGENERATE}` and commit the result"
    )


def test_every_setting_is_on_the_page():
    page = (ROOT / settings_doc.PAGE).read_text(encoding="utf-8")
    docs = {doc.name: doc for doc in settings_docs()}
    assert set(docs) == set(Settings.model_fields)
    for name, doc in docs.items():
        assert doc.env, name
        assert doc.why, name
        for variable in doc.env:
            assert f"`{variable}`" in page, variable
    # the ones named in the issue, and the two read by Neo4j's own tools' convention
    assert docs["retry_seconds"].env == ("ALLIANCE_RETRY_SECONDS",)
    assert docs["neo4j_uri"].env == ("NEO4J_URI",)


def test_the_page_is_the_same_on_every_machine():
    page = render()
    assert str(Path.home()) not in page
    assert str(ROOT) not in page
    assert "`~/.cache/alliance-graph`" in page


def test_every_real_setting_has_its_comment():
    source = (ROOT / "graph" / "settings.py").read_text(encoding="utf-8")
    comments = field_comments(source)
    assert set(comments) == set(Settings.model_fields)
    assert comments["bolt_port"].startswith("Bolt port of the managed server")
    assert "leader switch" in comments["retry_seconds"]  # a comment over two lines, joined


def _source(body: str) -> str:
    return "from pydantic import Field\n\n\nclass Settings:\n" + textwrap.indent(
        textwrap.dedent(body), "    ")


def test_a_setting_without_comment_fails_naming_it():
    source = _source("""
        # Why a exists.
        a: int = 1

        b: int = 2
    """)
    with pytest.raises(MissingComment, match=r"setting 'b' has no comment") as caught:
        field_comments(source)
    assert caught.value.field == "b"
    assert "python -m graph.settings_doc" in str(caught.value)


def test_the_first_setting_without_comment_fails():
    with pytest.raises(MissingComment, match="'first'"):
        field_comments(_source("first: int = 1\n"))


def test_a_comment_covers_the_next_setting_only_when_it_names_it():
    named = _source("""
        # API bind address and port.
        api_host: str = "x"
        api_port: int = 1
    """)
    assert field_comments(named) == {"api_host": "API bind address and port.",
                                     "api_port": "API bind address and port."}
    unnamed = _source("""
        # API bind address and port.
        api_host: str = "x"
        api_workers: int = 1
    """)
    with pytest.raises(MissingComment, match="'api_workers'"):
        field_comments(unnamed)


def test_a_comment_over_several_lines_is_joined():
    source = _source("""
        # One line,
        # and another.
        a: int = Field(
            default=1,
        )
        # Its own.
        b: int = 2
    """)
    assert field_comments(source) == {"a": "One line, and another.", "b": "Its own."}


# --- links and citations -------------------------------------------------------------------

_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def _links(path: Path) -> list[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans are not links
    return _LINK.findall(text)


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors of a Markdown file's headings."""
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.MULTILINE):
        plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").lower()
        slug = "".join(c for c in plain if c in " -_" or unicodedata.category(c)[0] in "LN")
        slug = slug.replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors


@pytest.mark.parametrize("page", LINKED_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    broken = []
    for target in _links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (page.parent / file_part).resolve() if file_part else page
        if not resolved.is_relative_to(ROOT):
            broken.append(f"{target} (outside the repository)")
        elif not resolved.exists():
            broken.append(f"{target} (no file {resolved.relative_to(ROOT)})")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(f"{target} (no heading #{anchor} in {resolved.relative_to(ROOT)})")
    assert not broken, f"{page.relative_to(ROOT)}: broken links: " + "; ".join(broken)


def test_docs_exist_and_are_linked_from_the_readme():
    readme = set(_links(ROOT / "README.md"))
    pages = sorted((ROOT / "docs").glob("*.md"))
    assert pages
    missing = [p.name for p in pages if not any(t.partition("#")[0] == f"docs/{p.name}"
                                               for t in readme)]
    assert not missing, f"docs pages the README does not link: {missing}"


@pytest.mark.parametrize("page", LINKED_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_cites_a_file_outside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    for outside in ("DESIGN.md", "../shared", "shared/seeds"):
        assert outside not in text, f"{page.relative_to(ROOT)} cites {outside}"
