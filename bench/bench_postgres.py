"""The PostgreSQL store beside raw psycopg, in one run.

Usage: ``python bench/bench_postgres.py [--quick]``. The server is the one
named by ``INFOINTERVIEW_BENCH_POSTGRES_DSN`` or, failing that,
``INFOINTERVIEW_TEST_POSTGRES_DSN`` (a role that may create roles and
schemas); without either the bench says so and exits 0. Everything happens
in a fresh schema that is dropped at the end.

1. Bulk-adding contacts for one owner through ``Workspace.add_contacts``
   (100,000; 10,000 with ``--quick``) against raw psycopg binary ``COPY`` of
   the same values into a table of the same columns: a bare table (no key)
   and one with the store's primary key ``(owner, id)``. Every run starts
   from empty tables after a ``CHECKPOINT``; the median of the runs counts.
2. ``Store.due(until)`` for one owner among 1,000 owners of 1,000 contacts
   (50 of 200 with ``--quick``), through the pool, RLS and the owner
   setting, against the same query prepared on a plain administrator
   connection; the median of many calls, and the plan the app role gets.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from infointerview_postgres import (
    DEFAULT_APP_ROLE,
    PostgresBackend,
    make_store_url,
    migrate,
)
from infointerview_postgres.queries import queries
from infointerview_postgres.rows import CONTACT_COLUMNS, CONTACT_TYPES, contact_values
from psycopg import sql

from infointerview import Contact, Workspace

DSN_ENVS = ("INFOINTERVIEW_BENCH_POSTGRES_DSN", "INFOINTERVIEW_TEST_POSTGRES_DSN")
BULK_GOAL = 1.5
DUE_GOAL_MS = 5.0
T0 = datetime(2025, 1, 1, tzinfo=UTC)
UNTIL = T0 + timedelta(days=30)

Conn = psycopg.Connection[tuple[Any, ...]]


def _contacts(count: int, seed: int) -> list[Contact]:
    """Contacts as an import makes them: name, company, role, email, profile URL, some tags."""
    rng = random.Random(seed)
    roles = ("Data engineer", "Product manager", "Designer", "Nurse", "Teacher", "Analyst")
    return [
        Contact(
            name=f"Person {n:06d} {rng.choice('ABCDEFGHJKLMNPRSTW')}.",
            organisation=f"Organisation {rng.randrange(800)}",
            role=rng.choice(roles),
            email=f"person{n}@example.org",
            linkedin_url=f"https://www.linkedin.com/in/person-{n}",
            source="professional_network",
            tags={"imported", f"batch-{n % 5}"} if n % 3 == 0 else frozenset(),
        )
        for n in range(count)
    ]


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _raw_copy(conn: Conn, table: sql.Composed, rows: Sequence[tuple[Any, ...]]) -> None:
    """What a developer writes by hand: binary COPY of ready tuples, psycopg's own adapters."""
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in ("owner", "version", *CONTACT_COLUMNS))
    with conn.transaction(), conn.cursor() as cur:
        statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(table, columns)
        with cur.copy(statement) as copy:
            copy.set_types(["text", "int4", *CONTACT_TYPES])
            for row in rows:
                copy.write_row(row)


def bench_bulk(
    admin: Conn, backend: PostgresBackend, schema: str, count: int, runs: int
) -> dict[str, float]:
    """Median seconds to add ``count`` contacts: ours, raw COPY bare, raw COPY keyed."""
    s = sql.Identifier(schema)
    bare, keyed = sql.Identifier(schema, "raw_bare"), sql.Identifier(schema, "raw_keyed")
    admin.execute(sql.SQL("CREATE TABLE {} (LIKE {}.contacts)").format(bare, s))
    admin.execute(
        sql.SQL("CREATE TABLE {} (LIKE {}.contacts, PRIMARY KEY (owner, id))").format(keyed, s)
    )
    for table in (bare, keyed):
        admin.execute(
            sql.SQL("GRANT INSERT ON {} TO {}").format(table, sql.Identifier(DEFAULT_APP_ROLE))
        )
    contacts = _contacts(count, seed=1)
    times: dict[str, list[float]] = {"ours": [], "bare": [], "keyed": []}
    for run in range(runs):
        owner = f"bulk-owner-{run}"
        rows = [(owner, 1, *contact_values(c)) for c in contacts]
        for name in ("bare", "keyed", "ours"):
            admin.execute(sql.SQL("TRUNCATE {}, {}, {}.contacts CASCADE").format(bare, keyed, s))
            admin.execute("CHECKPOINT")
            if name == "ours":
                workspace = Workspace(backend.store(owner))
                times[name].append(_timed(lambda w=workspace: w.add_contacts(contacts)))  # type: ignore[misc]
            else:
                table = bare if name == "bare" else keyed
                with psycopg.connect(backend.options.conninfo) as conn:
                    times[name].append(
                        _timed(lambda c=conn, t=table, r=rows: _raw_copy(c, t, r))  # type: ignore[misc]
                    )
    return {name: statistics.median(values) for name, values in times.items()}


