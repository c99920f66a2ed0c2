"""One Neo4j driver for the process, closed at shutdown.

The connection comes from the settings: ``NEO4J_URI`` when set (Aura, a cluster, docker
compose), else the managed local server, whose password lives in its home directory.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from neo4j import Driver, GraphDatabase

from graph.settings import Settings, get_settings


@dataclass(frozen=True)
class ConnectionInfo:
    uri: str
    user: str
    password: str | None
    database: str


def connection_info(settings: Settings | None = None) -> ConnectionInfo:
    """Where to connect: the configured server, or the managed local one."""
    settings = settings or get_settings()
    if settings.neo4j_uri:
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        return ConnectionInfo(settings.neo4j_uri, settings.neo4j_user, password,
                              settings.neo4j_database)
    from graph.server import ManagedNeo4j

    server = ManagedNeo4j(settings)
    return ConnectionInfo(server.uri, "neo4j", server.password(), settings.neo4j_database)


def make_driver(info: ConnectionInfo, retry_seconds: float | None = None,
                settings: Settings | None = None) -> Driver:
    """A driver for ``info``; managed transactions retry transient errors ``retry_seconds``
    (default: the setting), connections open within ``connect_timeout`` and wait for a
    pooled one ``acquire_timeout`` (the settings)."""
    settings = settings or get_settings()
    auth = (info.user, info.password) if info.password is not None else None
    if retry_seconds is None:
        retry_seconds = settings.retry_seconds
    return GraphDatabase.driver(
        info.uri,
        auth=auth,
        # every API thread gets a connection without waiting (settings.api_threads)
        max_connection_pool_size=settings.driver_pool_size,
        # Fail fast when the server is gone or hung: the driver's defaults (30 s to open a
        # connection, 60 s to get one from the pool) outlast any request's deadline.
        connection_timeout=settings.connect_timeout,
        connection_acquisition_timeout=max(settings.acquire_timeout, settings.connect_timeout),
        max_transaction_retry_time=retry_seconds,
        # No server notifications: a relationship type or property the graph does not
        # hold yet is normal here (a fresh graph, a question about a link no one made),
        # not a warning to log on every call; nothing in the product reads them.
        notifications_min_severity="OFF",
    )


_lock = threading.Lock()
_driver: Driver | None = None
_database: str = "neo4j"
#: where the process's driver connects, as whom (None: installed without saying)
_info: ConnectionInfo | None = None


def get_driver(settings: Settings | None = None) -> Driver:
    """The process's driver, created on first use."""
    global _driver, _database, _info
    with _lock:
        if _driver is None:
            info = connection_info(settings)
            settings = settings or get_settings()
            _driver = make_driver(info, settings.retry_seconds, settings)
            _database, _info = info.database, info
        return _driver


def has_driver() -> bool:
    """Whether a process driver is open (the API closes only a driver it opened)."""
    return _driver is not None


def get_database() -> str:
    """The database the process's driver talks to (``neo4j`` on Community)."""
    return _database


def set_driver(driver: Driver | None, database: str = "neo4j",
               info: ConnectionInfo | None = None) -> None:
    """Install a driver made elsewhere (tests, the API's lifespan); closes the previous one.
    ``info``: where it connects and as whom (what the API's probes knock at, and what its
    console workers connect to)."""
    global _driver, _database, _info
    with _lock:
        if _driver is not None and _driver is not driver:
            _driver.close()
        _driver, _database, _info = driver, database, info


def driver_uri(settings: Settings | None = None) -> str:
    """The URI of the server the process's driver talks to: the one it was made for, else
    the one the settings name (:func:`server_uri`)."""
    return _info.uri if _driver is not None and _info else server_uri(settings)


def driver_info(settings: Settings | None = None) -> ConnectionInfo:
    """Where the process's driver connects, as whom: what it was made for, else what the
    settings name (:func:`connection_info`). Other connections of the process (the console's
    worker processes) go to the same server."""
    return _info if _driver is not None and _info else connection_info(settings)


def close_driver(driver: Driver | None = None) -> None:
    """Close the process's driver; the next get_driver() opens a new one.

    Given ``driver``, close that one (the driver an app opened) and forget it only if it is
    still the process's: an app shut down after someone installed another driver must not
    close theirs."""
    global _driver
    with _lock:
        if driver is not None and driver is not _driver:
            driver.close()
            return
        if _driver is not None:
            _driver.close()
            _driver = None


@contextlib.contextmanager
def set_aside(replacement: Driver | None = None) -> Iterator[None]:
    """Put the process's driver aside (its database and connection info too) and install
    ``replacement`` (or none: the next get_driver() opens one from the settings), then
    put everything back as it was: the driver, its database, where it connects.

    For a process that runs an app of its own against another server for a while (tests
    of an unreachable, stopped or hung Neo4j): restoring the driver alone would leave the
    probes knocking where the settings point, not where the driver talks.
    """
    global _driver, _database, _info
    with _lock:
        saved = (_driver, _database, _info)
        _driver, _info = replacement, None
    try:
        yield
    finally:
        with _lock:
            _driver, _database, _info = saved


atexit.register(close_driver)


def server_uri(settings: Settings | None = None) -> str:
    """The URI of the server the settings name, without reading any password (what the
    API's probes knock at: :mod:`graph.probe`)."""
    settings = settings or get_settings()
    if settings.neo4j_uri:
        return settings.neo4j_uri
    from graph.server import ManagedNeo4j

    return ManagedNeo4j(settings).uri
