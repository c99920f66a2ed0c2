"""Settings, read from the environment (and a ``.env`` file) with pydantic-settings.

``NEO4J_*`` names follow the convention of Neo4j's own tools so that a server set up for
cypher-shell or Neo4j Desktop works unchanged; everything specific to Alliance Graph is
prefixed ``ALLIANCE_``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache_dir() -> Path:
    # The Neo4j jars are 120 MB: keep them in the user's cache so every clone shares them.
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "alliance-graph"


class Settings(BaseSettings):
    """Every knob of Alliance Graph, with why it exists."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # An external server (Aura, a cluster, docker compose). Unset: the managed local server.
    neo4j_uri: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_URI"))
    # The user for neo4j_uri; the managed server uses "neo4j" too.
    neo4j_user: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_USER"))
    # The password for neo4j_uri; the managed server generates and stores its own.
    neo4j_password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_PASSWORD")
    )
    # Community has one user database; Enterprise/Aura users may pick another.
    neo4j_database: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE"))

    # Where the Neo4j jars are cached (downloaded once by Maven).
    cache_dir: Path = Field(
        default_factory=_default_cache_dir, validation_alias=AliasChoices("ALLIANCE_CACHE_DIR")
    )
    # The managed server's home: data, logs, pid file, password. Project-local by default.
    db_dir: Path = Field(
        default=Path(".alliance/neo4j"), validation_alias=AliasChoices("ALLIANCE_DB_DIR")
    )
    # Bolt port of the managed server: not 7687, so it never collides with a Desktop server.
    bolt_port: int = Field(default=17687, validation_alias=AliasChoices("ALLIANCE_BOLT_PORT"))
    # HTTP port of the managed server (Neo4j Browser API); not 7474 for the same reason.
    http_port: int = Field(default=17474, validation_alias=AliasChoices("ALLIANCE_HTTP_PORT"))
    # JVM heap of the managed server; 1 GiB fits a 2-core laptop and a 100k-organisation graph.
    heap: str = Field(default="1g", validation_alias=AliasChoices("ALLIANCE_HEAP"))
    # Memory one transaction may take on the managed server (db.memory.transaction.max):
    # a console query past it fails alone instead of exhausting the heap; an import batch
    # uses a few MB. For an external server, set db.memory.transaction.max there.
    transaction_memory: str = Field(
        default="256m", validation_alias=AliasChoices("ALLIANCE_TRANSACTION_MEMORY")
    )
    # Page cache of the managed server; the 100k benchmark graph fits in it.
    pagecache: str = Field(default="1g", validation_alias=AliasChoices("ALLIANCE_PAGECACHE"))
    # Seconds to wait for Bolt after `db start` before giving up (first start creates stores).
    start_timeout: float = Field(
        default=120.0, validation_alias=AliasChoices("ALLIANCE_START_TIMEOUT")
    )
    # How long managed transactions retry transient errors (driver default 30 s): loads and
    # the CLI ride out a leader switch or a restart; the API's answers are bounded by
    # ALLIANCE_REQUEST_DEADLINE whatever the retries do (docs/reliability.md).
    retry_seconds: float = Field(
        default=8.0, validation_alias=AliasChoices("ALLIANCE_RETRY_SECONDS")
    )
    # Seconds a new connection to Neo4j may take to open (the driver's connection_timeout,
    # default 30 s): a stopped server refuses at once, a hung one holds a new connection
    # this long, which a retry then waits again.
    connect_timeout: float = Field(
        default=3.0, gt=0, validation_alias=AliasChoices("ALLIANCE_CONNECT_TIMEOUT")
    )
    # Seconds a call waits for a free pooled connection (the driver's
    # connection_acquisition_timeout, default 60 s): past the request deadline nobody waits
    # for the answer any more, and a hung call frees its thread sooner.
    acquire_timeout: float = Field(
        default=5.0, gt=0, validation_alias=AliasChoices("ALLIANCE_ACQUIRE_TIMEOUT")
    )
    # Rows per UNWIND batch: bench/load.py (100k organisations, writes only) did 31.4k rows/s
    # at 1,000, 35.7k at 5,000, 35.4k at 10,000: 5,000 keeps transactions small at full speed.
    batch_size: int = Field(default=5000, validation_alias=AliasChoices("ALLIANCE_BATCH_SIZE"))
    # Write transactions a load runs at once, each on rows that share no node with the
    # others' (loaders/partition.py): the server gives each its own core. 1: one at a time.
    writers: int = Field(default=2, ge=1, le=16,
                         validation_alias=AliasChoices("ALLIANCE_WRITERS"))
    # Seconds after which a replace whose process stopped beating (every quarter of it) is
    # taken as dead, finished by the next load (loaders/recovery.py). A process of this
    # host that is gone is known at once; the lease is for a writer on another machine
    # (an API container): long enough that a busy writer is never taken over.
    import_lease: float = Field(default=120.0, gt=0,
                                validation_alias=AliasChoices("ALLIANCE_IMPORT_LEASE"))

    # API: the key that POST /imports requires; unset, imports are refused.
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ALLIANCE_API_KEY")
    )
    # API bind address and port of `alliance-graph serve`.
    api_host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("ALLIANCE_API_HOST"))
    api_port: int = Field(default=8000, validation_alias=AliasChoices("ALLIANCE_API_PORT"))
    # Connections the API's socket holds waiting to be accepted (uvicorn's --backlog; the
    # kernel caps it at net.core.somaxconn). A burst of new clients past it is dropped
    # and retried by TCP after a second or more: 2,048 covers hundreds of clients at once.
    api_backlog: int = Field(default=2048, ge=64,
                             validation_alias=AliasChoices("ALLIANCE_API_BACKLOG"))
    # Seconds an idle kept-alive connection stays open (uvicorn's --timeout-keep-alive).
    # Longer than the idle timeout of the usual clients (httpx 5 s, aiohttp 15 s, a proxy's
    # 60 s), so that the client closes an idle connection first: with uvicorn's 5 s, a
    # client reusing a connection idle for 5 s sends its request as the server closes it,
    # and gets a reset or "server disconnected" that no server log shows (issue 14).
    api_keep_alive_seconds: int = Field(
        default=75, ge=1, validation_alias=AliasChoices("ALLIANCE_API_KEEP_ALIVE_SECONDS"))
    # Worker threads of the API's sync routes at once (anyio's thread pool, 40 by default);
    # later requests wait for one in order. More than the driver's pool would leave threads
    # waiting for a connection, hence at most driver_pool_size.
    api_threads: int = Field(default=40, ge=1, le=1000,
                             validation_alias=AliasChoices("ALLIANCE_API_THREADS"))
    # Bolt connections the process's driver keeps at most: every API thread gets one at
    # once (api_threads), plus spare ones for imports and the loaders' parallel writers.
    driver_pool_size: int = Field(default=50, ge=1,
                                  validation_alias=AliasChoices("ALLIANCE_DRIVER_POOL_SIZE"))
    # Origins allowed by CORS; empty means CORS is off (same-origin pages only).
    cors_origins: list[str] = Field(
        default_factory=list, validation_alias=AliasChoices("ALLIANCE_CORS_ORIGINS")
    )
    # Which sites may embed the /viz pictures in an iframe (CSP frame-ancestors): any by
    # default, as they are public and read-only; e.g. "'self' https://reports.example.org"
    # to allow only those. The pages and /docs are always 'self', whatever this says.
    frame_ancestors: str = Field(
        default="*", validation_alias=AliasChoices("ALLIANCE_FRAME_ANCESTORS")
    )
    # Seconds within which every route and page that reads the database answers, whatever
    # Neo4j does (stopped, hung, slow, restarting): past it a 504 deadline_exceeded, and a
    # 503 database_unavailable as soon as Neo4j is known down (docs/reliability.md).
    request_deadline: float = Field(
        default=5.0, gt=0, validation_alias=AliasChoices("ALLIANCE_REQUEST_DEADLINE")
    )
    # Calls to Neo4j the API lets run at once, hung ones included (each holds a thread until
    # Neo4j answers): beyond, a 503 at once instead of threads piling up. Above the 40
    # route threads, so a busy but healthy server never reaches it.
    db_max_calls: int = Field(
        default=64, ge=1, validation_alias=AliasChoices("ALLIANCE_DB_MAX_CALLS")
    )
    # Seconds a probe of the breaker waits for Bolt's handshake before calling Neo4j "not
    # answering" (a stopped server refuses at once). /health has its own: 0.8 s in all.
    probe_timeout: float = Field(
        default=0.4, gt=0, le=5, validation_alias=AliasChoices("ALLIANCE_PROBE_TIMEOUT")
    )
    # Seconds a client is asked to wait (Retry-After) after a 503 or a 504, and after a 202
    # before asking a job again.
    retry_after: int = Field(
        default=2, ge=1, validation_alias=AliasChoices("ALLIANCE_RETRY_AFTER")
    )
    # Seconds a route waits for a long job (analytics, an import, a full export) before
    # answering 202 with the job's id: a small graph's answer still comes at once, as a 200.
    job_wait: float = Field(
        default=2.0, ge=0, validation_alias=AliasChoices("ALLIANCE_JOB_WAIT")
    )
    # Jobs the API runs at once (more wait in line): each may take a core for a while.
    job_workers: int = Field(
        default=2, ge=1, le=8, validation_alias=AliasChoices("ALLIANCE_JOB_WORKERS")
    )
    # Where computed brokers and communities are kept, by graph fingerprint, so that a
    # restarted API reads them instead of computing them again (30 s at 300k organisations).
    analytics_dir: Path = Field(
        default=Path(".alliance/analytics"),
        validation_alias=AliasChoices("ALLIANCE_ANALYTICS_DIR"),
    )
    # Seconds between two looks of the API at the graph's fingerprint: after any load (CLI
    # or API) it computes the analytics in the background, so that pages read stored
    # scores. 0: computed on demand only (the tests).
    analytics_refresh: float = Field(
        default=10.0, ge=0, validation_alias=AliasChoices("ALLIANCE_ANALYTICS_REFRESH")
    )
    # Whether the API, once started, asks each question of the catalyst page and of the
    # suggestions once in the background: a fresh Neo4j compiles a question on first use
    # (about a second each), and the first visitor after `make run` met the 5 s deadline.
    # Off in the tests (hundreds of apps, each would compile again for nothing).
    warm_up: bool = Field(default=True, validation_alias=AliasChoices("ALLIANCE_WARM_UP"))
    # Largest page a list endpoint returns, so a hub never returns everything at once.
    max_page_size: int = Field(default=200, validation_alias=AliasChoices("ALLIANCE_MAX_PAGE_SIZE"))
    # Largest request body (bytes), uploads included.
    max_body_bytes: int = Field(
        default=20 * 1024 * 1024, validation_alias=AliasChoices("ALLIANCE_MAX_BODY_BYTES")
    )
    # Who may use the read-only Cypher console: "open" (whoever reaches the API: it cannot
    # write, but a query may still cost up to console_timeout of server CPU), "key" (the
    # X-API-Key of imports) or "off" (403). Public deployments choose "key" or "off".
    # Unset: "open" when the API listens on loopback only, "key" otherwise (see
    # console_access_for), so a server opened to a network never has an open console by
    # oversight.
    console_access: Literal["open", "key", "off"] | None = Field(
        default=None, validation_alias=AliasChoices("ALLIANCE_CONSOLE_ACCESS")
    )
    # Read-only Cypher console limits: time (s) and rows.
    console_timeout: float = Field(
        default=5.0, validation_alias=AliasChoices("ALLIANCE_CONSOLE_TIMEOUT")
    )
    console_max_rows: int = Field(
        default=1000, validation_alias=AliasChoices("ALLIANCE_CONSOLE_MAX_ROWS")
    )
    # Largest console answer (bytes of JSON rows): the row cap does not bound one huge row
    # (a 10 MB string, a list of a million items) that would fill the API's memory and the
    # client's; past it the console answers 400 result_too_large.
    console_max_bytes: int = Field(
        default=5 * 1024 * 1024, validation_alias=AliasChoices("ALLIANCE_CONSOLE_MAX_BYTES")
    )
    # Console queries at once: each runs in its own worker process (api/console_pool.py);
    # one more is answered 429 at once, so the console never takes every core from the
    # routes users wait for.
    console_concurrency: int = Field(
        default=2, ge=1, le=32, validation_alias=AliasChoices("ALLIANCE_CONSOLE_CONCURRENCY")
    )
    # Console queries one client (IP address) may start a minute; past it, 429. 0: no limit.
    console_rate: int = Field(
        default=60, ge=0, validation_alias=AliasChoices("ALLIANCE_CONSOLE_RATE")
    )
    # Address space of a console worker (MB): a row too large to build in it ends the
    # worker, not the API (the API's own memory never holds more than max_bytes of rows).
    console_worker_memory_mb: int = Field(
        default=768, ge=128, validation_alias=AliasChoices("ALLIANCE_CONSOLE_WORKER_MEMORY_MB")
    )

    def console_access_for(self, host: str | None = None) -> Literal["open", "key", "off"]:
        """The console's access rule: the one set, else "open" on a loopback address and
        "key" on any other (``0.0.0.0``, a LAN address, a name)."""
        if self.console_access is not None:
            return self.console_access
        host = (host or self.api_host or "").strip("[]")
        loopback = host in ("localhost", "::1") or host.startswith("127.")
        return "open" if loopback else "key"

    @model_validator(mode="after")
    def _threads_have_connections(self) -> Settings:
        if self.api_threads > self.driver_pool_size:
            raise ValueError(f"ALLIANCE_API_THREADS ({self.api_threads}) is more than "
                             f"ALLIANCE_DRIVER_POOL_SIZE ({self.driver_pool_size}): threads "
                             "would wait for a Neo4j connection")
        return self

    @property
    def managed(self) -> bool:
        """True when no external server is configured: the managed local Neo4j is used."""
        return not self.neo4j_uri


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
