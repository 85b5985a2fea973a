"""The core's storage conformance suite and state machine, run against the real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from infointerview_postgres import PostgresBackend

from infointerview.ports import Store
from infointerview.testing import StoreConformance, store_state_machine_test

pytestmark = pytest.mark.postgres


class TestPostgresConformance(StoreConformance):
    """Every promise of the Store port, each owner a fresh one in the run's schema."""

    max_examples = 10

    @pytest.fixture(autouse=True)
    def _use_backend(self, pg_backend: PostgresBackend) -> None:
        self.backend = pg_backend

    def open_store(self, owner: str) -> Store:
        """A store on the run's shared pool (closing it leaves the pool open)."""
        return self.backend.store(owner)


_machine: dict[str, PostgresBackend] = {}


@pytest.fixture
def _machine_backend(pg_backend: PostgresBackend) -> Iterator[None]:
    _machine["backend"] = pg_backend
    yield
    _machine.clear()


def _open(owner: str, workdir: Path) -> Store:
    return _machine["backend"].store(owner)


TestPostgresStateMachine = pytest.mark.usefixtures("_machine_backend")(
    store_state_machine_test(_open, max_examples=10, step_count=25, name="TestPostgresStateMachine")
)
