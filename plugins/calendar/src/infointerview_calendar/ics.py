"""Calendar entries to RFC 5545 bytes with the ``icalendar`` package."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from infointerview_calendar.exporter import CalendarEntry

__all__ = ["CALENDAR_NAME", "PRODID", "to_ical"]

PRODID = "-//infointerview//infointerview-calendar 0.1.0//EN"
CALENDAR_NAME = "Informational interviews"


def _written(moment: datetime, zone: tzinfo | None) -> datetime:
    """The time as it goes in the file: a named zone (with its VTIMEZONE) or UTC."""
    local = moment.astimezone(zone) if zone is not None else moment
    if not isinstance(local.tzinfo, ZoneInfo):
        # RFC 5545 has no bare fixed offsets: write those (and UTC itself) as UTC.
        return moment.astimezone(UTC)
    if local.replace(fold=0).astimezone(UTC) != local.astimezone(UTC):
        # The second pass through a repeated hour: a reader takes the first.
        return moment.astimezone(UTC)
    return local


def _event(
    entry: CalendarEntry, *, stamp: datetime, alarm_before: timedelta, zone: tzinfo | None
) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", _written(entry.start, zone))
    event.add("dtend", _written(entry.end, zone))
    event.add("summary", entry.summary)
    event.add("description", entry.description)
    event.add("categories", list(entry.categories))
    event.add("sequence", entry.sequence)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE" if entry.busy else "TRANSPARENT")
    if entry.alarm:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -alarm_before)
        alarm.add("description", f"{entry.summary} starts soon")
        event.add_component(alarm)
    return event


def to_ical(
    entries: Sequence[CalendarEntry],
    *,
    now: datetime,
    alarm_before: timedelta,
    zone: tzinfo | None = None,
) -> bytes:
    """A VCALENDAR holding one VEVENT per entry and the VTIMEZONEs they use."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    stamp = now.astimezone(UTC)
    for entry in entries:
        calendar.add_component(_event(entry, stamp=stamp, alarm_before=alarm_before, zone=zone))
    if entries:
        # Zone rules only around the events, to keep the file small.
        first = min(e.start.astimezone(UTC) for e in entries).date() - timedelta(days=366)
        last = max(e.end.astimezone(UTC) for e in entries).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return bytes(calendar.to_ical())
