"""The connection pool: opened and closed explicitly, health-checked, bounded with a clear error."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest
from infointerview_postgres import PostgresBackend, open_store
from psycopg.pq import TransactionStatus

from infointerview.errors import StoreError

pytestmark = pytest.mark.postgres

Admin = psycopg.Connection[tuple[object, ...]]


@pytest.fixture
def plain_url(admin_url_for: Callable[[str], str], pg_schema: str) -> str:
    """The run's store URL with no pool options, so a test can add its own."""
    return admin_url_for(pg_schema)


def test_an_exhausted_pool_times_out_with_a_clear_error(plain_url: str, owner: str) -> None:
    """With its only connection held, the next call raises StoreError naming the limit and fix."""
    with PostgresBackend(f"{plain_url}&pool_min=1&pool_max=1&pool_timeout=0.2") as backend:
        store = backend.store(owner)
        with store.transaction(), pytest.raises(StoreError) as caught:
            store.list_contacts()
        message = str(caught.value)
        assert "no PostgreSQL connection became free within 0.2 s" in message
        assert "at most 1" in message and "pool_max" in message
        assert store.list_contacts() == []


def test_a_dead_connection_is_replaced_by_the_health_check(
    plain_url: str, owner: str, admin: Admin
) -> None:
    """A connection killed on the server is discarded on checkout; the call still succeeds."""
    with PostgresBackend(f"{plain_url}&pool_min=1&pool_max=1") as backend:
        store = backend.store(owner)
        with store.transaction() as conn:
            first = conn.info.backend_pid
        admin.execute("SELECT pg_terminate_backend(%s)", [first])
        assert store.list_contacts() == []
        with store.transaction() as conn:
            assert conn.info.backend_pid != first


def test_every_call_runs_inside_a_transaction_and_the_owner_does_not_leak(
    plain_url: str, owner: str
) -> None:
    """Work happens in an explicit transaction; the owner setting is gone once it ends."""
    with PostgresBackend(f"{plain_url}&pool_min=1&pool_max=1") as backend:
        with backend.store(owner).transaction() as conn:
            assert conn.autocommit is True  # nothing runs outside an explicit transaction
            assert conn.info.transaction_status is TransactionStatus.INTRANS
            setting = conn.execute("SELECT current_setting('infointerview.owner')").fetchone()
            assert setting == (owner,)
        # The pool's only connection, idle again: the transaction-local owner is gone.
        leftover = conn.execute("SELECT current_setting('infointerview.owner', true)").fetchone()
        assert leftover in {("",), (None,)}


def test_the_backend_opens_and_closes_as_a_context_manager(app_url: str, owner: str) -> None:
    """Inside ``with`` the pool is open; after it, stores refuse work and reopening is refused."""
    backend = PostgresBackend(app_url)
    assert not backend.is_open
    with backend:
        assert backend.is_open
        assert backend.pool_stats()["pool_max"] == 6
        store = backend.store(owner)
        store.list_contacts()
    assert not backend.is_open
    assert backend.pool_stats() == {}
    with pytest.raises(StoreError, match="closed"):
        store.list_contacts()
    with pytest.raises(StoreError, match="closed"):
        backend.open()


def test_a_store_opened_from_a_url_owns_and_closes_its_pool(app_url: str, owner: str) -> None:
    """open_store makes a private pool; closing the store (or leaving ``with``) closes it."""
    with open_store(app_url, owner) as store:
        assert store.backend.is_open
        assert store.list_goals() == []
    assert not store.backend.is_open


def test_an_unreachable_server_is_reported_without_the_password() -> None:
    """Opening against a closed port raises StoreError naming the server, password masked."""
    url = "postgresql://app:hunter2@127.0.0.1:1/test?connect_timeout=2"
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as caught:
        PostgresBackend(url).open()
    assert "hunter2" not in str(caught.value)
