"""What the crash, backup and export tests share: a small ecosystem and a server to break.

- :func:`write_small_ecosystem`: the synthetic generator's files for 300 organisations in
  the tiny France of ``tests/loaders/test_generate.py`` (25 territories), plus that
  territory file: 360 elements, about 1,200 connections, loaded in a few seconds.
- :func:`load_small`: the territories, then the files, with the product's loaders.
- ``own_server`` (tests/conftest.py): a managed Neo4j of the tests' own, in a temporary
  home on free ports, which a test may stop, ``kill -9``, back up and restore (and leave
  down: the next test gets it started again); the session's server is never touched.
- :func:`cli_env`: the environment that points a ``alliance-graph`` child process at a
  server.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from graph.driver import ConnectionInfo
from loaders.generate import generate, load_places, write_ecosystem
from loaders.importer import LoadReport, load_paths
from loaders.territories import load_territories
from tests.loaders.test_generate import write_gen_territory_file

#: organisations of the small ecosystem (and its seed)
SMALL_N, SMALL_SEED = 300, 7
#: the command line of the running Python's environment
CLI = str(Path(sys.executable).with_name("alliance-graph"))


def write_small_ecosystem(directory: Path) -> tuple[Path, Path, Path]:
    """The territory file, elements.csv and connections.csv of the small ecosystem."""
    directory.mkdir(parents=True, exist_ok=True)
    territories = write_gen_territory_file(directory / "territories.jsonl")
    eco = generate(load_places(territories), SMALL_N, seed=SMALL_SEED)
    elements, connections = write_ecosystem(eco, directory / "files")
    return territories, elements, connections


def load_small(driver, territories: Path, files: list[Path], **kwargs) -> LoadReport:
    """Load the territories, then ``files`` (keyword arguments go to ``load_paths``)."""
    load_territories(driver, territories)
    return load_paths(driver, files, **kwargs)


def cli_env(info: ConnectionInfo, **extra: str) -> dict[str, str]:
    """The environment of an ``alliance-graph`` child process using the server ``info``."""
    env = dict(os.environ, NEO4J_URI=info.uri, NEO4J_USER=info.user,
               NEO4J_PASSWORD=info.password or "", NEO4J_DATABASE=info.database,
               COLUMNS="200", **extra)
    return env


def count(driver, query: str, database: str = "neo4j") -> int:
    """The single number a counting query returns."""
    records, _, _ = driver.execute_query(query, database_=database)
    return records[0][0]


def wait_until(predicate, timeout: float, interval: float = 0.02) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` seconds pass; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


#: a Bolt COMMIT message as the driver sends it: one chunk of 2 bytes (an empty
#: structure, signature 0x12), then the end-of-message marker
BOLT_COMMIT = b"\x00\x02\xb0\x12\x00\x00"


class LostAcknowledgement:
    """A TCP proxy in front of a Bolt server that loses one commit's acknowledgement.

    Everything goes through unchanged, except once: after ``marker`` (a piece of a
    query's text) has gone to the server ``after`` times, the next COMMIT sent on that
    connection reaches the server, the proxy waits for the server's answer (so the
    transaction *is* committed), then closes both sides without passing the answer on.
    The driver sees the connection drop while it waits for its commit: exactly what a
    crash or a network cut between commit and acknowledgement does.
    """

    def __init__(self, port: int, marker: bytes, after: int):
        import socket
        import threading

        self.target, self.marker, self.after = port, marker, after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.seen = 0
        self.dropped = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client, server) -> None:
        import threading

        answered = threading.Event()
        state = {"armed": False, "dropping": False}

        def down() -> None:  # server → client
            try:
                while data := server.recv(65536):
                    if state["dropping"]:
                        answered.set()  # the commit's answer: committed, and lost here
                        return
                    client.sendall(data)
            except OSError:
                pass
            finally:
                answered.set()

        threading.Thread(target=down, daemon=True).start()
        tail = b""
        try:
            while data := client.recv(65536):
                window = tail + data
                tail = window[-(len(self.marker) - 1):]
                with self.lock:
                    if not self.dropped:
                        self.seen += window.count(self.marker)
                        if self.seen >= self.after and self.marker in window:
                            state["armed"] = True
                        if state["armed"] and BOLT_COMMIT in data:
                            state["dropping"] = True
                            self.dropped += 1
                server.sendall(data)
                if state["dropping"]:
                    answered.wait(30)
                    break
        except OSError:
            pass
        finally:
            client.close()
            server.close()
