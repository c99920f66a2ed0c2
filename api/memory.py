"""Give the memory of a large request back to the system.

An import reads a whole upload, parses it into rows and batches (tens of MB for a large
file) in a worker thread. Python frees those objects at the end, but glibc's allocator
keeps the freed pages in the arena of that thread: the API's resident memory then grows
by every import's high-water mark in another arena and is never given back
(``bench/load_http.py`` measured × 1.29 after four 2,000-organisation imports under
load, before this).
After such a request, :func:`give_back` collects the cycles and asks glibc to return the
free pages of every arena (``malloc_trim``); elsewhere than glibc it only collects.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim``, or None (musl, macOS, Windows)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def give_back() -> bool:
    """Collect garbage, then return free heap pages to the system; whether glibc did.

    >>> isinstance(give_back(), bool)
    True
    """
    gc.collect()
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
