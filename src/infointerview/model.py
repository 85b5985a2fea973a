"""The domain records: frozen attrs classes, changed with :func:`attrs.evolve`.

Personal fields (names, addresses, notes) are left out of ``repr`` so that
logs and tracebacks never carry them.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import attrs

from infointerview.errors import InvalidInputError

__all__ = [
    "Channel",
    "Contact",
    "ContactSource",
    "Event",
    "EventKind",
    "Finding",
    "Goal",
    "Interview",
    "Medium",
    "Message",
    "Question",
    "QuestionCategory",
    "SeekerProfile",
    "Severity",
    "new_id",
    "suggested_ask_kind",
]


def new_id() -> str:
    """Return a fresh random identifier (32 hex digits)."""
    return uuid.uuid4().hex


def _aware(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, datetime) and value.utcoffset() is None:
        raise InvalidInputError(
            f"{type(instance).__name__}.{attribute.name} must be a timezone-aware datetime; "
            "pass e.g. datetime(..., tzinfo=timezone.utc)"
        )


def _no_line_breaks(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, str) and ("\r" in value or "\n" in value):
        raise InvalidInputError(
            f"{type(instance).__name__}.{attribute.name} must be a single line: "
            "it contains a carriage return or line feed (header injection is refused)"
        )


def _non_empty(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{type(instance).__name__}.{attribute.name} must not be empty")


_E = TypeVar("_E", bound=enum.Enum)


def _coerce(cls: type[_E], value: Any) -> _E:
    """``cls(value)``, refusing an unknown value with the list of valid ones."""
    try:
        return cls(value)
    except ValueError:
        valid = ", ".join(str(member.value) for member in cls)
        raise InvalidInputError(
            f"{value!r} is not a valid {cls.__name__}; use one of: {valid}"
        ) from None


def _frozenset_of_str(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        return frozenset({values})
    return frozenset(values)


def _tuple_of_str(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    return tuple(values)


class ContactSource(enum.StrEnum):
    """How the seeker found a contact."""

    REFERRAL = "referral"
    ALUMNI = "alumni"
    EVENT = "event"
    PROFESSIONAL_NETWORK = "professional_network"
    COMPANY_SITE = "company_site"
    OWN_CIRCLE = "own_circle"
    COLD = "cold"


def suggested_ask_kind(*, referred: bool, affiliation: str, source: str) -> str:
    """The first ask that fits: naming a referrer beats a shared affiliation beats cold.

    The one rule behind :func:`infointerview.followup.ask_kind` and
    :func:`infointerview.choose_ask_kind`.
    """
    if referred:
        return "ask_referred"
    if affiliation.strip() or source == ContactSource.ALUMNI:
        return "ask_affiliation"
    return "ask_cold"


class Channel(enum.StrEnum):
    """Where a message goes."""

    EMAIL = "email"
    LINKEDIN_MESSAGE = "linkedin_message"
    LINKEDIN_NOTE = "linkedin_note"
    PHONE = "phone"
    CARD = "card"
    IN_PERSON = "in_person"


class Medium(enum.StrEnum):
    """How an interview is held."""

    CALL = "call"
    VIDEO = "video"
    COFFEE = "coffee"


class QuestionCategory(enum.StrEnum):
    """The TIARA groups, in the order they belong in a conversation."""

    TRENDS = "trends"
    INSIGHTS = "insights"
    ADVICE = "advice"
    RESOURCES = "resources"
    ASSIGNMENTS = "assignments"


class EventKind(enum.StrEnum):
    """What can happen in a relationship; the stage is a fold of these."""

    ASKED = "asked"
    FOLLOWED_UP = "followed_up"
    REPLIED = "replied"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    MET = "met"
    THANKED = "thanked"
    TOUCHED = "touched"
    REFERRED = "referred"
    GAVE_UP = "gave_up"


class Severity(enum.StrEnum):
    """How much a message-check finding matters."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


def _to_source(value: Any) -> ContactSource:
    return _coerce(ContactSource, value)


def _to_event_kind(value: Any) -> EventKind:
    return _coerce(EventKind, value)


def _to_channel(value: Any) -> Channel:
    return _coerce(Channel, value)


def _to_category(value: Any) -> QuestionCategory:
    return _coerce(QuestionCategory, value)


def _to_medium(value: Any) -> Medium:
    return _coerce(Medium, value)


def _to_severity(value: Any) -> Severity:
    return _coerce(Severity, value)


def _to_optional_channel(value: Any) -> Channel | None:
    return None if value is None else _coerce(Channel, value)


@attrs.frozen
class Goal:
    """Something the seeker wants from a conversation."""

    key: str = attrs.field(validator=_non_empty)
    title: str = attrs.field(validator=_non_empty)
    description: str = ""
    standard: bool = False


@attrs.frozen
class SeekerProfile:
    """Who the seeker is: used in introductions, messages and questions.

    ``field`` is the field the seeker is exploring and ``target`` the role or
    niche within it; ``current_field`` is the field they come from and
    ``background`` a phrase about them ("six years teaching chemistry").
    """

    name: str = attrs.field(default="", repr=False)
    email: str = attrs.field(default="", repr=False, validator=_no_line_breaks)
    phone: str = attrs.field(default="", repr=False)
    background: str = attrs.field(default="", repr=False)
    field: str = ""
    target: str = ""
    current_field: str = ""
    pitch: str = attrs.field(default="", repr=False)
    affiliations: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str, repr=False)
    situations: frozenset[str] = attrs.field(default=frozenset(), converter=_frozenset_of_str)


