"""graph/as_of.py: the one reader of ``as_of`` (no database) and the context it sets."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from datetime import UTC, datetime, timedelta

import pytest

from graph import as_of
from graph.as_of import BadAsOf, alive_cypher, as_instant, end_of_day, parse_as_of


@pytest.mark.parametrize(("text", "utc"), [
    # a day: its last microsecond in Paris (summer UTC+2, winter UTC+1)
    ("2026-06-19", "2026-06-19T21:59:59.999999+00:00"),
    ("2026-12-31", "2026-12-31T22:59:59.999999+00:00"),
    # the day the clocks go forward: still UTC+2 at its end
    ("2026-03-29", "2026-03-29T21:59:59.999999+00:00"),
    # a time without an offset: Paris time
    ("2026-06-19T14:30", "2026-06-19T12:30:00+00:00"),
    ("2026-01-15 08:00:00", "2026-01-15T07:00:00+00:00"),
    ("2026-06-19T14:30:15.25", "2026-06-19T12:30:15.250000+00:00"),
    # with an offset: as written
    ("2026-06-19T14:30:00Z", "2026-06-19T14:30:00+00:00"),
    ("2026-06-19t14:30z", "2026-06-19T14:30:00+00:00"),
    ("2026-06-19T14:30:00+02:00", "2026-06-19T12:30:00+00:00"),
    ("2026-06-19T14:30-0300", "2026-06-19T17:30:00+00:00"),
    ("  2026-06-19  ", "2026-06-19T21:59:59.999999+00:00"),
    # RFC 3339 allows any number of digits of a second: past the microsecond, dropped
    ("2026-06-19T14:30:00.123456789Z", "2026-06-19T14:30:00.123456+00:00"),
    # out of Python's range in UTC: before anything, after anything
    ("0001-01-01T00:00:00+05:00", "0001-01-01T00:00:00+00:00"),
    ("9999-12-31T23:00:00-05:00", "9999-12-31T23:59:59.999999+00:00"),
    ("0001-01-01", "0001-01-01T23:50:38.999999+00:00"),  # Paris in year 1: its mean time
])
def test_days_and_times(text, utc):
    asked = parse_as_of(text)
    assert asked.import_id is None
    assert asked.at.isoformat() == utc
    assert asked.at.tzinfo is not None


def test_an_import_id_is_kept_for_the_database():
    asked = parse_as_of("imp-20260619-0001")
    assert asked.import_id == "imp-20260619-0001" and asked.at is None


@pytest.mark.parametrize("text", [
    "", " ", "hier", "19/06/2026", "2026-6-19", "2026-02-30", "2026-13-01",
    "2026-06-19T25:00", "2026-06-19T14:30+25:00", "imp-", "imp-a b", "import-1",
    "20260619", "2026-06-19T14:30:00.", "x" * 500, "2026-06-19; DROP",
])
def test_anything_else_says_what_is_accepted_in_english_and_in_french(text):
    with pytest.raises(BadAsOf) as caught:
        parse_as_of(text)
    message = str(caught.value)
    assert "is not a date, a time or an import id" in message
    assert "2026-06-19" in message and "imp-" in message
    assert "n'est pas une date" in caught.value.message_fr
    assert "heure de Paris" in caught.value.message_fr
    assert caught.value.detail["message_fr"] == caught.value.message_fr


def test_a_time_to_come_is_now():
    now = datetime(2026, 6, 19, 12, tzinfo=UTC)
    assert as_instant(now + timedelta(seconds=1), now=now) is None
    assert as_instant(now - timedelta(seconds=1), now=now) == now - timedelta(seconds=1)
    assert end_of_day("2026-06-19") > now  # today's end is to come


def test_the_scope_is_the_context_and_threads_that_copy_it():
    moment = datetime(2026, 1, 10, 10, tzinfo=UTC)
    assert as_of.current() is None
    with as_of.scope(moment):
        assert as_of.current() == moment
        # a thread that copies the context (FastAPI's route threads do) sees it
        seen = copy_context().run(
            lambda: ThreadPoolExecutor(1).submit(copy_context().run, as_of.current).result())
        assert seen == moment
        # a plain thread does not: the context is not global
        found = []
        thread = threading.Thread(target=lambda: found.append(as_of.current()))
        thread.start()
        thread.join()
        assert found == [None]
        with as_of.scope(None):
            assert as_of.current() is None
        assert as_of.current() == moment
    assert as_of.current() is None


def test_the_cypher_text_is_fixed_around_a_variable():
    assert "o.retired_at" in alive_cypher("o") and "$as_of" in alive_cypher("o")
    for bad in ("o.x", "o) OR true //", "", "1o"):
        with pytest.raises(ValueError):
            alive_cypher(bad)
