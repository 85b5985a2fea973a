"""Records as JSON-ready dicts: one private cattrs converter, pinned type tags.

Every record carries ``"type"`` (a tag pinned here, never derived from a
class name) and ``"schema_version"``. Stores and exporters use
:func:`to_record` / :func:`from_record`; nothing else touches the converter.
"""

from __future__ import annotations

import enum
import functools
import json
from datetime import date, datetime
from typing import Any, Final, TypeVar

import cattrs
from cattrs.preconf.json import make_converter as _json_converter

from infointerview.errors import InvalidInputError, SchemaVersionError
from infointerview.model import (
    Contact,
    Event,
    Finding,
    Goal,
    Interview,
    Message,
    Question,
    SeekerProfile,
)
from infointerview.ports import ContactExport, Relationship

__all__ = ["RECORD_TAGS", "SCHEMA_VERSION", "dumps", "from_record", "loads", "to_record"]

SCHEMA_VERSION: Final = 1

RECORD_TAGS: Final[dict[str, type]] = {
    "contact": Contact,
    "event": Event,
    "goal": Goal,
    "question": Question,
    "interview": Interview,
    "finding": Finding,
    "message": Message,
    "profile": SeekerProfile,
    "relationship": Relationship,
    "contact_export": ContactExport,
}
_TAG_OF: Final = {cls: tag for tag, cls in RECORD_TAGS.items()}

T = TypeVar("T")


@functools.cache
def make_converter() -> cattrs.Converter:
    """The one converter: ISO datetimes, sorted lists for sets, enum values."""
    converter = _json_converter(forbid_extra_keys=True)
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_structure_hook(datetime, lambda v, _: _parse_datetime(v))
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(date, lambda v, _: date.fromisoformat(v))
    converter.register_structure_hook(str, lambda v, _: _require_str(v))
    converter.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda v: v.value
    )
    converter.register_unstructure_hook_func(
        lambda t: getattr(t, "__origin__", None) is frozenset,
        lambda v: sorted(v, key=repr),
    )
    return converter


def _require_str(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"expected a string, got {type(value).__name__}")
    return value


def _parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise InvalidInputError(
            f"expected an ISO 8601 date-time string, got {type(value).__name__}"
        )
    parsed = datetime.fromisoformat(value)
    if parsed.utcoffset() is None:
        raise InvalidInputError(f"date-time {value!r} has no UTC offset")
    return parsed


def to_record(obj: object) -> dict[str, Any]:
    """A JSON-ready dict of a domain record, tagged with its type and schema version."""
    try:
        tag = _TAG_OF[type(obj)]
    except KeyError:
        raise InvalidInputError(f"{type(obj).__name__} is not a serializable record") from None
    body = make_converter().unstructure(obj)
    return {"type": tag, "schema_version": SCHEMA_VERSION, **body}


def from_record(data: dict[str, Any], expected: type[T] | None = None) -> T:
    """The record ``data`` describes; errors name the field and the problem."""
    if not isinstance(data, dict):
        raise InvalidInputError(f"a record must be a JSON object, got {type(data).__name__}")
    body = dict(data)
    tag = body.pop("type", None)
    version = body.pop("schema_version", None)
    if tag not in RECORD_TAGS:
        raise InvalidInputError(
            f"record type {tag!r} is unknown; expected one of {', '.join(RECORD_TAGS)}"
        )
    if not isinstance(version, int) or version < 1:
        raise InvalidInputError(f"{tag} record has no valid schema_version (got {version!r})")
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{tag} record has schema_version {version}, newer than this library's "
            f"{SCHEMA_VERSION}; upgrade infointerview to read it"
        )
    cls = RECORD_TAGS[tag]
    if expected is not None and cls is not expected:
        raise InvalidInputError(f"expected a {_TAG_OF[expected]} record, got {tag!r}")
    try:
        return make_converter().structure(body, cls)
    except InvalidInputError:
        raise
    except Exception as exc:
        raise InvalidInputError(f"{tag} record is malformed: {_describe(exc)}") from exc


def _describe(exc: BaseException) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        notes = cattrs.transform_error(exc, format_exception=_format_error)
        return "; ".join(notes)
    return f"{type(exc).__name__}: {exc}"


def _format_error(exc: BaseException, type_: type | None) -> str:
    # cattrs' default says only "invalid value" for a ValueError, which drops
    # the record's own reason (an empty name, an unknown enum value).
    if isinstance(exc, InvalidInputError):
        return str(exc)
    default = cattrs.v.format_exception(exc, type_)
    if isinstance(exc, ValueError) and str(exc):
        return f"{default} ({exc})"
    return default


def dumps(obj: object) -> str:
    """``to_record`` as a JSON string (keys sorted, stable)."""
    return json.dumps(to_record(obj), sort_keys=True, ensure_ascii=False)


def loads(text: str | bytes, expected: type[T] | None = None) -> T:
    """Inverse of :func:`dumps`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"not valid JSON: {exc}") from exc
    return from_record(data, expected)
