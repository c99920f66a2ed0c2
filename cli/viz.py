"""`alliance-graph viz …` (pictures: HTML, PNG, SVG) and `alliance-graph export` (GraphML,
GEXF, JSON node-link, CSV)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from cli.common import console, err_console, fail, print_json, territory_fail, territory_param

viz_app = typer.Typer(
    help="Network pictures: a self-contained HTML page (opens offline), or PNG/SVG for print.",
    no_args_is_help=True,
)

_OUTPUT = typer.Option(..., "--output", "-o",
                       help="The file to write: .html (interactive), .png or .svg; or the "
                            "picture's data, as the pages' downloads: .csv (X-nodes.csv, "
                            "X-edges.csv), .graphml, .gexf or .json.")
_SEP = typer.Option(";", "--sep",
                    help="CSV separator: ';' (default, decimal commas: Excel in French), "
                         "',' or tab (decimal points: pandas, Gephi).")
#: what `-o` may end with besides a picture: the picture's data (viz/exports.py)
_DATA_FORMATS = ("csv", "graphml", "gexf", "json")
_CAP = typer.Option(1500, "--cap", min=1,
                    help="Past this many nodes, group them by territory or community.")
_SIZE_BY = typer.Option("degree", "--size-by", help="Node size by 'degree' or 'betweenness'.")
_JSON = typer.Option(False, "--json", help="Print a JSON summary instead of a line.")


def _driver():
    from graph.driver import get_database, get_driver

    return get_driver(), get_database()


def _named(build: Callable[..., Any], key: str, labels: tuple[str, ...]) -> Callable[..., Any]:
    """``build`` with its ``key`` argument read as an id, a name or an alias first."""
    from queries.element_names import element_param

    def named(driver, *, database: str, **kwargs: Any) -> Any:
        kwargs[key] = element_param(driver, kwargs[key], labels=labels, database=database)
        return build(driver, database=database, **kwargs)

    return named


def _run_view(build: Callable[..., Any], output: Path, json_out: bool, sep: str = ";",
              **kwargs) -> None:
    """Build a view, write it (a picture, or its data), say what was written (errors in
    one line with the fix)."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    from graph.csv_writer import check_sep
    from queries.errors import InvalidParameter, NotFoundError
    from viz.exports import write_export
    from viz.views import output_format, write_view

    data = output.suffix.lower().lstrip(".") in _DATA_FORMATS
    if not data:
        try:
            output_format(output)
        except ValueError as exc:
            fail(f"{exc}, or its data: .csv, .graphml, .gexf or .json")
    try:
        sep = check_sep(sep)
    except ValueError as exc:
        fail(f"{exc}; for example --sep ';' (Excel in French) or --sep ','", code=2)
    started = time.perf_counter()
    try:
        driver, database = _driver()
        with err_console.status("building the view…"):
            view = build(driver, database=database, **kwargs)
            paths = write_export(view, output, sep=sep) if data else [write_view(view, output)]
    except (NotFoundError, InvalidParameter) as exc:
        territory_fail(exc)
    except ServiceUnavailable as exc:
        fail(f"Neo4j is not reachable ({exc}); start it with `alliance-graph db start` "
             "or set NEO4J_URI")
    except Neo4jError as exc:
        fail(f"Neo4j refused the query: {exc.message}")
    path = paths[0]
    fmt = output.suffix.lower().lstrip(".") if data else output_format(path)
    summary = {"output": str(path), "files": [str(p) for p in paths], "format": fmt,
               "title": view.title, "nodes": len(view.nodes), "edges": len(view.edges),
               "grouped": view.grouped, "bytes": sum(p.stat().st_size for p in paths),
               "notes": view.notes, "seconds": round(time.perf_counter() - started, 3)}
    if json_out:
        print_json(summary)
        return
    console.print(f"wrote [bold]{', '.join(summary['files'])}[/] ({summary['nodes']} nodes, "
                  f"{summary['edges']} "
                  f"edges, {summary['bytes']:,} bytes)", highlight=False)
    for note in view.notes:
        console.print(f"  note: {note}", highlight=False)


@viz_app.command("neighbourhood")
def neighbourhood_command(
    element_id: str = typer.Argument(..., help="Id of any element or territory "
                                               "(org:le-rameau, departement:59…), or an "
                                               "element's name or alias (Le RAMEAU)."),
    depth: int = typer.Option(2, "--depth", "-d", min=1, max=3, help="Links to follow (1-3)."),
    output: Path = _OUTPUT, cap: int = _CAP, size_by: str = _SIZE_BY, json_out: bool = _JSON,
    sep: str = _SEP,
) -> None:
    """The neighbourhood of an element up to a depth."""
    from queries.element_names import ANY
    from viz.views import neighbourhood_graph

    _run_view(_named(neighbourhood_graph, "element_id", ANY), output, json_out, sep,
              element_id=element_id, depth=depth, cap=cap, size_by=size_by)


