"""The entry point: registers the ``sqlite`` URL scheme."""

from __future__ import annotations

from infointerview.hookspecs import hookimpl
from infointerview.ports import Store, StoreFactory

__all__ = ["open_store", "register_stores"]


def open_store(url: str, owner: str) -> Store:
    """Open ``url`` for ``owner`` (imports the store only when a database is opened)."""
    from infointerview_sqlite.store import open_sqlite_store

    return open_sqlite_store(url, owner)


@hookimpl
def register_stores() -> list[StoreFactory]:
    """The ``sqlite`` scheme: ``sqlite:///relative.db`` or ``sqlite:////abs/file.db``."""
    return [StoreFactory(scheme="sqlite", open=open_store)]
