"""Builders of the map views: a territory's contents, or a commune's surroundings →
:class:`ViewGraph` with its :class:`MapFrame`.

What is located in the territory (or within the radius of the commune) is on the map, at
the point the query placed it; what acts on it from a territory containing it (an
organisation active in its région, a programme covering France) is not located there: it
stands aside, in columns captioned by the territory it acts on ("8 organisations actives
dans toute la France"). Pure functions, no database.
"""

from __future__ import annotations

from graph.french import km, of_place, plural
from graph.vocabulary import KIND_FR, LEVEL_LABELS
from queries.commune_map import CommuneContents
from queries.export import ProgrammeCover, TerritoryContents
from queries.models import TerritoryRef
from viz.titles import commune_title, territory_title
from viz.view_graph import MapFrame, ViewEdge, ViewGraph, ViewNode

#: the rank of a territory level, smallest first (captions go nearest territory first)
_RANK = {"commune": 0, "epci": 1, "departement": 2, "region": 3, "country": 4}


def where(ref: TerritoryRef) -> str:
    """A territory in a list: ``France (pays)``, ``Nord (département)``."""
    level = KIND_FR.get(ref.level or "", ref.level or "territoire").lower()
    return f"{ref.name or ref.id} ({level})"


#: how a sentence names the whole of a territory of each level, as an object
#: (« couvrant … ») and as a place (« active … »): French takes an article with the level
#: word, and « à » for a town
_WHOLE = {"country": ("tout le pays {}", "dans tout le pays {}"),
          "region": ("la région {}", "dans la région {}"),
          "departement": ("le département {}", "dans le département {}"),
          "epci": ("l'intercommunalité {}", "dans l'intercommunalité {}"),
          "commune": ("{}", "à {}"),
          "collectivite": ("la collectivité {}", "dans la collectivité {}")}


def whole(ref: TerritoryRef, *, place: bool = False) -> str:
    """A territory as a caption's sentence says it.

    >>> whole(TerritoryRef(id="country:fr", name="France", level="country"), place=True)
    'dans toute la France'
    >>> whole(TerritoryRef(id="departement:59", name="Nord", level="departement"))
    'le département Nord'
    >>> whole(TerritoryRef(id="commune:59512", name="Roubaix", level="commune"), place=True)
    'à Roubaix'
    """
    name = ref.name or ref.id
    if ref.level == "country" and name == "France":
        return "dans toute la France" if place else "toute la France"
    as_object, as_place = _WHOLE.get(ref.level or "", ("{}", "sur {}"))
    return (as_place if place else as_object).format(name)


def _roles(labels: list[str]) -> list[str]:
    return [r for r, lab in (("relay", "Relay"), ("catalyst", "Catalyst")) if lab in labels]


class _Aside:
    """The side columns of a map: nodes under a caption per territory and kind of node;
    captions are written once every node is known (they carry the count)."""

    def __init__(self) -> None:
        self.groups: dict[tuple[int, str, int], tuple[TerritoryRef, str, list[ViewNode]]] = {}

    def add(self, node: ViewNode, territory: TerritoryRef, what: str, *,
            first: bool = False) -> None:
        # the territory drawn first, then the nearest containing one; organisations
        # before programmes
        rank = -1 if first else _RANK.get(territory.level or "", 5)
        key = (rank, territory.id, 0 if what == "organisations" else 1)
        self.groups.setdefault(key, (territory, what, []))[2].append(node)

    def nodes(self) -> list[ViewNode]:
        out = []
        for key in sorted(self.groups):
            territory, what, nodes = self.groups[key]
            n = len(nodes)
            if what == "organisations":
                caption = (plural(n, "organisation active", "organisations actives")
                           + f" {whole(territory, place=True)}")
            else:
                caption = plural(n, "programme", "programmes") + f" couvrant {whole(territory)}"
            for node in nodes:
                node.aside = caption
                node.group = caption
            out += nodes
        return out


def _programme_node(prog, source: str | None, covers: str) -> ViewNode:
    return ViewNode(id=prog.id, label=prog.name or prog.id, type="Programme",
                    kind=prog.phase, source=source, territory=f"couvre {covers}",
                    group="programmes")


def _place_programme(prog: ProgrammeCover, centre: TerritoryRef, aside: _Aside,
                     view: ViewGraph) -> None:
    """A programme covering the territory or one containing it stands aside (under the
    smallest it covers); one covering only territories inside it is on the map."""
    covers = ", ".join(where(TerritoryRef(id=c.id, name=c.name, level=c.level))
                       for c in prog.covers[:3])
    node = _programme_node(prog, prog.source, covers)
    own = [c for c in prog.covers if c.rel == "self"]
    above = [c for c in prog.covers if c.rel == "above"]
    if own:
        aside.add(node, centre, "programmes", first=True)
    elif above:
        aside.add(node, TerritoryRef(id=above[0].id, name=above[0].name,
                                     level=above[0].level), "programmes")
    else:
        node.lat, node.lon = prog.lat, prog.lon
        view.add_node(node)


