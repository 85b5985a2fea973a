"""The stored stage and next due time always equal the core's fold (Hypothesis)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from infointerview_sqlite import SqliteStore, database_url, open_sqlite_store
from infointerview_sqlite.rows import instant

from infointerview import TRANSITIONS, FollowUpPolicy, Stage, Workspace, accepted_events, fold
from infointerview.model import Contact, Event, EventKind

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
POLICIES = (FollowUpPolicy(), FollowUpPolicy(nudge_after_business_days=2, max_nudges=1))


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SqliteStore, Path]]:
    """One database for every example (each example uses fresh contact ids)."""
    path = tmp_path_factory.mktemp("fold") / "fold.db"
    store = open_sqlite_store(database_url(path, synchronous="normal"), "sam")
    yield store, path
    store.close()


@st.composite
def histories(draw: st.DrawFn) -> tuple[int | None, list[tuple[EventKind, int, int]]]:
    """A cadence and a legal event sequence: (kind, minutes later, offset hours) per step."""
    cadence = draw(st.none() | st.integers(1, 120))
    stage = Stage.IDENTIFIED
    steps: list[tuple[EventKind, int, int]] = []
    for _ in range(draw(st.integers(1, 14))):
        kind = draw(st.sampled_from(accepted_events(stage)))
        steps.append((kind, draw(st.integers(0, 60 * 24 * 15)), draw(st.integers(-11, 13))))
        stage = TRANSITIONS[stage][kind]
    return cadence, steps


def _events(contact_id: str, related: str, steps: list[tuple[EventKind, int, int]]) -> list[Event]:
    at = T0
    made = []
    for kind, minutes, offset in steps:
        at += timedelta(minutes=minutes)
        made.append(
            Event(
                contact_id=contact_id,
                kind=kind,
                at=at.astimezone(timezone(timedelta(hours=offset))),
                scheduled_for=at + timedelta(days=2) if kind is EventKind.SCHEDULED else None,
                related_contact_id=related if kind is EventKind.REFERRED else None,
            )
        )
    return made


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories(), policy=st.sampled_from(POLICIES))
def test_stored_fold_equals_the_core_fold(
    shared: tuple[SqliteStore, Path],
    history: tuple[int | None, list[tuple[EventKind, int, int]]],
    policy: FollowUpPolicy,
) -> None:
    """After every event (and a cadence change) the stored fold equals the core's."""
    store, path = shared
    cadence, steps = history
    workspace = Workspace(store, policy=policy)
    contact_id, related = uuid.uuid4().hex, uuid.uuid4().hex
    workspace.add_contacts(
        [Contact(name="Ann", id=contact_id, cadence_days=cadence), Contact(name="R", id=related)]
    )
    events = _events(contact_id, related, steps)
    for count, event in enumerate(events, start=1):
        workspace.append(event)
        expected = fold(events[:count])
        due = min((r.due for r in workspace.reminders(contact_id)), default=None)
        rel = store.get_relationship(contact_id)
        assert (rel.stage, rel.next_due, rel.events) == (expected.stage, due, tuple(events[:count]))
        conn = sqlite3.connect(path)
        try:
            row = conn.execute(
                "SELECT stage, events, next_due_us FROM relationships "
                "WHERE owner = 'sam' AND contact_id = ?",
                (contact_id,),
            ).fetchone()
        finally:
            conn.close()
        assert row == (expected.stage.value, count, None if due is None else instant(due))
        assert contact_id in {c.id for c in store.list_contacts(stage=expected.stage)}
        if due is not None:
            assert contact_id in {e.contact_id for e in store.due(due)}
            assert contact_id not in {e.contact_id for e in store.due(due - timedelta(seconds=1))}
    changed = workspace.update_contact(
        attrs.evolve(workspace.contact(contact_id), cadence_days=(cadence or 60) + 7)
    )
    due = min((r.due for r in workspace.reminders(contact_id)), default=None)
    assert store.get_relationship(contact_id).next_due == due
    assert changed.version == 2
