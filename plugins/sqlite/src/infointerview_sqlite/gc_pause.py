"""Pausing Python's cyclic garbage collector around a bulk insert.

Building a row and a returned copy for each of tens of thousands of
contacts allocates enough tracked objects to set off many collections,
each walking every live object; that can cost as much as the rows
themselves. The objects made here hold no cycles, so nothing is lost by
collecting once afterwards instead.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["paused_gc"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block (nested and threaded uses included)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
