"""Follow-up policy: from a relationship's fold to the reminders it is owed.

Pure: no clock is read; callers pass ``now``. Every number is a field of
:class:`FollowUpPolicy`, with the defaults taught in job-search practice:
a thank-you within 24 hours, "3B7" when an ask goes unanswered, a limited
number of nudges, and keep-in-touch on a cadence that counts from the last
logged touch.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from infointerview.errors import InvalidInputError
from infointerview.model import Contact, ContactSource, EventKind, Interview, suggested_ask_kind
from infointerview.stages import RelationshipState, Stage

__all__ = [
    "KEEP_WARM_STAGES",
    "LOSING_TOUCH_STAGES",
    "BusinessCalendar",
    "Cadence",
    "FollowUpPolicy",
    "LosingTouch",
    "Reminder",
    "ReminderReason",
    "add_business_days",
    "ask_kind",
    "by_urgency",
    "due_reminders",
    "losing_touch",
    "next_due",
    "promise_anchor",
    "reminders",
]

_DAY = timedelta(days=1)


class ReminderReason(enum.StrEnum):
    """Why something is due, in order of urgency (most urgent first)."""

    THANK_YOU = "thank_you"
    PREPARE = "prepare"
    LOG_MEETING = "log_meeting"
    SCHEDULE = "schedule"
    NUDGE = "nudge"
    PROMISED_FOLLOW_UP = "promised_follow_up"
    APPROACH_ANOTHER = "approach_another"
    KEEP_WARM = "keep_warm"
    GIVE_UP = "give_up"


_URGENCY = {reason: rank for rank, reason in enumerate(ReminderReason)}

R, E = ReminderReason, EventKind
# The events on the same relationship that settle each reminder when logged
# later than the events before them (a property test holds us to it).
_AWAITS: dict[ReminderReason, tuple[EventKind, ...]] = {
    R.THANK_YOU: (E.THANKED, E.TOUCHED, E.SCHEDULED),
    R.PREPARE: (E.MET, E.CANCELLED, E.DECLINED),
    R.LOG_MEETING: (E.MET, E.CANCELLED, E.DECLINED),
    R.SCHEDULE: (E.SCHEDULED, E.DECLINED, E.FOLLOWED_UP, E.REPLIED),
    R.NUDGE: (E.FOLLOWED_UP, E.REPLIED, E.ACCEPTED, E.DECLINED, E.SCHEDULED, E.GAVE_UP),
    R.PROMISED_FOLLOW_UP: (E.TOUCHED,),
    R.APPROACH_ANOTHER: (E.FOLLOWED_UP, E.REPLIED, E.ACCEPTED, E.DECLINED, E.SCHEDULED),
    R.KEEP_WARM: (E.TOUCHED,),
    R.GIVE_UP: (E.GAVE_UP, E.REPLIED, E.ACCEPTED, E.DECLINED, E.SCHEDULED),
}
_WHAT: dict[ReminderReason, str] = {
    R.THANK_YOU: "send a thank-you for the meeting",
    R.PREPARE: "prepare for the meeting",
    R.LOG_MEETING: "log how the meeting went, or reschedule it",
    R.SCHEDULE: "agree a time for the conversation",
    R.NUDGE: "send one short follow-up",
    R.PROMISED_FOLLOW_UP: "send what you promised at the meeting",
    R.APPROACH_ANOTHER: "approach another contact at the same organisation",
    R.KEEP_WARM: "get in touch to keep the relationship warm",
    R.GIVE_UP: "close the ask as unanswered",
}
del R, E

KEEP_WARM_STAGES = frozenset({Stage.THANKED, Stage.IN_TOUCH, Stage.IDENTIFIED})
"""Stages where the keep-in-touch cadence runs (``identified`` only once something was logged)."""

LOSING_TOUCH_STAGES = frozenset({*KEEP_WARM_STAGES, Stage.MET})
"""Stages whose silence the "losing touch" list looks at."""


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@attrs.frozen
class Reminder:
    """Something the seeker owes a contact, and by when.

    ``due`` is when it should be done, ``overdue_at`` the deadline after which
    it is late, ``since`` the event time it counts from; ``expires_at`` (only
    for preparing a meeting) is when it stops making sense. ``overdue`` is
    filled in by :func:`due_reminders` for a given ``now``. ``alternatives``
    are other contacts at the same organisation (for ``approach_another``,
    filled in by the workspace). Only ids and times: no personal data.
    """

    contact_id: str
    reason: ReminderReason = attrs.field(converter=ReminderReason)
    due: datetime
    message_kind: str | None = None
    overdue_at: datetime = attrs.field(
        default=attrs.Factory(lambda self: self.due, takes_self=True)
    )
    since: datetime | None = None
    expires_at: datetime | None = None
    overdue: bool = False
    alternatives: tuple[str, ...] = ()

    @property
    def urgency(self) -> int:
        """The reason's rank: lower is more urgent."""
        return _URGENCY[self.reason]

    @property
    def what(self) -> str:
        """What to do, in a few words."""
        return _WHAT[self.reason]

    @property
    def awaits(self) -> tuple[EventKind, ...]:
        """The events on this relationship that settle the reminder."""
        return _AWAITS[self.reason]

    def is_due(self, now: datetime) -> bool:
        """Whether it is due at ``now`` (and has not expired)."""
        if self.expires_at is not None and _utc(now) >= _utc(self.expires_at):
            return False
        return _utc(self.due) <= _utc(now)

    def is_overdue(self, now: datetime) -> bool:
        """Whether its deadline has passed at ``now``."""
        return _utc(self.overdue_at) <= _utc(now)


