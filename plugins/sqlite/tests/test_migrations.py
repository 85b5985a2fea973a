"""Schema versions: migration on ``PRAGMA user_version``, and what is refused untouched."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from infointerview_sqlite import LATEST_VERSION, database_url, open_sqlite_store
from infointerview_sqlite import connection as connection_module
from infointerview_sqlite.schema import APPLICATION_ID, MIGRATIONS, Migration

from infointerview.errors import SchemaVersionError, StoreError
from infointerview.model import Goal, SeekerProfile
from infointerview.ports import DueEntry
from infointerview.stages import Stage

FIXTURE = Path(__file__).parent / "fixtures" / "schema_v1.sqlite3"
T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def _pragma(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"PRAGMA {name}").fetchone()[0])
    finally:
        conn.close()


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    """A private copy of the committed version-1 fixture."""
    target = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, target)
    return target


def test_the_migrations_are_numbered_one_by_one() -> None:
    """Migration n takes version n-1 to n; the latest is the last one's number."""
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert LATEST_VERSION == MIGRATIONS[-1].version == 2


def test_a_new_file_is_created_at_the_latest_version(db_path: Path) -> None:
    """A new database ends at the latest version with this library's application id."""
    open_sqlite_store(database_url(db_path), "sam").close()
    assert _pragma(db_path, "user_version") == LATEST_VERSION
    assert _pragma(db_path, "application_id") == APPLICATION_ID
    assert "contact_tags" in _tables(db_path)


def test_the_fixture_really_is_version_one(v1_copy: Path) -> None:
    """The committed fixture is at version 1, without the table migration 2 adds."""
    assert _pragma(v1_copy, "user_version") == 1
    assert "contact_tags" not in _tables(v1_copy)


def test_a_version_one_file_is_migrated_with_its_data(v1_copy: Path) -> None:
    """Opening the v1 fixture migrates it to the latest version; every record survives."""
    store = open_sqlite_store(database_url(v1_copy), "sam")
    try:
        assert _pragma(v1_copy, "user_version") == LATEST_VERSION
        assert [c.id for c in store.list_contacts(tag="data")] == ["ann", "bo"]
        assert [c.id for c in store.list_contacts(tag="alumni")] == ["ann"]
        assert [c.id for c in store.list_contacts(organisation="Acme")] == ["ann", "cy"]
        assert [c.id for c in store.list_contacts(referrer_id="ann")] == ["bo"]
        assert [c.id for c in store.list_contacts(stage=Stage.ASKED)] == ["ann"]
        ann = store.get_contact("ann")
        assert (ann.name, ann.tags, ann.version) == ("Ann Lee (sam)", {"alumni", "data"}, 1)
        assert store.due(T0 + timedelta(days=3)) == [
            DueEntry("ann", Stage.ASKED, T0 + timedelta(days=3))
        ]
        assert store.get_relationship("ann").version == 1
        assert store.get_interview("i1").referrals == ("bo",)
        assert [m.body for m in store.list_messages("ann")] == ["Hello Ann"]
        assert store.get_profile() == SeekerProfile(name="Seeker sam", field="data")
        assert store.list_goals() == [Goal(key="tools", title="Learn the tools")]
        other = open_sqlite_store(database_url(v1_copy), "kim")
        try:
            assert [c.name for c in other.list_contacts(tag="data")] == [
                "Ann Lee (kim)",
                "Bo Chen (kim)",
            ]
        finally:
            other.close()
    finally:
        store.close()
    conn = sqlite3.connect(v1_copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT count(*) FROM contact_tags").fetchone() == (6,)
    finally:
        conn.close()


def test_a_failing_migration_changes_nothing(
    v1_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration that fails part-way leaves its version and its earlier steps undone."""

    def explode(conn: sqlite3.Connection) -> None:
        raise RuntimeError("step two of the migration failed")

    broken = Migration(2, "half done", (MIGRATIONS[1].steps[0], explode))
    monkeypatch.setattr(connection_module, "MIGRATIONS", (MIGRATIONS[0], broken))
    with pytest.raises(RuntimeError, match="step two"):
        open_sqlite_store(database_url(v1_copy), "sam")
    assert _pragma(v1_copy, "user_version") == 1
    assert "contact_tags" not in _tables(v1_copy)


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _bump_version(path: Path, version: int, journal_mode: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA journal_mode = {journal_mode}")
        conn.execute(f"PRAGMA user_version = {version}")
    finally:
        conn.close()


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_a_newer_file_is_refused_and_left_untouched(tmp_path: Path, journal_mode: str) -> None:
    """A file from a newer schema raises SchemaVersionError; its bytes do not change."""
    path = tmp_path / "newer.db"
    open_sqlite_store(database_url(path), "sam").close()
    _bump_version(path, LATEST_VERSION + 1, journal_mode)
    before = _files(tmp_path)
    with pytest.raises(SchemaVersionError) as caught:
        open_sqlite_store(database_url(path), "sam")
    message = str(caught.value)
    assert f"schema version {LATEST_VERSION + 1}" in message
    assert f"up to version {LATEST_VERSION}" in message
    assert "pip install -U infointerview-sqlite" in message
    assert _files(tmp_path) == before


def test_a_newer_version_still_in_the_wal_is_refused_untouched(tmp_path: Path) -> None:
    """A version bump left in a crashed writer's WAL is seen, and neither file changes."""
    path = tmp_path / "crashed.db"
    open_sqlite_store(database_url(path), "sam").close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    copy = tmp_path / "copy"
    copy.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{path}{suffix}", copy / f"crashed.db{suffix}")
    writer.close()
    before = _files(copy)
    assert _pragma_header(copy / "crashed.db") == LATEST_VERSION
    with pytest.raises(SchemaVersionError, match=f"schema version {LATEST_VERSION + 1}"):
        open_sqlite_store(database_url(copy / "crashed.db"), "sam")
    after = _files(copy)
    assert {name: after[name] for name in before} == before


def _pragma_header(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[60:64], "big")


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    """A non-database file raises StoreError and keeps its bytes."""
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 10)
    with pytest.raises(StoreError, match="not an SQLite database"):
        open_sqlite_store(database_url(path), "sam")
    assert path.read_bytes() == b"these are my notes, not a database\n" * 10


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("PRAGMA application_id = 42", "another application"),
        ("PRAGMA user_version = 1", "another application"),
        ("CREATE TABLE accounts (id INTEGER)", "did not create"),
    ],
)
def test_another_applications_database_is_refused_untouched(
    tmp_path: Path, setup: str, words: str
) -> None:
    """An SQLite file that is not ours raises StoreError and is not changed."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute(setup)
    conn.commit()
    conn.close()
    before = _files(tmp_path)
    with pytest.raises(StoreError, match=words):
        open_sqlite_store(database_url(path), "sam")
    assert _files(tmp_path) == before
