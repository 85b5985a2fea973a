"""The tag index table always mirrors the contacts' tags; the bulk path's GC pause nests."""

from __future__ import annotations

import gc
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from infointerview_sqlite import SqliteStore, database_url, open_sqlite_store
from infointerview_sqlite.gc_pause import paused_gc

from infointerview.model import Contact

TAGS = st.frozensets(st.sampled_from(["a", "b", "c", "ü", "x y"]), max_size=3)
OPS = st.lists(
    st.tuples(st.sampled_from(["add", "update", "erase"]), st.integers(0, 4), TAGS),
    min_size=1,
    max_size=12,
)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One database file for every example; each example uses a fresh owner."""
    yield tmp_path_factory.mktemp("tags") / "tags.db"


def _index_rows(path: Path, owner: str) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT contact_id, tag FROM contact_tags WHERE owner = ?", (owner,)
        ).fetchall()
    finally:
        conn.close()
    return {(cid, tag) for cid, tag in rows}


@settings(max_examples=40, deadline=None)
@given(ops=OPS)
def test_the_tag_table_mirrors_every_contacts_tags(
    shared: Path, ops: list[tuple[str, int, frozenset[str]]]
) -> None:
    """After adds, tag changes and erasures, contact_tags holds exactly each contact's tags."""
    owner = uuid.uuid4().hex
    store = open_sqlite_store(database_url(shared, synchronous="normal"), owner)
    try:
        for op, slot, tags in ops:
            cid = f"c{slot}"
            known = {c.id: c for c in store.list_contacts()}
            if op == "add" and cid not in known:
                store.add_contacts([Contact(name=cid, id=cid, tags=tags)])
            elif op == "update" and cid in known:
                store.update_contact(attrs.evolve(known[cid], tags=tags))
            elif op == "erase" and cid in known:
                store.erase_contact(cid)
            expected = {(c.id, t) for c in store.list_contacts() for t in c.tags}
            assert _index_rows(shared, owner) == expected
            for tag in {t for _, t in expected}:
                assert {c.id for c in store.list_contacts(tag=tag)} == {
                    i for i, t in expected if t == tag
                }
    finally:
        store.close()


def test_a_big_batch_runs_with_the_collector_paused_and_restores_it(store: SqliteStore) -> None:
    """During a bulk add of 1000+ contacts GC is off; afterwards it is on again."""
    seen: list[bool] = []

    class Spy(list[Contact]):
        def __iter__(self) -> Iterator[Contact]:
            seen.append(gc.isenabled())
            return super().__iter__()

    assert gc.isenabled()
    store.add_contacts(Spy(Contact(name=f"P{n}") for n in range(1000)))
    assert seen and not any(seen)
    assert gc.isenabled()
    seen.clear()
    store.add_contacts(Spy([Contact(name="Small")]))
    assert seen and all(seen)


def test_the_pause_nests_across_threads_and_keeps_a_disabled_collector_off() -> None:
    """GC comes back only when the last pause ends, and never if it was off before."""
    inner_started, release = threading.Event(), threading.Event()

    def other() -> None:
        with paused_gc():
            inner_started.set()
            release.wait(10)

    with paused_gc():
        worker = threading.Thread(target=other)
        worker.start()
        inner_started.wait(10)
    assert not gc.isenabled()
    release.set()
    worker.join()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
