"""The collaboration network as a networkx graph, fetched by one query, and its version key.

Nodes: every organisation, and the programmes and dialogue spaces organisations are linked
to. Edges (undirected, simple): PARTNERS_WITH and MEMBER_OF between organisations;
CARRIES, FUNDS, OPERATES, RELAYS, COPILOTS to programmes; PARTICIPATES_IN, COPILOTS to
spaces. Territories and needs are left out: sharing a commune or a need is not a tie.
"""

from __future__ import annotations

import hashlib
import json

import networkx as nx
from neo4j import Driver, ManagedTransaction

from queries._run import session
from queries.library import load_query


def _fetch(tx: ManagedTransaction, query: str) -> nx.Graph:
    graph = nx.Graph()
    add_node, add_edge, nodes = graph.add_node, graph.add_edge, graph.nodes
    for a, a_name, a_kind, b, b_name, b_kind, b_label in tx.run(query).values():
        if a not in nodes:
            add_node(a, name=a_name, label="Organisation", kind=a_kind)
        if b is None or b == a:
            continue
        if b not in nodes:
            add_node(b, name=b_name, label=b_label, kind=b_kind)
        add_edge(a, b)
    return graph


def fetch_projection(driver: Driver, *, database: str = "neo4j") -> nx.Graph:
    """The collaboration network, in one read transaction.

    Returns
    -------
    networkx.Graph
        Node keys are ids; attributes ``name``, ``label`` (Organisation, Programme,
        DialogueSpace) and ``kind`` (organisation kind or programme phase).
    """
    with session(driver, database) as s:
        return s.execute_read(_fetch, load_query("projection"))


def _counts(tx: ManagedTransaction, query: str) -> dict:
    record = tx.run(query).single()
    return dict(record) if record else {}


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
    that returns no bookmark falls back to counts only; ``refresh=True`` then covers
    count-preserving edits.
    """
    with session(driver, database) as s:
        counts = s.execute_read(_counts, load_query("fingerprint"))
        commit = sorted(s.last_bookmarks().raw_values)
    text = json.dumps({"counts": counts, "commit": commit}, sort_keys=True)
    return f"{database}:" + hashlib.sha256(text.encode()).hexdigest()[:16]
