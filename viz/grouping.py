"""Past a cap, nodes are folded into summary nodes, so a large view never freezes a tab.

A summary node stands for the nodes of one territory (their ``group``, e.g. the
département, or else their ``territory``) or, when the nodes carry no territory, of one
Louvain community. It shows how many nodes it holds; edges between groups are merged and
carry how many relationships they stand for. The centre of the view stays itself.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from graph.french import in_sentence, plural
from graph.vocabulary import FRENCH_NAMES, FRENCH_PLURALS
from queries.analytics import louvain
from viz.view_graph import ViewEdge, ViewGraph, ViewNode

#: the default number of nodes a page shows one by one
DEFAULT_CAP = 1500


def _keys_by_territory(view: ViewGraph) -> dict[str, str] | None:
    keys = {n.id: (n.group or n.territory) for n in view.nodes}
    known = sum(1 for k in keys.values() if k)
    if known < 0.8 * len(view.nodes):
        return None
    return {node_id: key or "sans territoire" for node_id, key in keys.items()}


def _keys_by_community(view: ViewGraph, seed: int) -> dict[str, str]:
    graph = view.simple_graph()
    # the analytics' Louvain: networkx on small views, igraph's (30x faster) on large ones
    communities, _ = louvain(graph, seed=seed)
    by_id = {n.id: n for n in view.nodes}
    keys = {}
    for index, members in enumerate(communities, start=1):
        # name a community after its best-connected member
        hub = max(members, key=lambda m: (graph.degree(m), m))
        name = f"communauté {index} · {by_id[hub].label}"
        for member in members:
            keys[member] = name
    return keys


def group_view(view: ViewGraph, cap: int | None = DEFAULT_CAP, *, by: str = "auto",
               seed: int = 42) -> ViewGraph:
    """Fold ``view`` into summary nodes when it has more than ``cap`` nodes.

    Parameters
    ----------
    view
        The view; returned unchanged at or under the cap (or when ``cap`` is None).
    cap
        The most nodes drawn one by one.
    by
        ``"territory"`` (the nodes' ``group`` or ``territory``), ``"community"`` (Louvain,
        seeded) or ``"auto"``: territory when at least 80 % of the nodes have one.
    seed
        Seed of the community detection.

    Returns
    -------
    ViewGraph
        A new view whose summary nodes (type ``Group``) carry ``count``, the nodes they
        hold, and the dominant type as ``kind``; ``notes`` says what was grouped.
    """
    if cap is None or len(view.nodes) <= cap:
        return view
    if by not in ("auto", "territory", "community"):
        raise ValueError(f"group by 'territory', 'community' or 'auto', not {by!r}")
    keys = _keys_by_territory(view) if by in ("auto", "territory") else None
    if keys is None:
        if by == "territory":
            keys = {n.id: (n.group or n.territory or "sans territoire") for n in view.nodes}
        else:
            keys = _keys_by_community(view, seed)
            by = "community"
    else:
        by = "territory"
    members: dict[str, list[ViewNode]] = defaultdict(list)
    for node in view.nodes:
        if not node.centre:
            members[keys[node.id]].append(node)
    group_ids = {key: f"group:{i}" for i, key in enumerate(sorted(members), start=1)}
    new_id = {n.id: (n.id if n.centre else group_ids[keys[n.id]]) for n in view.nodes}
    out = ViewGraph(title=view.title, kind=view.kind, outline=view.outline,
                    notes=list(view.notes), grouped=True, subtitle=view.subtitle,
                    data_date=view.data_date, frame=view.frame)
    for node in view.nodes:
        if node.centre:
            out.nodes.append(node.model_copy())
    for key, nodes in sorted(members.items()):
        types = Counter(n.type for n in nodes)
        located = [n for n in nodes if n.lat is not None and n.lon is not None]
        asides = {n.aside for n in nodes}
        # in words: "12 organisations, 1 programme" (the tooltip shows it)
        breakdown = ", ".join(
            plural(count, in_sentence(FRENCH_NAMES.get(kind, kind)),
                   in_sentence(FRENCH_PLURALS.get(kind, kind)))
            for kind, count in types.most_common())
        out.nodes.append(ViewNode(
            id=group_ids[key], label=f"{key} ({len(nodes)})", type="Group",
            kind=types.most_common(1)[0][0], territory=key if by == "territory" else None,
            source=breakdown, count=len(nodes),
            lat=sum(n.lat for n in located) / len(located) if located else None,
            lon=sum(n.lon for n in located) / len(located) if located else None,
            # a map's side column stays aside when folded
            aside=asides.pop() if len(asides) == 1 else None,
        ))
    merged: Counter[tuple[str, str, str]] = Counter()
    for edge in view.edges:
        a, b = new_id.get(edge.source), new_id.get(edge.target)
        if a is None or b is None or a == b:
            continue
        grouped = a.startswith("group:") or b.startswith("group:")
        a, b = (a, b) if a <= b else (b, a)
        merged[(a, b, "GROUPED" if grouped else edge.type)] += edge.count
    for (a, b, edge_type), count in sorted(merged.items()):
        out.edges.append(ViewEdge(source=a, target=b, type=edge_type, count=count,
                                  label=str(count) if count > 1 else None))
    way = "territoire" if by == "territory" else "communauté"
    out.notes.append(
        f"{len(view.nodes):,} nœuds regroupés en {len(members):,} groupes par {way} "
        f"(au-delà de {cap:,} nœuds) ; le nombre de chaque groupe est affiché."
        .replace(",", "\u202f")
    )
    return out
