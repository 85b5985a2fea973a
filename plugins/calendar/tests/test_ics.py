"""The ``ics`` exporter: interviews and reminders written as RFC 5545 and read back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from infointerview_calendar import IcsExporter
from infointerview_calendar.exporter import entry_uid
from infointerview_calendar.ics import CALENDAR_NAME, PRODID

import infointerview as ii
from infointerview.followup import FollowUpPolicy

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 25, 9, 0, tzinfo=UTC)
MEETING = datetime(2026, 3, 30, 9, 0, tzinfo=LONDON)  # the day after the clocks go forward
LOGGED = datetime(2026, 11, 2, 10, 0, tzinfo=NEW_YORK)  # the day after New York's change
QUESTIONS = (
    ii.Question(text="What does a typical day look like?", category="insights"),
    ii.Question(text="Who else should I talk to?", category="resources"),
)


@pytest.fixture
def ws() -> Iterator[ii.Workspace]:
    """A workspace with a planned interview, a logged meeting, a thank-you and a nudge due."""
    policy = FollowUpPolicy(timezone="Europe/London")
    with ii.open_workspace("memory://", owner="seeker", policy=policy) as workspace:
        ann = workspace.add_contact(ii.Contact(name="Ann Lee"))
        bob = workspace.add_contact(ii.Contact(name="Bob Ray"))
        cat = workspace.add_contact(ii.Contact(name="Cat Diaz"))
        dan = workspace.add_contact(ii.Contact(name="Dan Wu", organisation="Acme"))
        workspace.log(ann.id, "asked", at=NOW - timedelta(days=6))
        workspace.log(ann.id, "scheduled", at=NOW - timedelta(days=5), scheduled_for=MEETING)
        workspace.save_interview(
            ii.Interview(
                contact_id=ann.id,
                at=MEETING,
                minutes=30,
                medium="video",
                goals=("role", "new_contacts"),
                agenda=QUESTIONS,
            )
        )
        workspace.log(bob.id, "asked", at=NOW - timedelta(days=6))
        workspace.log(bob.id, "scheduled", at=NOW - timedelta(days=5), scheduled_for=LOGGED)
        workspace.log(cat.id, "asked", at=NOW - timedelta(days=9))
        workspace.log(cat.id, "scheduled", at=NOW - timedelta(days=8), scheduled_for=NOW)
        workspace.log(cat.id, "met", at=NOW)
        workspace.log(dan.id, "asked", at=NOW - timedelta(days=2), channel="email")
        yield workspace


def parse(data: bytes) -> Calendar:
    """The calendar read back by icalendar."""
    return Calendar.from_ical(data)


def categories(event: Any) -> list[str]:
    """An event's categories, as text."""
    return [str(c) for c in event["CATEGORIES"].cats]


def events_by_summary(cal: Calendar) -> dict[str, Any]:
    """Every VEVENT, by summary."""
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_the_exporter_is_registered_through_the_entry_point(ws: ii.Workspace) -> None:
    """The installed plugin gives the workspace an ``ics`` exporter for text/calendar."""
    exporter = ws.exporters()["ics"]
    assert isinstance(exporter, IcsExporter)
    assert exporter.media_type == "text/calendar"


