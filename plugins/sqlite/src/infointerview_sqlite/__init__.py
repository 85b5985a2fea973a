"""SQLite storage for infointerview: ``sqlite:///file.db``, the embedded default.

Importing the package is cheap (the plugin manager imports it on discovery);
the store and its dependencies load when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from infointerview_sqlite.files import default_database_path
from infointerview_sqlite.url import SqliteOptions, database_url, parse_url

if TYPE_CHECKING:
    from infointerview_sqlite.schema import LATEST_VERSION
    from infointerview_sqlite.store import SqliteStore, open_sqlite_store

_LAZY = {
    "LATEST_VERSION": "infointerview_sqlite.schema",
    "SqliteStore": "infointerview_sqlite.store",
    "open_sqlite_store": "infointerview_sqlite.store",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'infointerview_sqlite' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "LATEST_VERSION",
    "SqliteOptions",
    "SqliteStore",
    "database_url",
    "default_database_path",
    "open_sqlite_store",
    "parse_url",
]
