"""Crash safety: a bulk import killed with SIGKILL is wholly there or wholly absent."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from infointerview_sqlite import open_sqlite_store

BULK = Path(__file__).parent / "scripts" / "bulk_import.py"
COUNT = 20_000


def _import_and_kill(url: str, when: str) -> str:
    child = subprocess.Popen(
        [sys.executable, str(BULK), url, str(COUNT), when],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line, child.communicate(timeout=60)[1]
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        assert child.returncode == -signal.SIGKILL
        return line
    finally:
        if child.poll() is None:
            child.kill()


def _check(db_path: Path) -> tuple[int, int]:
    """Integrity check, then (contacts, tag rows) of owner sam, read with plain sqlite3."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        contacts = conn.execute("SELECT count(*) FROM contacts WHERE owner = 'sam'").fetchone()
        tags = conn.execute("SELECT count(*) FROM contact_tags WHERE owner = 'sam'").fetchone()
        return int(contacts[0]), int(tags[0])
    finally:
        conn.close()


@pytest.mark.slow
def test_an_import_killed_mid_transaction_leaves_nothing(url: str, db_path: Path) -> None:
    """Killed inside the transaction (pages already in the WAL): no contact is stored."""
    open_sqlite_store(url, "sam").close()
    assert not Path(f"{db_path}-wal").exists()
    assert _import_and_kill(url, "during") == "mid"
    # Uncommitted pages of the import were spilled into the WAL before the kill.
    assert Path(f"{db_path}-wal").stat().st_size > 256 * 1024
    assert _check(db_path) == (0, 0)
    store = open_sqlite_store(url, "sam")
    try:
        assert store.list_contacts() == []
    finally:
        store.close()


@pytest.mark.slow
def test_an_import_killed_after_commit_is_all_there(url: str, db_path: Path) -> None:
    """Killed just after the import returned: every contact and tag is stored."""
    assert _import_and_kill(url, "after") == "done"
    assert _check(db_path) == (COUNT, COUNT)
    store = open_sqlite_store(url, "sam")
    try:
        assert len(store.list_contacts(tag="bulk")) == COUNT
    finally:
        store.close()