def test_every_field_reads_back(ws: ii.Workspace) -> None:
    """Calendar properties, each event's fields, zones and the alarm all parse back as written."""
    data = ws.exporters()["ics"].export(ws, now=NOW)
    assert data.count(b"\n") == data.count(b"\r\n")
    cal = parse(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == PRODID
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == CALENDAR_NAME
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {
        "Europe/London",
        "America/New_York",
    }

    events = events_by_summary(cal)
    ann, bob, cat = ws.contacts()[:3]
    interview = ws.interviews(ann.id)[0]

    planned = events["Informational interview with Ann Lee"]
    assert str(planned["UID"]) == entry_uid("interview", interview.id)
    assert planned.decoded("DTSTAMP") == NOW
    start = planned.decoded("DTSTART")
    assert (start, start.tzinfo) == (MEETING, LONDON)
    assert planned.decoded("DTEND") == MEETING + timedelta(minutes=30)
    assert str(planned["DESCRIPTION"]).splitlines() == [
        "How: video call, 30 minutes",
        "Goals: Learn about a job title or skill set; Gain new contacts",
        "Agenda:",
        "1. What does a typical day look like?",
        "2. Who else should I talk to?",
    ]
    assert categories(planned) == ["infointerview", "interview"]
    assert planned.decoded("SEQUENCE") == interview.version
    assert (str(planned["STATUS"]), str(planned["TRANSP"])) == ("CONFIRMED", "OPAQUE")
    (alarm,) = planned.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(minutes=30)
    assert str(alarm["DESCRIPTION"]) == "Informational interview with Ann Lee starts soon"

    logged = events["Informational interview with Bob Ray"]
    start = logged.decoded("DTSTART")
    assert (start, start.tzinfo) == (LOGGED, NEW_YORK)
    assert logged.decoded("DTEND") == LOGGED + timedelta(minutes=25)
    assert str(logged["UID"]) == entry_uid("scheduled", bob.id, "20261102T150000Z")
    assert logged.decoded("SEQUENCE") == ws.relationship(bob.id).version
    assert len(logged.walk("VALARM")) == 1

    thanks = events["Send a thank-you for the meeting (Cat Diaz)"]
    (reminder,) = ws.reminders(cat.id)
    assert thanks.decoded("DTSTART") == reminder.due == NOW
    assert thanks.decoded("DTEND") == NOW + timedelta(minutes=15)
    assert categories(thanks) == ["infointerview", "reminder", "thank_you"]
    assert str(thanks["DESCRIPTION"]).splitlines() == [
        "Send a thank-you for the meeting.",
        "Suggested message: thank you.",
        "Late after 2026-03-26T09:00+00:00.",
    ]
    assert str(thanks["TRANSP"]) == "TRANSPARENT"
    assert thanks.walk("VALARM") == []

    prepare = events["Prepare for the meeting (Ann Lee)"]
    assert prepare.decoded("DTSTART") == MEETING - timedelta(days=1)
    assert str(prepare["DESCRIPTION"]).endswith("Until 2026-03-30T09:00+01:00.")

    upcoming = ws.upcoming(NOW, until=NOW + timedelta(days=60))
    reminder_events = [e for e in cal.walk("VEVENT") if "reminder" in categories(e)]
    assert len(reminder_events) == len(upcoming)
    assert {str(e["SUMMARY"]) for e in reminder_events} >= {
        "Send one short follow-up (Dan Wu)",
        "Approach another contact at the same organisation (Dan Wu)",
    }
    assert len({str(e["UID"]) for e in cal.walk("VEVENT")}) == len(cal.walk("VEVENT"))


def test_uids_stay_the_same_from_one_export_to_the_next(ws: ii.Workspace) -> None:
    """Exported a day apart, the same things keep their UIDs; only DTSTAMP changes."""
    exporter = IcsExporter()
    first = exporter.export(ws, now=NOW)
    second = exporter.export(ws, now=NOW + timedelta(hours=20))

    def by_uid(data: bytes) -> dict[str, Any]:
        return {str(e["UID"]): e for e in parse(data).walk("VEVENT")}

    one, two = by_uid(first), by_uid(second)
    assert set(one) == set(two)
    for uid, event in one.items():
        assert event.decoded("DTSTART") == two[uid].decoded("DTSTART")
        assert str(event["SUMMARY"]) == str(two[uid]["SUMMARY"])
    strip = [line for line in first.splitlines() if not line.startswith(b"DTSTAMP")]
    assert strip == [line for line in second.splitlines() if not line.startswith(b"DTSTAMP")]


def test_names_can_be_left_out(ws: ii.Workspace) -> None:
    """With names=False no contact name is written anywhere."""
    data = IcsExporter(names=False).export(ws, now=NOW)
    for name in (b"Ann", b"Bob", b"Cat", b"Dan"):
        assert name not in data
    assert b"SUMMARY:Informational interview\r\n" in data


def test_one_chosen_zone_for_every_time(ws: ii.Workspace) -> None:
    """timezone='America/New_York' writes every time there, keeping the instants."""
    cal = parse(IcsExporter(timezone="America/New_York").export(ws, now=NOW))
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"America/New_York"}
    planned = events_by_summary(cal)["Informational interview with Ann Lee"]
    start = planned.decoded("DTSTART")
    assert start.tzinfo == NEW_YORK and start == MEETING
    assert start.hour == 4


