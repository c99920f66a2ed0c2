"""A fact's history as readers see it, from the bookkeeping the loaders write on it
(loaders/history.py, graph/bookkeeping.py): when it was first seen, last changed or
retired, which datasets state it, and each change with the values it had before."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import BaseModel, Field

from graph.bookkeeping import is_bookkeeping


class HistoryEntry(BaseModel):
    """One change of a fact, made by one import."""

    import_id: str | None = None
    at: dt.datetime | None = None
    event: str = Field("changed", description="`changed` (see `before`), `restored` (back in "
                                              "a later version, or a retirement undone), "
                                              "`retired`, `dataset_dropped`, `merged` (this "
                                              "duplicate merged into `other`), `absorbed` "
                                              "(the duplicate `other` merged into this one).")
    before: dict[str, Any] = Field(default_factory=dict,
                                   description="Property (or `territory`) → its value before.")
    dataset: str | None = None
    other: str | None = Field(None, description="For `merged` and `absorbed`: the other "
                                                "organisation's id.")


class FactHistory(BaseModel):
    """When a fact entered the graph, last changed, left it; who states it; its changes."""

    first_seen: dt.datetime | None = None
    last_changed: dt.datetime | None = None
    retired_at: dt.datetime | None = None
    retired_by: str | None = None
    merged_into: str | None = Field(None, description="A duplicate merged into another "
                                                      "organisation: that one's id.")
    merged_at: dt.datetime | None = None
    merged_by: str | None = None
    datasets: list[str] = Field(default_factory=list)
    entries: list[HistoryEntry] = Field(default_factory=list, description="Latest first.")


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def fact_history(props: dict[str, Any]) -> FactHistory | None:
    """The history of a node or relationship from its properties; None for a fact written
    before history was kept (nor a territory of the reference).

    >>> fact_history({"name": "x"}) is None
    True
    >>> h = fact_history({"datasets": ["inv"], "history": [
    ...     '{"import": "imp-1", "at": "2026-01-02T00:00:00+00:00", "changes": {"kind": "a"}}']})
    >>> h.entries[0].before, h.entries[0].import_id, h.datasets
    ({'kind': 'a'}, 'imp-1', ['inv'])
    """
    if not any(is_bookkeeping(k) for k in props):
        return None
    entries = []
    for text in reversed(props.get("history") or []):
        try:
            data = json.loads(text)
        except (TypeError, ValueError):
            continue
        entries.append(HistoryEntry(
            import_id=data.get("import"), at=data.get("at"),
            event=data.get("event") or "changed", before=data.get("changes") or {},
            dataset=data.get("dataset"), other=data.get("other")))
    return FactHistory(first_seen=_native(props.get("first_seen")),
                       last_changed=_native(props.get("last_changed")),
                       retired_at=_native(props.get("retired_at")),
                       retired_by=props.get("retired_by"),
                       merged_into=props.get("merged_into"),
                       merged_at=_native(props.get("merged_at")),
                       merged_by=props.get("merged_by"),
                       datasets=list(props.get("datasets") or []), entries=entries)


def reader_properties(props: dict[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    """The properties a reader sees: neither index helpers (``hidden``) nor bookkeeping."""
    return {k: v for k, v in props.items() if k not in hidden and not is_bookkeeping(k)}
