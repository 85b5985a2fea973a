"""Analytics: the funnel, acceptance rates, time to meeting, the referral tree, the report."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from infointerview import Contact, Event, EventKind
from infointerview.analytics import (
    FUNNEL_STEPS,
    Acceptance,
    DoorOpener,
    Funnel,
    KeptWarm,
    ReferralTree,
    ThankYous,
    TimeToMeeting,
    acceptance,
    build_report,
    funnel,
    referral_tree,
    time_to_meeting,
)
from infointerview.followup import Cadence, FollowUpPolicy
from infointerview.model import Channel, ContactSource
from infointerview.stages import RelationshipState, accepted_events, step

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday
NOW = T0 + timedelta(days=30)
POLICY = FollowUpPolicy(keep_warm=Cadence(12, 25), business_days=False)


def d(days: float) -> datetime:
    """``days`` after T0."""
    return T0 + timedelta(days=days)


def e(cid: str, kind: str, at: datetime, **kw: object) -> Event:
    """One event."""
    return Event(contact_id=cid, kind=kind, at=at, **kw)  # type: ignore[arg-type]


CONTACTS = [
    Contact(name="Rita Root", id="ref", source="own_circle"),
    Contact(name="Ann A", id="a", source="referral", referrer_id="ref"),
    Contact(name="Ben B", id="b", source="referral", referrer_id="a"),
    Contact(name="Cat C", id="c", source="referral", referrer_id="a"),
    Contact(name="Dan D", id="d", source="referral", referrer_id="c"),
    Contact(name="Eve E", id="e", source="cold"),
    Contact(name="Fay F", id="f", source="alumni"),
    Contact(name="Gus G", id="g", source="alumni"),
]

LOGS: dict[str, list[Event]] = {
    "ref": [e("ref", "touched", d(1))],
    "a": [
        e("a", "asked", d(0), channel="email"),
        e("a", "accepted", d(1)),
        e("a", "scheduled", d(1), scheduled_for=d(7)),
        e("a", "met", d(7)),
        e("a", "referred", d(7), related_contact_id="b"),
        e("a", "referred", d(7), related_contact_id="c"),
        e("a", "thanked", d(7) + timedelta(hours=3)),
        e("a", "touched", d(20)),
    ],
    "b": [e("b", "asked", d(8), channel="linkedin_message"), e("b", "declined", d(9))],
    "c": [
        e("c", "asked", d(8), channel="email"),
        e("c", "scheduled", d(9), scheduled_for=d(14)),
        e("c", "met", d(14)),
        e("c", "referred", d(14), related_contact_id="d"),
        e("c", "thanked", d(16)),
    ],
    "d": [e("d", "asked", d(15), channel="email"), e("d", "replied", d(31))],
    "e": [
        e("e", "asked", d(0), channel="email"),
        e("e", "followed_up", d(9)),
        e("e", "followed_up", d(18)),
        e("e", "gave_up", d(27)),
    ],
    "f": [
        e("f", "asked", d(20)),
        e("f", "scheduled", d(21), scheduled_for=NOW - timedelta(hours=2)),
        e("f", "met", NOW - timedelta(hours=2)),
    ],
    "g": [
        e("g", "asked", d(0), channel="email"),
        e("g", "accepted", d(1)),
        e("g", "scheduled", d(1), scheduled_for=d(3)),
        e("g", "met", d(3)),
        e("g", "touched", d(10)),
    ],
}


def test_the_worked_example_funnel() -> None:
    """8 found, 7 asked, 4 scheduled and met, 2 thanked, 1 in touch (no thanks stops at met)."""
    assert funnel(CONTACTS, LOGS, now=NOW) == Funnel(8, 7, 4, 4, 2, 1)
    assert [name for name, _ in Funnel().steps()] == list(FUNNEL_STEPS)


def test_acceptance_by_channel_and_by_source() -> None:
    """Every ask is counted once per channel and once per source, with its outcome."""
    by_channel, by_source = acceptance(CONTACTS, LOGS, now=NOW)
    assert by_channel == (
        Acceptance("email", asked=5, accepted=3, no_reply=1),
        Acceptance("linkedin_message", asked=1, declined=1),
        Acceptance("unspecified", asked=1, accepted=1),
    )
    assert by_source == (
        Acceptance("referral", asked=4, accepted=2, declined=1),
        Acceptance("alumni", asked=2, accepted=2),
        Acceptance("cold", asked=1, no_reply=1),
    )
    assert by_channel[0].pending == 1
    assert by_channel[0].rate == 0.6
    assert Acceptance("none").rate is None


def test_a_late_yes_after_giving_up_counts_as_accepted() -> None:
    """An ask closed as unanswered that is accepted later moves from no reply to accepted."""
    log = {
        "x": [
            e("x", "asked", d(0), channel="email"),
            e("x", "gave_up", d(20)),
            e("x", "accepted", d(25)),
        ]
    }
    by_channel, _ = acceptance([Contact(name="X", id="x")], log, now=NOW)
    assert by_channel == (Acceptance("email", asked=1, accepted=1),)


def test_time_from_first_ask_to_meeting() -> None:
    """Waits of 3, 6, 7 days and 9 days 22 hours: median 6.5 days."""
    waits = time_to_meeting(CONTACTS, LOGS, now=NOW)
    assert waits == TimeToMeeting(
        count=4,
        median=timedelta(days=6, hours=12),
        mean=timedelta(days=6, hours=11, minutes=30),
        shortest=timedelta(days=3),
        longest=timedelta(days=9, hours=22),
    )
    assert time_to_meeting(CONTACTS[:1], LOGS, now=NOW) == TimeToMeeting()


def test_the_referral_tree_has_its_depth_breadth_and_door_openers() -> None:
    """ref -> a -> (b, c -> d): depth 3, widest level 2, ref reached 4 people."""
    assert referral_tree(CONTACTS) == ReferralTree(
        trees=1,
        referred=4,
        depth=3,
        breadth=2,
        door_openers=(DoorOpener("ref", 1, 4), DoorOpener("a", 2, 3), DoorOpener("c", 1, 1)),
    )
    assert referral_tree(CONTACTS, top=1).door_openers == (DoorOpener("ref", 1, 4),)


def test_a_loop_of_referrers_is_cut_and_an_unknown_referrer_ignored() -> None:
    """x refers y refers x (only possible by editing): measured without looping forever."""
    loop = [
        Contact(name="X", id="x", referrer_id="y"),
        Contact(name="Y", id="y", referrer_id="x"),
        Contact(name="Z", id="z", referrer_id="gone"),
    ]
    tree = referral_tree(loop)
    assert (tree.trees, tree.referred, tree.depth, tree.breadth) == (1, 1, 1, 1)


def test_the_whole_report_and_its_text() -> None:
    """The report gathers every measure; the text names the door openers."""
    report = build_report(CONTACTS, LOGS, policy=POLICY, now=NOW)
    assert report.referrals.interviews == 4
    assert report.referrals.referrals == 3
    assert report.referrals.per_interview == 0.75
    assert report.thank_yous == ThankYous(meetings=4, on_time=1, late=1, missing=1, pending=1)
    assert report.thank_yous.rate == 1 / 3
    assert report.kept_warm == KeptWarm(relationships=4, warm=1, due=2, overdue=1)
    text = report.to_text(names={c.id: c.name for c in CONTACTS})
    assert "Rita Root" in text
    assert "  found            8" in text
    assert "in touch         1   50% of the step above" in text
    assert "Referrals: 3 gained in 4 interview(s) (0.8 per interview)" in text
    assert "Thank-yous: 1 of 4 on time (33%); 1 late, 1 missing, 1 still within" in text
    assert "Rita" not in report.to_text()
    assert "Rita" not in repr(report)


def test_the_report_as_plain_json() -> None:
    """to_dict gives JSON-ready data with rates; durations in seconds."""
    data = build_report(CONTACTS, LOGS, policy=POLICY, now=NOW).to_dict()
    again = json.loads(json.dumps(data))
    assert again["funnel"]["asked"] == 7
    assert again["ask_to_meeting"]["shortest"] == 3 * 86400
    assert again["by_channel"][0] == {
        "key": "email",
        "asked": 5,
        "accepted": 3,
        "declined": 0,
        "no_reply": 1,
        "pending": 1,
        "rate": 0.6,
    }
    assert again["now"] == NOW.isoformat()


def test_an_empty_workspace_reports_zeros_and_dashes() -> None:
    """No contacts: every count is zero and every rate unknown."""
    report = build_report([], {}, policy=POLICY, now=NOW)
    assert report.funnel == Funnel()
    assert report.thank_yous.rate is None
    assert "(no asks yet)" in report.to_text()


# -- properties ------------------------------------------------------------


@st.composite
def histories(draw: st.DrawFn, cid: str) -> list[Event]:
    """A legal random log for contact ``cid``."""
    at = T0 + timedelta(minutes=draw(st.integers(0, 60 * 24 * 30)))
    state = RelationshipState()
    log: list[Event] = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(accepted_events(state.stage)))
        at += timedelta(minutes=draw(st.integers(0, 60 * 24 * 20)))
        event = Event(
            contact_id=cid,
            kind=kind,
            at=at,
            channel=draw(st.none() | st.sampled_from(Channel)),
            scheduled_for=at + timedelta(days=2) if kind is EventKind.SCHEDULED else None,
        )
        state = step(state, event)
        log.append(event)
    return log


@st.composite
def workspaces(draw: st.DrawFn) -> tuple[list[Contact], dict[str, list[Event]]]:
    """Random contacts (referrers among earlier ones) with random logs."""
    contacts: list[Contact] = []
    for n in range(draw(st.integers(0, 8))):
        earlier: list[str | None] = [None, *(c.id for c in contacts)]
        referrer = draw(st.sampled_from(earlier))
        contacts.append(
            Contact(
                name=f"C{n}",
                id=f"c{n}",
                source=draw(st.sampled_from(ContactSource)),
                referrer_id=referrer,
            )
        )
    return contacts, {c.id: draw(histories(c.id)) for c in contacts}


@settings(max_examples=150, deadline=None)
@given(world=workspaces(), days=st.integers(0, 400))
def test_funnel_counts_never_increase_down_the_funnel(
    world: tuple[list[Contact], dict[str, list[Event]]], days: int
) -> None:
    """found >= asked >= scheduled >= met >= thanked >= in touch, at any date."""
    contacts, logs = world
    counts = [n for _, n in funnel(contacts, logs, now=T0 + timedelta(days=days)).steps()]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == len(contacts)


@settings(max_examples=100, deadline=None)
@given(world=workspaces(), days=st.integers(0, 400))
def test_every_ask_is_counted_once_by_channel_and_once_by_source(
    world: tuple[list[Contact], dict[str, list[Event]]], days: int
) -> None:
    """Both tables add up to the asks logged by then, with no negative pending count."""
    contacts, logs = world
    now = T0 + timedelta(days=days)
    asks = sum(
        1 for log in logs.values() for ev in log if ev.kind is EventKind.ASKED and ev.at <= now
    )
    by_channel, by_source = acceptance(contacts, logs, now=now)
    for table in (by_channel, by_source):
        assert sum(row.asked for row in table) == asks
        assert all(row.pending >= 0 for row in table)


@settings(max_examples=100, deadline=None)
@given(world=workspaces(), days=st.integers(0, 400))
def test_events_after_now_are_left_out(
    world: tuple[list[Contact], dict[str, list[Event]]], days: int
) -> None:
    """A report as of ``now`` is the report of the logs cut at ``now``."""
    contacts, logs = world
    now = T0 + timedelta(days=days)
    cut = {cid: [ev for ev in log if ev.at <= now] for cid, log in logs.items()}
    assert build_report(contacts, logs, policy=POLICY, now=now) == build_report(
        contacts, cut, policy=POLICY, now=now
    )


def _chain_lengths(contacts: Sequence[Contact]) -> dict[str, int]:
    by_id = {c.id: c for c in contacts}
    depth: dict[str, int] = {}
    for contact in contacts:  # referrers come earlier, so theirs is known
        parent = contact.referrer_id
        depth[contact.id] = 0 if parent is None else depth[parent] + 1
        assert parent is None or parent in by_id
    return depth


@settings(max_examples=150, deadline=None)
@given(world=workspaces())
def test_the_tree_matches_a_naive_count_when_there_is_no_loop(
    world: tuple[list[Contact], dict[str, list[Event]]],
) -> None:
    """Depth, referred count and the best door opener agree with a direct computation."""
    contacts, _ = world
    tree = referral_tree(contacts, top=len(contacts))
    depth = _chain_lengths(contacts)
    assert tree.referred == sum(1 for c in contacts if c.referrer_id is not None)
    assert tree.depth == max(depth.values(), default=0)
    levels = [v for v in depth.values() if v]
    assert tree.breadth == max((levels.count(v) for v in levels), default=0)
    below = {c.id: 0 for c in contacts}
    for contact in contacts:
        parent = contact.referrer_id
        while parent is not None:
            below[parent] += 1
            parent = next(c.referrer_id for c in contacts if c.id == parent)
    assert {o.contact_id: o.total for o in tree.door_openers} == {
        k: v for k, v in below.items() if v
    }


@settings(max_examples=100, deadline=None)
@given(
    referrers=st.lists(st.integers(0, 7) | st.none(), min_size=1, max_size=8),
)
def test_any_referrer_graph_is_measured_even_with_loops(referrers: list[int | None]) -> None:
    """Loops and self-references never hang or count anyone twice."""
    n = len(referrers)
    contacts = [
        attrs.evolve(Contact(name="X", id=f"c{i}"), referrer_id=None if r is None else f"c{r % n}")
        if r is None or r % n != i
        else Contact(name="X", id=f"c{i}")
        for i, r in enumerate(referrers)
    ]
    tree = referral_tree(contacts, top=n)
    assert tree.referred <= n - 1
    assert tree.depth <= n - 1
    assert all(o.total <= n - 1 for o in tree.door_openers)
