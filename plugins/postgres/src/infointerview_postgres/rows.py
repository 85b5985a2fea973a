"""Domain records to table rows and back.

Timestamps are stored as ``timestamptz`` (so they sort and index) beside
their UTC offset in seconds, so a value comes back with the offset it was
given.
"""

from __future__ import annotations

import operator
import struct
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Final, overload

import attrs
from psycopg.adapt import Dumper
from psycopg.pq import Format

from infointerview.model import Contact, Event, EventKind, Interview, Message
from infointerview.serialization import from_record

__all__ = [
    "CONTACT_COLUMNS",
    "CONTACT_TYPES",
    "EVENT_COLUMNS",
    "TagsBinaryDumper",
    "contact_copy_row",
    "contact_from_row",
    "contact_values",
    "event_from_row",
    "event_values",
    "interview_from_record",
    "message_from_record",
    "offset_of",
    "stored_contact",
    "with_offset",
]

CONTACT_COLUMNS: Final = (
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
    "tags",
    "notes",
    "cadence_days",
)
"""The contact columns a caller supplies (``owner`` and ``version`` are the store's)."""

CONTACT_TYPES: Final = (
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text[]",
    "text",
    "int4",
)
"""The PostgreSQL type of each of :data:`CONTACT_COLUMNS`, for binary ``COPY``."""

EVENT_COLUMNS: Final = (
    "id",
    "kind",
    "at",
    "at_offset",
    "channel",
    "note",
    "scheduled_for",
    "scheduled_for_offset",
    "related_contact_id",
)


def offset_of(value: datetime | None) -> int | None:
    """The UTC offset of an aware datetime, in whole seconds."""
    if value is None:
        return None
    offset = value.utcoffset()
    return None if offset is None else int(offset.total_seconds())


@overload
def with_offset(value: datetime, seconds: int | None) -> datetime: ...
@overload
def with_offset(value: None, seconds: int | None) -> None: ...
@overload
def with_offset(value: datetime | None, seconds: int | None) -> datetime | None: ...
def with_offset(value: datetime | None, seconds: int | None) -> datetime | None:
    """``value`` shown at the UTC offset it was stored with."""
    if value is None:
        return None
    return value.astimezone(timezone(timedelta(seconds=seconds or 0)))


def contact_values(contact: Contact) -> tuple[Any, ...]:
    """One row of :data:`CONTACT_COLUMNS` for ``contact``."""
    return (
        contact.id,
        contact.name,
        contact.organisation,
        contact.role,
        contact.field,
        contact.source.value,
        contact.referrer_id,
        contact.affiliation,
        contact.email,
        contact.phone,
        contact.linkedin_url,
        sorted(contact.tags),
        contact.notes,
        contact.cadence_days,
    )


contact_copy_row: Final[Callable[[Contact], tuple[Any, ...]]] = operator.attrgetter(
    *CONTACT_COLUMNS
)
"""A contact's :data:`CONTACT_COLUMNS` as they are, for ``COPY`` (tags stay a frozenset)."""

_TEXT_OID: Final = 25
_TEXT_ARRAY_OID: Final = 1009
_ARRAY_HEAD: Final = struct.Struct("!iiIii").pack
_LENGTH: Final = struct.Struct("!i").pack
_EMPTY_ARRAY: Final = struct.pack("!iiI", 0, 0, _TEXT_OID)


class TagsBinaryDumper(Dumper):
    """Dumps a set of strings as a binary ``text[]``: a lean path for ``COPY``.

    psycopg's generic list dumper inspects nesting and types for every
    array; tags are always a flat set of strings, which this encodes directly.
    """

    format = Format.BINARY
    oid = _TEXT_ARRAY_OID

    def dump(self, obj: Collection[str]) -> bytes:
        """The binary array: header, one dimension, then length-prefixed UTF-8 items."""
        if not obj:
            return _EMPTY_ARRAY
        parts = [_ARRAY_HEAD(1, 0, _TEXT_OID, len(obj), 1)]
        for item in obj:
            data = item.encode()
            parts.append(_LENGTH(len(data)))
            parts.append(data)
        return b"".join(parts)


def _make_stored_contact() -> Callable[[Contact, int], Contact]:
    # Generated from attrs.fields(Contact), the way attrs writes its own
    # __init__: one plain line per field, so a new field is never left out and
    # no loop or validator runs per contact.
    names = [a.name for a in attrs.fields(Contact) if a.name != "version"]
    lines = [f"    put(copy, {name!r}, contact.{name})" for name in names]
    source = "\n".join(
        [
            "def stored_contact(contact, version):",
            "    copy = new(Contact)",
            *lines,
            "    put(copy, 'version', version)",
            "    return copy",
        ]
    )
    scope: dict[str, Any] = {"new": object.__new__, "put": object.__setattr__, "Contact": Contact}
    exec(compile(source, "<infointerview_postgres stored_contact>", "exec"), scope)  # noqa: S102
    made: Callable[[Contact, int], Contact] = scope["stored_contact"]
    return made


_copy_contact: Final = _make_stored_contact()


def stored_contact(contact: Contact, version: int) -> Contact:
    """``attrs.evolve(contact, version=version)`` without re-running validation.

    The values were validated when ``contact`` was built; bulk imports return
    many thousands of these, and re-validating each costs more than storing it.
    """
    if type(contact) is not Contact:
        return attrs.evolve(contact, version=version)
    return _copy_contact(contact, version)


def contact_from_row(row: Sequence[Any]) -> Contact:
    """A contact from ``version`` followed by :data:`CONTACT_COLUMNS`."""
    (
        version,
        id_,
        name,
        organisation,
        role,
        field,
        source,
        referrer_id,
        affiliation,
        email,
        phone,
        linkedin_url,
        tags,
        notes,
        cadence_days,
    ) = row
    return Contact(
        id=id_,
        version=version,
        name=name,
        organisation=organisation,
        role=role,
        field=field,
        source=source,
        referrer_id=referrer_id,
        affiliation=affiliation,
        email=email,
        phone=phone,
        linkedin_url=linkedin_url,
        tags=frozenset(tags),
        notes=notes,
        cadence_days=cadence_days,
    )


def event_values(event: Event) -> tuple[Any, ...]:
    """One row of :data:`EVENT_COLUMNS` for ``event``."""
    return (
        event.id,
        event.kind.value,
        event.at,
        offset_of(event.at),
        None if event.channel is None else event.channel.value,
        event.note,
        event.scheduled_for,
        offset_of(event.scheduled_for),
        event.related_contact_id,
    )


def event_from_row(contact_id: str, row: Sequence[Any]) -> Event:
    """An event of ``contact_id`` from a row of :data:`EVENT_COLUMNS`."""
    id_, kind, at, at_offset, channel, note, scheduled_for, sched_offset, related = row
    return Event(
        contact_id=contact_id,
        kind=EventKind(kind),
        at=with_offset(at, at_offset),
        channel=channel,
        note=note,
        scheduled_for=with_offset(scheduled_for, sched_offset),
        related_contact_id=related,
        id=id_,
    )


def interview_from_record(record: dict[str, Any]) -> Interview:
    """An interview from its stored document."""
    return from_record(record, Interview)


def message_from_record(record: dict[str, Any]) -> Message:
    """A message from its stored document."""
    return from_record(record, Message)
