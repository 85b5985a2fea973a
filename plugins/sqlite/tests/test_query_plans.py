"""Every query the workspace makes is served by an index, never a full table scan."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from infointerview_sqlite import database_url, open_sqlite_store
from infointerview_sqlite.store import DUE_QUERY, contacts_query

from infointerview.model import Contact, Event
from infointerview.stages import Stage

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two owners with 500 contacts each, some with events, tags and referrers."""
    db_path = tmp_path_factory.mktemp("plans") / "plans.db"
    for owner in ("sam", "kim"):
        store = open_sqlite_store(database_url(db_path, synchronous="normal"), owner)
        batch = [
            Contact(
                name=f"P{n}",
                organisation=f"Org {n % 20}",
                tags={f"t{n % 7}"},
                referrer_id=f"c{n - 1}" if n % 5 else None,
                id=f"c{n}",
            )
            for n in range(500)
        ]
        store.add_contacts(batch)
        for n in range(0, 500, 3):
            store.append_event(
                Event(contact_id=f"c{n}", kind="asked", at=T0),
                expected_version=0,
                stage=Stage.ASKED,
                next_due=T0 + timedelta(hours=n),
            )
        store.close()
    return db_path


def _plan(db_path: Path, sql: str, params: list[Any] | tuple[Any, ...]) -> str:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    finally:
        conn.close()
    return "\n".join(str(row[-1]) for row in rows)


def _assert_no_scan(plan: str) -> None:
    scans = [line for line in plan.splitlines() if line.startswith("SCAN")]
    assert scans == [], plan


def test_due_uses_the_due_index(populated: Path) -> None:
    """``due()`` searches the covering (owner, next_due) index; no table is scanned."""
    plan = _plan(populated, DUE_QUERY, ("sam", 10**15))
    assert "USING COVERING INDEX relationships_due (owner=? AND next_due_us<?)" in plan
    assert "TEMP B-TREE" not in plan
    _assert_no_scan(plan)


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"organisation": "Org 3"}, "contacts_organisation"),
        ({"referrer_id": "c7"}, "contacts_referrer"),
        ({"tag": "t3"}, "contact_tags USING PRIMARY KEY (owner=? AND tag=?)"),
        ({"stage": Stage.ASKED}, "relationships_stage"),
        ({"stage": Stage.ASKED, "tag": "t1"}, "relationships_stage"),
        (
            {"organisation": "Org 3", "tag": "t1", "stage": Stage.MET},
            "contact_tags USING PRIMARY KEY",
        ),
    ],
)
def test_contact_filters_use_their_index(
    populated: Path, filters: dict[str, Any], index: str
) -> None:
    """Listing by stage, organisation, tag or referrer searches an index."""
    sql, params = contacts_query("sam", **filters)
    plan = _plan(populated, sql, params)
    assert index in plan
    _assert_no_scan(plan)


def test_listing_identified_contacts_reads_only_the_owners_rows(populated: Path) -> None:
    """The 'identified' listing walks the owner's key range, probing relationships by key."""
    sql, params = contacts_query("sam", stage=Stage.IDENTIFIED)
    plan = _plan(populated, sql, params)
    assert plan.splitlines()[0].startswith("SEARCH c USING INDEX")
    assert plan.splitlines()[0].endswith("(owner=?)")
    assert "SEARCH r USING PRIMARY KEY (owner=? AND contact_id=?)" in plan
    _assert_no_scan(plan)


@pytest.mark.parametrize(
    ("sql", "index"),
    [
        (
            "SELECT record FROM interviews WHERE owner = ? AND contact_id = ? ORDER BY at_us, id",
            "interviews_contact",
        ),
        ("SELECT record FROM interviews WHERE owner = ? ORDER BY at_us, id", "interviews_at"),
        (
            "SELECT record FROM messages WHERE owner = ? AND contact_id = ? ORDER BY seq",
            "messages_contact",
        ),
        (
            "SELECT id FROM events WHERE owner = ? AND contact_id = ? ORDER BY seq",
            "PRIMARY KEY",
        ),
    ],
)
def test_per_contact_reads_use_an_index(populated: Path, sql: str, index: str) -> None:
    """Interviews, messages and events of one contact come from an index, in order."""
    params = ("sam", "c3") if sql.count("?") == 2 else ("sam",)
    plan = _plan(populated, sql, params)
    assert index in plan
    assert "TEMP B-TREE" not in plan
    _assert_no_scan(plan)


def test_the_plan_check_notices_a_scan(populated: Path) -> None:
    """A query with no usable index does show a SCAN (the check above can fail)."""
    plan = _plan(populated, "SELECT id FROM contacts WHERE role = ?", ("x",))
    with pytest.raises(AssertionError):
        _assert_no_scan(plan)
