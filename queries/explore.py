"""Exploring questions: neighbourhood, paths, dialogue spaces, search, stats."""

from __future__ import annotations

import re
import unicodedata

from neo4j import Driver

from graph.cache import ExpiringCache
from graph.schema import FULLTEXT_INDEX
from graph.vocabulary import LABELS_BY_NAME, ROLES, resolve_label
from queries._run import (
    check_page,
    node_ref,
    organisation_ref,
    read_one,
    rel_ref,
    territory_ref,
)
from queries.errors import SEARCH_HINT, InvalidParameter, NotFoundError
from queries.models import (
    DialogueSpaceInfo,
    GraphPath,
    Neighbour,
    NeighbourhoodPage,
    PathsResult,
    SearchHit,
    SearchPage,
    SpaceMember,
    SpaceOverlap,
    SpacesResult,
    Stats,
    TerritoryCount,
    primary_label,
)

MAX_DEPTH = 3
MAX_HOPS = 6


def neighbourhood(driver: Driver, element_id: str, *, depth: int = 1, limit: int = 50,
                  offset: int = 0, database: str = "neo4j") -> NeighbourhoodPage:
    """The nodes around an element up to ``depth`` links, one page at a time.

    Parameters
    ----------
    element_id
        The id of any node (organisation, programme, need, space, territory…).
    depth
        1 to :data:`MAX_DEPTH`; every relationship type is followed, both ways.
    limit, offset
        The page, nearest first then by name; ``total`` counts every node within depth,
        so a hub with thousands of links returns a page and a total.

    Returns
    -------
    NeighbourhoodPage
        ``items`` with their distance, and ``edges``: the relationships among the centre
        and the page's nodes (what a picture of the page draws).

    Raises
    ------
    InvalidParameter
        Depth out of range.
    NotFoundError
        No node has that id.
    """
    check_page(limit, offset)
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidParameter(f"depth must be 1 to {MAX_DEPTH}, not {depth}")
    row = read_one(driver, "neighbourhood",
                   {"id": element_id, "depth": depth, "limit": limit, "offset": offset},
                   database=database)
    if not row.get("centre"):
        raise NotFoundError(f"no element {element_id!r}; {SEARCH_HINT}")
    return NeighbourhoodPage(
        centre=node_ref(row["centre"]), depth=depth, total=row["total"], limit=limit,
        offset=offset,
        items=[Neighbour(node=node_ref(i["node"]), distance=i["distance"])
               for i in row["items"]],
        edges=sorted((rel_ref(e) for e in row["edges"]),
                     key=lambda e: (e.source, e.type, e.target)),
    )


def paths(driver: Driver, source: str, target: str, *, max_hops: int = 4, limit: int = 10,
          database: str = "neo4j") -> PathsResult:
    """The shortest paths between two organisations, up to ``max_hops`` ("who can
    introduce me").

    Paths go through partnerships, memberships, dialogue spaces, shared programmes,
    deliverables, events and the people leading organisations — not through territories
    or needs.

    Parameters
    ----------
    source, target
        Organisation ids, different.
    max_hops
        1 to :data:`MAX_HOPS`.
    limit
        At most this many paths (all of the same, shortest, length).

    Returns
    -------
    PathsResult
        ``length`` None and no paths when the two are further apart than ``max_hops``.
    """
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidParameter(f"max_hops must be 1 to {MAX_HOPS}, not {max_hops}")
    if limit < 1:
        raise InvalidParameter(f"limit must be 1 or more, not {limit}")
    if source == target:
        raise InvalidParameter("source and target are the same organisation")
    row = read_one(driver, "paths", {"source": source, "target": target, "limit": limit},
                   database=database, bounds={"max_hops": max_hops})
    for key, value in (("source", source), ("target", target)):
        if not row.get(key):
            raise NotFoundError(f"no organisation {value!r}; {SEARCH_HINT}")
    found = [
        GraphPath(nodes=[node_ref(n) for n in p["nodes"]],
                  relationships=[rel_ref(r) for r in p["rels"]], length=len(p["rels"]))
        for p in row["paths"]
    ]
    found.sort(key=lambda p: [n.id for n in p.nodes])
    return PathsResult(source=node_ref(row["source"]), target=node_ref(row["target"]),
                       max_hops=max_hops, length=found[0].length if found else None,
                       paths=found)


