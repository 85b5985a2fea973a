"""The follow-up policy: business days, 3B7, thank-yous, keep-warm cadences, promises."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from infointerview import Contact, Event, EventKind, InvalidInputError, Stage
from infointerview.followup import (
    BusinessCalendar,
    Cadence,
    FollowUpPolicy,
    Reminder,
    ReminderReason,
    add_business_days,
    ask_kind,
    by_urgency,
    due_reminders,
    losing_touch,
    next_due,
    promise_anchor,
    reminders,
)
from infointerview.model import Interview
from infointerview.stages import RelationshipState, accepted_events, fold, step

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
ANN = Contact(name="Ann Secretname", organisation="Acme", id="ann")
R = ReminderReason

# Monday 2 March 2026, 09:00 in London.
MON = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)

UK_WINTER = frozenset({date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1)})


def ev(kind: str, at: datetime, **kw: object) -> Event:
    """An event of ANN's."""
    return Event(contact_id=ANN.id, kind=kind, at=at, **kw)  # type: ignore[arg-type]


def state_of(*events: Event) -> RelationshipState:
    """The fold of the given events."""
    return fold(events)


def only(found: list[Reminder], reason: ReminderReason) -> Reminder:
    """The one reminder with ``reason``."""
    matching = [r for r in found if r.reason is reason]
    assert len(matching) == 1, found
    return matching[0]


def london(**kwargs: object) -> FollowUpPolicy:
    """A policy counting days in London, with ``kwargs`` changed."""
    return FollowUpPolicy(**{"timezone": "Europe/London", **kwargs})  # type: ignore[arg-type]


# -- business days ---------------------------------------------------------


def test_three_business_days_from_a_thursday_skip_the_weekend() -> None:
    """Thursday plus 3 business days is the next Tuesday, same time of day."""
    thursday = datetime(2026, 3, 5, 14, 30, tzinfo=LONDON)
    assert add_business_days(thursday, 3) == datetime(2026, 3, 10, 14, 30, tzinfo=LONDON)


def test_business_days_skip_holidays_across_the_year_end() -> None:
    """Asked on 22 Dec 2025 with UK holidays: 3 days is 29 Dec, 7 days is 5 Jan."""
    asked = datetime(2025, 12, 22, 10, 0, tzinfo=LONDON)
    cal = BusinessCalendar(UK_WINTER)
    assert add_business_days(asked, 3, cal).date() == date(2025, 12, 29)
    assert add_business_days(asked, 7, cal).date() == date(2026, 1, 5)


def test_plain_dates_are_accepted_as_a_calendar() -> None:
    """An iterable of dates works as the holiday list."""
    friday = datetime(2025, 12, 24, 9, 0, tzinfo=UTC)
    assert add_business_days(friday, 1, UK_WINTER).date() == date(2025, 12, 29)


def test_zero_business_days_rolls_a_weekend_forward() -> None:
    """Zero days from a Saturday gives Monday; from a Monday, the Monday itself."""
    saturday = datetime(2026, 3, 7, 11, 0, tzinfo=UTC)
    assert add_business_days(saturday, 0).date() == date(2026, 3, 9)
    assert add_business_days(MON, 0) == MON


def test_negative_business_days_are_refused() -> None:
    """Counting backwards is an error that says so."""
    with pytest.raises(InvalidInputError, match="forward"):
        add_business_days(MON, -1)


def test_business_days_keep_the_local_time_across_a_clock_change() -> None:
    """Friday 09:00 before the spring change plus 1 business day is Monday 09:00 local time."""
    friday = datetime(2026, 3, 27, 9, 0, tzinfo=LONDON)
    monday = add_business_days(friday, 1)
    assert (monday.date(), monday.time()) == (date(2026, 3, 30), time(9, 0))
    assert monday.utcoffset() == timedelta(hours=1)


