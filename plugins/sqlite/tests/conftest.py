"""Fixtures shared by the SQLite store tests: a database file per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from infointerview_sqlite import SqliteStore, database_url, open_sqlite_store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where this test's database lives (not created yet)."""
    return tmp_path / "workspace.db"


@pytest.fixture
def url(db_path: Path) -> str:
    """The ``sqlite://`` URL of :func:`db_path`."""
    return database_url(db_path)


@pytest.fixture
def store(url: str) -> Iterator[SqliteStore]:
    """A store for owner ``sam``, closed after the test."""
    opened = open_sqlite_store(url, "sam")
    yield opened
    opened.close()
