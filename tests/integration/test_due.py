"""What is due, through the workspace: served from the stored index, on every store at hand."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import infointerview as ii
from infointerview.followup import (
    Cadence,
    FollowUpPolicy,
    ReminderReason,
    due_reminders,
    next_due,
)
from infointerview.stages import RelationshipState, accepted_events, fold, step

LONDON = ZoneInfo("Europe/London")
MON = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)  # a Monday
R = ReminderReason


@pytest.fixture(params=["memory", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store URL: the built-in memory store, and SQLite when its plugin is installed."""
    if request.param == "memory":
        return "memory://"
    return f"sqlite:///{tmp_path}/due.db"


@pytest.fixture
def ws(url: str) -> Iterator[ii.Workspace]:
    """A fresh workspace on the store named by ``url``."""
    try:
        workspace = ii.open_workspace(url, owner="seeker")
    except ii.PluginError as exc:  # pragma: no cover - only without the plugin
        pytest.skip(str(exc))
    with workspace:
        yield workspace


def add(ws: ii.Workspace, name: str, **kw: Any) -> ii.Contact:
    """Store a contact called ``name``."""
    return ws.add_contact(ii.Contact(name=name, **kw))


def met_and_thanked(ws: ii.Workspace, contact: ii.Contact, at: datetime) -> None:
    """Log a whole ask-to-thank-you history ending with the thank-you at ``at``."""
    ws.log(contact.id, "asked", at=at - timedelta(days=10), channel="email")
    ws.log(contact.id, "scheduled", at=at - timedelta(days=9), scheduled_for=at - timedelta(days=1))
    ws.log(contact.id, "met", at=at - timedelta(days=1))
    ws.log(contact.id, "thanked", at=at)


def test_due_lists_what_is_owed_most_urgent_first(ws: ii.Workspace) -> None:
    """A thank-you, an overdue nudge and a keep-in-touch, in that order, each with its kind."""
    ann = add(ws, "Ann")
    bob = add(ws, "Bob")
    cat = add(ws, "Cat")
    ws.log(bob.id, "asked", at=MON, channel="email")
    met_and_thanked(ws, cat, MON - timedelta(days=70))
    meeting = MON + timedelta(days=13)
    ws.log(ann.id, "asked", at=MON)
    ws.log(ann.id, "scheduled", at=MON + timedelta(days=1), scheduled_for=meeting)
    ws.log(ann.id, "met", at=meeting)
    now = meeting + timedelta(hours=3)
    due = ws.due(now)
    assert [(r.contact_id, r.reason, r.message_kind, r.overdue) for r in due] == [
        (ann.id, R.THANK_YOU, "thank_you", False),
        (bob.id, R.NUDGE, "follow_up", True),
        (bob.id, R.APPROACH_ANOTHER, "ask_cold", True),
        (cat.id, R.KEEP_WARM, "keep_in_touch_article", False),
    ]
    assert all(r.due <= now for r in due)


def test_a_reminder_leaves_the_list_once_its_event_is_logged(ws: ii.Workspace) -> None:
    """Log the thank-you and it is no longer due; log a touch and keep-warm moves on."""
    ann = add(ws, "Ann")
    ws.log(ann.id, "asked", at=MON)
    ws.log(ann.id, "scheduled", at=MON, scheduled_for=MON + timedelta(days=2))
    ws.log(ann.id, "met", at=MON + timedelta(days=2))
    now = MON + timedelta(days=2, hours=4)
    assert [r.reason for r in ws.due(now)] == [R.THANK_YOU]
    ws.log(ann.id, "thanked", at=now)
    assert ws.due(now) == []
    later = now + timedelta(days=70)
    assert [r.reason for r in ws.due(later)] == [R.KEEP_WARM]
    ws.log(ann.id, "touched", at=later, channel="phone")
    assert ws.due(later) == []


