"""The SQLite store beyond the conformance suite: wiring, bulk path, pragmas, errors."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from infointerview_sqlite import SqliteStore, database_url, open_sqlite_store
from infointerview_sqlite.plugin import register_stores
from infointerview_sqlite.rows import make_restamp, restamp_contact

from infointerview import open_workspace
from infointerview.errors import (
    ConflictError,
    DuplicateError,
    InvalidInputError,
    NotFoundError,
    StoreError,
)
from infointerview.model import Contact, Event
from infointerview.stages import Stage
from infointerview.testing import strategies as iis

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def _count(db_path: Path, table: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_the_plugin_registers_the_sqlite_scheme() -> None:
    """The entry point's hook registers one factory, for scheme ``sqlite``."""
    assert [f.scheme for f in register_stores()] == ["sqlite"]


def test_open_workspace_finds_the_store_through_the_entry_point(url: str) -> None:
    """``open_workspace('sqlite:///...')`` opens an SqliteStore for the owner."""
    with open_workspace(url, owner="sam") as ws:
        assert isinstance(ws.store, SqliteStore)
        assert ws.owner == "sam"
        ann = ws.add_contact(Contact(name="Ann Lee"))
    with open_workspace(url, owner="sam") as ws:
        assert ws.contact(ann.id) == ann


def test_an_empty_owner_is_refused(url: str) -> None:
    """A store needs a non-empty owner."""
    with pytest.raises(InvalidInputError, match="owner"):
        open_sqlite_store(url, " ")


def test_connections_use_wal_full_sync_foreign_keys_and_secure_delete(db_path: Path) -> None:
    """The pragmas the issue asks for are set, and the URL options change them."""
    store = open_sqlite_store(database_url(db_path), "sam")
    fast = open_sqlite_store(database_url(db_path, synchronous="normal", busy_timeout=1234), "sam")
    try:
        for opened, sync, wait in ((store, 2, 5000), (fast, 1, 1234)):
            conn = opened._conn
            assert conn is not None

            def pragma(name: str, conn: sqlite3.Connection = conn) -> object:
                return conn.execute(f"PRAGMA {name}").fetchone()[0]

            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == sync
            assert pragma("busy_timeout") == wait
            assert pragma("foreign_keys") == 1
            assert pragma("secure_delete") == 1
    finally:
        store.close()
        fast.close()


def test_restamp_equals_attrs_evolve() -> None:
    """The fast copy made for the bulk path equals ``attrs.evolve(c, version=n)``."""

    @settings(max_examples=50, deadline=None)
    @given(iis.contacts(referrer_ids=st.none() | iis.ids()), st.integers(0, 10**6))
    def check(contact: Contact, version: int) -> None:
        copy = restamp_contact(contact, version)
        assert copy == attrs.evolve(contact, version=version)
        assert type(copy) is Contact
        assert hash(copy) == hash(attrs.evolve(contact, version=version))

    check()


def test_restamp_falls_back_to_evolve_for_classes_without_slots() -> None:
    """A record class without slots is copied with ``attrs.evolve``."""

    @attrs.frozen(slots=False)
    class Loose:
        name: str
        version: int = 0

    assert make_restamp(Loose)(Loose("x"), 3) == Loose("x", 3)


def test_a_bulk_batch_may_refer_within_itself(store: SqliteStore) -> None:
    """Referrers later in the same batch are accepted; inputs stay at version 0."""
    batch = [
        Contact(name=f"P{n}", id=f"c{n}", referrer_id=f"c{n + 1}" if n < 999 else None)
        for n in range(1000)
    ]
    added = store.add_contacts(batch)
    assert [c.version for c in added] == [1] * 1000
    assert all(c.version == 0 for c in batch)
    assert [c.id for c in store.list_contacts(referrer_id="c500")] == ["c499"]


def test_a_taken_id_in_a_bulk_batch_writes_nothing(store: SqliteStore, db_path: Path) -> None:
    """DuplicateError names the batch position of the stored id; no row of the batch stays."""
    store.add_contacts([Contact(name="Old", id="taken", tags={"a"})])
    batch = [Contact(name=f"P{n}", id=f"c{n}", tags={"t"}) for n in range(500)]
    batch.insert(321, Contact(name="Impostor", id="taken"))
    with pytest.raises(DuplicateError, match=r"contact #321 in the batch has id 'taken'"):
        store.add_contacts(batch)
    assert (_count(db_path, "contacts"), _count(db_path, "contact_tags")) == (1, 1)


def test_an_unknown_referrer_in_a_bulk_batch_writes_nothing(
    store: SqliteStore, db_path: Path
) -> None:
    """A referrer neither stored nor in the batch raises NotFoundError naming its position."""
    batch = [Contact(name=f"P{n}", id=f"c{n}") for n in range(10)]
    batch[7] = Contact(name="Orphan", id="c7", referrer_id="nobody")
    with pytest.raises(NotFoundError, match=r"contact #7 .* referrer 'nobody'"):
        store.add_contacts(batch)
    assert _count(db_path, "contacts") == 0


def test_update_to_an_unknown_referrer_is_refused(store: SqliteStore) -> None:
    """An update naming a missing referrer raises NotFoundError and keeps the stored contact."""
    (ann,) = store.add_contacts([Contact(name="Ann", id="ann", tags={"x"})])
    with pytest.raises(NotFoundError, match="referrer"):
        store.update_contact(attrs.evolve(ann, referrer_id="nobody", tags={"y"}))
    assert store.get_contact("ann") == ann
    assert [c.id for c in store.list_contacts(tag="x")] == ["ann"]


