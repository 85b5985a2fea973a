"""Opening a database while other processes hold locks during their own set-up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from infointerview_sqlite import connection as connection_module
from infointerview_sqlite import database_url, open_sqlite_store, parse_url

from infointerview.errors import StoreError


def _locked_then_fine(times: int) -> tuple[list[int], object]:
    calls: list[int] = []
    real = connection_module._prepare

    def flaky(conn: sqlite3.Connection, path: Path, options: object) -> None:
        calls.append(1)
        if len(calls) <= times:
            raise StoreError("cannot use the database") from sqlite3.OperationalError(
                "database is locked"
            )
        real(conn, path, options)  # type: ignore[arg-type]

    return calls, flaky


def test_set_up_is_retried_while_another_process_holds_a_lock(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 'locked' answer during set-up is retried, and the store then opens normally."""
    calls, flaky = _locked_then_fine(3)
    monkeypatch.setattr(connection_module, "_prepare", flaky)
    store = open_sqlite_store(database_url(db_path), "sam")
    store.close()
    assert len(calls) == 4


def test_set_up_gives_up_after_the_busy_timeout(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock that never clears ends in StoreError once busy_timeout has passed."""
    calls, flaky = _locked_then_fine(10**9)
    monkeypatch.setattr(connection_module, "_prepare", flaky)
    with pytest.raises(StoreError, match="cannot use the database"):
        connection_module.connect(parse_url(database_url(db_path, busy_timeout=30)))
    assert calls


def test_other_set_up_errors_are_not_retried(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error that is not a lock is raised at once."""
    calls: list[int] = []

    def broken(conn: sqlite3.Connection, path: Path, options: object) -> None:
        calls.append(1)
        raise StoreError("disk full") from sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(connection_module, "_prepare", broken)
    with pytest.raises(StoreError, match="disk full"):
        open_sqlite_store(database_url(db_path), "sam")
    assert calls == [1]
