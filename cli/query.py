"""`alliance-graph query QUESTION …`: the questions users ask, as Rich tables or JSON."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from pydantic import BaseModel
from rich.table import Table

from cli.common import console, err_console, fail, print_json, territory_fail, territory_param
from graph.french import in_sentence, kind_fr, label_fr, rel_fr
from queries.questions import MAX_RADIUS_KM

app = typer.Typer(
    help="Ask the graph: connectors, programmes, partners near, gaps, neighbourhood, paths, "
         "alliance suggestions, dialogue spaces, search, stats, brokers, communities.",
    no_args_is_help=True,
)

_JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")
_LIMIT = typer.Option(50, "--limit", min=0, help="Page size.")
_OFFSET = typer.Option(0, "--offset", min=0, help="Page start.")
_PROGRAMME_HELP = ("A programme: id, name or alias (France Relance); several of that name "
                   "list the candidates and exit 2.")
_ORGANISATION_HELP = ("An organisation: id, name or alias (org:le-rameau, Le RAMEAU, "
                      "rameau); several of that name list the candidates and exit 2.")
_TERRITORY_HELP = ("A territory: name (Roubaix, Saint-Denis (93)), INSEE or postal code "
                   "(59512, 59, 59100) or id (region:32). Another possible reading is a "
                   "warning; an ambiguous one lists the candidates and exits 2.")


def _ask(question: Callable[..., BaseModel], *args: Any, status: str | None = None,
         **kwargs: Any) -> BaseModel:
    """Run a question on the process driver; every failure is one line with its fix."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    from graph.driver import get_database, get_driver
    from queries.errors import InvalidParameter, NotFoundError

    try:
        driver = get_driver()
        if status:
            with err_console.status(status):
                return question(driver, *args, database=get_database(), **kwargs)
        return question(driver, *args, database=get_database(), **kwargs)
    except (NotFoundError, InvalidParameter) as exc:
        territory_fail(exc)
    except ServiceUnavailable as exc:
        fail(f"Neo4j is not reachable ({exc}); start it with `alliance-graph db start` or set "
             "NEO4J_URI")
    except Neo4jError as exc:
        fail(f"Neo4j refused the query: {exc.message}")


_AS_OF = typer.Option(
    None, "--as-of", metavar="WHEN",
    help="Ask as of a past time: a day (2026-06-19: its end, Paris time), a time "
         "(2026-06-19T14:30, with an offset or Paris time) or an import id (imp-…).")


@contextmanager
def _at(text: str | None) -> Iterator[None]:
    """The questions within are asked as of ``text`` (None: now); a bad one is one line."""
    from graph import as_of
    from graph.as_of import BadAsOf
    from queries.as_of import resolve_as_of

    try:
        moment = _ask(resolve_as_of, text) if text is not None else None
    except BadAsOf as exc:
        fail(str(exc))
    with as_of.scope(moment):
        yield