def dialogue_spaces(driver: Driver, *, members_limit: int = 100,
                    database: str = "neo4j") -> SpacesResult:
    """The dialogue spaces, their members, and how they overlap.

    A member participates in (PARTICIPATES_IN, with its role) or co-pilots (COPILOTS) a
    space. Two spaces overlap when they share a member; their Jaccard index is
    shared / (members of a ∪ members of b).

    Parameters
    ----------
    members_limit
        Members listed per space (by name); ``member_count`` is always complete.

    Returns
    -------
    SpacesResult
        Spaces by name; overlaps by shared count, largest first.
    """
    if members_limit < 0:
        raise InvalidParameter(f"members_limit must be 0 or more, not {members_limit}")
    row = read_one(driver, "dialogue_spaces", {"members_limit": members_limit},
                   database=database)
    spaces = [
        DialogueSpaceInfo(
            id=s["space"]["id"], name=s["space"].get("name"),
            declared_count=s["space"].get("count"), member_count=s["member_count"],
            members=[SpaceMember(organisation=organisation_ref(m["organisation"]),
                                 roles=sorted(m["roles"])) for m in s["members"]],
        )
        for s in row["spaces"]
    ]
    overlaps = []
    for o in row["overlaps"]:
        union = o["size_a"] + o["size_b"] - o["shared_count"]
        overlaps.append(SpaceOverlap(
            a=o["a"], b=o["b"], shared_count=o["shared_count"],
            jaccard=round(o["shared_count"] / union, 6) if union else 0.0,
            shared=[organisation_ref(x) for x in o["shared"]],
        ))
    return SpacesResult(spaces=spaces, overlaps=overlaps)


# Lucene's query syntax characters, escaped so user text is only ever words.
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')


