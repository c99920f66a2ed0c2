"""The API's circuit breaker: once Neo4j is known down or hung, answer 503 at once and
probe in the background until it is back.

Closed (``up``), calls go through. A call that is slow (:meth:`Breaker.suspect`) or fails
with a connection error (:meth:`Breaker.confirm`) has the server probed
(:func:`graph.probe.probe`, a Bolt handshake); a probe that says ``down`` (refused), or
``not_answering`` twice (the second time after :data:`CONFIRM_TIMEOUT`), opens the
breaker (:meth:`Breaker.trip`): the calls waiting are woken
to answer 503, new calls answer 503 without touching the driver, and one thread probes
every :data:`PROBE_INTERVAL` seconds. When the handshake answers again and a real query
through the driver succeeds (which also flushes the pool's dead connections), the breaker
closes: the API recovers without a restart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from time import monotonic

from graph.outage import DatabaseDown
from graph.probe import DOWN, NOT_ANSWERING, UP, State, probe

#: seconds between two probes while the breaker is open: a restarted server is seen
#: within about this much after its Bolt port answers
PROBE_INTERVAL = 0.5

#: seconds a second probe waits before a server that did not answer the first is called
#: hung: a refused connection is certain, a slow handshake may be a busy machine (a cold
#: API process starved the first probe of its event loop for a second here)
CONFIRM_TIMEOUT = 2.0


class Breaker:
    """Whether to ask Neo4j at all right now.

    Parameters
    ----------
    uri
        The server's Bolt URI, which the probes knock at.
    probe_timeout
        Seconds a probe waits for the handshake's answer.
    verify
        Asks a real query through the driver, bounded in time; True when it answered.
        Closing waits for it, not for the handshake alone: a restarted server answers
        Bolt before its database is open, and the pool still holds dead connections.
    """

    def __init__(self, uri: str, *, probe_timeout: float,
                 verify: Callable[[], bool] | None = None):
        self.uri = uri
        self.probe_timeout = probe_timeout
        self._verify = verify or (lambda: True)
        self._lock = threading.Lock()
        self._state: State = UP
        self._waiters: set[threading.Event] = set()
        self._suspecting = False
        self._prober: threading.Thread | None = None
        self._stop = threading.Event()
        #: times the breaker opened (read by the tests and docs/reliability.md's figures)
        self.trips = 0
        #: when it last opened (monotonic), None while closed
        self.opened_at: float | None = None

    @property
    def state(self) -> State:
        """``up`` (closed), ``down`` or ``not_answering`` (open)."""
        return self._state

    def check(self) -> None:
        """Raise :class:`DatabaseDown` while the breaker is open."""
        state = self._state
        if state != UP:
            raise DatabaseDown(state)

    @contextmanager
    def watching(self, wake: threading.Event) -> Iterator[None]:
        """Have ``wake`` set when the breaker opens (a call waiting for Neo4j stops
        waiting)."""
        with self._lock:
            self._waiters.add(wake)
            if self._state != UP:  # opened between the caller's check and now
                wake.set()
        try:
            yield
        finally:
            with self._lock:
                self._waiters.discard(wake)

    def suspect(self) -> None:
        """A call is slow: probe once, in the background (one probe at a time)."""
        with self._lock:
            if self._suspecting or self._state != UP or self._stop.is_set():
                return
            self._suspecting = True
        threading.Thread(target=self._suspect, name="neo4j-suspect", daemon=True).start()

    def _suspect(self) -> None:
        try:
            state = probe(self.uri, self.probe_timeout)
            if state == NOT_ANSWERING:
                state = probe(self.uri, CONFIRM_TIMEOUT)
        finally:
            with self._lock:
                self._suspecting = False
        self.trip(state)

    def confirm(self) -> State:
        """A call failed with a connection error: probe now (at most ``probe_timeout``),
        open the breaker if nothing listens, and say what the probe found (a server that
        does not answer is left to :meth:`suspect`'s longer look)."""
        state = probe(self.uri, self.probe_timeout)
        if state == DOWN:
            self.trip(state)
        return state

    def trip(self, state: State) -> None:
        """Open the breaker (``down`` or ``not_answering``), wake the waiting calls, and
        start probing for the server's return."""
        if state == UP:
            return
        with self._lock:
            if self._stop.is_set():
                return
            if self._state == UP:
                self.trips += 1
                self.opened_at = monotonic()
            self._state = state
            waiters = list(self._waiters)
            if self._prober is None:
                self._prober = threading.Thread(target=self._probe_until_back,
                                                name="neo4j-prober", daemon=True)
                self._prober.start()
        for wake in waiters:
            wake.set()

    def _probe_until_back(self) -> None:
        while not self._stop.wait(PROBE_INTERVAL):
            state = probe(self.uri, self.probe_timeout)
            if state == UP and self._verify():
                with self._lock:
                    self._state = UP
                    self.opened_at = None
                    self._prober = None
                return
            if state != UP:
                with self._lock:
                    self._state = state  # down ↔ not_answering, as it goes
        with self._lock:
            self._prober = None

    def close(self) -> None:
        """Stop probing for good (the app shuts down); calls are no longer refused."""
        self._stop.set()
        with self._lock:
            self._state = UP
