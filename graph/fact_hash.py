"""The facts' hash: one digest of every element, connection and property of a database.

``alliance-graph db hash`` prints it; tests and later work compare it (a load after a
crash against a clean load, a restored backup against the original, an export loaded
into an empty database…). It covers the *facts* only: every node (its labels and
properties) and every relationship (its type, the ``id`` of both ends, its properties);
the bookkeeping of :mod:`graph.bookkeeping` is left out. Territories are facts.

The same facts give the same hash whatever the order they were written in, the batch
size or the number of writers:

- each fact is serialised canonically (:func:`encode`): labels sorted, properties sorted
  by key, every value tagged with its type and its length, so ``1``, ``1.0``, ``"1"``
  and ``[1]`` differ, floats bit for bit, dates, times, durations and points by their
  exact components;
- each fact's serialisation is hashed with SHA-256 and the digests are *added* modulo
  2**256 (a multiset hash): the order in which Neo4j streams the facts changes nothing,
  so nothing is sorted, on the server or here, and nothing is held: the facts stream
  through once, a fetch at a time, in constant memory;
- the result is SHA-256 over a version tag, the counts and that sum.

A node without ``id`` (never written by the product) is named, at the end of a
relationship, by its whole serialisation instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

from neo4j import Driver, ManagedTransaction
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time

from graph.bookkeeping import BOOKKEEPING, BOOKKEEPING_NAMES

#: bumped when the serialisation changes: a hash of another version is another number
VERSION = b"alliance-graph facts v1"
_MODULUS = 1 << 256
#: records the driver fetches at a time (its default, 1,000, costs a round trip each)
FETCH_SIZE = 5000

#: callback(facts streamed so far, facts in the database): both counts include bookkeeping
ProgressCallback = Callable[[int, int], None]

_NODES = (
    "MATCH (n) WHERE none(label IN labels(n) WHERE label IN $skip) "
    "RETURN labels(n), properties(n)"
)
_RELATIONSHIPS = (
    "MATCH (a)-[r]->(b) WHERE NOT type(r) IN $skip "
    "AND none(label IN labels(a) WHERE label IN $skip) "
    "AND none(label IN labels(b) WHERE label IN $skip) "
    "RETURN type(r), a.id, b.id, properties(r), "
    "CASE WHEN a.id IS NULL THEN [labels(a), properties(a)] END, "
    "CASE WHEN b.id IS NULL THEN [labels(b), properties(b)] END"
)


@dataclass(frozen=True)
class FactDigest:
    """The facts' hash of a database, and what it covered."""

    #: 64 hexadecimal digits
    hash: str
    nodes: int
    relationships: int
    seconds: float
    #: the bookkeeping names left out (:data:`graph.bookkeeping.BOOKKEEPING`)
    excluded: tuple[str, ...] = BOOKKEEPING


def fact_hash(driver: Driver, database: str = "neo4j") -> str:
    """The facts' hash of ``database``: 64 hexadecimal digits.

    Parameters
    ----------
    driver
        A driver to the server.
    database
        The database (``neo4j`` on Community).

    Returns
    -------
    str
        The same for the same facts, whatever the load order, batch size or writers.
    """
    return fact_digest(driver, database).hash


def fact_digest(driver: Driver, database: str = "neo4j", *,
                on_progress: ProgressCallback | None = None) -> FactDigest:
    """The facts' hash with the counts it covered and the time it took.

    Streams every node, then every relationship, in one read transaction (retried as a
    whole on a transient error).

    Parameters
    ----------
    on_progress
        Called now and then with the facts streamed and the facts in the database.
    """
    started = time.perf_counter()

    def work(tx: ManagedTransaction) -> tuple[int, int, int]:
        total = 0
        if on_progress is not None:
            total = tx.run("MATCH (n) RETURN count(n) AS c").single()["c"] + tx.run(
                "MATCH ()-[r]->() RETURN count(r) AS c").single()["c"]
        skip = list(BOOKKEEPING)
        acc = nodes = rels = 0
        for labels, props in tx.run(_NODES, skip=skip):
            acc += _digest(b"N" + _node(labels, props))
            nodes += 1
            if on_progress is not None and nodes % FETCH_SIZE == 0:
                on_progress(nodes, total)
        for rel_type, start, end, props, start_node, end_node in tx.run(_RELATIONSHIPS,
                                                                          skip=skip):
            acc += _digest(b"R" + _str(rel_type) + _end(start, start_node)
                           + _end(end, end_node) + _props(props))
            rels += 1
            if on_progress is not None and rels % FETCH_SIZE == 0:
                on_progress(nodes + rels, total)
        return acc % _MODULUS, nodes, rels

    with driver.session(database=database, fetch_size=FETCH_SIZE) as session:
        acc, nodes, rels = session.execute_read(work)
    head = VERSION + b"\n%d nodes\n%d relationships\n" % (nodes, rels)
    digest = sha256(head + acc.to_bytes(32, "big")).hexdigest()
    return FactDigest(hash=digest, nodes=nodes, relationships=rels,
                      seconds=round(time.perf_counter() - started, 3))


