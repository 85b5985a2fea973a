"""Database files and the directories the library creates are owner-only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from infointerview_sqlite import database_url, open_sqlite_store

from infointerview.model import Contact


@pytest.fixture(params=[0o000, 0o022, 0o002, 0o077, 0o777], ids=oct)
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """Run the test under a given process umask, restored afterwards."""
    value: int = request.param
    old = os.umask(value)
    try:
        yield value
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_0600_and_new_directories_0700(tmp_path: Path, umask: int) -> None:
    """The database, its -wal and -shm are 0600 and each created directory 0700."""
    parent_mode = _mode(tmp_path)
    path = tmp_path / "a" / "b" / "workspace.db"
    store = open_sqlite_store(database_url(path), "sam")
    try:
        store.add_contacts([Contact(name="Ann Lee")])
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert {p.name: _mode(p) for p in (path, wal, shm)} == {
            "workspace.db": 0o600,
            "workspace.db-wal": 0o600,
            "workspace.db-shm": 0o600,
        }
        assert (_mode(tmp_path / "a"), _mode(tmp_path / "a" / "b")) == (0o700, 0o700)
        assert _mode(tmp_path) == parent_mode
    finally:
        store.close()


def test_an_existing_directory_keeps_its_mode(tmp_path: Path) -> None:
    """A directory the library did not create is not chmod-ed."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    store = open_sqlite_store(database_url(shared / "w.db"), "sam")
    store.close()
    assert _mode(shared) == 0o755
    assert _mode(shared / "w.db") == 0o600