def test_days_are_counted_on_the_chosen_zone_calendar() -> None:
    """Friday 23:30 in New York is Saturday in London: the zone decides the start day."""
    late_friday = datetime(2026, 3, 6, 23, 30, tzinfo=NEW_YORK)
    assert add_business_days(late_friday, 1).date() == date(2026, 3, 9)
    in_london = add_business_days(late_friday, 1, zone=LONDON)
    assert in_london.date() == date(2026, 3, 9)
    assert in_london.tzinfo is LONDON
    assert in_london.time() == time(4, 30)


def test_a_day_a_zone_skipped_is_never_the_answer() -> None:
    """Samoa skipped 30 Dec 2011: a count landing there moves to the next business day."""
    apia = ZoneInfo("Pacific/Apia")
    thursday = datetime(2011, 12, 29, 10, 0, tzinfo=apia)
    result = add_business_days(thursday, 1)
    assert result.date() == date(2012, 1, 2)
    assert result.time() == time(10, 0)


def test_a_custom_weekend_is_honoured() -> None:
    """With a Friday-Saturday weekend, Thursday plus 1 business day is Sunday."""
    cal = BusinessCalendar(weekend={4, 5})
    thursday = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    assert add_business_days(thursday, 1, cal).date() == date(2026, 3, 8)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weekend": range(7)}, "all seven"),
        ({"weekend": {7}}, "0 \\(Monday\\) to 6"),
        ({"holidays": {datetime(2026, 1, 1, tzinfo=UTC)}}, "datetime.date"),
    ],
)
def test_a_bad_calendar_is_refused(kwargs: dict[str, object], message: str) -> None:
    """An impossible weekend or a datetime among the holidays is refused with a reason."""
    with pytest.raises(InvalidInputError, match=message):
        BusinessCalendar(**kwargs)  # type: ignore[arg-type]


def test_a_country_calendar_comes_from_the_holidays_package() -> None:
    """GB/England in 2025 has Christmas Day and Boxing Day off; extra days are added."""
    pytest.importorskip("holidays")
    cal = BusinessCalendar.from_country("GB", [2025], subdiv="ENG", extra=[date(2025, 12, 24)])
    assert {date(2025, 12, 24), date(2025, 12, 25), date(2025, 12, 26)} <= cal.holidays
    assert not cal.is_business_day(date(2025, 12, 25))
    assert "Christmas" not in repr(cal)


def test_an_unknown_country_is_refused_with_a_hint() -> None:
    """A code the holidays package does not know gives an error naming it."""
    pytest.importorskip("holidays")
    with pytest.raises(InvalidInputError, match="'XX'"):
        BusinessCalendar.from_country("XX", [2025])


def test_a_country_calendar_without_the_package_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the optional package the error names the extra to install."""
    monkeypatch.setitem(sys.modules, "holidays", None)
    with pytest.raises(InvalidInputError, match=r"infointerview\[holidays\]"):
        BusinessCalendar.from_country("GB", [2025])


# -- the policy itself -----------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"nudge_after_business_days": 0},
        {"max_nudges": -1},
        {"approach_another_after_business_days": True},
        {"thank_you_within": timedelta(0)},
        {"prepare_before": 3},
        {"timezone": "Mars/Olympus"},
        {"timezone": None},
        {"tag_cadences": {"mentor": 30}},
        {"source_cadences": {"friend": Cadence(30)}},
    ],
)
def test_a_bad_policy_is_refused(kwargs: dict[str, object]) -> None:
    """Every number is checked; the error names the field."""
    with pytest.raises(InvalidInputError):
        FollowUpPolicy(**kwargs)  # type: ignore[arg-type]


def test_a_cadence_defaults_its_maximum_and_refuses_one_below_the_ideal() -> None:
    """Cadence(30) allows 45 days; a maximum shorter than the ideal is refused."""
    assert Cadence(30).maximum_days == 45
    with pytest.raises(InvalidInputError, match="at least"):
        Cadence(30, 20)
    with pytest.raises(InvalidInputError):
        Cadence(0)


def test_cadences_come_from_contact_then_tag_then_source_then_default() -> None:
    """A contact's own cadence wins, then its most frequent tag, then its source."""
    policy = london(
        keep_warm=Cadence(60, 90),
        tag_cadences={"mentor": Cadence(30, 45), "peer": Cadence(45, 60)},
        source_cadences={"own_circle": Cadence(90, 120)},
    )
    plain = Contact(name="X", source="cold")
    assert policy.cadence_for(plain) == Cadence(60, 90)
    assert policy.cadence_for(attrs.evolve(plain, source="own_circle")).ideal_days == 90
    mentor = attrs.evolve(plain, source="own_circle", tags={"peer", "mentor"})
    assert policy.cadence_for(mentor) == Cadence(30, 45)
    assert policy.cadence_for(attrs.evolve(mentor, cadence_days=14)).ideal_days == 14
    assert policy.keep_warm_interval(mentor) == timedelta(days=30)