def test_due_reads_only_the_relationships_the_index_returns(
    ws: ii.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Of 30 relationships, only the 2 the store reports due are read."""
    people = [add(ws, f"P{n}") for n in range(30)]
    for person in people:
        ws.log(person.id, "asked", at=MON)
    for person in people[2:]:
        ws.log(person.id, "declined", at=MON + timedelta(days=1))
    read: list[str] = []
    listed: list[str] = []
    real_get, real_due = ws.store.get_relationship, ws.store.due

    def get_relationship(contact_id: str) -> ii.Relationship:
        read.append(contact_id)
        return real_get(contact_id)

    def due(until: datetime) -> list[ii.DueEntry]:
        entries = real_due(until)
        listed.extend(e.contact_id for e in entries)
        return entries

    monkeypatch.setattr(ws.store, "get_relationship", get_relationship)
    monkeypatch.setattr(ws.store, "due", due)
    found = ws.due(MON + timedelta(days=4))
    assert {r.contact_id for r in found} == {people[0].id, people[1].id}
    assert set(read) == set(listed) == {people[0].id, people[1].id}


def test_approach_another_names_colleagues_not_yet_asked(ws: ii.Workspace) -> None:
    """The reminder lists untouched colleagues and suggests the ask that suits the first."""
    ann = add(ws, "Ann", organisation="Acme")
    bea = add(ws, "Bea", organisation="Acme", source="alumni")
    add(ws, "Cy", organisation="Elsewhere")
    ws.log(ann.id, "asked", at=MON)
    (approach,) = [r for r in ws.due(MON + timedelta(days=4)) if r.reason is R.APPROACH_ANOTHER]
    assert approach.alternatives == (bea.id,)
    assert approach.message_kind == "ask_affiliation"


def test_approach_another_goes_once_a_colleague_is_asked(ws: ii.Workspace) -> None:
    """Asking a colleague after the first ask settles the reminder."""
    ann = add(ws, "Ann", organisation="Acme")
    bea = add(ws, "Bea", organisation="Acme")
    ws.log(ann.id, "asked", at=MON)
    ws.log(bea.id, "asked", at=MON + timedelta(days=3, hours=2))
    reasons = {(r.contact_id, r.reason) for r in ws.due(MON + timedelta(days=4))}
    assert (ann.id, R.APPROACH_ANOTHER) not in reasons


def test_close_unanswered_moves_silent_asks_to_no_reply(ws: ii.Workspace) -> None:
    """After two unanswered nudges and the wait, the ask is closed with a gave_up event."""
    ann = add(ws, "Ann")
    bob = add(ws, "Bob")
    ws.log(ann.id, "asked", at=MON)
    ws.log(ann.id, "followed_up", at=MON + timedelta(days=9))
    ws.log(ann.id, "followed_up", at=MON + timedelta(days=18))
    ws.log(bob.id, "asked", at=MON + timedelta(days=18))
    now = MON + timedelta(days=40)
    assert [r.reason for r in ws.due(now) if r.contact_id == ann.id] == [R.GIVE_UP]
    assert ws.close_unanswered(now) == [ann.id]
    rel = ws.relationship(ann.id)
    assert rel.stage is ii.Stage.NO_REPLY
    assert (rel.events[-1].kind, rel.events[-1].at) == (ii.EventKind.GAVE_UP, now)
    assert ws.close_unanswered(now) == []
    assert ws.stage(bob.id) is ii.Stage.ASKED


def test_losing_touch_lists_long_silences_longest_first(ws: ii.Workspace) -> None:
    """Everyone silent longer than the limit, whatever their cadence; waiting asks are not."""
    old = add(ws, "Old", cadence_days=365)
    older = add(ws, "Older")
    recent = add(ws, "Recent")
    waiting = add(ws, "Waiting")
    met_and_thanked(ws, old, MON - timedelta(days=130))
    met_and_thanked(ws, older, MON - timedelta(days=200))
    met_and_thanked(ws, recent, MON - timedelta(days=10))
    ws.log(waiting.id, "asked", at=MON - timedelta(days=300))
    found = ws.losing_touch(MON)
    assert [e.contact_id for e in found] == [older.id, old.id]
    assert [e.contact_id for e in ws.losing_touch(MON, after=timedelta(days=5))] == [
        older.id,
        old.id,
        recent.id,
    ]


def test_changing_a_contact_cadence_moves_its_stored_due_time(ws: ii.Workspace) -> None:
    """update_contact recomputes the stored next due time from the new cadence."""
    ann = add(ws, "Ann")
    met_and_thanked(ws, ann, MON)
    before = ws.relationship(ann.id).next_due
    ann = ws.update_contact(attrs.evolve(ws.contact(ann.id), cadence_days=14))
    after = ws.relationship(ann.id).next_due
    assert before is not None and after is not None
    assert after.date() == (MON + timedelta(days=14)).date() < before.date()


def test_refresh_due_applies_a_new_policy(ws: ii.Workspace) -> None:
    """After switching to a 10-day cadence, refresh_due rewrites the stored times."""
    people = [add(ws, f"P{n}") for n in range(3)]
    for person in people[:2]:
        met_and_thanked(ws, person, MON)
    ws.policy = FollowUpPolicy(keep_warm=Cadence(10, 20))
    assert ws.refresh_due() == 2
    assert ws.refresh_due() == 0
    for person in people:
        rel = ws.relationship(person.id)
        assert rel.next_due == next_due(fold(rel.events), person, ws.policy)


def test_promised_follow_ups_bring_the_next_touch_forward(ws: ii.Workspace) -> None:
    """A promise made at the interview is due within 7 days; a touch keeps it."""
    ann = add(ws, "Ann")
    meeting = MON + timedelta(days=7)
    ws.log(ann.id, "asked", at=MON)
    ws.log(ann.id, "scheduled", at=MON, scheduled_for=meeting)
    interview = ws.save_interview(ii.Interview(contact_id=ann.id, at=meeting))
    ws.record_interview(interview.id, held_at=meeting, promised_followups=["send the article"])
    ws.log(ann.id, "thanked", at=meeting + timedelta(hours=5))
    rel = ws.relationship(ann.id)
    assert rel.next_due is not None
    assert rel.next_due.date() == (meeting + timedelta(days=7)).date()
    (promise,) = ws.due(meeting + timedelta(days=8))
    assert (promise.reason, promise.message_kind) == (R.PROMISED_FOLLOW_UP, "keep_in_touch_update")
    ws.log(ann.id, "touched", at=meeting + timedelta(days=8))
    assert ws.due(meeting + timedelta(days=8)) == []
    assert [r.reason for r in ws.reminders(ann.id)] == [R.KEEP_WARM]


def test_upcoming_looks_ahead_and_refuses_a_window_that_ends_before_now(ws: ii.Workspace) -> None:
    """Reminders due within the window come back, not yet overdue; a reversed window is refused."""
    ann = add(ws, "Ann")
    ws.log(ann.id, "asked", at=MON)
    ahead = ws.upcoming(MON, until=MON + timedelta(days=14))
    assert [r.reason for r in ahead] == [R.NUDGE, R.APPROACH_ANOTHER]
    assert not any(r.overdue for r in ahead)
    assert ws.due(MON) == []
    with pytest.raises(ii.InvalidInputError, match="before now"):
        ws.upcoming(MON, until=MON - timedelta(days=1))


def test_the_workspace_report(ws: ii.Workspace) -> None:
    """report(now) measures the workspace; report_text names people."""
    ann = add(ws, "Ann Lee", source="alumni")
    met_and_thanked(ws, ann, MON)
    add(ws, "Omar Haddad", source="referral", referrer_id=ann.id)
    report = ws.report(MON + timedelta(days=1))
    assert report.funnel.steps()[:5] == (
        ("found", 2),
        ("asked", 1),
        ("scheduled", 1),
        ("met", 1),
        ("thanked", 1),
    )
    assert report.tree.door_openers[0].contact_id == ann.id
    text = ws.report_text(MON + timedelta(days=1))
    assert "Ann Lee" in text and "Thank-yous: 1 of 1 on time (100%)" in text


# -- the stored next due always equals the fold ------------------------------


@st.composite
def logs(draw: st.DrawFn) -> list[tuple[str, datetime, datetime | None]]:
    """A legal sequence of (kind, at, scheduled_for), crossing clock changes and year ends."""
    zone = draw(st.sampled_from([LONDON, ZoneInfo("America/New_York"), UTC]))
    at = datetime(2025, 12, 1, 12, tzinfo=UTC) + timedelta(hours=draw(st.integers(0, 24 * 150)))
    state = RelationshipState()
    found: list[tuple[str, datetime, datetime | None]] = []
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(accepted_events(state.stage)))
        at = (at + timedelta(minutes=draw(st.integers(0, 60 * 24 * 25)))).astimezone(zone)
        scheduled_for = at + timedelta(days=2) if kind is ii.EventKind.SCHEDULED else None
        state = step(state, ii.Event(contact_id="x", kind=kind, at=at, scheduled_for=scheduled_for))
        found.append((kind.value, at, scheduled_for))
    return found


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(histories=st.lists(logs(), min_size=1, max_size=4), days=st.integers(0, 200))
def test_stored_next_due_equals_the_fold_and_due_agrees_with_the_policy(
    url: str,
    tmp_path: Path,
    histories: list[list[tuple[str, datetime, datetime | None]]],
    days: int,
) -> None:
    """After any histories the stored next due is the policy's; due() is the union of each."""
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path}/{len(list(tmp_path.iterdir()))}.db"
    policy = FollowUpPolicy(timezone="Europe/London", tag_cadences={"mentor": Cadence(30, 45)})
    with ii.open_workspace(url, owner="seeker", policy=policy) as ws:
        people = [add(ws, "P", tags={"mentor"} if n % 2 else ()) for n in range(len(histories))]
        for person, history in zip(people, histories, strict=True):
            for kind, at, scheduled_for in history:
                ws.log(person.id, kind, at=at, scheduled_for=scheduled_for)
        now = datetime(2025, 12, 1, tzinfo=UTC) + timedelta(days=days)
        expected = []
        for person in people:
            rel = ws.relationship(person.id)
            state = fold(rel.events)
            assert rel.next_due == next_due(state, person, ws.policy)
            expected += due_reminders(state, person, ws.policy, now)
        key = lambda r: (r.contact_id, r.reason, r.due)  # noqa: E731
        assert sorted(ws.due(now), key=key) == sorted(expected, key=key)


DOC = Path(__file__).resolve().parents[2] / "docs" / "followup.md"


def test_the_followup_page_examples_print_what_the_page_shows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every Python block of docs/followup.md runs and prints the text block after it.

    The block that needs the optional ``holidays`` package is left out without it.
    """
    pytest.importorskip("infointerview_calendar")
    try:
        import holidays  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the environment
        has_holidays = False
    else:
        has_holidays = True
    blocks = re.findall(r"```(python|text)\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert sum(lang == "python" for lang, _ in blocks) >= 8
    namespace: dict[str, Any] = {}
    printed: str | None = None
    skipping = False
    for lang, body in blocks:
        if lang == "python":
            skipping = "from_country" in body and not has_holidays
            if not skipping:
                exec(compile(body, str(DOC), "exec"), namespace)
                printed = capsys.readouterr().out
        elif not skipping:
            assert printed is not None, body
            assert printed.rstrip("\n") == body.rstrip("\n")
            printed = None
    namespace["ws"].close()