def _as_of_option(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command ``--as-of WHEN``: its questions are asked as of that time."""
    signature = inspect.signature(command)
    option = inspect.Parameter("as_of", inspect.Parameter.KEYWORD_ONLY, default=_AS_OF,
                               annotation=str | None)

    @functools.wraps(command)
    def run(*args: Any, as_of: str | None = None, **kwargs: Any) -> None:
        with _at(as_of):
            command(*args, **kwargs)

    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), option])
    run.__annotations__ = {**command.__annotations__, "as_of": str | None}
    return run


def _member_role(role: str) -> str:
    return "copilote" if role == "copilot" else role


def _emit(result: BaseModel, json_out: bool, render: Callable[[Any], None]) -> None:
    if json_out:
        print_json(result.model_dump(mode="json"))
    else:
        render(result)


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _page_caption(table: Table, page: Any) -> None:
    shown = len(page.items)
    first = page.offset + 1 if shown else 0
    table.caption = f"{first}–{page.offset + shown} of {page.total}"


# Tables show the vocabulary in French, as the pages do; --json keeps the stable codes.


def _kind(value: str | None) -> str:
    """An organisation kind, phase or role in French ("Collectivité"); "" for none."""
    return kind_fr(value) if value else ""


def _rel(rel_type: str, direction: str = "out") -> str:
    """A relationship type read in French from the node the table starts at."""
    return rel_fr(rel_type, "in" if direction == "in" else "out")


def _org(o: Any) -> str:
    roles = f" [{', '.join(in_sentence(kind_fr(r)) for r in o.roles)}]" if o.roles else ""
    return f"{o.name or o.id}{roles}"


def _path_text(path: Any) -> str:
    """``Le RAMEAU → porte → Plan numérique → couvre → Nord``: each link read from the node
    before it."""
    parts = [path.nodes[0].name or path.nodes[0].id]
    previous = path.nodes[0].id
    for node, rel in zip(path.nodes[1:], path.relationships, strict=False):
        parts.append(_rel(rel.type, "out" if rel.source == previous else "in"))
        parts.append(node.name or node.id)
        previous = node.id
    return " → ".join(parts)


@app.command()
@_as_of_option
def connectors(
    programme: str = typer.Option(..., "--programme", "-p", help=_PROGRAMME_HELP),
    territory: str = typer.Option(..., "--territory", "-t", help=_TERRITORY_HELP),
    limit: int = _LIMIT, offset: int = _OFFSET, json_out: bool = _JSON,
) -> None:
    """Organisations connecting a programme to a territory, with the path that proves it."""
    from queries import connectors as ask
    from queries.element_names import PROGRAMME, element_param

    territory = territory_param(territory)
    programme = _ask(element_param, programme, labels=PROGRAMME)
    page = _ask(ask, programme, territory, limit=limit, offset=offset)

    def render(p: Any) -> None:
        table = _table(f"Connectors of {p.programme.name} in {p.territory.name}",
                       "organisation", "kind", "relations", "proof")
        for c in p.items:
            table.add_row(_org(c.organisation), _kind(c.organisation.kind),
                          ", ".join(_rel(r) for r in c.relations),
                          "\n".join(_path_text(x) for x in c.paths))
        _page_caption(table, p)
        console.print(table)
        if p.covering is not None and p.covering.total:
            above = _table(f"Covering {p.territory.name} from above", "organisation", "kind",
                           "relations", "proof")
            for c in p.covering.items:
                above.add_row(_org(c.organisation), _kind(c.organisation.kind),
                              ", ".join(_rel(r) for r in c.relations),
                              "\n".join(_path_text(x) for x in c.paths))
            _page_caption(above, p.covering)
            console.print(above)
        if p.reason == "programme_not_placed":
            console.print("No carrier, funder, operator or relay of the programme is located "
                          "or active anywhere.")
        elif p.reason == "none_in_territory":
            console.print("No organisation linked to the programme is in this territory or "
                          "covers it.")

    _emit(page, json_out, render)


@app.command()
@_as_of_option
def programmes(
    territory: str = typer.Argument(..., help=_TERRITORY_HELP),
    json_out: bool = _JSON,
) -> None:
    """Programmes covering a territory or one containing it, by phase and need."""
    from queries import programmes_of_territory as ask

    answer = _ask(ask, territory_param(territory))

    def render(a: Any) -> None:
        table = _table(f"Programmes of {a.territory.name} ({a.territory.id})",
                       "phase", "need", "programme", "covers")
        for g in a.groups:
            for p in g.programmes:
                table.add_row(_kind(g.phase), g.need.name if g.need else "—", p.name or p.id,
                              ", ".join(t.name or t.id for t in p.covers))
        # an EPCI spanning several départements: programmes on one of them cover part of it
        for q in a.partial:
            table.add_row(_kind(q.programme.phase),
                          ", ".join(n.name or n.id for n in q.needs) or "—",
                          q.programme.name or q.programme.id,
                          f"{q.territory.name or q.territory.id}: part only, "
                          f"{q.communes_covered} of {q.communes_total} communes")
        table.caption = f"{a.total} programmes; scope: " + " ⊂ ".join(
            t.name or t.id for t in a.scope)
        if a.partial:
            table.caption += f"; {len({q.programme.id for q in a.partial})} covering part only"
        console.print(table)

    _emit(answer, json_out, render)


@app.command()
@_as_of_option
def near(
    commune: str = typer.Option(None, "--commune", "-c",
                                help="Commune: name, postal code, INSEE code or id."),
    lat: float = typer.Option(None, "--lat", help="Latitude (WGS-84), with --lon."),
    lon: float = typer.Option(None, "--lon", help="Longitude (WGS-84), with --lat."),
    radius: float = typer.Option(30.0, "--radius", "-r",
                                 help=f"Radius in km, more than 0 and at most "
                                      f"{MAX_RADIUS_KM:g}."),
    need: str = typer.Option(None, "--need", help="Need id the partner expresses or answers."),
    kind: str = typer.Option(None, "--kind", help="Organisation kind (association, …)."),
    role: str = typer.Option(None, "--role", help="catalyst or relay."),
    limit: int = _LIMIT, offset: int = _OFFSET, json_out: bool = _JSON,
) -> None:
    """Partners near a commune or a point, nearest first, with what each connects to."""
    from queries import partners_near as ask

    if not 0 < radius <= MAX_RADIUS_KM:
        fail(f"--radius {radius:g} is out of range; give more than 0 and at most "
             f"{MAX_RADIUS_KM:g} km, e.g. --radius 30", code=2)
    if lat is None and lon is None:
        territory_param(commune, level="commune")
    page = _ask(ask, commune=commune, lat=lat, lon=lon, radius_km=radius, need=need,
                kind=kind, role=role, limit=limit, offset=offset)

    def render(p: Any) -> None:
        where = p.centre.commune.name if p.centre.commune else (
            f"{p.centre.latitude:.4f}, {p.centre.longitude:.4f}")
        table = _table(f"Partners within {p.radius_km:g} km of {where}",
                       "km", "organisation", "kind", "commune", "connects to")
        for i in p.items:
            links = ", ".join(f"{_rel(link.type, link.direction)} "
                              f"{link.node.name or link.node.id}" for link in i.connects_to)
            placed = "" if i.placed_by == "own" or i.commune else f" (by {i.placed_by})"
            table.add_row(f"{i.distance_km:.1f}", _org(i.organisation),
                          _kind(i.organisation.kind),
                          ((i.commune.name if i.commune else "") + placed).strip(), links)
        _page_caption(table, p)
        console.print(table)
        active = p.active_on_territory
        if active is not None and active.total:
            acting = _table(f"Active on {where}'s territory, beyond the radius",
                            "organisation", "kind", "active in", "connects to")
            for i in active.items:
                acting.add_row(_org(i.organisation), _kind(i.organisation.kind),
                               i.territory.name or i.territory.id,
                               ", ".join(f"{_rel(link.type, link.direction)} "
                                         f"{link.node.name or link.node.id}"
                                         for link in i.connects_to))
            _page_caption(acting, active)
            console.print(acting)

    _emit(page, json_out, render)


@app.command()
@_as_of_option
def gaps(
    territory: str = typer.Argument(..., help=_TERRITORY_HELP),
    all_needs: bool = typer.Option(False, "--all", help="Every known need, not only those "
                                   "expressed in the territory."),
    json_out: bool = _JSON,
) -> None:
    """Needs of a territory that no programme covering it addresses."""
    from queries import gaps as ask

    answer = _ask(ask, territory_param(territory), scope="all" if all_needs else "expressed")

    def render(a: Any) -> None:
        partly = any(g.partial for g in a.gaps)
        columns = ("need", "category", "expressed by") + (("covered in part by",) if partly
                                                          else ())
        table = _table(f"Gaps in {a.territory.name} ({a.scope} needs)", *columns)
        for g in a.gaps:
            row = [g.name or g.id, g.category or "", str(g.expressed_by)]
            if partly:
                row.append("\n".join(
                    f"{q.programme.name or q.programme.id} ({q.territory.name or q.territory.id}"
                    f": {q.communes_covered} of {q.communes_total} communes)"
                    for q in g.partial))
            table.add_row(*row)
        table.caption = (f"{len(a.gaps)} gaps among {a.needs_considered} needs "
                         f"({a.covered} covered)")
        console.print(table)

    _emit(answer, json_out, render)


@app.command()
@_as_of_option
def neighbourhood(
    element: str = typer.Argument(..., help="Any element or territory id, or an element's "
                                            "name or alias."),
    depth: int = typer.Option(1, "--depth", "-d", min=1, max=3),
    limit: int = _LIMIT, offset: int = _OFFSET, json_out: bool = _JSON,
) -> None:
    """What surrounds an element, up to a depth, one page at a time."""
    from queries import neighbourhood as ask
    from queries.element_names import ANY, element_param

    element = _ask(element_param, element, labels=ANY)
    page = _ask(ask, element, depth=depth, limit=limit, offset=offset)

    def render(p: Any) -> None:
        table = _table(f"Around {p.centre.name or p.centre.id} ({label_fr(p.centre.label)})",
                       "distance", "label", "id", "name")
        for i in p.items:
            table.add_row(str(i.distance), label_fr(i.node.label), i.node.id, i.node.name or "")
        _page_caption(table, p)
        console.print(table)

    _emit(page, json_out, render)


@app.command()
@_as_of_option
def paths(
    source: str = typer.Argument(..., help=_ORGANISATION_HELP),
    target: str = typer.Argument(..., help=_ORGANISATION_HELP),
    max_hops: int = typer.Option(4, "--max-hops", "-k", min=1, max=6),
    limit: int = typer.Option(10, "--limit", min=1, help="Paths shown."),
    json_out: bool = _JSON,
) -> None:
    """Shortest paths between two organisations: who can introduce me."""
    from queries import paths as ask
    from queries.element_names import ORGANISATION, element_param

    source = _ask(element_param, source, labels=ORGANISATION)
    target = _ask(element_param, target, labels=ORGANISATION)
    answer = _ask(ask, source, target, max_hops=max_hops, limit=limit)

    def render(a: Any) -> None:
        if a.length is None:
            console.print(f"No path within {a.max_hops} hops between {a.source.name} and "
                          f"{a.target.name}.")
            return
        table = _table(f"{len(a.paths)} shortest paths of {a.length} hops", "path")
        for p in a.paths:
            table.add_row(_path_text(p))
        console.print(table)

    _emit(answer, json_out, render)


@app.command()
@_as_of_option
def suggest(
    organisation: str = typer.Argument(..., help=_ORGANISATION_HELP),
    radius: float = typer.Option(30.0, "--radius", "-r",
                                 help=f"How far near reaches, in km (more than 0, at most "
                                      f"{MAX_RADIUS_KM:g}): the proximity falls to a "
                                      "quarter there."),
    limit: int = typer.Option(10, "--limit", min=0, help="Suggestions shown."),
    offset: int = _OFFSET, json_out: bool = _JSON,
) -> None:
    """Pistes d'alliance: who this organisation could work with, and why."""
    from graph.french import km, plural
    from queries.element_names import ORGANISATION, element_param
    from queries.suggestions import suggestions as ask

    if not 0 < radius <= MAX_RADIUS_KM:
        fail(f"--radius {radius:g} is out of range; give more than 0 and at most "
             f"{MAX_RADIUS_KM:g} km, e.g. --radius 30", code=2)
    organisation = _ask(element_param, organisation, labels=ORGANISATION)
    page = _ask(ask, organisation, radius_km=radius, limit=limit, offset=offset)

    def render(p: Any) -> None:
        table = _table(f"Pistes d'alliance pour {p.organisation.name or p.organisation.id} "
                       f"(rayon {km(p.radius_km)})", "score", "organisation", "type",
                       "pourquoi")
        for s in p.items:
            table.add_row(f"{s.score:.2f}".replace(".", ","), _org(s.organisation),
                          _kind(s.organisation.kind), s.explanation)
        shown = len(p.items)
        part = (f" (n° {p.offset + 1} à {p.offset + shown})"
                if shown and (p.offset or shown < p.total) else "")
        table.caption = (f"{plural(p.total, 'piste', 'pistes', zero='aucune piste')}{part} ; "
                         "des hypothèses à vérifier, pas des liens établis")
        console.print(table)

    _emit(page, json_out, render)


@app.command()
@_as_of_option
def alliances(
    territory: str = typer.Argument(..., help=_TERRITORY_HELP),
    need: str = typer.Option(None, "--need", "-n", help="A need: id, name or alias."),
    programme: str = typer.Option(None, "--programme", "-p", help=_PROGRAMME_HELP),
    radius: float = typer.Option(30.0, "--radius", "-r",
                                 help="The pairs' proximity falls to a quarter at this "
                                      "distance, in km."),
    limit: int = typer.Option(10, "--limit", min=0, help="Coalitions shown."),
    offset: int = _OFFSET, json_out: bool = _JSON,
) -> None:
    """Pistes d'alliance for a territory: an association, a company or foundation and a
    public actor around a need, no two linked yet."""
    from graph.french import plural
    from queries.alliances import alliances as ask
    from queries.element_names import NEED, PROGRAMME, element_param

    if (need is None) == (programme is None):
        fail("give --need or --programme (one of the two), e.g. --need \"Inclusion "
             "numérique\"", code=2)
    if not 0 < radius <= MAX_RADIUS_KM:
        fail(f"--radius {radius:g} is out of range; give more than 0 and at most "
             f"{MAX_RADIUS_KM:g} km, e.g. --radius 30", code=2)
    territory = territory_param(territory)
    need_id = _ask(element_param, need, labels=NEED) if need else None
    programme_id = _ask(element_param, programme, labels=PROGRAMME) if programme else None
    page = _ask(ask, territory, need=need_id, programme=programme_id, radius_km=radius,
                limit=limit, offset=offset)

    def render(p: Any) -> None:
        about = ", ".join(n.name or n.id for n in p.needs) or "—"
        table = _table(f"Pistes d'alliance : {p.territory.name}, autour de {about}",
                       "score", "membres", "pourquoi")
        for c in p.items:
            table.add_row(f"{c.score:.2f}".replace(".", ","),
                          "\n".join(f"{_org(m)} ({_kind(m.kind)})" for m in c.members),
                          c.explanation)
        found = plural(p.total, "coalition possible", "coalitions possibles",
                       zero="aucune coalition possible")
        table.caption = f"{found} ; des hypothèses à vérifier, pas des liens établis"

        console.print(table)
        if p.missing:
            console.print("Personne sur ce territoire ne peut tenir ces places : "
                          + ", ".join(p.missing) + ".")

    _emit(page, json_out, render)


@app.command()
@_as_of_option
def spaces(
    members: int = typer.Option(100, "--members", min=0, help="Members listed per space."),
    json_out: bool = _JSON,
) -> None:
    """Dialogue spaces: members, and the overlap between spaces (Jaccard)."""
    from queries import dialogue_spaces as ask

    answer = _ask(ask, members_limit=members)

    def render(a: Any) -> None:
        table = _table("Dialogue spaces", "space", "declared", "members", "who")
        for s in a.spaces:
            who = ", ".join(f"{_org(m.organisation)} ({'/'.join(_member_role(r) for r in m.roles)})"
                            for m in s.members)
            table.add_row(s.name or s.id, "" if s.declared_count is None else
                          str(s.declared_count), str(s.member_count), who)
        console.print(table)
        overlap = _table("Overlaps", "a", "b", "shared", "Jaccard", "who")
        for o in a.overlaps:
            overlap.add_row(o.a, o.b, str(o.shared_count), f"{o.jaccard:.3f}",
                            ", ".join(_org(x) for x in o.shared))
        console.print(overlap)

    _emit(answer, json_out, render)


@app.command()
@_as_of_option
def search(
    text: str = typer.Argument(..., help="Words of a name; accents and case ignored."),
    label: list[str] = typer.Option(None, "--label", "-l", help="Keep only this label."),
    limit: int = typer.Option(20, "--limit", min=0), offset: int = _OFFSET,
    json_out: bool = _JSON,
) -> None:
    """Full-text search over names and aliases, best first."""
    from queries import search as ask

    page = _ask(ask, text, labels=label or None, limit=limit, offset=offset)

    def render(p: Any) -> None:
        table = _table(f"Search: {p.query}", "score", "label", "id", "name", "kind")
        for h in p.items:
            table.add_row(f"{h.score:.2f}", label_fr(h.label), h.id, h.name or "", _kind(h.kind))
        _page_caption(table, p)
        console.print(table)

    _emit(page, json_out, render)


@app.command()
@_as_of_option
def stats(json_out: bool = _JSON) -> None:
    """Counts by label, relationship type, kind, phase, role and territory."""
    from queries import stats as ask

    answer = _ask(ask)

    def render(a: Any) -> None:
        for title, data, french in (("Nodes by label", a.labels, label_fr),
                                    ("Relationships by type", a.relationships, _rel),
                                    ("Organisations by kind", a.kinds, _kind),
                                    ("Programmes by phase", a.phases, _kind),
                                    ("Roles", a.roles, _kind)):
            table = _table(title, "", "count")
            for key, value in data.items():
                if value:
                    table.add_row(french(key), str(value))
            console.print(table)
        table = _table("Organisations by région", "région", "organisations")
        for c in a.organisations_by_region:
            table.add_row(c.territory.name or c.territory.id, str(c.organisations))
        console.print(table)

    _emit(answer, json_out, render)


@app.command()
@_as_of_option
def brokers(
    top: int = typer.Option(20, "--top", min=1),
    all_nodes: bool = typer.Option(False, "--all-nodes",
                                   help="Rank programmes and spaces too, not only organisations."),
    samples: int = typer.Option(None, "--samples", min=1,
                                help="Sources sampled above the exact threshold."),
    seed: int = typer.Option(42, "--seed"),
    json_out: bool = _JSON,
) -> None:
    """Brokers of the collaboration network (betweenness; sampled on large graphs)."""
    from queries import brokers as ask
    from queries.analytics import DEFAULT_SAMPLES

    answer = _ask(ask, top=top, organisations_only=not all_nodes,
                  samples=samples or DEFAULT_SAMPLES, seed=seed,
                  status="computing betweenness…")

    def render(a: Any) -> None:
        table = _table("Brokers", "rank", "score", "label", "name", "kind")
        for b in a.items:
            table.add_row(str(b.rank), f"{b.score:.4f}", label_fr(b.label), b.name or b.id,
                          _kind(b.kind))
        table.caption = f"{a.note}; {a.nodes} nodes, {a.edges} edges"
        console.print(table)

    _emit(answer, json_out, render)


@app.command()
@_as_of_option
def communities(
    seed: int = typer.Option(42, "--seed"),
    resolution: float = typer.Option(1.0, "--resolution"),
    limit: int = typer.Option(20, "--limit", min=0), offset: int = _OFFSET,
    members: int = typer.Option(8, "--members", min=0, help="Members shown per community."),
    json_out: bool = _JSON,
) -> None:
    """Communities of the collaboration network (Louvain, seeded)."""
    from queries import communities as ask

    page = _ask(ask, seed=seed, resolution=resolution, limit=limit, offset=offset,
                members_limit=members, status="finding communities…")

    def render(p: Any) -> None:
        table = _table(f"Communities (Louvain, seed {p.seed}, modularity {p.modularity:.3f})",
                       "#", "size", "labels", "best connected")
        for c in p.items:
            labels = ", ".join(f"{label_fr(k)} {v}" for k, v in sorted(c.labels.items()))
            table.add_row(str(c.index), str(c.size), labels,
                          ", ".join(m.name or m.id for m in c.members))
        _page_caption(table, p)
        console.print(table)

    _emit(page, json_out, render)


def register(parent: typer.Typer) -> None:
    """Add the `query` group to the main app."""
    parent.add_typer(app, name="query")
