"""A child process for the crash test (run by test_crash.py, not by pytest).

Usage: ``bulk_import.py URL COUNT WHEN``. It bulk-adds COUNT contacts in one
``add_contacts`` call (the transaction behind ``Workspace.add_contacts``).
With WHEN ``during`` it stops inside the import's transaction, once rows
have been written and pages spilled to the WAL, and prints ``mid``; with
``after`` it prints ``done`` once the import returned. Either way it then
waits to be killed.
"""

from __future__ import annotations

import sys
import time

from infointerview_sqlite import open_sqlite_store

from infointerview.model import Contact


def main() -> int:
    url, count, when = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    batch = [
        Contact(name=f"Person {n:06d}", organisation=f"Org {n % 97}", tags={"bulk"}, id=f"p{n}")
        for n in range(count)
    ]
    store = open_sqlite_store(url, "sam")
    conn = store._conn
    assert conn is not None
    # A small page cache makes SQLite spill uncommitted pages into the WAL.
    conn.execute("PRAGMA cache_size = 20")
    start = conn.total_changes

    def stop_mid_import() -> int:
        if conn.in_transaction and conn.total_changes - start > count // 2:
            print("mid", flush=True)
            time.sleep(3600)
        return 0

    if when == "during":
        conn.set_progress_handler(stop_mid_import, 1000)
    store.add_contacts(batch)
    print("done", flush=True)
    time.sleep(3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
