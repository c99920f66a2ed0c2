"""Waiting for another thread in a test: poll a condition, fail instead of hanging."""

from __future__ import annotations

import time


def wait_for(condition, what: str, limit: float = 60.0) -> None:
    """Poll until ``condition()``; ``limit`` seconds only so that a bug fails the test
    instead of hanging it (no time is asserted)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.01)