def _digest(data: bytes) -> int:
    return int.from_bytes(sha256(data).digest(), "big")


def _node(labels: list[str], props: dict[str, Any]) -> bytes:
    return _list(sorted(labels)) + _props(props)


def _end(node_id: Any, whole: list | None) -> bytes:
    """One end of a relationship: its ``id``, or the whole node when it has none."""
    if whole is None:
        return encode(node_id)
    return b"W" + _node(*whole)


def _props(props: dict[str, Any]) -> bytes:
    if not BOOKKEEPING_NAMES.isdisjoint(props):
        props = {k: v for k, v in props.items() if k not in BOOKKEEPING_NAMES}
    return _map(props)


# -- the canonical serialisation --------------------------------------------------------------
# Every value starts with a tag byte; text, lists and maps carry their length, so two
# different values never serialise alike and no value is a prefix of another.

def _str(value: str) -> bytes:
    data = value.encode("utf-8")
    return b"s%d:%b" % (len(data), data)


def _int(value: int) -> bytes:
    return b"i%d;" % value


def _float(value: float) -> bytes:
    return b"f%b;" % value.hex().encode()  # exact: every bit of the double


def _list(value: list) -> bytes:
    return b"l%d:%b" % (len(value), b"".join(map(encode, value)))


def _map(value: dict) -> bytes:
    return b"m%d:%b" % (len(value), b"".join(
        _str(k) + encode(v) for k, v in sorted(value.items())))


def _zone(value: DateTime | Time) -> bytes:
    # a named zone (Europe/Paris) and its offset of the day are two different values
    tz = value.tzinfo
    name = getattr(tz, "zone", None) or getattr(tz, "key", None)
    return b"[%b]" % name.encode() if name else b""


def _datetime(value: DateTime) -> bytes:
    if value.tzinfo is None:
        return b"L%b;" % value.iso_format().encode()
    return b"Z%b%b;" % (value.iso_format().encode(), _zone(value))


def _time(value: Time) -> bytes:
    if value.tzinfo is None:
        return b"t%b;" % value.iso_format().encode()
    return b"z%b%b;" % (value.iso_format().encode(), _zone(value))


def _duration(value: Duration) -> bytes:
    return b"u%d,%d,%d,%d;" % (value.months, value.days, value.seconds, value.nanoseconds)


def _point(value: Point) -> bytes:
    return b"p%d:%b;" % (value.srid, b",".join(float(c).hex().encode() for c in value))


_ENCODERS: dict[type, Callable[[Any], bytes]] = {
    str: _str,
    int: _int,
    float: _float,
    bool: lambda v: b"?1" if v else b"?0",
    type(None): lambda v: b"N",
    list: _list,
    tuple: _list,
    dict: _map,
    bytes: lambda v: b"b%d:%b" % (len(v), v),
    bytearray: lambda v: b"b%d:%b" % (len(v), bytes(v)),
    Date: lambda v: b"d%b;" % v.iso_format().encode(),
    DateTime: _datetime,
    Time: _time,
    Duration: _duration,
}


def encode(value: Any) -> bytes:
    """The canonical bytes of a value Neo4j returns (any property type, lists, maps).

    >>> encode(1), encode(1.0), encode("1"), encode([1]), encode(True)
    (b'i1;', b'f0x1.0000000000000p+0;', b's1:1', b'l1:i1;', b'?1')
    >>> encode({"b": None, "a": "é"})
    b'm2:s1:as2:\\xc3\\xa9s1:bN'

    Raises
    ------
    TypeError
        For a value no Neo4j property can hold.
    """
    encoder = _ENCODERS.get(type(value))
    if encoder is not None:
        return encoder(value)
    if isinstance(value, Point):  # CartesianPoint, WGS84Point (tuples: checked first)
        return _point(value)
    raise TypeError(f"no canonical form for a {type(value).__name__} value")
