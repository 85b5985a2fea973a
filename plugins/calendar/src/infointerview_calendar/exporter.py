"""The ``ics`` exporter: what is scheduled and what falls due, as calendar events.

It reads only through the public workspace API. Interviews (planned and
held, plus meetings logged as ``scheduled`` without an interview record)
become events with an alarm; reminders due up to ``horizon`` ahead become
short, free-time events at their due time. ``icalendar`` is imported only
when a file is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from infointerview.errors import InvalidInputError
from infointerview.model import DEFAULT_INTERVIEW_MINUTES, Contact, Interview, Medium
from infointerview.ports import Exporter
from infointerview.stages import Stage, fold

if TYPE_CHECKING:
    from infointerview import Reminder, Workspace

__all__ = ["CalendarEntry", "IcsExporter", "calendar_entries", "entry_uid"]

_UID_NAMESPACE = uuid.UUID("5b0e6c1e-3a57-4c4e-9a59-6f6e66f0c0a1")
_UID_DOMAIN = "infointerview"

_MEDIUM = {Medium.CALL: "phone call", Medium.VIDEO: "video call", Medium.COFFEE: "coffee"}


def entry_uid(*parts: str) -> str:
    """A UID that depends only on what the event is, so every export gives the same one."""
    return f"{uuid.uuid5(_UID_NAMESPACE, '/'.join(parts))}@{_UID_DOMAIN}"


@attrs.frozen
class CalendarEntry:
    """One event to write: plain data, before any iCalendar encoding."""

    uid: str
    kind: str
    """``"interview"`` or ``"reminder"``."""
    start: datetime
    end: datetime
    summary: str = attrs.field(repr=False)
    description: str = attrs.field(repr=False)
    categories: tuple[str, ...] = ()
    sequence: int = 0
    alarm: bool = False
    busy: bool = True


def _later(moment: datetime, length: timedelta) -> datetime:
    """``moment`` plus ``length`` of elapsed time (wall-clock sums slip at a clock change)."""
    return (moment.astimezone(UTC) + length).astimezone(moment.tzinfo)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


class _Names:
    """Contact names looked up once each (or left out)."""

    def __init__(self, workspace: Workspace, enabled: bool) -> None:
        self._workspace = workspace
        self._enabled = enabled
        self._cache: dict[str, Contact] = {}

    def contact(self, contact_id: str) -> Contact:
        if contact_id not in self._cache:
            self._cache[contact_id] = self._workspace.contact(contact_id)
        return self._cache[contact_id]

    def label(self, contact_id: str) -> str | None:
        return self.contact(contact_id).name if self._enabled else None


def _interview_entry(interview: Interview, workspace: Workspace, names: _Names) -> CalendarEntry:
    name = names.label(interview.contact_id)
    lines = [
        f"How: {_MEDIUM[interview.medium]}, {interview.minutes} minutes",
    ]
    goals = workspace.goals().resolve(interview.goals)
    if goals:
        lines.append("Goals: " + "; ".join(g.title for g in goals))
    if interview.agenda:
        lines.append("Agenda:")
        lines += [f"{n}. {q.text}" for n, q in enumerate(interview.agenda, 1)]
    if interview.held_at is not None:
        lines.append("Held.")
    return CalendarEntry(
        uid=entry_uid("interview", interview.id),
        kind="interview",
        start=interview.at,
        end=_later(interview.at, timedelta(minutes=interview.minutes)),
        summary="Informational interview" + (f" with {name}" if name else ""),
        description="\n".join(lines),
        categories=("infointerview", "interview"),
        sequence=interview.version,
        alarm=True,
    )


def _logged_meetings(
    workspace: Workspace, interviews: Iterable[Interview], names: _Names
) -> list[CalendarEntry]:
    """Meetings logged as ``scheduled`` that no interview record covers."""
    planned = {(i.contact_id, i.at.astimezone(UTC)) for i in interviews}
    found: list[CalendarEntry] = []
    for contact in workspace.contacts(stage=Stage.SCHEDULED):
        rel = workspace.relationship(contact.id)
        meeting = fold(rel.events).scheduled_for
        if meeting is None or (contact.id, meeting.astimezone(UTC)) in planned:
            continue
        name = names.label(contact.id)
        found.append(
            CalendarEntry(
                uid=entry_uid("scheduled", contact.id, _stamp(meeting)),
                kind="interview",
                start=meeting,
                end=_later(meeting, timedelta(minutes=DEFAULT_INTERVIEW_MINUTES)),
                summary="Informational interview" + (f" with {name}" if name else ""),
                description=f"Logged as scheduled; about {DEFAULT_INTERVIEW_MINUTES} minutes.",
                categories=("infointerview", "interview"),
                sequence=rel.version,
                alarm=True,
            )
        )
    return found


def _reminder_entry(
    reminder: Reminder, workspace: Workspace, names: _Names, length: timedelta
) -> CalendarEntry:
    name = names.label(reminder.contact_id)
    what = reminder.what[0].upper() + reminder.what[1:]
    lines = [f"{what}."]
    if reminder.message_kind:
        lines.append(f"Suggested message: {reminder.message_kind.replace('_', ' ')}.")
    if reminder.expires_at is not None:
        lines.append(f"Until {reminder.expires_at.isoformat(timespec='minutes')}.")
    else:
        lines.append(f"Late after {reminder.overdue_at.isoformat(timespec='minutes')}.")
    if reminder.alternatives:
        others = [names.label(i) or i for i in reminder.alternatives]
        lines.append("Not yet asked there: " + "; ".join(others) + ".")
    since = "" if reminder.since is None else _stamp(reminder.since)
    return CalendarEntry(
        uid=entry_uid("reminder", reminder.contact_id, reminder.reason.value, since),
        kind="reminder",
        start=reminder.due,
        end=_later(reminder.due, length),
        summary=what + (f" ({name})" if name else ""),
        description="\n".join(lines),
        categories=("infointerview", "reminder", reminder.reason.value),
        sequence=workspace.relationship(reminder.contact_id).version,
        busy=False,
    )


def calendar_entries(
    workspace: Workspace,
    *,
    now: datetime,
    horizon: timedelta,
    reminder_length: timedelta = timedelta(minutes=15),
    names: bool = True,
) -> list[CalendarEntry]:
    """Every interview, logged meeting and reminder due by ``now + horizon``, by start time."""
    lookup = _Names(workspace, names)
    interviews = workspace.interviews()
    entries = [_interview_entry(i, workspace, lookup) for i in interviews]
    entries += _logged_meetings(workspace, interviews, lookup)
    entries += [
        _reminder_entry(r, workspace, lookup, reminder_length)
        for r in workspace.upcoming(now, until=now + horizon)
    ]
    return sorted(entries, key=lambda e: (e.start.astimezone(UTC), e.uid))


def _positive(instance: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InvalidInputError(f"IcsExporter.{attribute.name} must be a positive timedelta")


def _zone(instance: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(
            f"IcsExporter.timezone {value!r} is not a known IANA time zone (e.g. 'Europe/London')"
        ) from None


@attrs.frozen
class IcsExporter(Exporter):
    """Writes an iCalendar file.

    ``alarm_before`` sets each interview's alarm; ``horizon`` how far ahead
    reminders are included; ``timezone`` (an IANA name) writes every time in
    that zone, otherwise each keeps its own (fixed offsets become UTC);
    ``names=False`` leaves contact names out of the file.
    """

    name: str = "ics"
    media_type: str = "text/calendar"
    alarm_before: timedelta = attrs.field(default=timedelta(minutes=30), validator=_positive)
    horizon: timedelta = attrs.field(default=timedelta(days=60), validator=_positive)
    reminder_length: timedelta = attrs.field(default=timedelta(minutes=15), validator=_positive)
    timezone: str | None = attrs.field(default=None, validator=_zone)
    names: bool = True

    def zone(self) -> tzinfo | None:
        """The zone every time is written in, if one was chosen."""
        return None if self.timezone is None else ZoneInfo(self.timezone)

    def export(self, workspace: Workspace, *, now: datetime) -> bytes:
        """The calendar's bytes (CRLF line endings, as RFC 5545 asks)."""
        if now.utcoffset() is None:
            raise InvalidInputError(
                "the ics export needs a timezone-aware 'now'; "
                "pass e.g. datetime(..., tzinfo=timezone.utc)"
            )
        from infointerview_calendar.ics import to_ical

        entries = calendar_entries(
            workspace,
            now=now,
            horizon=self.horizon,
            reminder_length=self.reminder_length,
            names=self.names,
        )
        return to_ical(entries, now=now, alarm_before=self.alarm_before, zone=self.zone())
