"""How far long work has gone, for ``GET /jobs/{id}``: the work says where it is with
:func:`report`, whoever runs it (the API's jobs, api/jobs.py) listens with
:func:`listening`; without a listener (the CLI, the tests) :func:`report` does nothing.

>>> report("projection", 10)  # nobody listens: nothing happens
>>> seen = []
>>> with listening(lambda step, done, total: seen.append((step, done, total))):
...     report("betweenness", 2, 7)
>>> seen
[('betweenness', 2, 7)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: ``listener(step, done, total)``: a step's name, and how much of it is done out of what
Listener = Callable[[str, "int | None", "int | None"], None]

_listener: ContextVar[Listener | None] = ContextVar("progress_listener", default=None)


def report(step: str, done: int | None = None, total: int | None = None) -> None:
    """Say that the work is at ``step`` (``done`` of ``total`` when it can count)."""
    listener = _listener.get()
    if listener is not None:
        listener(step, done, total)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Hand what the work reports within the block to ``listener``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