@attrs.frozen
class Contact:
    """A person the seeker may talk to.

    ``version`` is 0 for a contact not yet stored; the store sets it and
    bumps it on every update (optimistic concurrency).
    """

    name: str = attrs.field(repr=False, validator=_non_empty)
    organisation: str = attrs.field(default="", repr=False)
    role: str = attrs.field(default="", repr=False)
    field: str = ""
    source: ContactSource = attrs.field(default=ContactSource.COLD, converter=_to_source)
    referrer_id: str | None = None
    affiliation: str = attrs.field(default="", repr=False)
    email: str = attrs.field(default="", repr=False, validator=_no_line_breaks)
    phone: str = attrs.field(default="", repr=False)
    linkedin_url: str = attrs.field(default="", repr=False)
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=_frozenset_of_str)
    notes: str = attrs.field(default="", repr=False)
    cadence_days: int | None = None
    id: str = attrs.field(factory=new_id, validator=_non_empty)
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if self.referrer_id is not None and self.referrer_id == self.id:
            raise InvalidInputError("Contact.referrer_id cannot be the contact's own id")
        if self.cadence_days is not None and self.cadence_days <= 0:
            raise InvalidInputError(
                f"Contact.cadence_days must be a positive number of days, got {self.cadence_days}"
            )

    @property
    def first_name(self) -> str:
        """The first word of the name, for salutations."""
        return self.name.split()[0] if self.name.split() else self.name


@attrs.frozen
class Event:
    """One thing that happened between the seeker and a contact.

    ``related_contact_id`` is the person introduced by a ``referred`` event;
    ``scheduled_for`` the meeting time of ``scheduled``/``rescheduled``.
    """

    contact_id: str
    kind: EventKind = attrs.field(converter=_to_event_kind)
    at: datetime = attrs.field(validator=_aware)
    channel: Channel | None = attrs.field(default=None, converter=_to_optional_channel)
    note: str = attrs.field(default="", repr=False)
    scheduled_for: datetime | None = attrs.field(default=None, validator=_aware)
    related_contact_id: str | None = None
    id: str = attrs.field(factory=new_id)


@attrs.frozen
class Question:
    """An open-ended question for an interview."""

    text: str = attrs.field(validator=_non_empty)
    category: QuestionCategory = attrs.field(converter=_to_category)
    goals: frozenset[str] = attrs.field(default=frozenset(), converter=_frozenset_of_str)
    priority: int = 50
    minutes: float = attrs.field(default=2.0)
    source: str = "user"
    situations: frozenset[str] = attrs.field(default=frozenset(), converter=_frozenset_of_str)

    @minutes.validator
    def _positive_minutes(self, _attr: attrs.Attribute[float], value: float) -> None:
        if not value > 0:
            raise InvalidInputError(f"Question.minutes must be positive, got {value}")


DEFAULT_INTERVIEW_MINUTES = 25


@attrs.frozen
class Interview:
    """A planned or held conversation with one contact.

    ``held_at`` is ``None`` while the interview is only planned.
    ``referrals`` are the ids of contacts gained from it.
    """

    contact_id: str
    at: datetime = attrs.field(validator=_aware)
    medium: Medium = attrs.field(default=Medium.VIDEO, converter=_to_medium)
    minutes: int = attrs.field(default=DEFAULT_INTERVIEW_MINUTES)
    goals: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    agenda: tuple[Question, ...] = ()
    notes: str = attrs.field(default="", repr=False)
    insights: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str, repr=False)
    referrals: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    promised_followups: tuple[str, ...] = attrs.field(
        default=(), converter=_tuple_of_str, repr=False
    )
    held_at: datetime | None = attrs.field(default=None, validator=_aware)
    id: str = attrs.field(factory=new_id)
    version: int = 0

    @minutes.validator
    def _sane_length(self, _attr: attrs.Attribute[int], value: int) -> None:
        if not 5 <= value <= 240:
            raise InvalidInputError(
                f"Interview.minutes must be between 5 and 240, got {value}; "
                "informational interviews usually ask for 20-30 minutes"
            )

    @property
    def ends_at(self) -> datetime:
        """When the agreed time is up (in elapsed time, so right across clock changes)."""
        elapsed = self.at.astimezone(UTC) + timedelta(minutes=self.minutes)
        return elapsed.astimezone(self.at.tzinfo)


@attrs.frozen
class Finding:
    """What a message check noticed, with a human explanation."""

    check: str
    severity: Severity = attrs.field(converter=_to_severity)
    explanation: str


@attrs.frozen
class Message:
    """A drafted message: what was rendered and what the checks found."""

    kind: str
    channel: Channel = attrs.field(converter=_to_channel)
    body: str = attrs.field(repr=False)
    subject: str = attrs.field(default="", repr=False, validator=_no_line_breaks)
    recipients: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str, repr=False)
    contact_id: str | None = None
    format: str = "text"
    findings: tuple[Finding, ...] = ()
    created_at: datetime | None = attrs.field(default=None, validator=_aware)
    id: str = attrs.field(factory=new_id)

    @recipients.validator
    def _single_line_recipients(self, attr: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        for recipient in value:
            _no_line_breaks(self, attr, recipient)

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return all(f.severity is not Severity.ERROR for f in self.findings)