def _load_owners(
    admin: Conn, backend: PostgresBackend, schema: str, owners: int, each: int
) -> None:
    """``owners`` owners of ``each`` contacts (through the store), all with a due time."""
    contacts = _contacts(each, seed=2)
    for index in range(owners):
        backend.store(f"owner-{index:04d}").add_contacts(contacts)
    tables = {t: sql.Identifier(schema, t) for t in ("contacts", "relationships")}
    # One event's worth of fold per contact, spread over a year (set directly: a
    # million transactions would only measure the loader).
    admin.execute(
        sql.SQL(
            "INSERT INTO {relationships} (owner, contact_id, version, stage, next_due, "
            "next_due_offset) SELECT owner, id, 1, 'asked', %s + (abs(hashtext(owner || id)) "
            "%% 365) * interval '1 day', 0 FROM {contacts}"
        ).format(**tables),
        [T0],
    )
    for table in tables.values():
        admin.execute(sql.SQL("VACUUM ANALYZE {}").format(table))


def bench_due(
    admin: Conn, backend: PostgresBackend, schema: str, owners: int, each: int, calls: int
) -> dict[str, Any]:
    """Median milliseconds of ``due`` for one owner, the raw query's, and the plan."""
    _load_owners(admin, backend, schema, owners, each)
    owner = f"owner-{owners // 2:04d}"
    store = backend.store(owner)
    query = queries(schema)["due"]
    for _ in range(20):
        store.due(UNTIL)
    ours = [_timed(lambda: store.due(UNTIL)) * 1000 for _ in range(calls)]
    raw = []
    for _ in range(20):
        admin.execute(query, [owner, UNTIL], prepare=True).fetchall()
    for _ in range(calls):
        raw.append(_timed(lambda: admin.execute(query, [owner, UNTIL], prepare=True).fetchall()))
    with store.transaction() as conn:
        explained = conn.execute("EXPLAIN (FORMAT JSON) " + query, [owner, UNTIL]).fetchone()
    node: dict[str, Any] = explained[0][0]["Plan"] if explained else {}  # type: ignore[index]
    while node.get("Plans") and "Index Name" not in node:
        node = node["Plans"][0]
    return {
        "ours": statistics.median(ours),
        "p95": sorted(ours)[int(len(ours) * 0.95)],
        "raw": statistics.median(raw) * 1000,
        "rows": len(store.due(UNTIL)),
        "plan": f"{node.get('Node Type', '?')} using {node.get('Index Name', 'no index')}",
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bench and print the table; exit 0 whether or not a goal is met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI")
    args = parser.parse_args(argv)
    dsn = next((os.environ[e] for e in DSN_ENVS if os.environ.get(e)), None)
    if dsn is None:
        print(f"bench_postgres: skipped, set {' or '.join(DSN_ENVS)} to a PostgreSQL admin URL")
        return 0
    count, runs = (10_000, 3) if args.quick else (100_000, 5)
    owners, each, calls = (50, 200, 200) if args.quick else (1_000, 1_000, 500)
    schema = f"iibench_{os.getpid()}_{secrets.token_hex(3)}"
    migrate(dsn, schema=schema)
    url = make_store_url(dsn, user=DEFAULT_APP_ROLE, schema=schema, pool_max=2)
    try:
        with psycopg.connect(dsn, autocommit=True) as admin, PostgresBackend(url) as backend:
            bulk = bench_bulk(admin, backend, schema, count, runs)
            admin.execute(sql.SQL("TRUNCATE {}.contacts CASCADE").format(sql.Identifier(schema)))
            due = bench_due(admin, backend, schema, owners, each, calls)
    finally:
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
    _report(count, runs, owners, each, calls, bulk, due)
    return 0


def _report(
    count: int,
    runs: int,
    owners: int,
    each: int,
    calls: int,
    bulk: dict[str, float],
    due: dict[str, Any],
) -> None:
    bare, keyed = bulk["ours"] / bulk["bare"], bulk["ours"] / bulk["keyed"]
    lines = [
        ("figure", "ours", "limit (same run)", "ratio", "goal", ""),
        (
            f"add {count:,} contacts, s (median of {runs})",
            f"{bulk['ours']:.3f}",
            f"{bulk['bare']:.3f} raw COPY, bare table",
            f"{bare:.2f}",
            f"<= {BULK_GOAL}",
            "met" if bare <= BULK_GOAL else "MISSED",
        ),
        (
            "",
            "",
            f"{bulk['keyed']:.3f} raw COPY, (owner, id) key",
            f"{keyed:.2f}",
            f"<= {BULK_GOAL}",
            "met" if keyed <= BULK_GOAL else "MISSED",
        ),
        (
            f"due() of 1 of {owners:,} owners x {each:,}, ms (median of {calls})",
            f"{due['ours']:.2f}",
            f"{due['raw']:.2f} raw query, admin",
            f"{due['ours'] / due['raw']:.2f}",
            f"< {DUE_GOAL_MS} ms",
            "met" if due["ours"] < DUE_GOAL_MS else "MISSED",
        ),
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(6)]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
    print(f"due(): {due['rows']} entries, p95 {due['p95']:.2f} ms, plan: {due['plan']}")


if __name__ == "__main__":
    sys.exit(main())
