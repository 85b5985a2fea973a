"""Hold off Python's cyclic garbage collector while a bulk import builds its objects.

Each imported contact costs a row tuple and a returned copy; a hundred
thousand of them trigger collection after collection, and each full
collection walks every live object in the process. None of these objects
form cycles, so collecting once when the import is done loses nothing.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

_guard = threading.Lock()
_holders = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable automatic collection inside the block; threads may nest it safely."""
    global _holders, _resume
    with _guard:
        if _holders == 0:
            _resume = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _guard:
            _holders -= 1
            if _holders == 0 and _resume:
                gc.enable()