@viz_app.command("connectors")
def connectors_command(
    programme: str = typer.Option(..., "--programme", "-p",
                                  help="Programme: id, name or alias."),
    territory: str = typer.Option(..., "--territory", "-t",
                                  help="Territory: INSEE code (59, 59512), id or name."),
    output: Path = _OUTPUT, cap: int = _CAP, size_by: str = _SIZE_BY, json_out: bool = _JSON,
    sep: str = _SEP,
) -> None:
    """The organisations connecting a programme to a territory, with the proof paths."""
    from queries.element_names import PROGRAMME
    from viz.views import connectors_graph

    _run_view(_named(connectors_graph, "programme", PROGRAMME), output, json_out, sep,
              programme=programme, territory=territory_param(territory),
              cap=cap, size_by=size_by)


@viz_app.command("space")
def space_command(
    space_id: str = typer.Argument(..., help="Dialogue space id (space:…)."),
    output: Path = _OUTPUT, cap: int = _CAP, size_by: str = _SIZE_BY, json_out: bool = _JSON,
    sep: str = _SEP,
) -> None:
    """A dialogue space with its members."""
    from viz.views import space_graph

    _run_view(space_graph, output, json_out, sep, space_id=space_id, cap=cap, size_by=size_by)


@viz_app.command("territory")
def territory_command(
    territory: str = typer.Argument(..., help="Territory: INSEE code (59, 59512), postal "
                                              "code, id (region:32, FR) or name."),
    radius: float = typer.Option(30.0, "--radius", "-r", min=0.1, max=300.0,
                                 help="Around a commune: the radius in km."),
    output: Path = _OUTPUT, cap: int = _CAP, size_by: str = _SIZE_BY, json_out: bool = _JSON,
    sep: str = _SEP,
) -> None:
    """A territory on its map: a commune with what is within the radius, an EPCI, a
    département, a région or FR with what is located or active in it; aside, what acts on
    it from a territory containing it."""
    from viz.views import territory_graph

    _run_view(territory_graph, output, json_out, sep, territory=territory_param(territory),
              radius_km=radius, cap=cap, size_by=size_by)


@viz_app.command("suggestion")
def suggestion_command(
    organisation: str = typer.Argument(..., help="The organisation asking: id (org:…), name "
                                                 "or alias."),
    other: str = typer.Argument(..., help="The organisation suggested to it: id, name or "
                                          "alias."),
    radius: float = typer.Option(30.0, "--radius", "-r", min=0.1, max=300.0,
                                 help="The radius the suggestion was made within (km)."),
    output: Path = _OUTPUT, json_out: bool = _JSON, sep: str = _SEP,
) -> None:
    """A suggested pair (« piste d'alliance »): the two organisations, what they share and
    who can introduce them; existing links solid, the suggested one dashed. Not a
    suggestion (linked already, marked, too far): one line saying why."""
    from queries.element_names import ORGANISATION
    from viz.views import suggestion_graph

    build = _named(_named(suggestion_graph, "organisation", ORGANISATION), "other",
                   ORGANISATION)
    _run_view(build, output, json_out, sep, organisation=organisation, other=other,
              radius_km=radius)