# -- 3B7: an ask with no reply ---------------------------------------------


def test_an_unanswered_ask_follows_3b7_then_a_second_nudge_then_give_up() -> None:
    """Ask Monday: approach another Thursday, nudge after 7 business days, twice, then close."""
    policy = london()
    asked = ev("asked", MON, channel="email")
    found = reminders(state_of(asked), ANN, policy)
    assert [r.reason for r in found] == [R.APPROACH_ANOTHER, R.NUDGE]
    approach, nudge = found
    assert approach.due == datetime(2026, 3, 5, 9, 0, tzinfo=LONDON)
    assert approach.message_kind == "ask_cold"
    assert nudge.due == datetime(2026, 3, 11, 9, 0, tzinfo=LONDON)
    assert nudge.overdue_at == datetime(2026, 3, 13, 9, 0, tzinfo=LONDON)
    assert nudge.message_kind == "follow_up"

    first = ev("followed_up", nudge.due)
    found = reminders(state_of(asked, first), ANN, policy)
    assert [r.reason for r in found] == [R.NUDGE]
    assert found[0].due == datetime(2026, 3, 20, 9, 0, tzinfo=LONDON)

    second = ev("followed_up", found[0].due)
    found = reminders(state_of(asked, first, second), ANN, policy)
    assert [(r.reason, r.message_kind) for r in found] == [(R.GIVE_UP, None)]
    assert found[0].due == datetime(2026, 3, 31, 9, 0, tzinfo=LONDON)

    closed = state_of(asked, first, second, ev("gave_up", found[0].due))
    assert closed.stage is Stage.NO_REPLY
    assert reminders(closed, ANN, policy) == []


def test_no_nudges_allowed_means_closing_after_the_first_wait() -> None:
    """With max_nudges=0 the 7-day reminder says to close the ask."""
    found = reminders(state_of(ev("asked", MON)), ANN, london(max_nudges=0))
    assert [r.reason for r in found] == [R.APPROACH_ANOTHER, R.GIVE_UP]


def test_after_a_reply_the_wait_counts_from_the_reply_and_nudges_start_over() -> None:
    """A reply resets the unanswered nudges; the next nudge is 7 business days after it."""
    asked, nudge = ev("asked", MON), ev("followed_up", MON + timedelta(days=9))
    nudge2 = ev("followed_up", MON + timedelta(days=18))
    replied = ev("replied", MON + timedelta(days=22))  # Tuesday 24 March
    found = reminders(state_of(asked, nudge, nudge2, replied), ANN, london())
    assert [r.reason for r in found] == [R.NUDGE]
    assert found[0].due == datetime(2026, 4, 2, 9, 0, tzinfo=LONDON)
    assert found[0].since == replied.at


def test_calendar_days_when_business_days_are_switched_off() -> None:
    """With business_days=False, 3 and 7 are calendar days."""
    found = reminders(state_of(ev("asked", MON)), ANN, london(business_days=False))
    assert [r.due.date() for r in found] == [date(2026, 3, 5), date(2026, 3, 9)]