def territory_view(contents: TerritoryContents) -> ViewGraph:
    """A territory on its map: the organisations located or active in it at their place,
    the programmes covering only a part of it there; aside, those acting on it as a whole
    or from a territory containing it; over the points and outline of its communes."""
    t = contents.territory
    centre_ref = TerritoryRef(id=t.id, name=t.name, level=t.kind)
    view = ViewGraph(title=territory_title(t.name or t.id), kind="map")
    view.add_node(ViewNode(id=t.id, label=t.name or t.id,
                           type=LEVEL_LABELS.get(t.kind or "", "Territory"), kind=t.kind,
                           territory=t.place, source=t.source, lat=t.lat, lon=t.lon,
                           centre=True))
    aside = _Aside()
    for org in contents.organisations:
        node = ViewNode(id=org.id, label=org.name or org.id, type="Organisation",
                        kind=org.kind, territory=org.place, source=org.source,
                        group=org.group or org.place, lat=org.lat, lon=org.lon,
                        roles=_roles(org.labels))
        if org.placed_in == t.id:
            # active on the whole territory: no place on its map is truer than another
            node.lat = node.lon = None
            node.territory = f"active {whole(centre_ref, place=True)}"
            aside.add(node, centre_ref, "organisations", first=True)
        else:
            view.add_node(node)
    for wider in contents.wider:
        org = wider.organisation
        aside.add(ViewNode(id=org.id, label=org.name or org.id, type="Organisation",
                           kind=org.kind, territory=f"active {whole(wider.territory, place=True)}",
                           source=org.source, roles=_roles(org.labels)),
                  wider.territory, "organisations")
    for prog in contents.programmes:
        _place_programme(prog, centre_ref, aside, view)
    beside = {node.id for node in aside.nodes()}
    for node in aside.nodes():
        view.add_node(node)
    # an organisation aside acting on the territory says so in its caption: no line
    # across the map to the territory's node
    view.edges = [ViewEdge(source=e.source, target=e.target, type=e.type)
                  for e in contents.edges if not (e.source in beside and e.target == t.id)]
    view.frame = MapFrame(points=contents.outline, places=contents.places)
    if contents.total > len(contents.organisations):
        view.notes.append(plural(len(contents.organisations), "organisation affichée",
                                 "organisations affichées") + f" sur {contents.total}.")
    if contents.wider_total > len(contents.wider):
        view.notes.append(
            plural(len(contents.wider), "organisation active", "organisations actives")
            + f" sur un territoire plus large affichée{'s' if len(contents.wider) > 1 else ''}"
            f" sur {contents.wider_total}.")
    return view.dedupe()


def commune_view(contents: CommuneContents) -> ViewGraph:
    """A commune and its surroundings within the radius, as the catalyst page lists them:
    the partners within the radius where they were placed, the communes around as faint
    points (the largest named), the circle of the radius; aside, the organisations acting
    on a territory containing the commune and the programmes covering it."""
    near = contents.near
    place = near.centre.commune
    assert place is not None
    radius = near.radius_km
    details = contents.details
    view = ViewGraph(title=commune_title(place.name or place.id, radius), kind="map")
    home = details.get(place.id)
    view.add_node(ViewNode(id=place.id, label=place.name or place.id, type="Commune",
                           kind="commune", territory="commune",
                           source=home.source if home else None,
                           lat=near.centre.latitude, lon=near.centre.longitude, centre=True))
    for item in near.items:
        org = item.organisation
        info = details.get(org.id)
        at = item.commune.name if item.commune else (info.place if info else None)
        if item.placed_by == "territory":  # as the catalyst page says it
            at = "placée au centre du territoire où elle agit" + (f" ({at})" if at else "")
        view.add_node(ViewNode(
            id=org.id, label=org.name or org.id, type="Organisation", kind=org.kind,
            territory=", ".join(x for x in (at, f"à {km(item.distance_km, 1)}") if x),
            source=info.source if info else None, group=at, roles=list(org.roles),
            lat=item.latitude, lon=item.longitude))
    aside = _Aside()
    active = near.active_on_territory.items if near.active_on_territory else []
    for item in active:
        org = item.organisation
        info = details.get(org.id)
        aside.add(ViewNode(id=org.id, label=org.name or org.id, type="Organisation",
                           kind=org.kind, territory=f"active {whole(item.territory, place=True)}",
                           source=info.source if info else None, roles=list(org.roles)),
                  item.territory, "organisations")
    for prog in contents.programmes:
        info = details.get(prog.id)
        covers = ", ".join(where(c) for c in prog.covers[:3])
        aside.add(_programme_node(prog, info.source if info else None, covers),
                  prog.covers[0] if prog.covers else place, "programmes",
                  first=bool(prog.covers) and prog.covers[0].id == place.id)
    for node in aside.nodes():
        view.add_node(node)
    view.edges = [ViewEdge(source=e.source, target=e.target, type=e.type)
                  for e in contents.edges]
    view.frame = MapFrame(points=[(c.lat, c.lon) for c in contents.communes],
                          places=[(c.lat, c.lon, c.name or c.id) for c in contents.communes
                                  if c.distance_km <= radius],
                          centre=(near.centre.latitude, near.centre.longitude),
                          radius_km=radius)
    filtered = " avec ces critères" if contents.need or contents.role else ""
    if not near.items:
        view.notes.append(f"Aucune organisation enregistrée à moins de {km(radius)} "
                          f"{of_place(place.name or place.id)}{filtered}.")
    elif near.total > len(near.items):
        view.notes.append(plural(len(near.items), "organisation affichée",
                                 "organisations affichées")
                          + f" sur {near.total} à moins de {km(radius)} (les plus proches).")
    if near.active_on_territory and near.active_on_territory.total > len(active):
        view.notes.append(
            plural(len(active), "organisation active", "organisations actives")
            + f" sur un territoire plus large affichée{'s' if len(active) > 1 else ''} sur "
            f"{near.active_on_territory.total}.")
    return view.dedupe()
