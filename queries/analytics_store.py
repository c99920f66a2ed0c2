"""Computed brokers and communities kept by graph fingerprint: in memory, and on disk
(``ALLIANCE_ANALYTICS_DIR``) so that a restarted API, or the CLI, reads them instead of
computing them again (36 s and 29 s at 300,000 organisations).

A stored table is the answer's material for every page and parameter the API allows (the
top 200 brokers among organisations and among every node; every community with its 200
best-connected members), keyed by what it depends on: the database, the graph's
fingerprint (:func:`queries.projection.graph_fingerprint`, which changes with every
committed write) and the computation's parameters (seed, resolution, sampling). A write
changes the fingerprint, so a stored table is never read for another graph; nothing needs
deleting, and the oldest files go when more than :data:`KEEP_FILES` of a kind exist.

A fingerprint made of counts only (a server that returns no bookmark, where an edit that
keeps every count keeps the key) is kept in memory only, as before.

Files are gzipped JSON (never pickle: a file is data, not code), written to a temporary
name then renamed, so a reader never sees half a file; one that cannot be read is
ignored (computed again).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from graph.cache import ExpiringCache
from graph.settings import get_settings

#: the files' format: a change makes older files unread (computed again)
FORMAT = 1
#: files kept per kind (brokers, communities), newest first
KEEP_FILES = 8
#: the mark of a fingerprint without a commit (counts only): not kept on disk
COUNTS_ONLY = ":counts:"

#: tables read or computed in this process, by key (emptied with every cache after a
#: write through the product; the files stay, keyed by fingerprint)
_memory: ExpiringCache = ExpiringCache("stored analytics tables", seconds=None, size=32)


def _directory() -> Path:
    return Path(get_settings().analytics_dir)


def _file(kind: str, key: tuple) -> Path:
    digest = hashlib.sha256(json.dumps([FORMAT, kind, *key], default=str).encode())
    return _directory() / f"{kind}-{digest.hexdigest()[:32]}.json.gz"


def _durable(key: tuple) -> bool:
    return not any(isinstance(part, str) and COUNTS_ONLY in part for part in key)


def _read(kind: str, key: tuple) -> dict[str, Any] | None:
    if not _durable(key):
        return None
    try:
        with gzip.open(_file(kind, key), "rt", encoding="utf-8") as handle:
            table = json.load(handle)
    except (OSError, ValueError, EOFError):
        return None  # absent, or unreadable: computed again
    if not isinstance(table, dict) or table.get("format") != FORMAT \
            or table.get("key") != json.loads(json.dumps(list(key), default=str)):
        return None
    return table


def load(kind: str, key: tuple) -> dict[str, Any] | None:
    """The stored table of ``kind`` (``brokers``, ``communities``) for ``key``, or None."""
    table, _ = _memory.get_or_compute((kind, *key), lambda: _read(kind, key),
                                      keep=lambda value: value is not None)
    return table


def save(kind: str, key: tuple, table: dict[str, Any]) -> None:
    """Keep ``table`` for ``key``: in memory, and on disk unless the key has no commit."""
    table = {**table, "format": FORMAT, "key": json.loads(json.dumps(list(key), default=str))}
    _memory.get_or_compute((kind, *key), lambda: table)
    if not _durable(key):
        return
    directory = _directory()
    temporary: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(handle, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as out:
            json.dump(table, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, _file(kind, key))
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return  # a read-only or full disk: kept in memory only
    _prune(directory, kind)


def _prune(directory: Path, kind: str) -> None:
    files = sorted(directory.glob(f"{kind}-*.json.gz"), key=_mtime, reverse=True)
    for old in files[KEEP_FILES:]:
        old.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