def test_a_refused_append_writes_nothing(store: SqliteStore, db_path: Path) -> None:
    """A stale version or a missing related contact leaves the log and the fold as they were."""
    store.add_contacts([Contact(name="Ann", id="ann")])
    first = store.append_event(
        Event(contact_id="ann", kind="asked", at=T0),
        expected_version=0,
        stage=Stage.ASKED,
        next_due=T0 + timedelta(days=3),
    )
    with pytest.raises(ConflictError, match="has 1 events, not 0"):
        store.append_event(
            Event(contact_id="ann", kind="replied", at=T0),
            expected_version=0,
            stage=Stage.REPLIED,
            next_due=None,
        )
    with pytest.raises(NotFoundError, match="related contact"):
        store.append_event(
            Event(contact_id="ann", kind="referred", at=T0, related_contact_id="nobody"),
            expected_version=1,
            stage=Stage.ASKED,
            next_due=None,
        )
    assert store.get_relationship("ann") == first
    assert _count(db_path, "events") == 1


@pytest.mark.parametrize("call", ["due", "set_next_due"])
def test_naive_times_are_refused(store: SqliteStore, call: str) -> None:
    """A time without a UTC offset cannot be ordered and raises InvalidInputError."""
    store.add_contacts([Contact(name="Ann", id="ann")])
    naive = datetime(2024, 3, 4, 9, 0)
    with pytest.raises(InvalidInputError, match="timezone-aware"):
        if call == "due":
            store.due(naive)
        else:
            store.set_next_due("ann", naive)


def test_a_closed_store_says_so(url: str) -> None:
    """Using a closed store raises StoreError; closing twice is harmless."""
    store = open_sqlite_store(url, "sam")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.list_contacts()


def test_the_repr_shows_no_personal_data(store: SqliteStore) -> None:
    """The store's repr names the file and state only, never the owner."""
    assert "sam" not in repr(store)
    assert "workspace.db" in repr(store)


def test_a_writer_holding_the_lock_too_long_gives_a_clear_error(db_path: Path) -> None:
    """A write lock held past busy_timeout gives a StoreError saying what to do."""
    store = open_sqlite_store(database_url(db_path, busy_timeout=50), "sam")
    blocker = sqlite3.connect(db_path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError, match=r"locked by another writer for 50 ms.*busy_timeout"):
            store.add_contacts([Contact(name="Ann")])
        blocker.execute("ROLLBACK")
        assert len(store.add_contacts([Contact(name="Ann")])) == 1
    finally:
        blocker.close()
        store.close()


def test_threads_can_share_one_store(store: SqliteStore) -> None:
    """Concurrent calls from several threads are serialised; none is lost."""
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n in range(40):
                store.add_contacts([Contact(name=f"W{worker}-{n}")])
                store.list_contacts()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.list_contacts()) == 160


def _keys(conn: sqlite3.Connection, table: str) -> list[list[str]]:
    """The column lists of a table's primary key and unique indexes."""
    primary = sorted((r[5], r[1]) for r in conn.execute(f"PRAGMA table_info({table})") if r[5])
    keys = [[name for _, name in primary]]
    for index in conn.execute(f"PRAGMA index_list({table})"):
        if index[2]:
            keys.append([r[2] for r in conn.execute(f"PRAGMA index_info({index[1]})")])
    return keys


def test_every_table_keys_rows_by_owner(store: SqliteStore, db_path: Path) -> None:
    """Every table has an ``owner`` column, first in its primary key or a unique key."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert len(tables) == 9
        for table in tables:
            assert any(key and key[0] == "owner" for key in _keys(conn, table)), table
    finally:
        conn.close()


def test_colliding_ids_stay_with_their_owner_in_every_filter(url: str) -> None:
    """Two owners with the same ids, tags, organisations and stages never see each other."""
    sam, kim = open_sqlite_store(url, "sam"), open_sqlite_store(url, "kim")
    try:
        for owner_store, name in ((sam, "Sam's"), (kim, "Kim's")):
            owner_store.add_contacts(
                [
                    Contact(name=f"{name} root", id="root", organisation="Acme", tags={"t"}),
                    Contact(name=f"{name} kid", id="kid", referrer_id="root", tags={"t"}),
                ]
            )
        kim.append_event(
            Event(contact_id="root", kind="asked", at=T0),
            expected_version=0,
            stage=Stage.ASKED,
            next_due=T0,
        )
        for found in (
            sam.list_contacts(tag="t"),
            sam.list_contacts(organisation="Acme"),
            sam.list_contacts(referrer_id="root"),
            sam.list_contacts(stage=Stage.IDENTIFIED),
        ):
            assert found and all(c.name.startswith("Sam's") for c in found)
        assert sam.list_contacts(stage=Stage.ASKED) == []
        assert sam.due(T0 + timedelta(days=999)) == []
        assert [c.name for c in kim.list_contacts(stage=Stage.ASKED)] == ["Kim's root"]
        sam.erase_contact("root")
        assert kim.get_contact("kid").referrer_id == "root"
        assert kim.get_relationship("root").version == 1
    finally:
        sam.close()
        kim.close()
