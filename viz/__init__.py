"""Network pictures and exports: self-contained HTML pages (vis-network inlined, no
request to any host), PNG/SVG pictures, GraphML/GEXF/JSON/CSV exports, and a pyvis
``Network`` for notebooks.

Everything goes through one model, :class:`viz.view_graph.ViewGraph`:
``queries/`` answers → :mod:`viz.builders` → :mod:`viz.grouping` (past the cap) →
:mod:`viz.layout` → :mod:`viz.html` / :mod:`viz.pictures` / :mod:`viz.exports` /
:mod:`viz.notebook` (:func:`to_pyvis`, pyvis being optional: the ``notebook`` extra).
:mod:`viz.views` ties them to the database for the CLI and the API.
"""

from viz.notebook import to_pyvis
from viz.view_graph import ViewEdge, ViewGraph, ViewNode

__all__ = ["ViewEdge", "ViewGraph", "ViewNode", "to_pyvis"]
