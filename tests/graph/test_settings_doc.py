"""The configuration page stays what graph/settings.py says.

No database: these tests read files only.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from graph import settings_doc
from graph.settings import Settings
from graph.settings_doc import MissingComment, field_comments, render, settings_docs

ROOT = Path(__file__).resolve().parents[2]


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
