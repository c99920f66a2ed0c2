"""The collaboration network as a networkx graph, fetched by one query, and its version key.

Nodes: every organisation, and the programmes and dialogue spaces organisations are linked
to. Edges (undirected, simple): PARTNERS_WITH and MEMBER_OF between organisations;
CARRIES, FUNDS, OPERATES, RELAYS, COPILOTS to programmes; PARTICIPATES_IN, COPILOTS to
spaces. Territories and needs are left out: sharing a commune or a need is not a tie.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

import networkx as nx
from neo4j import Driver

from graph import as_of, progress
from queries._run import read_folded
from queries.analytics_store import COUNTS_ONLY

#: deadline of the projection's read (seconds): 101,000 nodes came in 4.9 s on the
#: benchmark machine (bench/README.md); a graph ten times bigger still fits
PROJECTION_TIMEOUT = 120.0


#: rows between two progress reports while the projection streams in
PROGRESS_ROWS = 50_000


def _as_graph(rows: Iterable[list]) -> nx.Graph:
    graph = nx.Graph()
    add_node, add_edge, nodes = graph.add_node, graph.add_edge, graph.nodes
    for count, (a, a_name, a_kind, b, b_name, b_kind, b_label) in enumerate(rows, 1):
        if count % PROGRESS_ROWS == 0:
            progress.report("projection", count)
        if a not in nodes:
            add_node(a, name=a_name, label="Organisation", kind=a_kind)
        if b is None or b == a:
            continue
        if b not in nodes:
            add_node(b, name=b_name, label=b_label, kind=b_kind)
        add_edge(a, b)
    return graph


def fetch_projection(driver: Driver, *, database: str = "neo4j") -> nx.Graph:
    """The collaboration network, in one read transaction (its rows go into the graph as
    they stream: :func:`queries._run.read_folded`).

    Returns
    -------
    networkx.Graph
        Node keys are ids; attributes ``name``, ``label`` (Organisation, Programme,
        DialogueSpace) and ``kind`` (organisation kind or programme phase).
    """
    graph, _ = read_folded(driver, "projection", _as_graph, database=database,
                           timeout=PROJECTION_TIMEOUT)
    return graph


def _first_row(rows: Iterable[list]) -> list:
    return list(next(iter(rows), ()))


def graph_fingerprint(driver: Driver, *, database: str = "neo4j") -> str:
    """A version key of the collaboration network: node and relationship counts, and the
    database's last committed transaction as the read's bookmark carries it.

    Counts come from the count store (O(1)), so checking costs a millisecond. Counts alone
    miss an edit that keeps every count (a node renamed, a link moved). Neo4j 5.26
    Community exposes no commit marker to Cypher (``SHOW DATABASES`` answers
    ``lastCommittedTxn`` null outside a cluster, ``db.info()`` has none, the kernel's JMX
    beans are Enterprise-only), but the bookmark Bolt returns after the read transaction
    names the last transaction committed when it ran: it changes with every write and
    costs nothing (it comes with the counts). It is opaque, so it is only compared, never
    decoded. Any write changes the key, including one outside the network (a territory
    reload): the analytics recompute more often than strictly needed, never less. A server
    that returns no bookmark falls back to counts only (``<database>:counts:<hash>``, which
    the analytics store keeps in memory only); ``refresh=True`` then covers
    count-preserving edits. A question asked as of a past instant (:mod:`graph.as_of`)
    has that instant in its key too: the network then is another network.
    """
    counts, bookmark = read_folded(driver, "fingerprint", _first_row, database=database)
    commit = sorted(bookmark)
    # the network as of another instant is another network: its own key (and store entry)
    moment = as_of.current()
    text = json.dumps({"counts": counts, "commit": commit,
                       **({"as_of": moment.isoformat()} if moment else {})}, sort_keys=True)
    # a key without a commit says so: the analytics store keeps it in memory only
    mark = ":" if commit else COUNTS_ONLY
    return f"{database}{mark}" + hashlib.sha256(text.encode()).hexdigest()[:16]