def test_fixed_offsets_and_utc_are_written_in_utc() -> None:
    """A time with a bare offset becomes UTC (RFC 5545 has no bare offsets)."""
    with ii.open_workspace("memory://", owner="seeker") as ws:
        ann = ws.add_contact(ii.Contact(name="Ann"))
        at = datetime(2026, 6, 1, 15, 0, tzinfo=timezone(timedelta(hours=2)))
        ws.save_interview(ii.Interview(contact_id=ann.id, at=at))
        data = IcsExporter().export(ws, now=NOW)
    assert b"DTSTART:20260601T130000Z\r\n" in data
    assert parse(data).walk("VTIMEZONE") == []


def test_an_empty_workspace_is_a_valid_calendar() -> None:
    """Nothing planned or due: the calendar has its properties and no events."""
    with ii.open_workspace("memory://", owner="seeker") as ws:
        cal = parse(IcsExporter().export(ws, now=NOW))
    assert cal.walk("VEVENT") == []
    assert str(cal["VERSION"]) == "2.0"


def test_a_naive_now_and_bad_options_are_refused(ws: ii.Workspace) -> None:
    """A wall-clock now without a zone, or a zero alarm, is an error saying how to fix it."""
    with pytest.raises(ii.InvalidInputError, match="timezone-aware"):
        IcsExporter().export(ws, now=datetime(2026, 3, 25, 9))
    with pytest.raises(ii.InvalidInputError, match="alarm_before"):
        IcsExporter(alarm_before=timedelta(0))
    with pytest.raises(ii.InvalidInputError, match="IANA"):
        IcsExporter(timezone="Nowhere/Special")


def test_the_repr_carries_no_personal_data(ws: ii.Workspace) -> None:
    """Entries keep summaries and descriptions out of their repr."""
    from infointerview_calendar.exporter import calendar_entries

    entries = calendar_entries(ws, now=NOW, horizon=timedelta(days=60))
    assert entries and "Ann" not in repr(entries)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    zone=st.sampled_from([LONDON, NEW_YORK, ZoneInfo("Australia/Sydney")]),
    minutes=st.integers(-60 * 24 * 20, 60 * 24 * 20),
    edge=st.sampled_from(
        [
            datetime(2025, 12, 31, 23, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
            datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
            datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
            datetime(2026, 11, 1, 6, 0, tzinfo=UTC),
        ]
    ),
    length=st.integers(5, 240),
)
def test_interview_times_survive_the_round_trip_across_clock_changes_and_year_ends(
    zone: ZoneInfo, minutes: int, edge: datetime, length: int
) -> None:
    """Whatever the zone and date, DTSTART and DTEND read back as the same instants."""
    at = (edge + timedelta(minutes=minutes)).astimezone(zone)
    with ii.open_workspace("memory://", owner="seeker") as ws:
        ann = ws.add_contact(ii.Contact(name="Ann"))
        ws.save_interview(ii.Interview(contact_id=ann.id, at=at, minutes=length))
        (event,) = parse(IcsExporter().export(ws, now=NOW)).walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.astimezone(UTC) == at.astimezone(UTC)
    assert end.astimezone(UTC) == at.astimezone(UTC) + timedelta(minutes=length)
    # UTC only for the second pass through a repeated hour.
    assert start.tzinfo == zone or start.utcoffset() == timedelta(0)
    assert event.walk("VALARM")[0].decoded("TRIGGER") == -timedelta(minutes=30)
