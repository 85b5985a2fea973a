"""A child process for the concurrency tests (run by test_concurrency.py, not by pytest).

Usage: ``race.py URL OWNER CONTACT_ID MODE VALUE``. It reads the record,
prints ``read``, waits for a line on stdin, then writes: ``contact`` sets
the field named by VALUE's prefix (``role=...`` or ``organisation=...``),
``event`` logs a ``touched`` event noted VALUE. On a conflict it prints
``conflict``, reads again and retries once. Last it prints ``ok VERSION``.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import attrs
from infointerview_sqlite import open_sqlite_store

from infointerview.errors import ConflictError
from infointerview.model import Event

AT = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def main() -> int:
    url, owner, contact_id, mode, value = sys.argv[1:6]
    store = open_sqlite_store(url, owner)
    field, _, text = value.partition("=")

    def write(first: bool) -> int:
        if mode == "contact":
            contact = store.get_contact(contact_id)
            if first:
                print("read", flush=True)
                sys.stdin.readline()
            return store.update_contact(attrs.evolve(contact, **{field: text})).version
        rel = store.get_relationship(contact_id)
        if first:
            print("read", flush=True)
            sys.stdin.readline()
        event = Event(contact_id=contact_id, kind="touched", at=AT, note=value)
        return store.append_event(
            event, expected_version=rel.version, stage=rel.stage, next_due=None
        ).version

    try:
        version = write(True)
    except ConflictError:
        print("conflict", flush=True)
        version = write(False)
    print("ok", version, flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
