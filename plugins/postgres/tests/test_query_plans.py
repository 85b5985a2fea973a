"""With many owners in the tables, one owner's queries use indexes, under RLS, as the app role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from infointerview_postgres import PostgresBackend, PostgresStore
from infointerview_postgres.queries import queries
from psycopg import sql

pytestmark = pytest.mark.postgres

OWNERS, CONTACTS = 120, 250
UNTIL = datetime(2024, 2, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def crowded(
    admin_dsn: str,
    schema_factory: Callable[[], str],
    admin_url_for: Callable[[str], str],
) -> Iterator[PostgresStore]:
    """A schema with 120 owners of 250 contacts, each due over a year; one owner's store."""
    schema = schema_factory()
    tables = {t: sql.Identifier(schema, t) for t in ("contacts", "relationships", "events")}
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(
            sql.SQL(
                "INSERT INTO {contacts} (owner, id, version, name, organisation, role, field, "
                "source, referrer_id, affiliation, email, phone, linkedin_url, tags, notes) "
                "SELECT 'owner-' || o, 'c' || c, 1, 'Name ' || c, 'Org', '', '', 'cold', "
                "CASE WHEN c > 1 THEN 'c' || (c - 1) END, '', '', '', '', '{{}}', '' "
                "FROM generate_series(1, %s) o, generate_series(1, %s) c"
            ).format(**tables),
            [OWNERS, CONTACTS],
        )
        admin.execute(
            sql.SQL(
                "INSERT INTO {relationships} (owner, contact_id, version, stage, next_due, "
                "next_due_offset) SELECT owner, id, 1, 'asked', "
                "timestamptz '2024-01-01 00:00+00' + (hashtext(owner || id) % 365) * interval "
                "'1 day', 0 FROM {contacts}"
            ).format(**tables)
        )
        admin.execute(
            sql.SQL(
                "INSERT INTO {events} (owner, contact_id, seq, id, kind, at, at_offset, note) "
                "SELECT owner, contact_id, 1, 'e-' || contact_id, 'asked', next_due, 0, '' "
                "FROM {relationships}"
            ).format(**tables)
        )
        for table in tables.values():
            admin.execute(sql.SQL("VACUUM ANALYZE {}").format(table))
    with PostgresBackend(admin_url_for(schema)) as backend:
        yield backend.store(f"owner-{OWNERS // 2}")


def _plan(store: PostgresStore, query: str, params: list[Any]) -> dict[str, Any]:
    with store.transaction() as conn:
        row = conn.execute("EXPLAIN (FORMAT JSON) " + query, params).fetchone()
    assert row is not None
    return row[0][0]["Plan"]  # type: ignore[index, no-any-return]


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _scans(plan: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [
        (node["Node Type"], node.get("Index Name"))
        for node in _nodes(plan)
        if "Scan" in node["Node Type"]
    ]


def test_due_for_one_owner_uses_the_due_index(crowded: PostgresStore) -> None:
    """What is due for one owner is read from the (owner, next_due) index, in index order."""
    q = queries(crowded.backend.options.schema)
    plan = _plan(crowded, q["due"], [crowded.owner, UNTIL])
    scans = _scans(plan)
    assert scans in (
        [("Index Only Scan", "relationships_due")],
        [("Index Scan", "relationships_due")],
    ), scans
    assert not any(node["Node Type"] == "Sort" for node in _nodes(plan))
    assert len(crowded.due(UNTIL)) > 0


@pytest.mark.parametrize(
    ("key", "params", "index"),
    [
        ("get_contact", ["c7"], "contacts_pkey"),
        ("events", ["c7"], "events_pkey"),
        ("contact_state", ["c7"], None),
        ("list_contacts_where", [], "contacts_pkey"),
        ("unrefer_contacts", ["c7"], "contacts_referrer"),
        ("unrelate_events", ["c7"], "events_related"),
    ],
)
def test_one_owner_queries_never_scan_whole_tables(
    crowded: PostgresStore, key: str, params: list[Any], index: str | None
) -> None:
    """Reads and erase's reference lookups use indexes: no sequential scan of shared tables."""
    q = queries(crowded.backend.options.schema)
    query = q["list_contacts"] + " WHERE c.owner = %s ORDER BY c.name, c.id"
    text = query if key == "list_contacts_where" else q[key]
    scans = _scans(_plan(crowded, text, [crowded.owner, *params]))
    assert scans and all(kind != "Seq Scan" for kind, _ in scans), scans
    assert any(name is not None for _, name in scans), scans
    if index is not None:
        assert index in {name for _, name in scans}, scans
