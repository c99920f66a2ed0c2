"""Brokers (betweenness) and communities (Louvain) of the collaboration network.

Pure functions of a networkx graph (:func:`betweenness`, :func:`louvain`), and the
wrappers (:func:`brokers`, :func:`communities`, :func:`community_membership`) that fetch
the projection (:mod:`queries.projection`) once and cache results until the graph's
fingerprint changes. What the answers are made of (:func:`broker_table`,
:func:`community_table`) is stored by fingerprint, on disk too
(:mod:`queries.analytics_store`): the API computes it in a job after each load
(api/analytics_jobs.py) and its routes and pages read it.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import networkx as nx
from neo4j import Driver

from graph import progress
from graph.cache import ExpiringCache
from queries import analytics_store
from queries.errors import InvalidParameter
from queries.models import Broker, BrokersResult, CommunitiesResult, Community, NodeRef
from queries.projection import fetch_projection, graph_fingerprint

#: above this many nodes, betweenness is approximated from a seeded sample of sources
EXACT_THRESHOLD = 5000
#: sources sampled for the approximation (see bench/README.md for its accuracy)
DEFAULT_SAMPLES = 200
#: above this many nodes, Louvain runs in igraph (C) rather than networkx (Python)
LOUVAIN_NETWORKX_MAX = 20_000


def brandes_from_sources(graph: nx.Graph, sources: list, *,
                         batch: int = 32) -> dict[Any, float]:
    """Brandes' dependency accumulation from ``sources``, 32 sources at a time.

    The same sums as networkx's sampled betweenness (un-normalised, each unordered pair
    counted from both ends), computed level by level with sparse matrix products
    (scipy) instead of one Python BFS per source: about 20 times faster on the 100k
    graph, which is what keeps brokers under 30 s there.

    Parameters
    ----------
    graph
        An undirected, unweighted graph.
    sources
        The source nodes (all nodes: exact betweenness).
    batch
        Sources per sparse product; memory is about ``6 × nodes × batch`` floats.

    Returns
    -------
    dict
        Node → sum over the sources of its dependency.
    """
    import numpy as np

    result = dict.fromkeys(graph, 0.0)
    # a node without links is on no path, and a path from it reaches nothing: leave it out
    nodes = [node for node in graph if graph.degree(node) > 0]
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    sources = [s for s in sources if s in index]
    if n == 0 or not sources:
        return result
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None,
                                         format="csr", dtype=np.float64)
    total = np.zeros(n)
    for start in range(0, len(sources), batch):
        progress.report("betweenness", start, len(sources))
        cols = [index[s] for s in sources[start:start + batch]]
        b = len(cols)
        sigma = np.zeros((n, b))
        sigma[cols, np.arange(b)] = 1.0
        seen = sigma > 0
        levels = [seen.copy()]  # levels[d]: (node, source) pairs at distance d
        frontier = sigma.copy()
        while True:
            reached = adjacency @ frontier
            new = reached > 0
            new &= ~seen
            if not new.any():
                break
            seen |= new
            levels.append(new)
            frontier = np.where(new, reached, 0.0)
            sigma += frontier
        delta = np.zeros((n, b))
        share = np.empty((n, b))
        for depth in range(len(levels) - 1, 0, -1):
            share.fill(0.0)
            np.divide(1.0 + delta, sigma, out=share, where=levels[depth])
            gathered = adjacency @ share
            gathered *= sigma
            gathered[~levels[depth - 1]] = 0.0
            delta += gathered
        delta[levels[0]] = 0.0  # a source is not between itself and others
        total += delta.sum(axis=1)
    result.update((node, float(total[i])) for i, node in enumerate(nodes))
    return result


def betweenness(graph: nx.Graph, *, exact_threshold: int = EXACT_THRESHOLD,
                samples: int = DEFAULT_SAMPLES,
                seed: int = 42) -> tuple[dict[Any, float], str, int | None]:
    """Betweenness centrality, exact on small graphs, sampled on large ones.

    Exact: networkx's Brandes. Sampled: ``samples`` source nodes drawn with ``seed``
    uniformly among the nodes that have links, accumulated by
    :func:`brandes_from_sources` and scaled like networkx's ``betweenness_centrality(k=…)``
    (times linked nodes / k, so the sum over every source is estimated without bias).

    Parameters
    ----------
    graph
        An undirected graph.
    exact_threshold
        Graphs with more nodes than this are approximated.
    samples
        Number of source nodes ``k`` sampled for the approximation (Brandes' pivots).
    seed
        Seed of the sample: the same graph and seed give the same scores.

    Returns
    -------
    scores, method, k
        Normalised scores by node; ``"exact"`` or ``"sampled"``; ``k`` (None when exact).

    Examples
    --------
    The centre of a path graph is its broker:

    >>> scores, method, k = betweenness(nx.path_graph(5))
    >>> max(scores, key=scores.get), method
    (2, 'exact')
    """
    n = graph.number_of_nodes()
    if n > exact_threshold and samples < n:
        import random

        # sources among the nodes with links: the others add nothing to any score
        pool = sorted((v for v in graph if graph.degree(v) > 0), key=str)
        sources = random.Random(seed).sample(pool, min(samples, len(pool)))
        raw = brandes_from_sources(graph, sources)
        # networkx's scale for undirected, normalised scores, times pool / k: an unbiased
        # estimate of the sum over every source
        scale = (1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0) * len(pool) / max(len(sources), 1)
        return {v: x * scale for v, x in raw.items()}, "sampled", len(sources)
    return nx.betweenness_centrality(graph, normalized=True), "exact", None


def louvain(graph: nx.Graph, *, seed: int = 42, resolution: float = 1.0,
            networkx_max: int | None = None) -> tuple[list[set], float]:
    """Louvain communities, seeded so the same graph gives the same partition.

    Up to ``networkx_max`` nodes networkx's ``louvain_communities``; above, igraph's
    ``community_multilevel`` (the same Blondel et al. algorithm, in C, seeded through
    igraph's random generator): networkx takes about 90 s on the 100k-organisation
    graph, igraph 3 s.

    Parameters
    ----------
    graph
        An undirected graph.
    seed
        Seed of Louvain's node order.
    resolution
        Above 1 favours smaller communities, below 1 larger ones.
    networkx_max
        Largest graph given to networkx (default :data:`LOUVAIN_NETWORKX_MAX`).

    Returns
    -------
    communities, modularity
        Communities largest first (ties by smallest member), and the partition's modularity.

    Examples
    --------
    Two triangles joined by one edge are two communities:

    >>> g = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> sorted(sorted(c) for c in louvain(g)[0])
    [[0, 1, 2], [3, 4, 5]]
    """
    if graph.number_of_nodes() == 0:
        return [], 0.0
    limit = LOUVAIN_NETWORKX_MAX if networkx_max is None else networkx_max
    if graph.number_of_nodes() > limit and graph.number_of_edges():
        found = _igraph_louvain(graph, seed, resolution)
    else:
        found = nx.community.louvain_communities(graph, seed=seed, resolution=resolution)
    found = sorted(found, key=lambda c: (-len(c), min(str(x) for x in c)))
    modularity = (nx.community.modularity(graph, found, resolution=resolution)
                  if graph.number_of_edges() else 0.0)
    return found, modularity


_igraph_lock = threading.Lock()


def _igraph_louvain(graph: nx.Graph, seed: int, resolution: float) -> list[set]:
    import random

    import igraph

    nodes = sorted(graph, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges()
                                          if a != b])
    # igraph's generator is process-wide: seed it, run, and put the default back
    with _igraph_lock:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = g.community_multilevel(resolution=resolution).membership
        finally:
            igraph.set_random_number_generator(random)
    groups: dict[int, set] = {}
    for node, community in zip(nodes, membership, strict=True):
        groups.setdefault(community, set()).add(node)
    return list(groups.values())


# --- cache: the projection and results, per (database, fingerprint, what, parameters) ----

#: the projection (graph, nodes, edges), betweenness scores and Louvain partitions, per
#: (database, graph fingerprint, what, parameters); kept until the fingerprint changes
network_analytics: ExpiringCache = ExpiringCache("projections and their analytics",
                                                 seconds=None, size=16)

#: brokers a stored table ranks (the API's largest ``top``); a larger top is computed
STORED_TOP = 200
#: members a stored community lists (the API's largest ``members_limit``)
STORED_MEMBERS = 200


def clear_cache() -> None:
    """Forget every cached projection and result (``bench/queries.py`` times cold runs)."""
    network_analytics.clear()


def _projection(driver: Driver, database: str, fingerprint: str,
                refresh: bool) -> tuple[nx.Graph, int, int]:
    """The cached projection of ``fingerprint`` and its size (networkx counts edges in
    O(n))."""
    # results of another fingerprint (or all of them, on refresh) are dead weight
    network_analytics.discard(lambda key: key[0] == database
                              and (refresh or key[1] != fingerprint))
    key = (database, fingerprint, "projection")

    def fetch() -> tuple[nx.Graph, int, int]:
        progress.report("projection", 0)
        graph = fetch_projection(driver, database=database)
        return graph, graph.number_of_nodes(), graph.number_of_edges()

    (graph, nodes, edges), _ = network_analytics.get_or_compute(key, fetch)
    return graph, nodes, edges


def _fingerprint(driver: Driver, database: str) -> str:
    progress.report("fingerprint")
    return graph_fingerprint(driver, database=database)


def broker_key(database: str, fingerprint: str, *, exact_threshold: int = EXACT_THRESHOLD,
               samples: int = DEFAULT_SAMPLES, seed: int = 42) -> tuple:
    """What a brokers table depends on (its key in the store, and a job's)."""
    return (database, fingerprint, "betweenness", exact_threshold, samples, seed)


def community_key(database: str, fingerprint: str, *, seed: int = 42,
                  resolution: float = 1.0) -> tuple:
    """What a communities table depends on."""
    return (database, fingerprint, "louvain", seed, float(resolution))


def _ranked(graph: nx.Graph, scores: dict, organisations_only: bool,
            limit: int) -> tuple[list[list], int]:
    nodes = graph.nodes
    candidates = [n for n in scores
                  if not organisations_only or nodes[n]["label"] == "Organisation"]
    ranked = sorted(candidates, key=lambda n: (-scores[n], str(n)))[:limit]
    rows = [[n, nodes[n].get("name"), nodes[n]["label"], nodes[n].get("kind"),
             round(scores[n], 8)] for n in ranked]
    return rows, sum(1 for n in candidates if scores[n] <= 0)


def broker_table(driver: Driver, *, exact_threshold: int = EXACT_THRESHOLD,
                 samples: int = DEFAULT_SAMPLES, seed: int = 42, refresh: bool = False,
                 database: str = "neo4j", top: int = STORED_TOP) -> tuple[dict, bool]:
    """The brokers of the current graph as a table (the top ``max(top, STORED_TOP)`` of
    organisations and of every node, the zero scores counted): from the store when it
    holds it, else computed and stored (:mod:`queries.analytics_store`).

    Returns
    -------
    table, cached
        The table (see :func:`brokers_answer`), and whether this call did not compute it.
    """
    fingerprint = _fingerprint(driver, database)
    key = broker_key(database, fingerprint, exact_threshold=exact_threshold,
                     samples=samples, seed=seed)
    if not refresh and top <= STORED_TOP:
        table = analytics_store.load("brokers", key)
        if table is not None:
            return table, True
    graph, n_nodes, n_edges = _projection(driver, database, fingerprint, refresh)

    def compute() -> tuple[dict, str, int | None]:
        progress.report("betweenness")
        return betweenness(graph, exact_threshold=exact_threshold, samples=samples,
                           seed=seed)

    (scores, method, k), cached = network_analytics.get_or_compute(key, compute)
    limit = max(top, STORED_TOP)
    organisations, zero_organisations = _ranked(graph, scores, True, limit)
    everyone, zero_all = _ranked(graph, scores, False, limit)
    table = {"method": method, "k": k, "seed": seed, "nodes": n_nodes, "edges": n_edges,
             "fingerprint": fingerprint, "exact_threshold": exact_threshold, "limit": limit,
             "ranked": {"organisations": organisations, "all": everyone},
             "zero_scores": {"organisations": zero_organisations, "all": zero_all}}
    if limit == STORED_TOP:
        progress.report("storing")
        analytics_store.save("brokers", key, table)
    return table, cached


def brokers_answer(table: dict, *, top: int = 20, organisations_only: bool = True,
                   cached: bool = True) -> BrokersResult:
    """The brokers answer for ``top`` and ``organisations_only`` from a table of
    :func:`broker_table`."""
    which = "organisations" if organisations_only else "all"
    items = [Broker(rank=i + 1, id=n, name=name, label=label, kind=kind, score=score)
             for i, (n, name, label, kind, score) in enumerate(table["ranked"][which][:top])]
    method, k, seed = table["method"], table["k"], table["seed"]
    note = ("exact betweenness" if method == "exact" else
            f"approximate betweenness: {k} sources sampled (seed {seed}) out of "
            f"{table['nodes']} nodes, above the exact threshold of "
            f"{table['exact_threshold']}")
    return BrokersResult(method=method, k=k, seed=seed, nodes=table["nodes"],
                         edges=table["edges"], fingerprint=table["fingerprint"],
                         cached=cached, note=note, items=items,
                         zero_scores=table["zero_scores"][which])


def brokers(driver: Driver, *, top: int = 20, organisations_only: bool = True,
            exact_threshold: int = EXACT_THRESHOLD, samples: int = DEFAULT_SAMPLES,
            seed: int = 42, refresh: bool = False, database: str = "neo4j") -> BrokersResult:
    """The brokers of the collaboration network: highest betweenness first.

    Parameters
    ----------
    top
        How many to return.
    organisations_only
        Rank organisations only (programmes and spaces still carry paths).
    exact_threshold, samples, seed
        See :func:`betweenness`; the answer says which method was used.
    refresh
        Ignore the caches and the store (only needed on a server that returns no
        bookmark, where an edit that keeps every count keeps the key: see
        :func:`queries.projection.graph_fingerprint`).

    Returns
    -------
    BrokersResult
    """
    if top < 1:
        raise InvalidParameter(f"top must be 1 or more, not {top}")
    if samples < 1:
        raise InvalidParameter(f"samples must be 1 or more, not {samples}")
    table, cached = broker_table(driver, exact_threshold=exact_threshold, samples=samples,
                                 seed=seed, refresh=refresh, database=database, top=top)
    return brokers_answer(table, top=top, organisations_only=organisations_only,
                          cached=cached)


def _partition(driver: Driver, database: str, fingerprint: str, seed: int,
               resolution: float, refresh: bool) -> tuple[dict, bool]:
    """The cached partition: communities (members best connected first), modularity."""
    graph, n_nodes, n_edges = _projection(driver, database, fingerprint, refresh)
    key = community_key(database, fingerprint, seed=seed, resolution=resolution)

    def compute() -> dict:
        progress.report("louvain")
        found, modularity = louvain(graph, seed=seed, resolution=resolution)
        degree, nodes = graph.degree, graph.nodes
        return {
            "graph": graph, "fingerprint": fingerprint, "nodes": n_nodes, "edges": n_edges,
            "modularity": modularity, "communities": found,
            "ordered": [sorted(c, key=lambda v: (-degree[v], str(v))) for c in found],
            "labels": [dict(Counter(nodes[v]["label"] for v in c)) for c in found],
        }

    return network_analytics.get_or_compute(key, compute)


def community_table(driver: Driver, *, seed: int = 42, resolution: float = 1.0,
                    refresh: bool = False, database: str = "neo4j",
                    members_limit: int = STORED_MEMBERS) -> tuple[dict, bool]:
    """The communities of the current graph as a table (each with its size, labels and
    ``max(members_limit, STORED_MEMBERS)`` best-connected members): from the store when it
    holds it, else computed and stored.

    Returns
    -------
    table, cached
        The table (see :func:`communities_answer`), and whether this call did not
        compute it.
    """
    fingerprint = _fingerprint(driver, database)
    key = community_key(database, fingerprint, seed=seed, resolution=resolution)
    if not refresh and members_limit <= STORED_MEMBERS:
        table = analytics_store.load("communities", key)
        if table is not None:
            return table, True
    part, cached = _partition(driver, database, fingerprint, seed, resolution, refresh)
    nodes = part["graph"].nodes
    limit = max(members_limit, STORED_MEMBERS)
    big = part["nodes"] > LOUVAIN_NETWORKX_MAX and part["edges"] > 0
    table = {
        "seed": seed, "resolution": resolution, "modularity": round(part["modularity"], 6),
        "nodes": part["nodes"], "edges": part["edges"], "fingerprint": fingerprint,
        "implementation": "igraph" if big else "networkx", "members_limit": limit,
        "communities": [
            {"size": len(members), "labels": labels,
             "members": [[n, nodes[n].get("name"), nodes[n]["label"], nodes[n].get("kind")]
                         for n in ordered[:limit]]}
            for members, ordered, labels in zip(part["communities"], part["ordered"],
                                                part["labels"], strict=True)],
    }
    if limit == STORED_MEMBERS:
        progress.report("storing")
        analytics_store.save("communities", key, table)
    return table, cached


def communities_answer(table: dict, *, limit: int = 50, offset: int = 0,
                       members_limit: int = 20, cached: bool = True) -> CommunitiesResult:
    """A page of communities from a table of :func:`community_table`."""
    found = table["communities"]
    items = [Community(index=index, size=found[index]["size"], labels=found[index]["labels"],
                       members=[NodeRef(id=n, name=name, label=label, labels=[label],
                                        kind=kind)
                                for n, name, label, kind
                                in found[index]["members"][:members_limit]])
             for index in range(offset, min(offset + limit, len(found)))]
    return CommunitiesResult(method="louvain", implementation=table["implementation"],
                             seed=table["seed"], resolution=table["resolution"],
                             modularity=table["modularity"], nodes=table["nodes"],
                             edges=table["edges"], fingerprint=table["fingerprint"],
                             cached=cached, total=len(found), limit=limit, offset=offset,
                             items=items)


def communities(driver: Driver, *, seed: int = 42, resolution: float = 1.0, limit: int = 50,
                offset: int = 0, members_limit: int = 20, refresh: bool = False,
                database: str = "neo4j") -> CommunitiesResult:
    """Louvain communities of the collaboration network, largest first, one page at a time.

    Parameters
    ----------
    seed, resolution
        See :func:`louvain`.
    limit, offset
        The page of communities; ``total`` counts them all.
    members_limit
        Members listed per community, best connected first.

    Returns
    -------
    CommunitiesResult
    """
    if limit < 0 or offset < 0 or members_limit < 0:
        raise InvalidParameter("limit, offset and members_limit must be 0 or more")
    if resolution <= 0:
        raise InvalidParameter(f"resolution must be more than 0, not {resolution}")
    table, cached = community_table(driver, seed=seed, resolution=resolution,
                                    refresh=refresh, database=database,
                                    members_limit=members_limit)
    return communities_answer(table, limit=limit, offset=offset,
                              members_limit=members_limit, cached=cached)


def community_membership(driver: Driver, *, seed: int = 42, resolution: float = 1.0,
                         database: str = "neo4j") -> dict[str, int]:
    """Node id → community index (as in :func:`communities`), to colour a picture."""
    fingerprint = _fingerprint(driver, database)
    part, _ = _partition(driver, database, fingerprint, seed, resolution, False)
    return {n: i for i, members in enumerate(part["communities"]) for n in members}