def test_an_acceptance_without_a_time_asks_to_agree_one() -> None:
    """Accepted but not scheduled: agree a time within 2 business days."""
    state = state_of(ev("asked", MON), ev("accepted", MON + timedelta(days=4)))  # Friday
    (found,) = reminders(state, ANN, london())
    assert (found.reason, found.message_kind) == (R.SCHEDULE, "follow_up")
    assert found.due == datetime(2026, 3, 10, 9, 0, tzinfo=LONDON)


# -- meetings and thank-yous -----------------------------------------------


def test_a_scheduled_meeting_asks_to_prepare_then_to_log_it() -> None:
    """Prepare from a day ahead until the meeting; log it from two hours after."""
    meeting = MON + timedelta(days=7, hours=5)
    state = state_of(
        ev("asked", MON),
        ev("scheduled", MON + timedelta(hours=1), scheduled_for=meeting),
    )
    prepare, log_it = reminders(state, ANN, london())
    assert (prepare.reason, prepare.due, prepare.expires_at) == (
        R.PREPARE,
        meeting - timedelta(days=1),
        meeting,
    )
    assert (log_it.reason, log_it.due) == (R.LOG_MEETING, meeting + timedelta(hours=2))
    assert log_it.overdue_at == meeting + timedelta(hours=24)
    assert prepare.is_due(meeting - timedelta(hours=1))
    assert not prepare.is_due(meeting)


def test_a_thank_you_is_due_at_once_and_late_after_24_real_hours() -> None:
    """Met on the Saturday before the clocks go forward: late 24 elapsed hours later."""
    met_at = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    state = state_of(
        ev("asked", MON),
        ev("scheduled", MON, scheduled_for=met_at),
        ev("met", met_at),
    )
    (thanks,) = reminders(state, ANN, london())
    assert (thanks.reason, thanks.message_kind, thanks.due) == (R.THANK_YOU, "thank_you", met_at)
    assert thanks.overdue_at.astimezone(UTC) - met_at.astimezone(UTC) == timedelta(hours=24)
    assert thanks.overdue_at.time() == time(13, 0)  # the clocks moved
    (now_due,) = due_reminders(state, ANN, london(), met_at + timedelta(hours=25))
    assert now_due.overdue


# -- keep-warm -------------------------------------------------------------


def _thanked(at: datetime) -> list[Event]:
    meeting = at - timedelta(days=1)
    return [
        ev("asked", at - timedelta(days=10)),
        ev("scheduled", at - timedelta(days=9), scheduled_for=meeting),
        ev("met", meeting),
        ev("thanked", at),
    ]


def test_keep_warm_counts_from_the_last_touch_of_any_kind() -> None:
    """A later reply or touch moves the next keep-in-touch date."""
    policy = london(keep_warm=Cadence(28, 42))
    history = _thanked(MON)
    (warm,) = reminders(fold(history), ANN, policy)
    assert (warm.reason, warm.due.date(), warm.overdue_at.date()) == (
        R.KEEP_WARM,
        date(2026, 3, 30),
        date(2026, 4, 13),
    )
    call = ev("touched", MON + timedelta(days=10), channel="phone")
    (warm2,) = reminders(fold([*history, call]), ANN, policy)
    assert warm2.due.date() == date(2026, 4, 9)
    assert warm2.since == call.at
    assert warm2.message_kind == "keep_in_touch_article"


def test_keep_warm_is_due_then_overdue() -> None:
    """Between the ideal and the maximum it is due; after the maximum, overdue."""
    policy = london(keep_warm=Cadence(28, 42))
    state = fold(_thanked(MON))
    assert due_reminders(state, ANN, policy, MON + timedelta(days=27)) == []
    (due,) = due_reminders(state, ANN, policy, MON + timedelta(days=30))
    assert not due.overdue
    (late,) = due_reminders(state, ANN, policy, MON + timedelta(days=43))
    assert late.overdue


