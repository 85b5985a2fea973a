"""Records round-trip through ``to_record``/``from_record`` and JSON; bad records fail clearly."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings

from infointerview import (
    Contact,
    Event,
    InvalidInputError,
    SchemaVersionError,
    StoreError,
    dumps,
    from_record,
    loads,
    to_record,
)
from infointerview.serialization import RECORD_TAGS, SCHEMA_VERSION
from infointerview.testing.strategies import contacts, records

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


@settings(max_examples=150)
@given(records())
def test_every_record_round_trips_through_a_dict(record: object) -> None:
    """``from_record(to_record(x)) == x`` with the same type, for every record type."""
    data = to_record(record)
    back: object = from_record(data)
    assert type(back) is type(record)
    assert back == record
    assert data["type"] in RECORD_TAGS
    assert data["schema_version"] == SCHEMA_VERSION


@settings(max_examples=150)
@given(records())
def test_every_record_round_trips_through_json(record: object) -> None:
    """``loads(dumps(x)) == x`` and dumping again gives the same text."""
    text = dumps(record)
    back: object = loads(text)
    assert back == record
    assert dumps(back) == text
    assert json.loads(text) == json.loads(json.dumps(to_record(record)))


@given(contacts())
def test_loads_checks_the_expected_type(contact: Contact) -> None:
    """``loads(text, Event)`` refuses a contact record, naming both types."""
    assert loads(dumps(contact), Contact) == contact
    with pytest.raises(InvalidInputError, match="expected a event record, got 'contact'"):
        loads(dumps(contact), Event)


def _contact_record(**changes: Any) -> dict[str, Any]:
    data = to_record(Contact(name="Ada Lovelace", id="c1"))
    data.update(changes)
    return data


def test_an_unknown_record_type_is_refused_listing_the_known_ones() -> None:
    """A record of an unknown type names it and every known type."""
    with pytest.raises(InvalidInputError) as refused:
        from_record(_contact_record(type="spaceship"))
    message = str(refused.value)
    assert "'spaceship'" in message
    assert all(tag in message for tag in RECORD_TAGS)


def test_a_newer_schema_version_is_refused_with_an_upgrade_hint() -> None:
    """A record from a newer library raises SchemaVersionError saying to upgrade."""
    with pytest.raises(SchemaVersionError, match="upgrade infointerview") as refused:
        from_record(_contact_record(schema_version=SCHEMA_VERSION + 1))
    assert isinstance(refused.value, StoreError)
    assert str(SCHEMA_VERSION + 1) in str(refused.value)


@pytest.mark.parametrize("version", [None, 0, -1, "1", 1.0])
def test_a_missing_or_invalid_schema_version_is_refused(version: object) -> None:
    """``schema_version`` must be a positive integer."""
    with pytest.raises(InvalidInputError, match="schema_version"):
        from_record(_contact_record(schema_version=version))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 5),
        ("version", "abc"),
        ("tags", 5),
        ("referrer_id", 5),
        ("cadence_days", "often"),
        ("email", ["a@example.org"]),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_naming_the_field(field: str, value: object) -> None:
    """A wrongly typed field raises InvalidInputError naming the record type and the field."""
    with pytest.raises(InvalidInputError) as refused:
        from_record(_contact_record(**{field: value}))
    assert "contact record" in str(refused.value)
    assert f"$.{field}" in str(refused.value)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"source": "carrier pigeon"}, "carrier pigeon"),
        ({"name": "  "}, "name must not be empty"),
        ({"cadence_days": -3}, "cadence_days"),
    ],
)
def test_an_invalid_value_is_refused_with_its_reason(
    changes: dict[str, object], expected: str
) -> None:
    """A value of the right type that the record refuses keeps the record's own reason."""
    with pytest.raises(InvalidInputError, match=expected):
        from_record(_contact_record(**changes))


def test_extra_and_missing_fields_are_refused() -> None:
    """An unknown key or a missing required key is named in the error."""
    with pytest.raises(InvalidInputError, match="nickname"):
        from_record(_contact_record(nickname="Ada"))
    data = _contact_record()
    del data["name"]
    with pytest.raises(InvalidInputError, match=r"\$\.name"):
        from_record(data)


@pytest.mark.parametrize("at", ["2024-03-04T09:00:00", "next tuesday", 1709542800])
def test_a_naive_or_malformed_datetime_is_refused(at: object) -> None:
    """Datetimes must be ISO 8601 strings with a UTC offset."""
    data = to_record(Event(contact_id="c1", kind="asked", at=T0))
    data["at"] = at
    with pytest.raises(InvalidInputError, match=r"\$\.at"):
        from_record(data)


def test_non_records_are_refused_both_ways() -> None:
    """Only domain records serialize, and only JSON objects deserialize."""
    with pytest.raises(InvalidInputError, match="not a serializable record"):
        to_record(object())
    with pytest.raises(InvalidInputError, match="JSON object"):
        from_record(["contact"])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        loads("{not json")
