"""The ``<iframe>`` snippet that embeds a picture in another site: one function, used by
the API's ``/viz/…/embed`` answers and by the « Intégrer » panel of the pages, so both
give the same code.
"""

from __future__ import annotations

from markupsafe import escape

#: the height of an embedded picture, in pixels, unless asked otherwise (a map is taller)
DEFAULT_HEIGHT = 600
MAP_HEIGHT = 700


def embed_height(view: str) -> int:
    """The default height of an embedded picture of ``view`` (``territory``: a map)."""
    return MAP_HEIGHT if view == "territory" else DEFAULT_HEIGHT


def iframe_snippet(src: str, title: str, height: int = DEFAULT_HEIGHT) -> str:
    """The code to paste: an iframe on ``src`` (an absolute URL), titled in words for
    screen readers, as wide as its column, loaded when scrolled to, sending no referrer.

    >>> iframe_snippet("https://x.org/viz/space/space:a", "Espace de dialogue : A & B", 500)
    '<iframe src="https://x.org/viz/space/space:a" title="Espace de dialogue : A &amp; B" \
width="100%" height="500" loading="lazy" referrerpolicy="no-referrer" \
style="border:1px solid #ddd"></iframe>'
    """
    return (f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" '
            f'height="{int(height)}" loading="lazy" referrerpolicy="no-referrer" '
            'style="border:1px solid #ddd"></iframe>')