def by_urgency(found: Iterable[Reminder]) -> list[Reminder]:
    """Most urgent first: by reason, then overdue before on time, then earliest deadline."""
    return sorted(
        found,
        key=lambda r: (r.urgency, not r.overdue, _utc(r.overdue_at), _utc(r.due), r.contact_id),
    )


# -- business days ---------------------------------------------------------


def _weekend_days(values: Iterable[int]) -> frozenset[int]:
    days = frozenset(values)
    if not days <= frozenset(range(7)):
        raise InvalidInputError(
            f"BusinessCalendar.weekend holds weekday numbers 0 (Monday) to 6 (Sunday), got "
            f"{sorted(days)}"
        )
    if len(days) == 7:
        raise InvalidInputError("BusinessCalendar.weekend cannot cover all seven days")
    return days


def _holiday_dates(values: Iterable[date]) -> frozenset[date]:
    days = frozenset(values)
    for day in days:
        if isinstance(day, datetime) or not isinstance(day, date):
            raise InvalidInputError(
                f"BusinessCalendar.holidays holds dates (datetime.date), got {day!r}; "
                "pass e.g. date(2026, 12, 25)"
            )
    return days


@attrs.frozen
class BusinessCalendar:
    """Which days are business days: not a weekend day and not a holiday.

    ``weekend`` holds weekday numbers (0 Monday ... 6 Sunday).
    """

    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_holiday_dates)
    weekend: frozenset[int] = attrs.field(default=frozenset({5, 6}), converter=_weekend_days)

    def __repr__(self) -> str:
        return f"BusinessCalendar(holidays={len(self.holidays)}, weekend={sorted(self.weekend)})"

    def is_business_day(self, day: date) -> bool:
        """Whether ``day`` counts."""
        return day.weekday() not in self.weekend and day not in self.holidays

    def next_business_day(self, day: date) -> date:
        """``day`` itself if it counts, else the first business day after it."""
        while not self.is_business_day(day):
            day += _DAY
        return day

    @classmethod
    def from_country(
        cls,
        country: str,
        years: Iterable[int],
        *,
        subdiv: str | None = None,
        extra: Iterable[date] = (),
        weekend: Iterable[int] = (5, 6),
    ) -> BusinessCalendar:
        """The public holidays of ``country`` (ISO code) in ``years``, from ``holidays``.

        Needs the optional extra: ``pip install 'infointerview[holidays]'``.
        ``extra`` adds the user's own days off.
        """
        try:
            package: Any = importlib.import_module("holidays")
        except ImportError:
            raise InvalidInputError(
                "BusinessCalendar.from_country needs the 'holidays' package: "
                "pip install 'infointerview[holidays]' (or pass your own dates)"
            ) from None
        try:
            table = package.country_holidays(country, subdiv=subdiv, years=sorted(set(years)))
        except NotImplementedError:
            where = country if subdiv is None else f"{country}/{subdiv}"
            raise InvalidInputError(
                f"the holidays package knows no calendar for {where!r}; use an ISO 3166 code "
                "such as 'GB' or 'US' (and a subdivision it lists), or pass your own dates"
            ) from None
        return cls(holidays=frozenset(table) | frozenset(extra), weekend=weekend)


