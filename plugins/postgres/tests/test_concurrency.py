"""Optimistic concurrency with real concurrent clients: threads, pools and processes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import attrs
import psycopg
import pytest
from infointerview_postgres import PostgresBackend, PostgresStore

from infointerview import Workspace
from infointerview.errors import ConflictError
from infointerview.model import Contact, Event, EventKind
from infointerview.stages import Stage, fold

pytestmark = pytest.mark.postgres

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
Admin = psycopg.Connection[tuple[object, ...]]


def _touch(contact_id: str, tag: str) -> Event:
    return Event(contact_id=contact_id, kind=EventKind.TOUCHED, at=T0, note=tag)


@pytest.fixture
def racing(app_url: str) -> Iterator[tuple[PostgresBackend, str]]:
    """A private pool whose connections carry a unique application_name, and that name."""
    name = f"iit-race-{uuid.uuid4().hex[:8]}"
    with PostgresBackend(f"{app_url}&application_name={name}") as backend:
        yield backend, name


def _wait_until_blocked(admin: Admin, application_name: str, count: int) -> None:
    """Poll until ``count`` sessions of ``application_name`` wait on a lock (a state, no timing)."""
    for _ in range(3000):
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = %s AND wait_event_type = 'Lock'",
            [application_name],
        ).fetchone()
        if row is not None and row[0] == count:
            return
        time.sleep(0.01)
    raise AssertionError(f"{count} writers never queued on the lock")


def _race(
    store: PostgresStore,
    admin: Admin,
    name: str,
    hold: Callable[[psycopg.Connection[tuple[object, ...]]], None],
) -> list[BaseException | None]:
    """Two appends naming the same version queue behind ``hold``'s lock; returns their outcomes."""
    outcomes: list[BaseException | None] = [None, None]
    version = store.get_relationship("c1").version

    def append(slot: int) -> None:
        try:
            store.append_event(
                _touch("c1", f"writer-{slot}"),
                expected_version=version,
                stage=Stage.IDENTIFIED,
                next_due=None,
            )
        except ConflictError as exc:
            outcomes[slot] = exc

    with store.transaction() as holder:
        hold(holder)
        writers = [threading.Thread(target=append, args=(slot,)) for slot in (0, 1)]
        for writer in writers:
            writer.start()
        _wait_until_blocked(admin, name, 2)
    for writer in writers:
        writer.join()
    return outcomes


def test_queued_writers_of_an_existing_log_one_wins_one_conflicts(
    racing: tuple[PostgresBackend, str], admin: Admin, pg_schema: str
) -> None:
    """Two appends at one version, released together: exactly one lands, the other conflicts."""
    backend, name = racing
    store = backend.store(f"race-{uuid.uuid4().hex[:8]}")
    store.add_contacts([Contact(name="Ada", id="c1")])
    store.append_event(
        _touch("c1", "first"), expected_version=0, stage=Stage.IDENTIFIED, next_due=None
    )

    def lock_row(conn: psycopg.Connection[tuple[object, ...]]) -> None:
        conn.execute(
            f'SELECT 1 FROM "{pg_schema}".relationships WHERE contact_id = %s FOR UPDATE', ["c1"]
        )

    outcomes = _race(store, admin, name, lock_row)
    assert sorted(type(o).__name__ for o in outcomes) == ["ConflictError", "NoneType"]
    rel = store.get_relationship("c1")
    assert rel.version == 2
    winner = outcomes.index(None)
    assert [e.note for e in rel.events] == ["first", f"writer-{winner}"]


def test_queued_first_writers_one_wins_one_conflicts(
    racing: tuple[PostgresBackend, str], admin: Admin, pg_schema: str
) -> None:
    """Two first appends (version 0) racing on a new relationship row: one lands, one conflicts."""
    backend, name = racing
    store = backend.store(f"race-{uuid.uuid4().hex[:8]}")
    store.add_contacts([Contact(name="Ada", id="c1")])

    def insert_row(conn: psycopg.Connection[tuple[object, ...]]) -> None:
        # An uncommitted relationship row: both writers wait on its key.
        conn.execute(
            f'INSERT INTO "{pg_schema}".relationships (owner, contact_id, version, stage) '
            "VALUES (current_setting('infointerview.owner'), 'c1', 0, 'identified')"
        )

    outcomes = _race(store, admin, name, insert_row)
    assert sorted(type(o).__name__ for o in outcomes) == ["ConflictError", "NoneType"]
    rel = store.get_relationship("c1")
    assert [e.note for e in rel.events] == [f"writer-{outcomes.index(None)}"]


