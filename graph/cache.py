"""Answers kept a while: the one cache type of the product, and the one call that
empties every cache after a write.

A cache's key is what its answer depends on (the database and the question's
parameters, and for the analytics the graph's fingerprint), never the driver object: the
process has one driver (``graph/driver.py``). Every write through the product ends with
:func:`clear_caches` (the loaders' ``load_sources`` and ``load_territories``, which the API
imports and the CLI call), and so does every test (an autouse fixture of
``tests/conftest.py``). A write that does not go through the product (a raw Cypher
statement, another process) is seen when the entry expires.

>>> squares = ExpiringCache("squares", seconds=None, size=2)
>>> squares.get_or_compute(3, lambda: 9)
(9, False)
>>> squares.get_or_compute(3, lambda: 0)  # kept: not computed again
(9, True)
>>> clear_caches()
>>> squares.get_or_compute(3, lambda: 0)
(0, False)
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Hashable
from time import monotonic
from typing import Any, Generic, TypeVar

V = TypeVar("V")

_every_cache: weakref.WeakSet[ExpiringCache] = weakref.WeakSet()


class _Flight:
    """One computation under way: callers asking for its key meanwhile wait for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None
        self.waiters = 0


class ExpiringCache(Generic[V]):
    """Values by key, each kept ``seconds`` (None: until cleared), at most ``size`` of
    them (the oldest goes first), computed once for concurrent callers (single flight).

    Parameters
    ----------
    name
        What it holds, for messages and ``repr``.
    seconds
        How long a value is kept; None keeps it until :meth:`clear` or eviction.
    size
        Most values kept at once.
    """

    def __init__(self, name: str, *, seconds: float | None, size: int) -> None:
        self.name = name
        self.seconds = seconds
        self.size = size
        self._lock = threading.Lock()
        self._values: dict[Hashable, tuple[float, V]] = {}
        self._flights: dict[Hashable, _Flight] = {}
        # bumped by clear(): a computation that began before a write does not keep its value
        self._generation = 0
        _every_cache.add(self)

    def __repr__(self) -> str:
        return f"ExpiringCache({self.name!r}, {len(self)} kept)"

    def __len__(self) -> int:
        """Values kept (expired ones included until they are replaced or dropped)."""
        return len(self._values)

    def get_or_compute(self, key: Hashable, compute: Callable[[], V], *,
                       keep: Callable[[V], bool] | None = None) -> tuple[V, bool]:
        """The value of ``key``: kept, awaited from the computation under way, or computed
        here by ``compute()``.

        Parameters
        ----------
        key
            What the value depends on.
        compute
            Makes the value. Its exception reaches every caller waiting for it and
            nothing is kept: the next call computes again.
        keep
            Whether to keep a value (default: always); a value not kept is still returned.

        Returns
        -------
        tuple
            The value, and whether this call did *not* compute it (kept or awaited).
        """
        with self._lock:
            kept = self._values.get(key)
            if kept is not None and (self.seconds is None
                                     or monotonic() - kept[0] < self.seconds):
                return kept[1], True
            flight = self._flights.get(key)
            owner = flight is None
            if owner:
                flight = self._flights[key] = _Flight()
                generation = self._generation
            else:
                flight.waiters += 1
        if not owner:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error  # the same failure; the next call tries again
            return flight.value, True
        started = monotonic()
        try:
            value = compute()
        except BaseException as exc:
            flight.error = exc
            self._land(key, flight)
            raise
        flight.value = value
        with self._lock:
            if generation == self._generation and (keep is None or keep(value)):
                self._values.pop(key, None)
                while len(self._values) >= self.size:
                    self._values.pop(next(iter(self._values)))
                self._values[key] = (started, value)
        self._land(key, flight)
        return value, False

    def peek_or_start(self, key: Hashable, compute: Callable[[], V], *,
                      name: str = "cache-fill") -> V | None:
        """The value of ``key`` when it is kept; otherwise None at once, and ``compute()``
        runs in a background thread (once, whoever asks meanwhile) for the next callers.

        For a value that speeds a question up but that the question can do without: the
        caller answers the slow way meanwhile, never waits for it. A failed computation
        is tried again by the next call.
        """
        with self._lock:
            kept = self._values.get(key)
            if kept is not None and (self.seconds is None
                                     or monotonic() - kept[0] < self.seconds):
                return kept[1]
            if key in self._flights:
                return None

        def fill() -> None:
            with contextlib.suppress(Exception):  # the caller has its answer; next time
                self.get_or_compute(key, compute)

        threading.Thread(target=fill, name=name, daemon=True).start()
        return None

    def _land(self, key: Hashable, flight: _Flight) -> None:
        with self._lock:
            if self._flights.get(key) is flight:
                del self._flights[key]
        flight.done.set()

    def discard(self, where: Callable[[Hashable], bool]) -> None:
        """Forget the values whose key satisfies ``where`` (e.g. an older fingerprint)."""
        with self._lock:
            for key in [k for k in self._values if where(k)]:
                del self._values[key]

    def clear(self) -> None:
        """Forget every value; computations under way finish for their callers but are
        not kept, and later callers do not wait for them."""
        with self._lock:
            self._values.clear()
            self._flights.clear()
            self._generation += 1

    @property
    def waiting(self) -> int:
        """Callers waiting for a computation under way (read by the tests)."""
        with self._lock:
            return sum(f.waiters for f in self._flights.values())

    @property
    def computing(self) -> int:
        """Computations under way."""
        with self._lock:
            return len(self._flights)


def clear_caches() -> None:
    """Empty every :class:`ExpiringCache`: call it at the end of any write to the graph."""
    for cache in list(_every_cache):
        cache.clear()
