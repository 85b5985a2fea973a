"""Optimistic concurrency between two real processes on one database file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infointerview_sqlite import SqliteStore, open_sqlite_store

from infointerview.model import Contact
from infointerview.stages import Stage

RACE = Path(__file__).parent / "scripts" / "race.py"


def _race(url: str, contact_id: str, mode: str, values: list[str]) -> list[list[str]]:
    """Start one child per value, let all read, then release them at once; their outputs."""
    children = [
        subprocess.Popen(
            [sys.executable, str(RACE), url, "sam", contact_id, mode, value],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for value in values
    ]
    try:
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "read"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        outputs = []
        for child in children:
            out, err = child.communicate(timeout=60)
            assert child.returncode == 0, err
            outputs.append(out.split("\n")[:-1])
        return outputs
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()


def test_two_processes_updating_one_contact_lose_no_update(store: SqliteStore, url: str) -> None:
    """One update wins, the other gets ConflictError, retries, and both changes remain."""
    store.add_contacts([Contact(name="Ann Lee", id="ann")])
    outputs = _race(url, "ann", "contact", ["role=Engineer", "organisation=Acme"])
    assert sorted(outputs) == [["conflict", "ok 3"], ["ok 2"]]
    final = store.get_contact("ann")
    assert (final.role, final.organisation, final.version) == ("Engineer", "Acme", 3)


def test_two_processes_logging_events_lose_none(store: SqliteStore, url: str) -> None:
    """Two appends at the same version: one conflicts, retries, and the log keeps both."""
    store.add_contacts([Contact(name="Ann Lee", id="ann")])
    outputs = _race(url, "ann", "event", ["first", "second"])
    assert sorted(outputs) == [["conflict", "ok 2"], ["ok 1"]]
    rel = store.get_relationship("ann")
    assert sorted(e.note for e in rel.events) == ["first", "second"]
    assert (rel.version, rel.stage) == (2, Stage.IDENTIFIED)


OPEN_AND_ADD = """
import sys
from infointerview.model import Contact
from infointerview_sqlite import open_sqlite_store
store = open_sqlite_store(sys.argv[1], "sam")
store.add_contacts([Contact(name="From " + sys.argv[2], id=sys.argv[2])])
store.close()
"""


def test_processes_creating_one_new_file_at_once_all_succeed(url: str, db_path: Path) -> None:
    """Four processes open (and so create and migrate) one new file together; all write."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_ADD, url, f"p{n}"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for child in children:
        _, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
    store = open_sqlite_store(url, "sam")
    try:
        assert sorted(c.id for c in store.list_contacts()) == ["p0", "p1", "p2", "p3"]
    finally:
        store.close()
