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

from pydantic import AliasChoices, Field, SecretStr
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
    # Page cache of the managed server; the 100k benchmark graph fits in it.
    pagecache: str = Field(default="1g", validation_alias=AliasChoices("ALLIANCE_PAGECACHE"))
    # Seconds to wait for Bolt after `db start` before giving up (first start creates stores).
    start_timeout: float = Field(
        default=120.0, validation_alias=AliasChoices("ALLIANCE_START_TIMEOUT")
    )
    # How long managed transactions retry transient errors (driver default 30 s): short, so
    # the API answers 503 quickly when Neo4j is gone; loads still ride out a leader switch.
    retry_seconds: float = Field(
        default=8.0, validation_alias=AliasChoices("ALLIANCE_RETRY_SECONDS")
    )
    # Rows per UNWIND batch: bench/load.py (100k organisations, writes only) did 31.4k rows/s
    # at 1,000, 35.7k at 5,000, 35.4k at 10,000: 5,000 keeps transactions small at full speed.
    batch_size: int = Field(default=5000, validation_alias=AliasChoices("ALLIANCE_BATCH_SIZE"))
    # Write transactions a load runs at once, each on rows that share no node with the
    # others' (loaders/partition.py): the server gives each its own core. 1: one at a time.
    writers: int = Field(default=2, ge=1, le=16,
                         validation_alias=AliasChoices("ALLIANCE_WRITERS"))

    # API: the key that POST /imports requires; unset, imports are refused.
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ALLIANCE_API_KEY")
    )
    # API bind address and port of `alliance-graph serve`.
    api_host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("ALLIANCE_API_HOST"))
    api_port: int = Field(default=8000, validation_alias=AliasChoices("ALLIANCE_API_PORT"))
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
    # Largest page a list endpoint returns, so a hub never returns everything at once.
    max_page_size: int = Field(default=200, validation_alias=AliasChoices("ALLIANCE_MAX_PAGE_SIZE"))
    # Largest request body (bytes), uploads included.
    max_body_bytes: int = Field(
        default=20 * 1024 * 1024, validation_alias=AliasChoices("ALLIANCE_MAX_BODY_BYTES")
    )
    # Who may use the read-only Cypher console: "open" (whoever reaches the API: it cannot
    # write, but a query may still cost up to console_timeout of server CPU), "key" (the
    # X-API-Key of imports) or "off" (403). Public deployments choose "key" or "off".
    console_access: Literal["open", "key", "off"] = Field(
        default="open", validation_alias=AliasChoices("ALLIANCE_CONSOLE_ACCESS")
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

    @property
    def managed(self) -> bool:
        """True when no external server is configured: the managed local Neo4j is used."""
        return not self.neo4j_uri


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
