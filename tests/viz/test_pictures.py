"""Static pictures: valid PNG and SVG, text escaped in SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.viz.conftest import XSS_NAME
from viz.grouping import group_view
from viz.layout import layout_view
from viz.pictures import draw_picture
from viz.synthetic import synthetic_view


def test_png_and_svg(tmp_path):
    view = layout_view(synthetic_view(40, kind="map"))
    view.nodes[0].label = XSS_NAME
    view.title = f"Carte {XSS_NAME} $x$"
    png = draw_picture(view, tmp_path / "v.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000
    svg = draw_picture(view, tmp_path / "v.svg")
    text = svg.read_text(encoding="utf-8")
    ET.fromstring(text)  # well-formed
    assert XSS_NAME not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<img" not in text


def test_large_grouped_picture(tmp_path):
    view = layout_view(group_view(synthetic_view(2000), cap=500))
    path = draw_picture(view, tmp_path / "g.png")
    assert path.read_bytes()[:4] == b"\x89PNG"