def test_keep_warm_moves_off_a_weekend_when_business_days_count() -> None:
    """A cadence ending on a Saturday comes due on the Monday (or the Saturday if not)."""
    history = _thanked(MON)
    (warm,) = reminders(fold(history), ANN, london(keep_warm=Cadence(26, 40)))
    assert warm.due.date() == date(2026, 3, 30)
    plain = london(keep_warm=Cadence(26, 40), business_days=False)
    (warm,) = reminders(fold(history), ANN, plain)
    assert warm.due.date() == date(2026, 3, 28)


def test_a_new_touch_makes_a_new_reminder_even_when_both_land_on_the_same_monday() -> None:
    """Touches on Saturday and Sunday both come due on a Monday; ``since`` tells them apart."""
    policy = london(keep_warm=Cadence(28, 42))
    saturday = ev("touched", datetime(2026, 3, 7, 10, 0, tzinfo=LONDON))
    sunday = ev("touched", datetime(2026, 3, 8, 10, 0, tzinfo=LONDON))
    (first,) = reminders(fold([*_thanked(MON), saturday]), ANN, policy)
    (second,) = reminders(fold([*_thanked(MON), saturday, sunday]), ANN, policy)
    assert first.due == second.due == datetime(2026, 4, 6, 10, 0, tzinfo=LONDON)
    assert first != second


def test_a_mentor_tag_and_a_contact_override_set_the_cadence() -> None:
    """Tagged "mentor": every 30 days; the contact's own cadence_days wins over the tag."""
    policy = london(tag_cadences={"mentor": Cadence(30, 45, "keep_in_touch_update")})
    mentor = attrs.evolve(ANN, tags={"mentor"})
    (warm,) = reminders(fold(_thanked(MON)), mentor, policy)
    assert (warm.due.date(), warm.message_kind) == (date(2026, 4, 1), "keep_in_touch_update")
    (own,) = reminders(fold(_thanked(MON)), attrs.evolve(mentor, cadence_days=14), policy)
    assert own.due.date() == date(2026, 3, 16)


def test_own_circle_touches_before_any_ask_keep_a_cadence() -> None:
    """Someone only ever touched is kept warm; someone never logged has no reminder."""
    assert reminders(RelationshipState(), ANN, london()) == []
    (warm,) = reminders(state_of(ev("touched", MON)), ANN, london())
    assert warm.reason is R.KEEP_WARM


def test_a_promised_follow_up_comes_sooner_and_a_touch_keeps_it() -> None:
    """After a meeting with promises, the follow-up is due in 7 days; a touch settles it."""
    policy = london()
    history = _thanked(MON)
    met_at = history[2].at
    found = reminders(fold(history), ANN, policy, promised_at=met_at)
    assert [r.reason for r in found] == [R.PROMISED_FOLLOW_UP]
    assert found[0].due.date() == date(2026, 3, 9)
    assert found[0].message_kind == "keep_in_touch_update"
    kept = [*history, ev("touched", MON + timedelta(days=3))]
    assert [r.reason for r in reminders(fold(kept), ANN, policy, promised_at=met_at)] == [
        R.KEEP_WARM
    ]


def test_a_shorter_cadence_than_the_promise_still_shows() -> None:
    """If the cadence comes before the promised date, both reminders stand."""
    policy = london(keep_warm=Cadence(3, 5))
    history = _thanked(MON)
    found = reminders(fold(history), ANN, policy, promised_at=history[2].at)
    assert [r.reason for r in found] == [R.KEEP_WARM, R.PROMISED_FOLLOW_UP]


def test_the_promise_anchor_is_the_latest_held_interview_with_promises() -> None:
    """Planned interviews and interviews without promises do not count."""
    base = Interview(contact_id="ann", at=MON)
    held = attrs.evolve(base, held_at=MON, promised_followups=("send the article",))
    later = attrs.evolve(base, held_at=MON + timedelta(days=5))
    planned = attrs.evolve(base, promised_followups=("x",))
    assert promise_anchor([held, later, planned]) == MON
    assert promise_anchor([later, planned]) is None


# -- losing touch, ordering, kinds, privacy --------------------------------


