"""The SQLite store beside raw sqlite3, in one run.

Usage: ``python bench/bench_sqlite.py [--quick]``.

1. Bulk-adding 30,000 contacts through ``Workspace.add_contacts`` against raw
   ``sqlite3.executemany`` of the same values into a table of the same
   columns: both a bare table (no key, no index) and the store's own
   ``contacts`` table (its key and indexes). Same file settings for all: WAL,
   ``synchronous=FULL``, one transaction, a fresh file each run.
2. ``Store.due(now)`` in a workspace of 10,000 contacts and 100,000 events,
   against the same query run through a plain sqlite3 connection.
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from infointerview_sqlite import database_url, open_sqlite_store
from infointerview_sqlite.rows import CONTACT_COLUMNS, contact_row, event_row, instant
from infointerview_sqlite.store import DUE_QUERY

from infointerview import TRANSITIONS, Contact, Event, FollowUpPolicy, Stage, accepted_events
from infointerview import open_workspace as _open_workspace
from infointerview.followup import next_due
from infointerview.stages import fold

CONTACTS = 30_000
DUE_CONTACTS = 10_000
EVENTS_PER_CONTACT = 10
BULK_GOAL = 1.5
DUE_GOAL_MS = 5.0
T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)


def _contacts(count: int, seed: int) -> list[Contact]:
    """Contacts as an import makes them: name, company, role, email, profile URL, some tags."""
    rng = random.Random(seed)
    roles = ("Data engineer", "Product manager", "Designer", "Nurse", "Teacher", "Analyst")
    return [
        Contact(
            name=f"Person {n:05d} {rng.choice('ABCDEFGHJKLMNPRSTW')}.",
            organisation=f"Organisation {rng.randrange(800)}",
            role=rng.choice(roles),
            email=f"person{n}@example.org",
            linkedin_url=f"https://www.linkedin.com/in/person-{n}",
            source="professional_network",
            tags={"imported"} if n % 3 == 0 else frozenset(),
        )
        for n in range(count)
    ]


def _fresh_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="bench-sqlite-"))


def _raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _timed(action: Callable[[], Any]) -> float:
    # Collect first, so no figure pays for garbage an earlier one left behind.
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _raw_bare(rows: list[tuple[Any, ...]]) -> float:
    where = _fresh_dir()
    try:
        conn = _raw_connection(where / "raw.db")
        conn.execute(f"CREATE TABLE contacts (owner, {', '.join(CONTACT_COLUMNS)})")
        marks = ", ".join("?" * (len(CONTACT_COLUMNS) + 1))

        def insert() -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(f"INSERT INTO contacts VALUES ({marks})", rows)
            conn.execute("COMMIT")

        seconds = _timed(insert)
        conn.close()
        return seconds
    finally:
        shutil.rmtree(where)


def _raw_same_table(rows: list[tuple[Any, ...]]) -> float:
    """Raw executemany into the store's own contacts table (its key and indexes)."""
    where = _fresh_dir()
    try:
        path = where / "raw.db"
        open_sqlite_store(database_url(path), "setup").close()
        conn = _raw_connection(path)
        marks = ", ".join("?" * (len(CONTACT_COLUMNS) + 1))
        sql = f"INSERT INTO contacts (owner, {', '.join(CONTACT_COLUMNS)}) VALUES ({marks})"

        def insert() -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(sql, rows)
            conn.execute("COMMIT")

        seconds = _timed(insert)
        conn.close()
        return seconds
    finally:
        shutil.rmtree(where)


def _ours(contacts: list[Contact], through_workspace: bool) -> float:
    where = _fresh_dir()
    try:
        with _open_workspace(database_url(where / "ours.db"), owner="bench") as ws:
            if through_workspace:
                seconds = _timed(lambda: ws.add_contacts(contacts))
            else:
                seconds = _timed(lambda: ws.store.add_contacts(contacts))
            assert len(ws.store.list_contacts(tag="imported")) == (len(contacts) + 2) // 3
        return seconds
    finally:
        shutil.rmtree(where)


def _history(rng: random.Random, contact_id: str, start: datetime) -> list[Event]:
    """A legal random walk of EVENTS_PER_CONTACT events through the stages."""
    stage, at, made = Stage.IDENTIFIED, start, []
    for _ in range(EVENTS_PER_CONTACT):
        kind = rng.choice([k for k in accepted_events(stage) if k.value != "referred"])
        at += timedelta(hours=rng.randrange(1, 24 * 6))
        scheduled = at + timedelta(days=3) if kind.value in ("scheduled", "rescheduled") else None
        made.append(Event(contact_id=contact_id, kind=kind, at=at, scheduled_for=scheduled))
        stage = TRANSITIONS[stage][kind]
    return made


