"""The entry point: registers the ``postgresql`` and ``postgres`` URL schemes."""

from __future__ import annotations

from infointerview import hookimpl
from infointerview.ports import Store, StoreFactory

__all__ = ["register_stores"]

_SCHEMES = ("postgresql", "postgres")


def _open_store(url: str, owner: str) -> Store:
    # Imported here so that discovering the plugin does not load psycopg.
    from infointerview_postgres.store import open_store

    return open_store(url, owner)


@hookimpl
def register_stores() -> list[StoreFactory]:
    """``postgresql://user@host/db?schema=...`` (``postgres://`` is accepted too)."""
    return [StoreFactory(scheme=scheme, open=_open_store) for scheme in _SCHEMES]
