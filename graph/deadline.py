"""Deadlines on every call to Neo4j made for a request, whatever Neo4j does.

The driver cannot bound a call in time: a hung server (``kill -STOP``) keeps a pooled
connection's read waiting for ever, and a stopped one is retried for
``ALLIANCE_RETRY_SECONDS``. So, for a request, each driver call runs in a thread of a
:class:`DatabaseGuard` and the request's thread waits for it until the request's
deadline, no longer:

- past the deadline: :class:`~graph.outage.DeadlineExceeded` (504); the call goes on,
  unawaited, until Neo4j answers;
- a call slower than :data:`SUSPECT_AFTER` has the server probed; found down or hung, the
  breaker (:mod:`graph.breaker`) opens and every waiting call answers
  :class:`~graph.outage.DatabaseDown` (503) at once: a stopped server is known in well
  under a second, not after the driver's retries;
- at most ``max_calls`` calls are under way at once, hung ones included: beyond, a 503
  ``busy`` at once, so hung calls never take every thread.

The API sets the deadline of each request (:func:`request_scope`, by the middleware of
api/middleware.py). Without one (the CLI, the loaders, the jobs of api/jobs.py) a call
runs inline, as before: long work is not cut short.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from time import monotonic
from typing import Any, TypeVar

from neo4j import Driver, RoutingControl
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from graph.breaker import Breaker
from graph.outage import DatabaseDown, DeadlineExceeded
from graph.probe import UP

T = TypeVar("T")

#: seconds after which a call still under way has the server probed: a healthy server
#: answers the product's questions in milliseconds (bench/README.md), and a probe costs
#: one TCP connection and 20 bytes
SUSPECT_AFTER = 0.25

#: seconds before the deadline at which a request stops waiting for Neo4j: the time to
#: write its 504 and send it, so that the answer itself leaves within the deadline
ANSWER_MARGIN = 0.25

#: seconds the breaker gives its closing query (a restarted server's first query may
#: meet a dead pooled connection, which the driver retries after about a second)
VERIFY_TIMEOUT = 5.0


class DatabaseGuard:
    """The threads in which a process's requests ask Neo4j, and its breaker.

    Parameters
    ----------
    driver, database
        Where the calls go (and the breaker's closing query).
    uri
        The server's Bolt URI, for the probes.
    max_calls
        Calls under way at once, abandoned ones included.
    probe_timeout
        Seconds a probe waits for Bolt's handshake.
    """

    def __init__(self, driver: Driver, database: str, uri: str, *, max_calls: int,
                 probe_timeout: float):
        self.driver = driver
        self.database = database
        self.uri = uri
        self.max_calls = max_calls
        self._slots = threading.BoundedSemaphore(max_calls)
        self._executor = ThreadPoolExecutor(max_calls, thread_name_prefix="neo4j-call")
        self.breaker = Breaker(uri, probe_timeout=probe_timeout, verify=self._verify)
        self._count_lock = threading.Lock()
        self._under_way = 0

    @property
    def under_way(self) -> int:
        """Calls started and not finished (abandoned ones included)."""
        return self._under_way

    def start(self, fn: Callable[[], T]) -> Future[T]:
        """Start ``fn`` in a call thread; :class:`DatabaseDown` ``busy`` when
        ``max_calls`` are under way."""
        if not self._slots.acquire(blocking=False):
            raise DatabaseDown("busy")
        try:
            future = self._executor.submit(fn)
        except RuntimeError:  # shut down: the app is stopping
            self._slots.release()
            raise DatabaseDown("unavailable", "the API is stopping") from None
        with self._count_lock:
            self._under_way += 1
        future.add_done_callback(self._release)
        return future

    def _release(self, _: Future) -> None:
        with self._count_lock:
            self._under_way -= 1
        self._slots.release()

    def run(self, fn: Callable[[], T], deadline: float, seconds: float) -> T:
        """``fn()`` (a driver call), waited for until ``deadline`` (monotonic) at most.

        Raises
        ------
        DatabaseDown
            The breaker is open, opens while waiting, ``max_calls`` are under way, or the
            call failed with a connection error.
        DeadlineExceeded
            No answer by ``deadline`` (``seconds``: the deadline's length, for the message).
        """
        self.breaker.check()
        if deadline - monotonic() <= 0:
            raise DeadlineExceeded(seconds)
        future = self.start(fn)
        wake = threading.Event()
        future.add_done_callback(lambda _: wake.set())
        with self.breaker.watching(wake):
            if not wake.wait(min(deadline - monotonic(), SUSPECT_AFTER)):
                self.breaker.suspect()
                wake.wait(max(deadline - monotonic(), 0.0))
        if future.done():
            return self._outcome(future)
        self.breaker.check()
        raise DeadlineExceeded(seconds)

    def _outcome(self, future: Future[T]) -> T:
        try:
            return future.result()
        except (ServiceUnavailable, SessionExpired) as exc:
            state = self.breaker.confirm()
            raise DatabaseDown("unavailable" if state == UP else state, str(exc)) from exc

    def _verify(self) -> bool:
        try:
            future = self.start(lambda: self.driver.execute_query(
                "RETURN 1", database_=self.database, routing_=RoutingControl.READ))
        except DatabaseDown:
            return False
        try:
            future.result(timeout=VERIFY_TIMEOUT)
        except Exception:  # noqa: BLE001 - any failure: not back yet
            return False
        return True

    def close(self) -> None:
        """Stop the breaker's probes and the call threads (hung ones end with Neo4j)."""
        self.breaker.close()
        self._executor.shutdown(wait=False, cancel_futures=True)


@dataclass(frozen=True)
class Scope:
    """The deadline of the request under way: its guard, when it started, how long."""

    guard: DatabaseGuard
    started: float
    seconds: float

    @property
    def deadline(self) -> float:
        return self.started + self.seconds


_scope: ContextVar[Scope | None] = ContextVar("neo4j_request_scope", default=None)


def current() -> Scope | None:
    """The deadline of the request under way in this context, if any."""
    return _scope.get()


@contextmanager
def request_scope(guard: DatabaseGuard, seconds: float) -> Iterator[Scope]:
    """Calls made within (and in the threads that copy this context: FastAPI's route
    threads) wait for Neo4j ``seconds`` from now at most."""
    token = _scope.set(Scope(guard, monotonic(), seconds))
    try:
        yield _scope.get()
    finally:
        _scope.reset(token)


@contextmanager
def at_least(seconds: float) -> Iterator[None]:
    """Lengthen the current request's deadline to ``seconds`` from its start (the console,
    whose own time limit is ``ALLIANCE_CONSOLE_TIMEOUT``); nothing without a request."""
    scope = _scope.get()
    if scope is None or scope.seconds >= seconds:
        yield
        return
    token = _scope.set(replace(scope, seconds=seconds))
    try:
        yield
    finally:
        _scope.reset(token)


def call(fn: Callable[[], T]) -> T:
    """Run a driver call: bounded by the request's deadline when there is one (the API),
    inline otherwise (the CLI, the loaders, the jobs).

    Examples
    --------
    Without a request, the call simply runs:

    >>> call(lambda: 42)
    42
    """
    scope = _scope.get()
    if scope is None:
        return fn()
    margin = min(ANSWER_MARGIN, scope.seconds / 10)
    return scope.guard.run(fn, scope.deadline - margin, scope.seconds)


def remaining() -> float | None:
    """Seconds left before the current request's deadline (None: no request)."""
    scope = _scope.get()
    return None if scope is None else scope.deadline - monotonic()


def outside_request(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` run with no request deadline (a job's body, even when started from a route)."""

    def run(*args: Any, **kwargs: Any) -> Any:
        token = _scope.set(None)
        try:
            return fn(*args, **kwargs)
        finally:
            _scope.reset(token)

    return run