def _at(day: date, like: datetime) -> datetime:
    """``like``'s wall-clock time on ``day``, as a real instant in ``like``'s zone."""
    wall = datetime.combine(day, like.time()).replace(tzinfo=like.tzinfo, fold=like.fold)
    # The round trip through UTC moves a wall time that a clock change skipped
    # to one that exists, and leaves the zone's own offset and fold set.
    return wall.astimezone(UTC).astimezone(like.tzinfo)


def _business_at(day: date, like: datetime, calendar: BusinessCalendar) -> datetime:
    """The first business day from ``day`` on, at ``like``'s wall time."""
    day = calendar.next_business_day(day)
    moment = _at(day, like)
    # A zone that skipped a whole day (Samoa, 2011) can land off the target.
    while moment.date() != day or not calendar.is_business_day(moment.date()):
        day = calendar.next_business_day(day + _DAY)
        moment = _at(day, like)
    return moment


def _local(moment: datetime, zone: tzinfo | None) -> datetime:
    return moment if zone is None else moment.astimezone(zone)


def add_business_days(
    start: datetime,
    days: int,
    calendar: BusinessCalendar | Iterable[date] = (),
    *,
    zone: tzinfo | None = None,
) -> datetime:
    """``start`` moved forward by ``days`` business days, at the same local time of day.

    Days are counted on the calendar of ``zone`` (default: ``start``'s own
    zone), so a change of clocks does not move the time of day. ``days=0``
    gives ``start`` if it falls on a business day, else the next one.
    """
    if days < 0:
        raise InvalidInputError(f"add_business_days counts forward only, got days={days}")
    cal = calendar if isinstance(calendar, BusinessCalendar) else BusinessCalendar(calendar)
    local = _local(start, zone)
    day = local.date()
    counted = 0
    while counted < days:
        day += _DAY
        if cal.is_business_day(day):
            counted += 1
    return _business_at(day, local, cal)


def _add_days(start: datetime, days: int, zone: tzinfo | None) -> datetime:
    local = _local(start, zone)
    return _at(local.date() + timedelta(days=days), local)


def _elapsed(start: datetime, duration: timedelta) -> datetime:
    """``start`` plus ``duration`` of real (not wall-clock) time, in ``start``'s zone."""
    return (_utc(start) + duration).astimezone(start.tzinfo)


# -- the policy ------------------------------------------------------------


def _positive_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInputError(
            f"{type(instance).__name__}.{attribute.name} must be a positive whole number, "
            f"got {value!r}"
        )


def _non_negative_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError(
            f"{type(instance).__name__}.{attribute.name} must be zero or a positive whole "
            f"number, got {value!r}"
        )