def test_losing_touch_lists_long_silences_whatever_the_cadence() -> None:
    """Silent for longer than the limit: listed; closed or waiting relationships are not."""
    state = fold(_thanked(MON))
    after = timedelta(days=120)
    assert losing_touch(state, "ann", now=MON + timedelta(days=100), after=after) is None
    now = MON + timedelta(days=130)  # wall clock: in summer time, an hour less has passed
    entry = losing_touch(state, "ann", now=now, after=after)
    assert entry is not None
    assert (entry.contact_id, entry.silent_for) == ("ann", timedelta(days=130, hours=-1))
    waiting = state_of(ev("asked", MON))
    assert losing_touch(waiting, "ann", now=MON + timedelta(days=300), after=after) is None


def test_reminders_are_ordered_by_reason_then_lateness_then_deadline() -> None:
    """A thank-you comes before a nudge; within a reason, overdue first, then by deadline."""
    t = MON

    def make(cid: str, reason: ReminderReason, deadline_days: int, overdue: bool) -> Reminder:
        return Reminder(
            cid, reason, t, overdue_at=t + timedelta(days=deadline_days), overdue=overdue
        )

    found = [
        make("a", R.NUDGE, 1, True),
        make("b", R.THANK_YOU, 3, False),
        make("c", R.NUDGE, 5, False),
        make("d", R.NUDGE, 0, False),
        make("e", R.KEEP_WARM, 0, True),
    ]
    assert [r.contact_id for r in by_urgency(found)] == ["b", "a", "d", "c", "e"]


@pytest.mark.parametrize(
    ("contact", "kind"),
    [
        (Contact(name="X", source="referral", referrer_id="r"), "ask_referred"),
        (Contact(name="X", source="referral"), "ask_cold"),
        (Contact(name="X", source="alumni"), "ask_affiliation"),
        (Contact(name="X", source="event", affiliation="Chess club"), "ask_affiliation"),
        (Contact(name="X", source="cold"), "ask_cold"),
    ],
)
def test_the_suggested_ask_depends_on_how_the_contact_was_found(
    contact: Contact, kind: str
) -> None:
    """Referred (with a referrer), shared affiliation, or cold."""
    assert ask_kind(contact) == kind


def test_a_reminder_repr_has_ids_and_times_only() -> None:
    """No name, organisation or note of the contact shows in a reminder's repr."""
    found = reminders(state_of(ev("asked", MON, note="Secretnote")), ANN, london())
    text = repr(found)
    assert "Secret" not in text and "Acme" not in text
    assert "ann" in text


def test_a_reminder_says_what_to_do_and_what_settles_it() -> None:
    """Each reason has a phrase and the events that settle it."""
    for reason in ReminderReason:
        reminder = Reminder("x", reason, MON)
        assert reminder.what and reminder.awaits
        assert reminder.overdue_at == MON


def test_next_due_is_the_earliest_due_time_in_utc() -> None:
    """What stores index: the soonest reminder, as a UTC instant."""
    state = state_of(ev("asked", MON))
    due = next_due(state, ANN, london())
    assert due == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    assert due is not None and due.tzinfo is UTC
    assert next_due(RelationshipState(), ANN, london()) is None


# -- properties over random logs, zones, clock changes and year ends --------

ZONES = (LONDON, NEW_YORK, ZoneInfo("UTC"))

# Dates near where things break: clock changes (both zones) and year ends.
_EDGES = [
    date(year, month, day)
    for year in (2024, 2025, 2026, 2027)
    for month, day in ((3, 10), (3, 28), (10, 27), (11, 3), (12, 24), (12, 31))
]


@st.composite
def start_times(draw: st.DrawFn) -> datetime:
    """An aware moment in a named zone, often within days of a clock change or a year end."""
    zone = draw(st.sampled_from(ZONES))
    edge = draw(st.sampled_from(_EDGES))
    offset = timedelta(minutes=draw(st.integers(-14 * 24 * 60, 14 * 24 * 60)))
    naive = datetime.combine(edge, time(12)) + offset
    return naive.replace(tzinfo=UTC).astimezone(zone)