def test_two_pools_a_stale_append_and_update_conflict(app_url: str, owner: str) -> None:
    """Two clients with their own pools: whoever writes on a stale read gets ConflictError."""
    with PostgresBackend(app_url) as one, PostgresBackend(app_url) as two:
        first, second = one.store(owner), two.store(owner)
        first.add_contacts([Contact(name="Ada", id="c1")])
        read_first, read_second = first.get_contact("c1"), second.get_contact("c1")
        first.update_contact(attrs.evolve(read_first, role="CTO"))
        with pytest.raises(ConflictError, match="changed since it was read"):
            second.update_contact(attrs.evolve(read_second, role="Intern"))
        assert second.get_contact("c1").role == "CTO"
        stale = second.get_relationship("c1").version
        first.append_event(
            _touch("c1", "one"), expected_version=0, stage=Stage.IDENTIFIED, next_due=None
        )
        with pytest.raises(ConflictError, match="another writer"):
            second.append_event(
                _touch("c1", "two"), expected_version=stale, stage=Stage.IDENTIFIED, next_due=None
            )
        assert [e.note for e in second.get_relationship("c1").events] == ["one"]


def _log_with_retries(workspace: Workspace, contact_id: str, notes: list[str]) -> int:
    conflicts = 0
    for note in notes:
        while True:
            try:
                workspace.log(contact_id, EventKind.TOUCHED, at=T0, note=note)
                break
            except ConflictError:
                conflicts += 1
    return conflicts


def _tag_with_retries(workspace: Workspace, contact_id: str, tag: str) -> None:
    while True:
        contact = workspace.contact(contact_id)
        try:
            workspace.update_contact(attrs.evolve(contact, tags=contact.tags | {tag}))
            return
        except ConflictError:
            continue


def test_threads_lose_no_event_and_no_update(pg_backend: PostgresBackend, owner: str) -> None:
    """Eight threads logging and tagging one contact with retries: every write is kept once."""
    setup = Workspace(pg_backend.store(owner))
    setup.add_contact(Contact(name="Ada", id="c1"))
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def worker(index: int) -> None:
        workspace = Workspace(pg_backend.store(owner))
        start.wait()
        try:
            _log_with_retries(workspace, "c1", [f"t{index}-{n}" for n in range(6)])
            _tag_with_retries(workspace, "c1", f"tag{index}")
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    rel = setup.relationship("c1")
    notes = [e.note for e in rel.events]
    assert sorted(notes) == sorted(f"t{i}-{n}" for i in range(8) for n in range(6))
    for index in range(8):
        mine = [n for n in notes if n.startswith(f"t{index}-")]
        assert mine == [f"t{index}-{n}" for n in range(6)]
    assert rel.stage == fold(rel.events).stage
    contact = setup.contact("c1")
    assert contact.tags == {f"tag{i}" for i in range(8)}
    assert contact.version == 1 + 8


_WORKER = """
import json, sys
from datetime import datetime, timezone
import attrs
from infointerview import Workspace
from infointerview.errors import ConflictError
from infointerview_postgres import PostgresBackend

url, owner, label, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
at = datetime(2024, 3, 4, 9, 0, tzinfo=timezone.utc)
conflicts = 0
with PostgresBackend(url) as backend:
    workspace = Workspace(backend.store(owner))
    for n in range(count):
        while True:
            try:
                workspace.log("c1", "touched", at=at, note=f"{label}-{n}")
                break
            except ConflictError:
                conflicts += 1
    while True:
        contact = workspace.contact("c1")
        try:
            workspace.update_contact(attrs.evolve(contact, tags=contact.tags | {label}))
            break
        except ConflictError:
            conflicts += 1
print(json.dumps({"label": label, "conflicts": conflicts}))
"""


def test_processes_lose_no_event_and_no_update(
    pg_backend: PostgresBackend, app_url: str, owner: str
) -> None:
    """Three processes logging and tagging one contact with retries: every write is kept once."""
    Workspace(pg_backend.store(owner)).add_contact(Contact(name="Ada", id="c1"))
    labels = ["p0", "p1", "p2"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, app_url, owner, label, "10"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for label in labels
    ]
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        reports.append(json.loads(out))
    assert sorted(r["label"] for r in reports) == labels
    store = pg_backend.store(owner)
    notes = [e.note for e in store.get_relationship("c1").events]
    assert sorted(notes) == sorted(f"{label}-{n}" for label in labels for n in range(10))
    for label in labels:
        assert [n for n in notes if n.startswith(label)] == [f"{label}-{n}" for n in range(10)]
    contact = store.get_contact("c1")
    assert (contact.tags, contact.version) == (frozenset(labels), 1 + len(labels))
