"""Keeps the managed Neo4j running while the API serves: a server that stopped by itself
(``-XX:+ExitOnOutOfMemoryError``, a crash) is started again.

A server is started again only when it died: its pid file is still there, its process is
gone, and no stop was asked for (``alliance-graph db stop`` writes ``neo4j.stopping``
while it stops the server, then removes both files).
"""

from __future__ import annotations

import logging
import threading

from graph.server import ManagedNeo4j, ServerError
from graph.settings import Settings

log = logging.getLogger("alliance.supervisor")

#: seconds between two checks
CHECK_EVERY = 2.0


class Supervisor:
    """A daemon thread that restarts the managed server when its process died."""

    def __init__(self, settings: Settings, *, every: float = CHECK_EVERY):
        self.server = ManagedNeo4j(settings)
        self.every = every
        self.restarts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="alliance-supervisor",
                                        daemon=True)

    def start(self) -> Supervisor:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 1)

    def died(self) -> bool:
        """The server was stopped by nothing we know: its pid file stays, its process
        is gone (``db stop`` removes the pid file)."""
        return (self.server.pid_file.exists() and not self.server.stopping_file.exists()
                and self.server.pid() is None)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            if not self.died():
                continue
            log.warning("the managed Neo4j stopped by itself: starting it again")
            try:
                self.server.start()
                self.restarts += 1
                log.warning("the managed Neo4j is back")
            except ServerError as exc:
                log.error("the managed Neo4j did not start again: %s", exc)
