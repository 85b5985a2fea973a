"""PostgreSQL storage for infointerview: many seekers on one server, each walled off.

Open a workspace with ``open_workspace("postgresql://app@host/db", owner=...)``,
or share one pool among many owners with :class:`PostgresBackend`. A deployer
installs the schema with :func:`migrate`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infointerview_postgres.backend import PostgresBackend
    from infointerview_postgres.options import (
        ADMIN_DSN_ENV,
        DEFAULT_APP_ROLE,
        DEFAULT_OWNER_ROLE,
        DEFAULT_SCHEMA,
        PostgresOptions,
        make_store_url,
        parse_url,
    )
    from infointerview_postgres.schema import (
        APP_GRANTS,
        DATA_TABLES,
        LATEST_VERSION,
        MIGRATIONS,
        OWNER_SETTING,
        Migration,
        migrate,
    )
    from infointerview_postgres.store import COPY_THRESHOLD, PostgresStore, open_store

# psycopg loads only when a name is first used, so discovering the plugin stays cheap.
_LAZY = {
    "PostgresBackend": "backend",
    "ADMIN_DSN_ENV": "options",
    "DEFAULT_APP_ROLE": "options",
    "DEFAULT_OWNER_ROLE": "options",
    "DEFAULT_SCHEMA": "options",
    "PostgresOptions": "options",
    "make_store_url": "options",
    "parse_url": "options",
    "APP_GRANTS": "schema",
    "DATA_TABLES": "schema",
    "LATEST_VERSION": "schema",
    "MIGRATIONS": "schema",
    "OWNER_SETTING": "schema",
    "Migration": "schema",
    "migrate": "schema",
    "COPY_THRESHOLD": "store",
    "PostgresStore": "store",
    "open_store": "store",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'infointerview_postgres' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"infointerview_postgres.{module}"), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "ADMIN_DSN_ENV",
    "APP_GRANTS",
    "COPY_THRESHOLD",
    "DATA_TABLES",
    "DEFAULT_APP_ROLE",
    "DEFAULT_OWNER_ROLE",
    "DEFAULT_SCHEMA",
    "LATEST_VERSION",
    "MIGRATIONS",
    "OWNER_SETTING",
    "Migration",
    "PostgresBackend",
    "PostgresOptions",
    "PostgresStore",
    "__version__",
    "make_store_url",
    "migrate",
    "open_store",
    "parse_url",
]
