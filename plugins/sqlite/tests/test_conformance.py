"""The core's storage conformance suite, run against the SQLite store."""

from __future__ import annotations

from pathlib import Path

from infointerview_sqlite import database_url, open_sqlite_store

from infointerview.ports import Store
from infointerview.testing import StoreConformance, store_state_machine_test


class TestSqliteConformance(StoreConformance):
    """Every promise of the Store port, on a database file per test."""

    max_examples = 15

    def open_store(self, owner: str) -> Store:
        """Both owners of a test share the test's database file."""
        return open_sqlite_store(database_url(self.tmp_path / "conformance.db"), owner)


def _open(owner: str, workdir: Path) -> Store:
    return open_sqlite_store(database_url(workdir / "machine.db"), owner)


TestSqliteStateMachine = store_state_machine_test(
    _open, max_examples=50, step_count=30, name="TestSqliteStateMachine"
)
