"""The collector pause around bulk imports: nested, threaded, and always undone."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from infointerview_postgres.quiet_gc import collector_paused


@pytest.fixture(autouse=True)
def _restore_gc() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_inside_and_back_on_after_an_error() -> None:
    """Inside the block automatic collection is off; an exception still turns it back on."""
    gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("import failed")
    assert gc.isenabled()


def test_nested_pauses_resume_only_at_the_outermost_exit() -> None:
    """An inner block's exit leaves collection off until the outer block ends."""
    gc.enable()
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    """If the application had disabled collection, the pause does not switch it on."""
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_overlapping_threads_resume_when_the_last_one_leaves() -> None:
    """Two threads pausing at once: collection resumes only after both have left."""
    gc.enable()
    inside, release = threading.Barrier(2), threading.Event()
    done = threading.Event()

    def other() -> None:
        with collector_paused():
            inside.wait()
            release.wait()
        done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with collector_paused():
        inside.wait()
    assert not gc.isenabled()
    release.set()
    done.wait()
    thread.join()
    assert gc.isenabled()