def export_command(
    directory: Path | None = typer.Argument(
        None, metavar="[DIR]",
        help="Write interchange files of the whole graph into DIR (elements.csv, "
             "connections.csv, territories.jsonl.gz), which `alliance-graph load DIR` takes "
             "back; without DIR, --output gives a picture format."),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="File: .graphml, .gexf, .json (node-link); for "
                                            "CSV a directory (nodes.csv, edges.csv) or X.csv "
                                            "(X-nodes.csv, X-edges.csv)."),
    view: str = typer.Option("graph", "--view",
                             help="graph (everything), neighbourhood, connectors, space, "
                                  "territory or suggestion."),
    element_id: str | None = typer.Option(None, "--id",
                                          help="Element id, name or alias (neighbourhood, "
                                               "suggestion: the asking organisation) or "
                                               "space id."),
    other: str | None = typer.Option(None, "--other",
                                     help="Suggestion: the organisation suggested (id, "
                                          "name or alias)."),
    radius: float | None = typer.Option(None, "--radius", min=0.1, max=300.0,
                                        help="Suggestion, territory around a commune: the "
                                             "radius in km (30 by default)."),
    depth: int = typer.Option(2, "--depth", min=1, max=3, help="Neighbourhood depth."),
    programme: str | None = typer.Option(None, "--programme", help="Programme id, name or "
                                                  "alias (connectors)."),
    territory: str | None = typer.Option(None, "--territory",
                                         help="Territory (connectors, territory)."),
    territories: str = typer.Option("linked", "--territories",
                                    help="Whole graph: territories 'linked' to an element, "
                                         "'all' (35,000 communes) or 'none'."),
    fmt: str | None = typer.Option(None, "--format", help="graphml, gexf, json or csv "
                                                          "(default: from the file name); "
                                                          "interchange: as DIR."),
    sep: str = typer.Option(";", "--sep",
                            help="CSV separator: ';' (default, decimal commas: Excel in "
                                 "French), ',' or tab (decimal points: pandas, Gephi)."),
    json_out: bool = _JSON,
) -> None:
    """Export a view or the graph (GraphML, GEXF, JSON, CSV), or interchange files (DIR).

    With -o FILE: a view or the whole graph for Gephi or networkx. With DIR: the whole
    graph as interchange files (elements.csv, connections.csv, territories.jsonl.gz) that
    `alliance-graph load DIR` takes back into an empty database with the same facts' hash.
    """
    from neo4j.exceptions import ServiceUnavailable

    if directory is not None or (fmt or "").lower() == "interchange":
        from cli.interchange import export_interchange

        if directory is not None and output is not None:
            fail("give DIR (interchange files) or --output (a picture format), not both",
                 code=2)
        export_interchange(directory or output, view=view, json_out=json_out)
        return
    if output is None:
        fail("give DIR for interchange files, or --output FILE for GraphML, GEXF, JSON or "
             "CSV; e.g. `alliance-graph export backup-dir/` or `alliance-graph export -o "
             "graph.gexf`", code=2)

    from graph.csv_writer import check_sep
    from queries.element_names import ANY, ORGANISATION, PROGRAMME, element_param
    from queries.errors import InvalidParameter, NotFoundError
    from viz import views
    from viz.exports import export_format, write_export

    try:
        chosen = export_format(output, fmt)
    except ValueError as exc:
        fail(str(exc))
    try:
        sep = check_sep(sep)
    except ValueError as exc:
        fail(f"{exc}; for example --sep ';' (Excel in French) or --sep ','", code=2)
    needs = {"neighbourhood": ("--id", element_id), "space": ("--id", element_id),
             "connectors": ("--programme and --territory", programme and territory),
             "territory": ("--territory", territory), "graph": ("", True),
             "suggestion": ("--id and --other", element_id and other)}
    if view not in needs:
        fail(f"unknown view {view!r}; use graph, neighbourhood, connectors, space, territory "
             "or suggestion")
    if not needs[view][1]:
        fail(f"--view {view} needs {needs[view][0]}")
    if view in ("connectors", "territory"):
        territory_param(territory)
    try:
        driver, database = _driver()
        with err_console.status("exporting…"):
            if view == "neighbourhood":
                element_id = element_param(driver, element_id, labels=ANY,
                                           database=database)
            if view == "suggestion":
                element_id, other = (element_param(driver, x, labels=ORGANISATION,
                                                   database=database)
                                     for x in (element_id, other))
            if view == "connectors":
                programme = element_param(driver, programme, labels=PROGRAMME,
                                          database=database)
            graph = views.export_view(driver, view, element_id=element_id, depth=depth,
                                      programme=programme, territory=territory,
                                      territories=territories, radius_km=radius,
                                      other=other, database=database)
            paths = write_export(graph, output, chosen, sep=sep)
    except (NotFoundError, InvalidParameter) as exc:
        territory_fail(exc)
    except ServiceUnavailable as exc:
        fail(f"Neo4j is not reachable ({exc}); start it with `alliance-graph db start` "
             "or set NEO4J_URI")
    summary = {"files": [str(p) for p in paths], "format": chosen, "view": view,
               "nodes": len(graph.nodes), "edges": len(graph.edges)}
    if json_out:
        print_json(summary)
        return
    console.print(f"wrote {', '.join(summary['files'])} ({summary['nodes']} nodes, "
                  f"{summary['edges']} edges, {chosen})", highlight=False)


def register(app: typer.Typer) -> None:
    """Add `viz` (a group of four views) and `export` to the main app."""
    app.add_typer(viz_app, name="viz")
    app.command("export")(export_command)
