"""Records to rows and back: the column lists and the value conversions."""

from __future__ import annotations

import json
import operator
import types
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final, TypeVar

import attrs

from infointerview.errors import InvalidInputError
from infointerview.model import Contact, Event

__all__ = [
    "CONTACT_COLUMNS",
    "CONTACT_FIELDS",
    "EVENT_COLUMNS",
    "contact_from_row",
    "contact_row",
    "contact_rows",
    "event_from_row",
    "event_row",
    "instant",
    "iso",
    "make_restamp",
    "parse_time",
    "restamp_contact",
    "tags_from_text",
    "tags_text",
]

T = TypeVar("T")

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)


def instant(moment: datetime) -> int:
    """Microseconds since the Unix epoch (UTC): a sortable key for aware datetimes."""
    if moment.utcoffset() is None:
        raise InvalidInputError(
            "a time given to the store must be timezone-aware; pass e.g. "
            "datetime(..., tzinfo=timezone.utc)"
        )
    return (moment - _EPOCH) // _MICROSECOND


def iso(moment: datetime | None) -> str | None:
    """The ISO 8601 text kept beside the sort key, so the offset given comes back."""
    return None if moment is None else moment.isoformat()


def parse_time(text: str | None) -> datetime | None:
    """Inverse of :func:`iso`."""
    return None if text is None else datetime.fromisoformat(text)


CONTACT_FIELDS: Final = (
    "id",
    "name",
    "organisation",
    "role",
    "field",
    "source",
    "referrer_id",
    "affiliation",
    "email",
    "phone",
    "linkedin_url",
    "notes",
    "cadence_days",
)
CONTACT_COLUMNS: Final = (*CONTACT_FIELDS, "tags", "version")
"""The contact columns after ``owner``, in the order :func:`contact_row` gives them."""

_contact_values = operator.attrgetter(*CONTACT_FIELDS)


_encode = json.JSONEncoder(ensure_ascii=False).encode


def tags_text(tags: frozenset[str]) -> str:
    """Tags as a sorted JSON array (the contact's own copy; ``contact_tags`` is the index)."""
    return _encode(sorted(tags)) if tags else "[]"


def tags_from_text(text: str) -> frozenset[str]:
    """Inverse of :func:`tags_text`."""
    return frozenset(json.loads(text)) if text != "[]" else frozenset()


def contact_row(owner: str, contact: Contact, version: int) -> tuple[Any, ...]:
    """``(owner, *CONTACT_COLUMNS)`` for one contact."""
    return (owner, *_contact_values(contact), tags_text(contact.tags), version)


def contact_rows(owner: str, contacts: Sequence[Contact], version: int) -> list[tuple[Any, ...]]:
    """:func:`contact_row` for a whole batch, without a call per contact (the bulk path)."""
    values, encode = _contact_values, _encode
    return [
        (owner, *values(c), encode(sorted(c.tags)) if c.tags else "[]", version) for c in contacts
    ]


def contact_from_row(row: Sequence[Any]) -> Contact:
    """A contact from ``SELECT <CONTACT_COLUMNS>``."""
    return Contact(
        id=row[0],
        name=row[1],
        organisation=row[2],
        role=row[3],
        field=row[4],
        source=row[5],
        referrer_id=row[6],
        affiliation=row[7],
        email=row[8],
        phone=row[9],
        linkedin_url=row[10],
        notes=row[11],
        cadence_days=row[12],
        tags=tags_from_text(row[13]),
        version=row[14],
    )


EVENT_COLUMNS: Final = (
    "contact_id",
    "seq",
    "id",
    "kind",
    "at",
    "channel",
    "note",
    "scheduled_for",
    "related_contact_id",
)
"""The event columns after ``owner``, in the order :func:`event_row` gives them."""


def event_row(owner: str, event: Event, seq: int) -> tuple[Any, ...]:
    """``(owner, *EVENT_COLUMNS)`` for the event at position ``seq`` of its log."""
    return (
        owner,
        event.contact_id,
        seq,
        event.id,
        event.kind.value,
        event.at.isoformat(),
        None if event.channel is None else event.channel.value,
        event.note,
        iso(event.scheduled_for),
        event.related_contact_id,
    )


def event_from_row(row: Sequence[Any]) -> Event:
    """An event from ``SELECT contact_id, id, kind, at, channel, note, scheduled_for, related``."""
    return Event(
        contact_id=row[0],
        id=row[1],
        kind=row[2],
        at=datetime.fromisoformat(row[3]),
        channel=row[4],
        note=row[5],
        scheduled_for=parse_time(row[6]),
        related_contact_id=row[7],
    )


def make_restamp(cls: type[T]) -> Callable[[T, int], T]:
    """A function returning a copy of a record with a new ``version``.

    For a slotted attrs class the copy is made slot by slot, which is several
    times faster than :func:`attrs.evolve` (it skips the validators, which the
    record already passed); the bulk insert returns one per contact.
    """
    names = [a.name for a in attrs.fields(cls)]  # type: ignore[arg-type]
    slots = [cls.__dict__.get(name) for name in names]
    if "version" not in names or not all(isinstance(s, types.MemberDescriptorType) for s in slots):

        def evolve(record: T, version: int) -> T:
            return attrs.evolve(record, version=version)  # type: ignore[misc]

        return evolve
    env: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    body = ["def restamp(record, version):", "    new = _new(_cls)"]
    for index, (name, slot) in enumerate(zip(names, slots, strict=True)):
        env[f"_set{index}"] = slot.__set__  # type: ignore[union-attr]
        value = "version" if name == "version" else f"record.{name}"
        body.append(f"    _set{index}(new, {value})")
    body.append("    return new")
    # The names are attrs field names (identifiers), never user data.
    exec("\n".join(body), env)  # noqa: S102
    restamp: Callable[[T, int], T] = env["restamp"]
    return restamp


restamp_contact: Final = make_restamp(Contact)
