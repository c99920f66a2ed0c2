"""What changed between two instants: the versions of tests/loaders/test_history.py loaded
one after the other, and the window of each load read back."""

from __future__ import annotations

import datetime as dt

from queries.changes import changes
from tests.loaders.test_history import V1, V1_LINKS, V2, V2_LINKS, _load, inv  # noqa: F401

FAR = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def test_each_load_window_lists_what_it_did(inv):  # noqa: F811
    r1 = _load(inv, V1, V1_LINKS, dataset="inventaire", replace=True)
    r2 = _load(inv, V2, V2_LINKS, dataset="inventaire", replace=True)
    first = changes(inv, dt.datetime(2000, 1, 1, tzinfo=dt.UTC), FAR)
    # a, b, d and the programme appeared; c too, but its latest event is its retirement
    assert (first.counts["element appeared"], first.counts["element retired"]) == (4, 1)
    window = changes(inv, r2_at(inv, r2.import_id), FAR)
    by_id = {c.id: c for c in window.items if c.what == "element"}
    assert by_id["org:c"].change == "retired" and by_id["org:d"].change == "appeared"
    assert by_id["org:b"].change == "changed"
    assert by_id["org:b"].entries[0].before == {"kind": "entreprise"}
    assert "org:a" not in by_id  # unchanged by the second load
    gone = [c for c in window.items if c.what == "connection" and c.change == "retired"]
    assert {(c.from_id, c.type, c.to_id) for c in gone} >= {("org:c", "CARRIES", "programme:p")}
    assert window.counts["connection appeared"] == 2
    only = changes(inv, r2_at(inv, r2.import_id), FAR, dataset="autre")
    assert only.total == 0 and r1.import_id


def r2_at(driver, import_id: str) -> dt.datetime:
    records, _, _ = driver.execute_query("MATCH (i:Import {id: $id}) RETURN i.at AS at",
                                         {"id": import_id})
    return records[0]["at"].to_native()
