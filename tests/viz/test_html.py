"""The page: self-contained, every text escaped, a strict policy, within its size target."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

from tests.viz.conftest import HREF_NAME, XSS_NAME
from viz.html import content_security_policy, page_data, render_html, script_json, size_target
from viz.layout import layout_view
from viz.synthetic import synthetic_view
from viz.view_graph import ViewEdge, ViewGraph, ViewNode


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._open = dict(attrs)
            self._text = []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def hostile_view() -> ViewGraph:
    view = ViewGraph(title=f"Voisinage de {XSS_NAME}", nodes=[
        ViewNode(id="org:xss", label=XSS_NAME, type="Organisation", kind="association",
                 territory="</script><script>window.__xss=1</script>", source="a & b",
                 centre=True),
        ViewNode(id="org:href", label=HREF_NAME, type="Organisation", kind="fondation",
                 source="line\u2028separator"),
    ], edges=[ViewEdge(source="org:href", target="org:xss", type="PARTNERS_WITH")],
        notes=[f"note {XSS_NAME}"])
    return layout_view(view)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_hostile_names_appear_only_escaped():
    html = render_html(hostile_view())
    assert XSS_NAME not in html
    assert HREF_NAME not in html
    assert "<a href" not in html
    assert "</script><script>window.__xss" not in html
    assert "\u2028" not in html
    # heading and notes through autoescape, data through JSON escapes
    assert "<h1 class=\"ag-title\">Voisinage de &lt;img src=x onerror=alert(1)&gt;</h1>" in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    # and the data read back are the names exactly
    collector = parse(html)
    data_script = [t for a, t in collector.scripts if a.get("type") == "application/json"]
    data = json.loads(data_script[0])
    labels = {row[data["fields"]["label"]] for row in data["nodes"]}
    assert labels == {XSS_NAME, HREF_NAME}


def test_no_resource_from_another_host():
    html = render_html(layout_view(synthetic_view(50)))
    collector = parse(html)
    for tag, attrs in collector.tags:
        for name in ("src", "href", "action", "data", "poster"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:)?//", value, re.I), (tag, name, value)
        assert tag not in ("link", "iframe", "object", "embed", "base")
        if tag == "script":
            assert "src" not in attrs
    assert "url(http" not in html.replace(" ", "")
    assert "@import" not in html


def test_policy_allows_exactly_the_inline_scripts():
    html = render_html(layout_view(synthetic_view(20)))
    collector = parse(html)
    meta = [a for t, a in collector.tags
            if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    policy = meta[0]["content"]
    assert policy == content_security_policy()
    assert "default-src 'none'" in policy and "unsafe-eval" not in policy
    executable = [text for attrs, text in collector.scripts if "type" not in attrs]
    assert len(executable) == 2
    for text in executable:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert content_security_policy("'self' https://example.org").endswith(
        "frame-ancestors 'self' https://example.org")


def test_script_json_round_trips_every_character():
    value = {"s": "</script><!-- & \u2028 \u2029 > é"}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


def test_positions_are_in_the_page_and_physics_is_off():
    view = layout_view(synthetic_view(200))
    data = page_data(view)
    fields = data["fields"]
    assert all(row[fields["x"]] is not None for row in data["nodes"])
    assert len({(row[fields["x"]], row[fields["y"]]) for row in data["nodes"]}) > 150
    assert "physics: false" in render_html(view)


def test_page_size_within_target():
    for n in (100, 1000):
        view = layout_view(synthetic_view(n))
        assert len(render_html(view).encode()) <= size_target(n)
