"""The web pages: server-side rendered with Jinja2, in French, no front-end build.

- ``GET /``               accueil: what Alliance Graph is, the figures, a search box
                          (:mod:`.home`, with ``GET /recherche``, full-text search)
- ``GET /catalyseurs``    a catalyst's questions (:mod:`.catalysts`)
- ``GET /analystes``      an analyst's questions (:mod:`.analysts`)
- ``GET /fiche/{id}``     one element or territory (:mod:`.element`)
- ``GET /espaces``, ``GET /espaces/{id}``  the dialogue spaces, one space (:mod:`.spaces`)
- ``GET /chemin``         paths between two organisations, ``GET /pages-api/organisations``
                          its name suggestions (:mod:`.paths`)
- ``GET /pistes``         the « Pistes d'alliance »: an organisation's suggestions, a
                          territory's coalitions; stewards mark them (:mod:`.pistes`)
- ``GET /pages-api/communes?q=``, ``GET /pages-static/{file}``  suggestions of the
                          territory boxes, the stylesheet and the script (:mod:`.static`)
- ``GET /gestion``…       the stewards' pages, behind a login: « Importer », « Historique
                          des imports » (:mod:`.steward`)

Every page handler calls the ``queries`` wrappers (no Cypher here) and renders a template
with :func:`api.pages.rendering.render` (French filters, strict CSP). Form values are read
by :mod:`.forms` and the territory boxes by :mod:`.territory_box`; a value a page cannot
use comes back as the form again, with a French message and a 4xx status.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.pages import (
    analysts,
    catalysts,
    element,
    home,
    paths,
    pistes,
    spaces,
    static,
    steward,
)

router = APIRouter(include_in_schema=False)
for _family in (home, catalysts, analysts, element, spaces, paths, pistes, static, steward):
    router.include_router(_family.router)