#: French elisions. The index keeps « l'innovation » and « aujourd'hui » as one word each
#: (the standard tokenizer does not split at an apostrophe), so a word is looked for as
#: typed, apostrophe included, without its elision, and after one when it may take one.
_ELISIONS = ("l", "d", "j", "m", "n", "s", "t", "c", "qu")
_ELIDED_START = tuple("aeiouyh")
#: the apostrophes people type (typographic, modifier letter…), read as '
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc`\u00b4"})


def _word_terms(word: str) -> list[str]:
    """The Lucene terms of one folded word: exact (boosted) or as a prefix; without its
    elision (``l'affaire`` → ``affaire``); after an elision (``affaire`` → ``l'affaire*``)."""
    forms = [word]
    head, _, rest = word.partition("'")
    if rest and head in _ELISIONS:
        forms.append(rest)
    terms = []
    for form in forms:
        escaped = _LUCENE_SPECIAL.sub(r"\\\1", form)
        terms += [f"{escaped}^2", f"{escaped}*"]
        if "'" not in form and form.startswith(_ELIDED_START):
            terms += [f"{e}'{escaped}*" for e in _ELISIONS]
    return list(dict.fromkeys(terms))


def lucene_query(text: str) -> str:
    """The Lucene query for a user's search text: every word, exact or as a prefix, alone
    or after an elision (``innovation`` finds « l'innovation », ``ascq`` Villeneuve-d'Ascq).

    Words are folded (no accents, lower case) here because Lucene does not analyse
    prefix terms.

    >>> lucene_query("Dépôts caisse")
    '(depots^2 OR depots*) AND (caisse^2 OR caisse*)'
    >>> lucene_query("Innovation").split(" OR ")[:4]
    ['(innovation^2', 'innovation*', "l'innovation*", "d'innovation*"]
    >>> lucene_query("aujourd\u2019hui")
    "(aujourd'hui^2 OR aujourd'hui*)"
    """
    folded = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    words = [w for w in (w.strip("'") for w in re.split(r"[^\w']+", folded)) if w]
    if not words:
        raise InvalidParameter("search text has no word to look for")
    return " AND ".join(f"({' OR '.join(_word_terms(word))})" for word in words)


def search(driver: Driver, text: str, *, labels: list[str] | None = None, limit: int = 20,
           offset: int = 0, database: str = "neo4j") -> SearchPage:
    """Full-text search over names and aliases, accents and case ignored, best first.

    Parameters
    ----------
    text
        Words; each must match a word of the name, whole or as a prefix.
    labels
        Keep only nodes with one of these labels (French aliases accepted: ``besoin``).

    Returns
    -------
    SearchPage
        Empty for a text without any word (punctuation, symbols): nothing to look for.
    """
    check_page(limit, offset)
    wanted = None
    if labels:
        wanted = []
        for label in labels:
            resolved = resolve_label(label)
            if resolved is None:
                raise InvalidParameter(f"unknown label {label!r}; use one of "
                                       f"{', '.join(sorted(LABELS_BY_NAME))}")
            wanted.append(resolved)
    try:
        lucene = lucene_query(text)
    except InvalidParameter:  # punctuation or symbols only: nothing to look for, none found
        return SearchPage(query=text, total=0, limit=limit, offset=offset, items=[])
    row = read_one(driver, "search",
                   {"index": FULLTEXT_INDEX, "lucene": lucene, "labels": wanted,
                    "limit": limit, "offset": offset}, database=database)
    items = [SearchHit(id=h["id"], name=h.get("name"), label=primary_label(h["labels"]),
                       labels=h["labels"], kind=h.get("kind"), score=h["score"])
             for h in row["items"]]
    return SearchPage(query=text, total=row["total"], limit=limit, offset=offset,
                      items=items)


#: the answers of :func:`stats`, per (database, graph fingerprint — with the instant asked
#: about): the counts read every node and relationship (no count store: only what is alive
#: counts), about a second at 20,000 organisations; kept until the graph changes
stats_answers: ExpiringCache[Stats] = ExpiringCache("stats", seconds=None, size=8)


def stats(driver: Driver, *, database: str = "neo4j") -> Stats:
    """Counts by label, relationship type, organisation kind, phase, role and territory.

    Kept until the graph changes (:func:`queries.projection.graph_fingerprint`, one
    count-store read, tells); a server that gives no commit marker is asked every time.

    Returns
    -------
    Stats
        ``organisations_by_region``/``_by_departement`` count organisations located
        (LOCATED_IN) in a commune of the territory, largest first.
    """
    from queries.analytics_store import COUNTS_ONLY
    from queries.projection import graph_fingerprint

    key = (database, graph_fingerprint(driver, database=database))
    answer, _ = stats_answers.get_or_compute(
        key, lambda: _stats(driver, database), keep=lambda _: COUNTS_ONLY not in key[1])
    return answer


def _stats(driver: Driver, database: str) -> Stats:
    row = read_one(driver, "stats", {}, database=database)
    labels = row["labels"]
    return Stats(
        labels=labels,
        relationships=row["relationships"],
        kinds={k["key"] or "unknown": k["n"] for k in row["kinds"]},
        phases={k["key"] or "unknown": k["n"] for k in row["phases"]},
        roles={role: labels.get(label, 0) for role, label in ROLES.items()},
        roles_declared=row["roles_declared"],
        roles_named=row["roles_named"],
        organisations_by_region=[TerritoryCount(territory=territory_ref(t["territory"]),
                                                organisations=t["n"])
                                 for t in row["by_region"]],
        organisations_by_departement=[TerritoryCount(territory=territory_ref(t["territory"]),
                                                     organisations=t["n"])
                                      for t in row["by_departement"]],
    )
