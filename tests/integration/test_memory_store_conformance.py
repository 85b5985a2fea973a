"""The ``memory://`` reference store passes the whole storage conformance suite."""

from __future__ import annotations

from pathlib import Path

from infointerview import Store
from infointerview.default_plugins.memory_store import MemoryStore, _OwnerData
from infointerview.testing import StoreConformance, store_state_machine_test


class TestMemoryStoreConformance(StoreConformance):
    """Every conformance test, on one process-private memory space per test."""

    max_examples = 25

    def begin(self, tmp_path: Path) -> None:
        """Give each test its own shared space, so two owners meet in it."""
        super().begin(tmp_path)
        self.space: dict[str, _OwnerData] = {}

    def open_store(self, owner: str) -> Store:
        """Open a store for ``owner`` in this test's space."""
        return MemoryStore(owner, self.space)


def _open_in_workdir(owner: str, workdir: Path) -> Store:
    return MemoryStore(owner, _spaces_by_workdir.setdefault(workdir, {}))


_spaces_by_workdir: dict[Path, dict[str, _OwnerData]] = {}

TestMemoryStoreStateMachine = store_state_machine_test(
    _open_in_workdir, max_examples=60, step_count=40
)
