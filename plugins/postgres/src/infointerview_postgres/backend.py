"""One connection pool to one schema, shared by the stores of many owners."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from infointerview.errors import InvalidInputError, SchemaVersionError, StoreError
from infointerview_postgres.options import ADMIN_DSN_ENV, PostgresOptions, parse_url
from infointerview_postgres.schema import LATEST_VERSION, OWNER_SETTING, installed_version, migrate

if TYPE_CHECKING:
    from infointerview_postgres.store import PostgresStore

__all__ = ["Connection", "PostgresBackend"]

Connection = psycopg.Connection[tuple[object, ...]]

_SET_OWNER = "SELECT set_config(%s, %s, true)"


class PostgresBackend:
    """A connection pool to the schema named by a store URL, opened and closed explicitly.

    Use it as a context manager (or call :meth:`open` and :meth:`close`) and
    hand out one :class:`PostgresStore` per owner with :meth:`store`; all of
    them share the pool. Every transaction begins by setting the owner, so
    Row-Level Security shows it that owner's rows only.
    """

    def __init__(self, url: str | PostgresOptions) -> None:
        self.options = url if isinstance(url, PostgresOptions) else parse_url(url)
        self._pool: ConnectionPool[Connection] | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        state = "open" if self._pool is not None else "closed"
        return f"<PostgresBackend {self.options.display} schema={self.options.schema} {state}>"

    def __enter__(self) -> PostgresBackend:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        """Whether the pool is open."""
        return self._pool is not None

    def open(self) -> None:
        """Check the server and schema, then open the pool (once; again after close is refused)."""
        with self._lock:
            if self._pool is not None:
                return
            if self._closed:
                raise StoreError("this PostgreSQL backend was closed; create a new one")
            if self.options.auto_migrate:
                self._auto_migrate()
            self._check_server()
            opts = self.options
            pool: ConnectionPool[Connection] = ConnectionPool(
                opts.conninfo,
                min_size=opts.pool_min,
                max_size=opts.pool_max,
                timeout=opts.pool_timeout,
                kwargs={"autocommit": True},
                check=ConnectionPool.check_connection,
                name=f"infointerview:{opts.schema}",
                open=False,
            )
            try:
                pool.open(wait=opts.pool_min > 0, timeout=opts.pool_timeout)
            except PoolTimeout as exc:
                pool.close()
                raise StoreError(
                    f"could not open {opts.pool_min} connection(s) to {opts.display} within "
                    f"{opts.pool_timeout:g} s; check the server, or lower pool_min"
                ) from exc
            self._pool = pool

    def close(self) -> None:
        """Close the pool and every connection in it; later calls raise :class:`StoreError`."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._closed = True
        if pool is not None:
            pool.close()

    def store(self, owner: str) -> PostgresStore:
        """The store of ``owner``, sharing this backend's pool (closing it leaves the pool open)."""
        from infointerview_postgres.store import PostgresStore

        return PostgresStore(self, owner)

    @contextmanager
    def transaction(self, owner: str, begin: str | None = None) -> Iterator[Connection]:
        """A pooled connection inside one transaction whose owner setting is ``owner``.

        ``begin`` is a ``SET TRANSACTION`` statement to run first, if any.

        Row-Level Security still applies to anything run on it: it is how the
        store works, and a safe door for reports the store does not offer.
        """
        if not owner:
            raise InvalidInputError("a PostgreSQL transaction needs a non-empty owner")
        pool = self._pool
        if pool is None:
            raise StoreError("the PostgreSQL store is closed (or was never opened); open a new one")
        try:
            with pool.connection() as conn, conn.transaction():
                if begin is not None:
                    conn.execute(begin)
                conn.execute(_SET_OWNER, [OWNER_SETTING, owner])
                yield conn
        except PoolTimeout as exc:
            raise StoreError(
                f"no PostgreSQL connection became free within {self.options.pool_timeout:g} s "
                f"(the pool holds at most {self.options.pool_max}); raise pool_max or "
                "pool_timeout in the store URL, or close workspaces you no longer use"
            ) from exc
        except psycopg.OperationalError as exc:
            raise StoreError(
                f"lost the connection to {self.options.display}: {_first_line(exc)}"
            ) from exc

    def pool_stats(self) -> dict[str, int]:
        """The pool's counters (sizes, waiting requests, timeouts), for monitoring."""
        pool = self._pool
        return {} if pool is None else dict(pool.get_stats())

    def _check_server(self) -> None:
        opts = self.options
        try:
            conn = psycopg.connect(opts.conninfo, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL at {opts.display}: {_first_line(exc)}"
            ) from exc
        with conn:
            row = conn.execute(
                "SELECT current_user, rolsuper OR rolbypassrls FROM pg_roles "
                "WHERE rolname = current_user"
            ).fetchone()
            if row is not None and row[1] and not opts.allow_bypass_rls:
                raise StoreError(
                    f"the store URL connects as role {row[0]!r}, which Row-Level Security does "
                    "not restrict (superuser or BYPASSRLS); connect as the application role "
                    "that migrate() granted, or add allow_bypass_rls=true for maintenance"
                )
            version = installed_version(conn, opts.schema)
        if version is None:
            raise StoreError(
                f"schema {opts.schema!r} at {opts.display} has no infointerview tables "
                "(or this role may not see them); install them with "
                f"infointerview_postgres.migrate(admin_dsn, schema={opts.schema!r}) or "
                "'python -m infointerview_postgres migrate'"
            )
        if version > LATEST_VERSION:
            raise SchemaVersionError(
                f"schema {opts.schema!r} is at version {version}, newer than this library "
                f"understands ({LATEST_VERSION}); upgrade infointerview-postgres"
            )
        if version < LATEST_VERSION:
            raise StoreError(
                f"schema {opts.schema!r} is at version {version}, this library needs "
                f"{LATEST_VERSION}; run infointerview_postgres.migrate(admin_dsn, "
                f"schema={opts.schema!r}) to upgrade it"
            )

    def _auto_migrate(self) -> None:
        admin = os.environ.get(ADMIN_DSN_ENV)
        if not admin:
            raise StoreError(
                f"auto_migrate=true needs the administrator's connection string in "
                f"${ADMIN_DSN_ENV}; set it, or run infointerview_postgres.migrate() yourself"
            )
        user = psycopg.conninfo.conninfo_to_dict(self.options.conninfo).get("user")
        if not user:
            raise InvalidInputError(
                "auto_migrate=true needs the store URL to name its user (the application role)"
            )
        migrate(
            admin,
            schema=self.options.schema,
            owner_role=self.options.owner_role,
            app_role=str(user),
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