@st.composite
def holiday_sets(draw: st.DrawFn, around: date) -> frozenset[date]:
    """A few holidays within two months after ``around``."""
    days = draw(st.lists(st.integers(0, 60), max_size=6))
    return frozenset(around + timedelta(days=d) for d in days)


@st.composite
def histories(draw: st.DrawFn, start: datetime, size: int = 10) -> list[Event]:
    """A legal event log from ``start``, a few minutes to some weeks between events."""
    at = start
    state = RelationshipState()
    history: list[Event] = []
    for _ in range(draw(st.integers(0, size))):
        kind = draw(st.sampled_from(accepted_events(state.stage)))
        gap = timedelta(minutes=draw(st.integers(1, 30 * 24 * 60)))
        at = (at.astimezone(UTC) + gap).astimezone(start.tzinfo)
        scheduled_for = None
        if kind in (EventKind.SCHEDULED, EventKind.RESCHEDULED):
            ahead = timedelta(minutes=draw(st.integers(60, 20 * 24 * 60)))
            scheduled_for = (at.astimezone(UTC) + ahead).astimezone(start.tzinfo)
        event = ev(kind.value, at, scheduled_for=scheduled_for)
        history.append(event)
        state = step(state, event)
    return history


@st.composite
def policies(draw: st.DrawFn, around: date) -> FollowUpPolicy:
    """A policy with random numbers, holidays and zone, always counting business days."""
    return FollowUpPolicy(
        approach_another_after_business_days=draw(st.integers(1, 5)),
        nudge_after_business_days=draw(st.integers(1, 10)),
        max_nudges=draw(st.integers(0, 3)),
        grace_business_days=draw(st.integers(0, 3)),
        calendar=BusinessCalendar(draw(holiday_sets(around))),
        timezone=draw(st.sampled_from(["UTC", "Europe/London", "America/New_York"])),
        keep_warm=Cadence(draw(st.integers(1, 40)), draw(st.integers(40, 60))),
        promised=Cadence(draw(st.integers(1, 10))),
    )