def _due_workspace(path: Path) -> None:
    """10,000 contacts and 100,000 events; folds stored as the workspace would store them."""
    rng = random.Random(7)
    policy = FollowUpPolicy()
    contacts = _contacts(DUE_CONTACTS, seed=3)
    store = open_sqlite_store(database_url(path), "bench")
    store.add_contacts(contacts)
    store.close()
    events: list[tuple[Any, ...]] = []
    folds: list[tuple[Any, ...]] = []
    for contact in contacts:
        history = _history(rng, contact.id, T0 + timedelta(hours=rng.randrange(24 * 300)))
        events.extend(event_row("bench", e, seq) for seq, e in enumerate(history))
        state = fold(history)
        due = next_due(state, contact, policy)
        folds.append(
            (
                "bench",
                contact.id,
                state.stage.value,
                len(history),
                None if due is None else due.isoformat(),
                None if due is None else instant(due),
            )
        )
    conn = _raw_connection(path)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT INTO events VALUES ({', '.join('?' * 10)})", events)
    conn.executemany(
        "INSERT INTO relationships (owner, contact_id, stage, events, next_due, next_due_us) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        folds,
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def _per_call_ms(calls: int, action: Callable[[], Any]) -> float:
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _due_figures(calls: int) -> list[tuple[str, float, float, int]]:
    where = _fresh_dir()
    try:
        path = where / "due.db"
        _due_workspace(path)
        store = open_sqlite_store(database_url(path), "bench")
        raw = sqlite3.connect(path)
        figures = []
        for label, now in (
            ("today", T0 + timedelta(days=150)),
            ("everything", T0 + timedelta(days=5000)),
        ):
            found = len(store.due(now))
            ours = _per_call_ms(calls, lambda now=now: store.due(now))
            key = instant(now)
            limit = _per_call_ms(
                calls, lambda key=key: raw.execute(DUE_QUERY, ("bench", key)).fetchall()
            )
            figures.append((label, ours, limit, found))
        raw.close()
        store.close()
        return figures
    finally:
        shutil.rmtree(where)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs (CI)")
    args = parser.parse_args()
    runs = 3 if args.quick else 9
    calls = 30 if args.quick else 300

    contacts = _contacts(CONTACTS, seed=1)
    rows = [contact_row("bench", c, 1) for c in contacts]
    _ours(contacts[:1000], True)  # warm imports and caches
    # Interleaved, so that a change in the machine's load hits every figure alike.
    samples: dict[str, list[float]] = {"bare": [], "same": [], "ours": [], "store": []}
    for _ in range(runs):
        samples["bare"].append(_raw_bare(rows))
        samples["same"].append(_raw_same_table(rows))
        samples["ours"].append(_ours(contacts, True))
        samples["store"].append(_ours(contacts, False))
    bare, same, ours, store_only = (statistics.median(samples[k]) for k in samples)
    due = _due_figures(calls)

    print(f"{'figure':<52}{'ours':>10}{'limit':>10}{'ratio':>8}{'goal':>8}")
    for label, figure, limit, goal in (
        ("add 30,000 contacts (s) vs bare table", ours, bare, f"{BULK_GOAL:.1f}x"),
        ("add 30,000 contacts (s) vs the store's table", ours, same, f"{BULK_GOAL:.1f}x"),
        ("  Store.add_contacts only (s) vs the store's table", store_only, same, "-"),
    ):
        print(f"{label:<52}{figure:>10.4f}{limit:>10.4f}{figure / limit:>8.2f}{goal:>8}")
    for label, figure, limit, found in due:
        name = f"due() median (ms), {label}: {found:,} due"
        goal = f"<{DUE_GOAL_MS:.0f}ms" if label == "today" else "-"
        print(f"{name:<52}{figure:>10.3f}{limit:>10.3f}{figure / limit:>8.2f}{goal:>8}")
    print(
        f"limits: raw sqlite3 executemany of the same {CONTACTS:,} rows (bare table; the "
        "store's contacts table with its key and indexes) and the same due query through a "
        f"plain sqlite3 connection; medians of {runs} runs / {calls} calls; WAL, synchronous=FULL"
    )
    today = due[0]
    print(
        f"goals met: bulk vs the store's table {ours / same <= BULK_GOAL}, "
        f"bulk vs bare table {ours / bare <= BULK_GOAL}, due {today[1] < DUE_GOAL_MS}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
