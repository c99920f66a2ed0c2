"""Property values kept as JSON text and given back exactly: what a merge records of the
relationships it moves, so that undoing it writes them again as they were.

JSON has strings, numbers, booleans, null and lists; a Neo4j property may also be a date,
a time, a duration or a point. Those are written as a one-key object naming their type
(``{"$date": "2020-09-01"}``) and read back as the driver's own types, so the facts'
hash (graph/fact_hash.py) of a value written back is the hash of the value read.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from neo4j.spatial import CartesianPoint, Point, WGS84Point
from neo4j.time import Date, DateTime, Duration, Time


def _zone(value: DateTime | Time) -> str | None:
    """The name of a value's time zone (``Europe/Paris``), None for a bare offset."""
    tz = value.tzinfo
    return getattr(tz, "zone", None) or getattr(tz, "key", None)


def encode(value: Any) -> Any:
    """A property value as JSON can hold it.

    >>> encode([1, "a", Date(2020, 9, 1)])
    [1, 'a', {'$date': '2020-09-01'}]

    Raises
    ------
    TypeError
        For a value no Neo4j property can hold.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Point):  # a tuple: before the lists
        return {"$point": value.srid, "coordinates": [float(c) for c in value]}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, DateTime):
        if value.tzinfo is None:
            return {"$localdatetime": value.iso_format()}
        return {"$datetime": value.iso_format(), "zone": _zone(value)}
    if isinstance(value, Date):
        return {"$date": value.iso_format()}
    if isinstance(value, Time):
        if value.tzinfo is None:
            return {"$localtime": value.iso_format()}
        return {"$time": value.iso_format()}
    if isinstance(value, Duration):
        return {"$duration": [value.months, value.days, value.seconds, value.nanoseconds]}
    if isinstance(value, dt.datetime | dt.date):  # a value the code made, not read
        return encode(DateTime.from_native(value) if isinstance(value, dt.datetime)
                      else Date.from_native(value))
    raise TypeError(f"a {type(value).__name__} is not a property value")


def decode(value: Any) -> Any:
    """The property value :func:`encode` wrote.

    >>> decode({"$date": "2020-09-01"})
    neo4j.time.Date(2020, 9, 1)
    """
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$date" in value:
        return Date.from_iso_format(value["$date"])
    if "$localdatetime" in value:
        return DateTime.from_iso_format(value["$localdatetime"])
    if "$datetime" in value:
        moment = DateTime.from_iso_format(value["$datetime"])
        if value.get("zone"):
            import pytz

            moment = moment.astimezone(pytz.timezone(value["zone"]))
        return moment
    if "$localtime" in value:
        return Time.from_iso_format(value["$localtime"])
    if "$time" in value:
        return Time.from_iso_format(value["$time"])
    if "$duration" in value:
        months, days, seconds, nanoseconds = value["$duration"]
        return Duration(months=months, days=days, seconds=seconds, nanoseconds=nanoseconds)
    if "$point" in value:
        coords = tuple(value["coordinates"])
        if value["$point"] in (4326, 4979):
            return WGS84Point(coords)
        return CartesianPoint(coords)
    raise ValueError(f"not a stored property value: {value!r}")


def dumps(props: dict[str, Any]) -> dict[str, Any]:
    """Every value of a property map, encoded (the map stays a dict for the record)."""
    return {k: encode(v) for k, v in props.items()}


def loads(props: dict[str, Any]) -> dict[str, Any]:
    """A property map :func:`dumps` encoded, with the driver's types again."""
    return {k: decode(v) for k, v in props.items()}


def to_json(data: Any) -> str:
    """JSON text of already encoded data (floats exact: Python writes their shortest
    round-trip form)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
