"""Opening a database: owner-only files, version checks, pragmas, migrations."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from pathlib import Path

from infointerview.errors import SchemaVersionError, StoreError
from infointerview_sqlite.files import create_private_file, make_private_dirs
from infointerview_sqlite.schema import APPLICATION_ID, LATEST_VERSION, MIGRATIONS
from infointerview_sqlite.url import SqliteOptions

__all__ = ["connect", "migrate", "read_header"]

log = logging.getLogger(__name__)

_MAGIC = b"SQLite format 3\x00"


def read_header(path: Path) -> tuple[int, int] | None:
    """``(user_version, application_id)`` from the file header, or None for an empty file.

    Read without SQLite, so a file we refuse is never opened by it.
    """
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header:
        return None
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise StoreError(
            f"{path} is not an SQLite database; point the sqlite URL at an "
            "infointerview database or at a new file name"
        )
    return int.from_bytes(header[60:64], "big"), int.from_bytes(header[68:72], "big")


def _check_versions(path: Path, user_version: int, application_id: int) -> None:
    if application_id != APPLICATION_ID and (application_id or user_version):
        raise StoreError(
            f"{path} is an SQLite database of another application (application_id "
            f"{application_id:#x}, user_version {user_version}); infointerview will not "
            "change it, use another file"
        )
    if user_version > LATEST_VERSION:
        raise SchemaVersionError(
            f"{path} has schema version {user_version}, written by a newer "
            f"infointerview-sqlite; this one reads up to version {LATEST_VERSION}. "
            "Upgrade infointerview-sqlite (pip install -U infointerview-sqlite); "
            "the file was not changed"
        )


def _check_read_only(path: Path) -> None:
    """Check the versions as SQLite sees them, WAL included, without writing.

    A file left with a WAL (a writer crashed) may hold a newer version than
    its header. A read-write connection would checkpoint that WAL into the
    file when closed; a read-only one cannot.
    """
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from exc
    try:
        _check_versions(path, _pragma(conn, "user_version"), _pragma(conn, "application_id"))
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read the database {path}: {exc}") from exc
    finally:
        conn.close()


def connect(options: SqliteOptions) -> sqlite3.Connection:
    """Open (creating owner-only if missing) and migrate the database ``options`` names."""
    path = options.path
    try:
        make_private_dirs(path.parent)
        if not create_private_file(path):
            header = read_header(path)
            if header is not None:
                _check_versions(path, *header)
                if os.path.exists(f"{path}-wal"):
                    _check_read_only(path)
    except OSError as exc:
        raise StoreError(
            f"cannot create or read the database file {path}: {exc.strerror}; "
            "check the path and its permissions"
        ) from exc
    try:
        conn = sqlite3.connect(
            path,
            timeout=options.busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from exc
    try:
        _prepare_patiently(conn, path, options)
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare_patiently(conn: sqlite3.Connection, path: Path, options: SqliteOptions) -> None:
    """:func:`_prepare`, tried again while another process holds a lock, up to the busy timeout.

    Most waits go through SQLite's busy handler, but a few lock races while
    a new file is being set up by several processes report "locked" at once.
    Every step of the set-up can run twice (pragmas, and migrations that
    check the version inside their transaction).
    """
    deadline = time.monotonic() + options.busy_timeout_ms / 1000
    while True:
        try:
            _prepare(conn, path, options)
            return
        except StoreError as exc:
            cause = exc.__cause__
            locked = isinstance(cause, sqlite3.OperationalError) and (
                "locked" in str(cause) or "busy" in str(cause)
            )
            if not locked or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _prepare(conn: sqlite3.Connection, path: Path, options: SqliteOptions) -> None:
    try:
        # Checked again through SQLite (a version bump may still sit in the
        # WAL), in one snapshot: another process may be migrating right now.
        conn.execute("BEGIN")
        try:
            version = _pragma(conn, "user_version")
            application_id = _pragma(conn, "application_id")
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.execute("COMMIT")
        _check_versions(path, version, application_id)
        if version == 0 and tables:
            raise StoreError(
                f"{path} is an SQLite database that infointerview did not create "
                "(it has tables but no infointerview schema); use another file"
            )
        conn.execute(f"PRAGMA busy_timeout = {int(options.busy_timeout_ms)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(
                f"cannot switch {path} to WAL journaling (got {mode!r}); keep the database "
                "on a local file system"
            )
        conn.execute(f"PRAGMA synchronous = {options.synchronous.upper()}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        migrate(conn, path)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot use the database {path}: {exc}") from exc


def _pragma(conn: sqlite3.Connection, name: str) -> int:
    return int(conn.execute(f"PRAGMA {name}").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Apply every missing migration, each in its own transaction; returns the new version."""
    current = _pragma(conn, "user_version")
    if current == LATEST_VERSION:
        return current
    for migration in MIGRATIONS:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while this one waited for the lock.
            current = _pragma(conn, "user_version")
            _check_versions(path, current, _pragma(conn, "application_id"))
            if current >= migration.version:
                conn.execute("COMMIT")
                continue
            for step in migration.steps:
                if isinstance(step, str):
                    conn.execute(step)
                else:
                    step(conn)
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        log.info("migrated %s to schema version %d", path, migration.version)
        current = migration.version
    return current