def _positive_duration(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InvalidInputError(
            f"{type(instance).__name__}.{attribute.name} must be a positive timedelta, "
            f"got {value!r}"
        )


@attrs.frozen
class Cadence:
    """How often a relationship wants a touch.

    A touch is due ``ideal_days`` after the last one and overdue after
    ``maximum_days`` (default: half as long again as the ideal).
    ``message_kind`` is the message suggested when it comes due.
    """

    ideal_days: int = attrs.field(validator=_positive_int)
    maximum_days: int = attrs.field(
        default=attrs.Factory(lambda self: self.ideal_days + self.ideal_days // 2, takes_self=True)
    )
    message_kind: str = "keep_in_touch_article"

    @maximum_days.validator
    def _not_below_ideal(self, attribute: attrs.Attribute[int], value: int) -> None:
        _positive_int(self, attribute, value)
        if value < self.ideal_days:
            raise InvalidInputError(
                f"Cadence.maximum_days ({value}) must be at least ideal_days ({self.ideal_days})"
            )


def _frozen_map(value: Mapping[Any, Cadence]) -> Mapping[Any, Cadence]:
    for key, cadence in value.items():
        if not isinstance(cadence, Cadence):
            raise InvalidInputError(
                f"the cadence for {key!r} must be a Cadence, e.g. Cadence(30, 45), got {cadence!r}"
            )
    return MappingProxyType(dict(value))


def _source_map(value: Mapping[Any, Cadence]) -> Mapping[Any, Cadence]:
    try:
        converted = {ContactSource(key): cadence for key, cadence in value.items()}
    except ValueError as exc:
        raise InvalidInputError(
            f"FollowUpPolicy.source_cadences: {exc}; use one of "
            f"{', '.join(s.value for s in ContactSource)}"
        ) from None
    return _frozen_map(converted)


def _zone_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(
            f"FollowUpPolicy.timezone {value!r} is not a known IANA time zone; "
            "use e.g. 'Europe/London' or 'America/New_York'"
        ) from None


@attrs.frozen
class FollowUpPolicy:
    """Every number of the follow-up rules, with the usual defaults.

    Day counts run on the calendar of ``timezone`` (an IANA name; set it to
    the seeker's own, default UTC) and never on a timestamp's own zone,
    which a store may not keep. Business-day counts skip the weekend and the
    holidays of ``calendar``; with ``business_days=False`` they count
    calendar days instead. Keep-in-touch cadences are looked up per contact
    (``Contact.cadence_days``), then per tag (the most frequent matching tag
    wins), then per source (how warm the contact is), then ``keep_warm``.
    """

    thank_you_within: timedelta = attrs.field(
        default=timedelta(hours=24), validator=_positive_duration
    )
    approach_another_after_business_days: int = attrs.field(default=3, validator=_positive_int)
    nudge_after_business_days: int = attrs.field(default=7, validator=_positive_int)
    max_nudges: int = attrs.field(default=2, validator=_non_negative_int)
    schedule_within_business_days: int = attrs.field(default=2, validator=_positive_int)
    grace_business_days: int = attrs.field(default=2, validator=_non_negative_int)
    prepare_before: timedelta = attrs.field(default=timedelta(days=1), validator=_positive_duration)
    log_meeting_after: timedelta = attrs.field(
        default=timedelta(hours=2), validator=_positive_duration
    )
    business_days: bool = True
    calendar: BusinessCalendar = attrs.field(factory=BusinessCalendar)
    timezone: str = attrs.field(default="UTC", validator=_zone_name)
    keep_warm: Cadence = attrs.field(factory=lambda: Cadence(60, 90))
    tag_cadences: Mapping[str, Cadence] = attrs.field(factory=dict, converter=_frozen_map)
    source_cadences: Mapping[ContactSource, Cadence] = attrs.field(
        factory=dict, converter=_source_map
    )
    promised: Cadence = attrs.field(factory=lambda: Cadence(7, 14, "keep_in_touch_update"))
    losing_touch_after: timedelta = attrs.field(
        default=timedelta(days=120), validator=_positive_duration
    )

    def zone(self) -> tzinfo:
        """The zone whose calendar days are counted in."""
        return ZoneInfo(self.timezone)

    def cadence_for(self, contact: Contact) -> Cadence:
        """The keep-in-touch cadence of ``contact`` (see the class docstring for the order)."""
        if contact.cadence_days is not None:
            return Cadence(contact.cadence_days, message_kind=self.keep_warm.message_kind)
        tagged = [
            self.tag_cadences[tag] for tag in sorted(contact.tags) if tag in self.tag_cadences
        ]
        if tagged:
            return min(tagged, key=lambda c: (c.ideal_days, c.maximum_days))
        return self.source_cadences.get(contact.source, self.keep_warm)

    def keep_warm_interval(self, contact: Contact) -> timedelta:
        """How long a relationship may rest before a touch is due."""
        return timedelta(days=self.cadence_for(contact).ideal_days)

    def after_business_days(self, start: datetime, days: int) -> datetime:
        """``start`` plus ``days`` business days (or calendar days, see ``business_days``)."""
        if self.business_days:
            return add_business_days(start, days, self.calendar, zone=self.zone())
        return _add_days(start, days, self.zone())

    def after_days(self, start: datetime, days: int) -> datetime:
        """``start`` plus ``days`` calendar days, moved to a business day if they count."""
        moment = _add_days(start, days, self.zone())
        if self.business_days:
            return _business_at(moment.date(), moment, self.calendar)
        return moment


# -- the rules -------------------------------------------------------------


def ask_kind(contact: Contact) -> str:
    """The ask that suits ``contact``: referred (referrer known), shared affiliation, or cold."""
    return suggested_ask_kind(
        referred=contact.referrer_id is not None,
        affiliation=contact.affiliation,
        source=contact.source,
    )


def promise_anchor(interviews: Iterable[Interview]) -> datetime | None:
    """When the latest held interview with promised follow-ups took place, if any.

    Pass one contact's interviews; the result is the ``promised_at`` the
    reminder functions take.
    """
    held = [i.held_at for i in interviews if i.held_at is not None and i.promised_followups]
    return max(held, key=_utc, default=None)


def _promise_open(state: RelationshipState, promised_at: datetime | None) -> bool:
    if promised_at is None or state.stage not in (Stage.MET, Stage.THANKED, Stage.IN_TOUCH):
        return False
    return state.touched_at is None or _utc(state.touched_at) < _utc(promised_at)


def _reminder(
    policy: FollowUpPolicy,
    contact: Contact,
    reason: ReminderReason,
    due: datetime,
    overdue_at: datetime,
    since: datetime | None,
    kind: str | None,
    expires_at: datetime | None = None,
) -> Reminder:
    """A reminder with every time in the policy's zone, whatever zone the events carried."""
    zone = policy.zone()
    return Reminder(
        contact_id=contact.id,
        reason=reason,
        due=due.astimezone(zone),
        message_kind=kind,
        overdue_at=max(overdue_at, due, key=_utc).astimezone(zone),
        since=None if since is None else since.astimezone(zone),
        expires_at=None if expires_at is None else expires_at.astimezone(zone),
    )


def _meeting_reminders(
    state: RelationshipState, contact: Contact, policy: FollowUpPolicy
) -> list[Reminder]:
    found: list[Reminder] = []
    if state.stage is Stage.MET and state.met_at is not None:
        met = state.met_at
        found.append(
            _reminder(
                policy,
                contact,
                ReminderReason.THANK_YOU,
                met,
                _elapsed(met, policy.thank_you_within),
                met,
                "thank_you",
            )
        )
    if state.stage is Stage.SCHEDULED and state.scheduled_for is not None:
        meeting = state.scheduled_for
        found.append(
            _reminder(
                policy,
                contact,
                ReminderReason.PREPARE,
                _elapsed(meeting, -policy.prepare_before),
                meeting,
                state.last_touch_at,
                None,
                expires_at=meeting,
            )
        )
        found.append(
            _reminder(
                policy,
                contact,
                ReminderReason.LOG_MEETING,
                _elapsed(meeting, policy.log_meeting_after),
                _elapsed(meeting, policy.thank_you_within),
                meeting,
                None,
            )
        )
    return found


def _ask_reminders(
    state: RelationshipState, contact: Contact, policy: FollowUpPolicy
) -> list[Reminder]:
    found: list[Reminder] = []
    stage = state.stage
    grace = policy.grace_business_days
    if stage in (Stage.ASKED, Stage.REPLIED) and state.last_ask_or_nudge_at is not None:
        since = state.last_ask_or_nudge_at
        if stage is Stage.REPLIED and state.last_reply_at is not None:
            since = max(since, state.last_reply_at, key=_utc)
        due = policy.after_business_days(since, policy.nudge_after_business_days)
        reason = (
            ReminderReason.NUDGE
            if state.unanswered_nudges < policy.max_nudges
            else ReminderReason.GIVE_UP
        )
        kind = "follow_up" if reason is ReminderReason.NUDGE else None
        found.append(
            _reminder(
                policy, contact, reason, due, policy.after_business_days(due, grace), since, kind
            )
        )
        if stage is Stage.ASKED and state.nudges == 0 and state.asked_at is not None:
            due = policy.after_business_days(
                state.asked_at, policy.approach_another_after_business_days
            )
            found.append(
                _reminder(
                    policy,
                    contact,
                    ReminderReason.APPROACH_ANOTHER,
                    due,
                    policy.after_business_days(due, grace),
                    state.asked_at,
                    "ask_cold",
                )
            )
    if stage is Stage.ACCEPTED and state.last_touch_at is not None:
        since = state.last_touch_at
        due = policy.after_business_days(since, policy.schedule_within_business_days)
        found.append(
            _reminder(
                policy,
                contact,
                ReminderReason.SCHEDULE,
                due,
                policy.after_business_days(due, grace),
                since,
                "follow_up",
            )
        )
    return found


def _keep_warm_reminders(
    state: RelationshipState,
    contact: Contact,
    policy: FollowUpPolicy,
    promised_at: datetime | None,
) -> list[Reminder]:
    found: list[Reminder] = []
    if _promise_open(state, promised_at):
        assert promised_at is not None
        promise = policy.promised
        found.append(
            _reminder(
                policy,
                contact,
                ReminderReason.PROMISED_FOLLOW_UP,
                policy.after_days(promised_at, promise.ideal_days),
                policy.after_days(promised_at, promise.maximum_days),
                promised_at,
                promise.message_kind,
            )
        )
    if state.stage in KEEP_WARM_STAGES and state.last_touch_at is not None:
        since = state.last_touch_at
        cadence = policy.cadence_for(contact)
        warm = _reminder(
            policy,
            contact,
            ReminderReason.KEEP_WARM,
            policy.after_days(since, cadence.ideal_days),
            policy.after_days(since, cadence.maximum_days),
            since,
            cadence.message_kind,
        )
        # An open promise replaces the cadence unless the cadence comes sooner.
        if not found or _utc(warm.due) < _utc(found[0].due):
            found.append(warm)
    return found


def reminders(
    state: RelationshipState,
    contact: Contact,
    policy: FollowUpPolicy,
    *,
    promised_at: datetime | None = None,
) -> list[Reminder]:
    """Every reminder the relationship is owed, whatever the time now, soonest first.

    ``promised_at`` is when follow-ups were last promised to the contact
    (see :func:`promise_anchor`); a ``touched`` event after it keeps the promise.
    """
    found = [
        *_meeting_reminders(state, contact, policy),
        *_ask_reminders(state, contact, policy),
        *_keep_warm_reminders(state, contact, policy, promised_at),
    ]
    return sorted(found, key=lambda r: (_utc(r.due), r.urgency))


def due_reminders(
    state: RelationshipState,
    contact: Contact,
    policy: FollowUpPolicy,
    now: datetime,
    *,
    promised_at: datetime | None = None,
) -> list[Reminder]:
    """The reminders due at ``now``, with their ``overdue`` flag set, most urgent first."""
    found = [
        attrs.evolve(r, overdue=r.is_overdue(now))
        for r in reminders(state, contact, policy, promised_at=promised_at)
        if r.is_due(now)
    ]
    return by_urgency(found)


def next_due(
    state: RelationshipState,
    contact: Contact,
    policy: FollowUpPolicy,
    *,
    promised_at: datetime | None = None,
) -> datetime | None:
    """The earliest reminder's due time in UTC, or ``None``: what stores index."""
    pending = reminders(state, contact, policy, promised_at=promised_at)
    return min((_utc(r.due) for r in pending), default=None)


# -- losing touch ----------------------------------------------------------


@attrs.frozen
class LosingTouch:
    """A relationship with no logged touch for longer than the policy allows."""

    contact_id: str
    last_touch_at: datetime
    silent_for: timedelta


def losing_touch(
    state: RelationshipState, contact_id: str, *, now: datetime, after: timedelta
) -> LosingTouch | None:
    """An entry when the relationship has been silent longer than ``after``, whatever its cadence.

    Only relationships that have started (something logged) and are not
    waiting on an ask or a meeting, nor closed, are looked at.
    """
    if state.stage not in LOSING_TOUCH_STAGES or state.last_touch_at is None:
        return None
    silent = _utc(now) - _utc(state.last_touch_at)
    if silent <= after:
        return None
    return LosingTouch(contact_id=contact_id, last_touch_at=state.last_touch_at, silent_for=silent)
