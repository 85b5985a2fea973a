"""Fixtures for the PostgreSQL store's tests: a fresh schema per run, dropped afterwards.

The server comes from ``INFOINTERVIEW_TEST_POSTGRES_DSN`` (a role that may
create roles and schemas, e.g. ``postgresql://postgres@127.0.0.1:5432/test``);
without it every test that needs the server is skipped. Stores connect as
the ordinary application role that :func:`migrate` grants, never as the
administrator, so Row-Level Security is really in force.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
from infointerview_postgres import (
    DEFAULT_APP_ROLE,
    PostgresBackend,
    PostgresStore,
    make_store_url,
    migrate,
)
from psycopg import sql

DSN_ENV = "INFOINTERVIEW_TEST_POSTGRES_DSN"

Admin = psycopg.Connection[tuple[object, ...]]


@pytest.fixture(scope="session")
def admin_dsn() -> str:
    """The administrator's DSN, or skip: these tests need a PostgreSQL server."""
    dsn = os.environ.get(DSN_ENV)
    if not dsn:
        pytest.skip(f"set {DSN_ENV} to a PostgreSQL superuser URL to run the PostgreSQL tests")
    return dsn


def drop_schema(admin_dsn: str, schema: str) -> None:
    """Drop ``schema`` and everything in it."""
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(scope="session")
def schema_factory(admin_dsn: str) -> Iterator[Callable[[], str]]:
    """Make uniquely named schemas (migrated or not) that are dropped after the run."""
    made: list[str] = []

    def make(*, migrated: bool = True) -> str:
        name = f"iitest_{os.getpid()}_{secrets.token_hex(4)}"
        made.append(name)
        if migrated:
            migrate(admin_dsn, schema=name)
        return name

    yield make
    for name in made:
        drop_schema(admin_dsn, name)


@pytest.fixture(scope="session")
def pg_schema(schema_factory: Callable[[], str]) -> str:
    """The run's migrated schema, shared by every test (each test uses fresh owners)."""
    return schema_factory()


@pytest.fixture(scope="session")
def app_url(admin_dsn: str, pg_schema: str) -> str:
    """The store URL: the application role, the run's schema."""
    return make_store_url(admin_dsn, user=DEFAULT_APP_ROLE, schema=pg_schema, pool_max=6)


@pytest.fixture(scope="session")
def admin_url_for(admin_dsn: str) -> Callable[[str], str]:
    """The application role's store URL for any schema."""

    def url(schema: str) -> str:
        return make_store_url(admin_dsn, user=DEFAULT_APP_ROLE, schema=schema)

    return url


@pytest.fixture(scope="session")
def pg_backend(app_url: str) -> Iterator[PostgresBackend]:
    """One pool for the whole run, closed at the end."""
    with PostgresBackend(app_url) as backend:
        yield backend


@pytest.fixture
def owner() -> str:
    """A fresh owner for this test."""
    return f"seeker-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def store(pg_backend: PostgresBackend, owner: str) -> Iterator[PostgresStore]:
    """The fresh owner's store on the shared pool."""
    with pg_backend.store(owner) as opened:
        yield opened


@pytest.fixture
def admin(admin_dsn: str) -> Iterator[Admin]:
    """An autocommit connection as the administrator (RLS does not apply to it)."""
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        yield conn
