"""Follow-up policy: from a relationship's fold to the reminders it is owed.

Pure: no clock is read; callers pass ``now``. Every number is a field of
:class:`FollowUpPolicy`, with the defaults taught in job-search practice.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import attrs

from infointerview.errors import InvalidInputError
from infointerview.model import Contact
from infointerview.stages import RelationshipState, Stage

__all__ = [
    "FollowUpPolicy",
    "Reminder",
    "ReminderReason",
    "add_business_days",
    "next_due",
    "reminders",
]


class ReminderReason(enum.StrEnum):
    """Why something is due, most urgent first."""

    THANK_YOU = "thank_you"
    PREPARE = "prepare"
    NUDGE = "nudge"
    APPROACH_ANOTHER = "approach_another"
    GIVE_UP = "give_up"
    KEEP_WARM = "keep_warm"


_URGENCY = {reason: rank for rank, reason in enumerate(ReminderReason)}

_SUGGESTED_KIND = {
    ReminderReason.THANK_YOU: "thank_you",
    ReminderReason.PREPARE: None,
    ReminderReason.NUDGE: "follow_up",
    ReminderReason.APPROACH_ANOTHER: "ask_cold",
    ReminderReason.GIVE_UP: None,
    ReminderReason.KEEP_WARM: "keep_in_touch_update",
}


@attrs.frozen
class Reminder:
    """Something the seeker owes a contact, and by when."""

    contact_id: str
    reason: ReminderReason
    due: datetime
    message_kind: str | None = None

    @property
    def urgency(self) -> int:
        """Lower is more urgent."""
        return _URGENCY[self.reason]


def _positive(instance: object, attribute: attrs.Attribute[object], value: object) -> None:
    if not isinstance(value, int | float | timedelta) or (
        value <= timedelta(0) if isinstance(value, timedelta) else value <= 0  # type: ignore[operator]
    ):
        raise InvalidInputError(f"FollowUpPolicy.{attribute.name} must be positive, got {value!r}")


@attrs.frozen
class FollowUpPolicy:
    """Every number of the follow-up rules, with the usual defaults.

    ``holidays`` are dates that do not count as business days.
    """

    thank_you_within: timedelta = attrs.field(default=timedelta(hours=24), validator=_positive)
    approach_another_after_business_days: int = attrs.field(default=3, validator=_positive)
    nudge_after_business_days: int = attrs.field(default=7, validator=_positive)
    max_nudges: int = attrs.field(default=2, validator=_positive)
    prepare_before: timedelta = attrs.field(default=timedelta(days=1), validator=_positive)
    keep_warm_days: int = attrs.field(default=60, validator=_positive)
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=frozenset)

    def keep_warm_interval(self, contact: Contact) -> timedelta:
        """How long a relationship may rest before a touch is due."""
        return timedelta(days=contact.cadence_days or self.keep_warm_days)


def add_business_days(start: datetime, days: int, holidays: Iterable[date] = ()) -> datetime:
    """``start`` moved forward by ``days`` business days, same local time of day."""
    off = frozenset(holidays)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current.date() not in off:
            remaining -= 1
    return current


def reminders(state: RelationshipState, contact: Contact, policy: FollowUpPolicy) -> list[Reminder]:
    """Every reminder the relationship is owed, whatever the time now, most urgent first."""
    found: list[tuple[ReminderReason, datetime]] = []
    stage = state.stage
    if stage is Stage.MET and state.met_at is not None:
        found.append((ReminderReason.THANK_YOU, state.met_at + policy.thank_you_within))
    if stage is Stage.SCHEDULED and state.scheduled_for is not None:
        found.append((ReminderReason.PREPARE, state.scheduled_for - policy.prepare_before))
    if stage in (Stage.ASKED, Stage.REPLIED) and state.last_ask_or_nudge_at is not None:
        waited_from = state.last_ask_or_nudge_at
        after = add_business_days(waited_from, policy.nudge_after_business_days, policy.holidays)
        if state.nudges < policy.max_nudges:
            found.append((ReminderReason.NUDGE, after))
        else:
            found.append((ReminderReason.GIVE_UP, after))
        if stage is Stage.ASKED and state.nudges == 0 and state.asked_at is not None:
            found.append(
                (
                    ReminderReason.APPROACH_ANOTHER,
                    add_business_days(
                        state.asked_at, policy.approach_another_after_business_days, policy.holidays
                    ),
                )
            )
    if stage in (Stage.THANKED, Stage.IN_TOUCH) and state.last_touch_at is not None:
        found.append(
            (ReminderReason.KEEP_WARM, state.last_touch_at + policy.keep_warm_interval(contact))
        )
    result = [
        Reminder(contact.id, reason, due, _SUGGESTED_KIND[reason]) for reason, due in found
    ]
    return sorted(result, key=lambda r: (r.due, r.urgency))


def next_due(state: RelationshipState, contact: Contact, policy: FollowUpPolicy) -> datetime | None:
    """The earliest reminder's due time, or ``None``: what stores index."""
    pending = reminders(state, contact, policy)
    return min((r.due for r in pending), default=None)