DAY_COUNTED = {
    R.SCHEDULE,
    R.NUDGE,
    R.APPROACH_ANOTHER,
    R.GIVE_UP,
    R.KEEP_WARM,
    R.PROMISED_FOLLOW_UP,
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_day_counted_reminders_never_fall_on_a_weekend_or_holiday(data: st.DataObject) -> None:
    """Every day-counted due date and deadline is a business day on the policy's calendar."""
    start = data.draw(start_times())
    policy = data.draw(policies(start.date()))
    history = data.draw(histories(start))
    state = fold(history)
    met = state.met_at
    for reminder in reminders(state, ANN, policy, promised_at=met):
        if reminder.reason not in DAY_COUNTED:
            continue
        for moment in (reminder.due, reminder.overdue_at):
            local = moment.astimezone(policy.zone())
            assert policy.calendar.is_business_day(local.date()), (reminder.reason, local)


@settings(max_examples=150, deadline=None)
@given(
    start=start_times(),
    days=st.integers(0, 30),
    weekend_choice=st.sampled_from([frozenset({5, 6}), frozenset({4, 5}), frozenset({6})]),
    data=st.data(),
)
def test_adding_business_days_counts_exactly_that_many(
    start: datetime, days: int, weekend_choice: frozenset[int], data: st.DataObject
) -> None:
    """Exactly ``days`` business days lie after the start date up to the result's date."""
    cal = BusinessCalendar(data.draw(holiday_sets(start.date())), weekend=weekend_choice)
    result = add_business_days(start, days, cal)
    assert cal.is_business_day(result.date())
    assert result >= start
    between = (result.date() - start.date()).days
    counted = sum(
        cal.is_business_day(start.date() + timedelta(days=n)) for n in range(1, between + 1)
    )
    rolled = days == 0 and not cal.is_business_day(start.date())
    assert counted == (1 if rolled else days)
    if weekend_choice == frozenset({5, 6}):
        # Both zones change their clocks on Sundays, so the wall time survives.
        assert result.time() == start.time()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_reminder_disappears_once_the_event_it_waits_for_is_logged(
    data: st.DataObject,
) -> None:
    """Logging any settling event, later than the rest, removes that exact reminder."""
    start = data.draw(start_times())
    policy = data.draw(policies(start.date()))
    history = data.draw(histories(start))
    state = fold(history)
    promised = state.met_at if data.draw(st.booleans()) else None
    before = reminders(state, ANN, policy, promised_at=promised)
    assume(before)
    reminder = data.draw(st.sampled_from(before))
    kinds = [k for k in reminder.awaits if k in accepted_events(state.stage)]
    assume(kinds)
    kind = data.draw(st.sampled_from(kinds))
    last = history[-1].at if history else start
    gap = timedelta(minutes=data.draw(st.integers(1, 60 * 24 * 90)))
    at = (last.astimezone(UTC) + gap).astimezone(start.tzinfo)
    scheduled_for = at + timedelta(days=3) if kind is EventKind.SCHEDULED else None
    after = step(state, ev(kind.value, at, scheduled_for=scheduled_for))
    assert reminder not in reminders(after, ANN, policy, promised_at=promised)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_next_due_is_the_soonest_reminder_and_due_lists_exactly_those_due(
    data: st.DataObject,
) -> None:
    """next_due is the minimum due; due_reminders holds exactly the unexpired ones due by now."""
    start = data.draw(start_times())
    policy = data.draw(policies(start.date()))
    state = fold(data.draw(histories(start)))
    found = reminders(state, ANN, policy)
    soonest = next_due(state, ANN, policy)
    assert soonest == min((r.due for r in found), default=None)
    now = start + timedelta(days=data.draw(st.integers(0, 400)))
    due = due_reminders(state, ANN, policy, now)
    assert {attrs.evolve(r, overdue=False) for r in due} == {r for r in found if r.is_due(now)}
    assert all(r.overdue == r.is_overdue(now) for r in due)
    if due:
        assert soonest is not None and soonest <= now


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_reminders_do_not_depend_on_the_zone_timestamps_carry(data: st.DataObject) -> None:
    """A store that hands times back in UTC gets the same reminders, to the instant."""
    start = data.draw(start_times())
    policy = data.draw(policies(start.date()))
    history = data.draw(histories(start))
    in_utc = [
        attrs.evolve(
            e,
            at=e.at.astimezone(UTC),
            scheduled_for=None if e.scheduled_for is None else e.scheduled_for.astimezone(UTC),
        )
        for e in history
    ]

    promised = data.draw(st.none() | st.just(fold(history).met_at))
    as_logged = reminders(fold(history), ANN, policy, promised_at=promised)
    as_stored = reminders(fold(in_utc), ANN, policy, promised_at=promised)
    assert as_logged == as_stored
    for reminder in as_logged:
        for moment in (reminder.due, reminder.overdue_at, reminder.since, reminder.expires_at):
            assert moment is None or moment.tzinfo == policy.zone()
    assert next_due(fold(history), ANN, policy) == next_due(fold(in_utc), ANN, policy)


def test_days_are_counted_in_the_policy_zone_whatever_the_timestamp_carries() -> None:
    """Sunday 23:30 in New York is Monday in UTC: the policy's zone decides which day it is."""
    asked = ev("asked", datetime(2026, 3, 8, 23, 30, tzinfo=timezone(timedelta(hours=-4))))
    in_utc = reminders(state_of(asked), ANN, FollowUpPolicy())
    assert [r.due.date() for r in in_utc] == [date(2026, 3, 12), date(2026, 3, 18)]
    assert all(r.due.tzinfo == ZoneInfo("UTC") for r in in_utc)
    in_new_york = reminders(state_of(asked), ANN, FollowUpPolicy(timezone="America/New_York"))
    assert [r.due.date() for r in in_new_york] == [date(2026, 3, 11), date(2026, 3, 17)]
    assert in_new_york[0].due.time() == time(23, 30)
