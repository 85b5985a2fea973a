"""What the PostgreSQL store adds to the port's promises: both import paths, offsets, limits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from infointerview_postgres import COPY_THRESHOLD, PostgresBackend, PostgresStore

from infointerview.errors import (
    ConflictError,
    DuplicateError,
    InvalidInputError,
    NotFoundError,
    StoreError,
)
from infointerview.model import Contact, Event, EventKind, Interview, Message, SeekerProfile
from infointerview.ports import DueEntry, Relationship
from infointerview.stages import Stage
from infointerview.testing import strategies as iis

pytestmark = pytest.mark.postgres

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
SMALL, LARGE = 3, COPY_THRESHOLD + 6
"""Batch sizes that take the INSERT path and the COPY path."""


def at(hours: float, offset_hours: float = 0) -> datetime:
    """``T0`` plus ``hours``, shown at a UTC offset of ``offset_hours``."""
    return (T0 + timedelta(hours=hours)).astimezone(timezone(timedelta(hours=offset_hours)))


def people(count: int, prefix: str = "p") -> list[Contact]:
    """``count`` contacts with every field filled, tags included."""
    return [
        Contact(
            name=f"Person {i:03d}",
            organisation=f"Org {i % 4}",
            role="Analyst",
            field="energy",
            source="alumni",
            affiliation="Class of 2019",
            email=f"{prefix}{i}@example.org",
            phone="+44 20 7946 0000",
            linkedin_url=f"https://www.linkedin.com/in/{prefix}{i}",
            tags={"warm", f"t{i % 3}", "ünïcode ✓", 'quote"and\\slash', "{brace,comma}"},
            notes="Line one\nline two\ttabbed",
            cadence_days=30 if i % 2 else None,
            id=f"{prefix}{i}",
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_both_import_paths_store_every_field(store: PostgresStore, size: int) -> None:
    """INSERT (small batch) and COPY (large batch) both return and store version 1, all fields."""
    batch = people(size)
    added = store.add_contacts(batch)
    assert added == [attrs.evolve(c, version=1) for c in batch]
    assert store.list_contacts() == sorted(added, key=lambda c: (c.name, c.id))
    assert store.get_contact(batch[-1].id) == added[-1]
    assert store.list_contacts(tag="ünïcode ✓") == store.list_contacts()
    assert store.list_contacts(tag='quote"and\\slash') == store.list_contacts()


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_referrers_may_come_later_in_the_batch_or_in_a_cycle(
    store: PostgresStore, size: int
) -> None:
    """A batch may name a referrer that comes after the referred contact, or refer in a ring."""
    batch = people(size)
    batch[0] = attrs.evolve(batch[0], referrer_id=batch[-1].id)
    batch[-1] = attrs.evolve(batch[-1], referrer_id=batch[0].id)
    store.add_contacts(batch)
    assert [c.id for c in store.list_contacts(referrer_id=batch[-1].id)] == [batch[0].id]
    assert [c.id for c in store.list_contacts(referrer_id=batch[0].id)] == [batch[-1].id]


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_a_taken_id_is_named_by_its_place_in_the_batch(store: PostgresStore, size: int) -> None:
    """A stored id in the batch raises DuplicateError naming its index; nothing is written."""
    store.add_contacts(people(1, "kept"))
    batch = [*people(size - 1), *people(1, "kept")]
    with pytest.raises(DuplicateError, match=rf"#{size - 1} .*'kept0'"):
        store.add_contacts(batch)
    assert [c.id for c in store.list_contacts()] == ["kept0"]


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_an_id_twice_in_the_batch_is_named_and_nothing_written(
    store: PostgresStore, size: int
) -> None:
    """The second use of an id within one batch raises DuplicateError naming its index."""
    batch = people(size)
    batch.append(attrs.evolve(batch[1], name="Someone else"))
    with pytest.raises(DuplicateError, match=rf"#{size} .*'p1'"):
        store.add_contacts(batch)
    assert store.list_contacts() == []


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_an_unknown_referrer_is_named_and_nothing_written(store: PostgresStore, size: int) -> None:
    """A referrer neither stored nor in the batch raises NotFoundError; nothing is written."""
    batch = people(size)
    batch[1] = attrs.evolve(batch[1], referrer_id="nobody")
    with pytest.raises(NotFoundError, match=r"#1 .*'nobody'"):
        store.add_contacts(batch)
    assert store.list_contacts() == []


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_a_nul_character_is_refused_and_nothing_written(store: PostgresStore, size: int) -> None:
    """PostgreSQL text cannot hold NUL: InvalidInputError saying so, and no contact is stored."""
    batch = people(size)
    batch[-1] = attrs.evolve(batch[-1], notes="before\x00after")
    with pytest.raises(InvalidInputError, match=rf"#{size - 1} .*notes holds a NUL"):
        store.add_contacts(batch)
    batch[-1] = attrs.evolve(batch[-1], notes="", tags={"ok", "bad\x00tag"})
    with pytest.raises(InvalidInputError, match=rf"#{size - 1} .*tags holds a NUL"):
        store.add_contacts(batch)
    batch[-1] = attrs.evolve(batch[-1], tags=(), cadence_days=2**31)
    with pytest.raises(InvalidInputError, match=rf"#{size - 1} .*cadence_days holds a number"):
        store.add_contacts(batch)
    assert store.list_contacts() == []


def test_unstorable_values_elsewhere_are_refused_and_nothing_written(store: PostgresStore) -> None:
    """NUL in an update, event or message, or a huge cadence: InvalidInputError, nothing stored."""
    [stored] = store.add_contacts(people(1))
    for change in ({"notes": "a\x00b"}, {"cadence_days": 2**31}):
        with pytest.raises(InvalidInputError, match="cannot be stored"):
            store.update_contact(attrs.evolve(stored, **change))  # type: ignore[arg-type]
    assert store.get_contact("p0") == stored
    bad = Event(contact_id="p0", kind=EventKind.ASKED, at=T0, note="a\x00b")
    with pytest.raises(InvalidInputError, match="NUL"):
        store.append_event(bad, expected_version=0, stage=Stage.ASKED, next_due=None)
    assert store.get_relationship("p0") == Relationship("p0")
    with pytest.raises(InvalidInputError, match="NUL"):
        store.add_message(Message(kind="thanks", channel="email", body="x\x00y", contact_id="p0"))
    assert store.list_messages() == []


@settings(
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(iis.contacts(), min_size=1, max_size=6))
def test_copy_round_trips_any_contacts(pg_backend: PostgresBackend, drawn: list[Contact]) -> None:
    """Whatever unicode the kit's strategy draws comes back equal through the COPY path."""
    drawn = [attrs.evolve(c, id=f"{i}-{c.id}", referrer_id=None) for i, c in enumerate(drawn)]
    batch = [*drawn, *people(COPY_THRESHOLD)]
    with pg_backend.store(f"prop-{uuid.uuid4().hex}") as store:
        added = store.add_contacts(batch)
        assert added == [attrs.evolve(c, version=1) for c in batch]
        assert store.list_contacts() == sorted(added, key=lambda c: (c.name, c.id))


def test_times_come_back_at_the_offset_they_were_given(store: PostgresStore) -> None:
    """Events, next due times and interviews keep their UTC offsets (+05:30, -08:00)."""
    store.add_contacts(people(1))
    asked = Event(contact_id="p0", kind=EventKind.ASKED, at=at(0, 5.5))
    scheduled = Event(
        contact_id="p0", kind=EventKind.SCHEDULED, at=at(1, -8), scheduled_for=at(50, 1)
    )
    store.append_event(asked, expected_version=0, stage=Stage.ASKED, next_due=at(72, -8))
    rel = store.append_event(
        scheduled, expected_version=1, stage=Stage.SCHEDULED, next_due=at(49, 5.5)
    )
    stored = store.get_relationship("p0")
    assert stored == rel
    assert [e.at.utcoffset() for e in stored.events] == [timedelta(hours=5.5), timedelta(hours=-8)]
    assert stored.events[1].scheduled_for is not None
    assert stored.events[1].scheduled_for.utcoffset() == timedelta(hours=1)
    assert stored.next_due is not None and stored.next_due.utcoffset() == timedelta(hours=5.5)
    [entry] = store.due(at(100))
    assert entry == DueEntry("p0", Stage.SCHEDULED, at(49, 5.5))
    assert entry.next_due.utcoffset() == timedelta(hours=5.5)
    saved = store.save_interview(Interview(contact_id="p0", at=at(50, -3)))
    assert store.get_interview(saved.id).at.utcoffset() == timedelta(hours=-3)


def test_due_compares_instants_not_wall_clocks(store: PostgresStore) -> None:
    """Due times at different offsets sort by the instant they name, then by contact id."""
    store.add_contacts(people(3))
    store.set_next_due("p0", at(10, -8))
    store.set_next_due("p1", at(9, 9))
    store.set_next_due("p2", at(10, 2))
    assert [e.contact_id for e in store.due(at(10))] == ["p1", "p0", "p2"]
    assert [e.contact_id for e in store.due(at(9.5))] == ["p1"]


def test_a_due_time_may_be_set_before_any_event(store: PostgresStore) -> None:
    """set_next_due on a fresh contact keeps version 0, and the first append still works."""
    store.add_contacts(people(1))
    store.set_next_due("p0", at(5))
    assert store.get_relationship("p0") == Relationship("p0", (), Stage.IDENTIFIED, at(5))
    asked = Event(contact_id="p0", kind=EventKind.ASKED, at=at(1))
    with pytest.raises(ConflictError):
        store.append_event(asked, expected_version=1, stage=Stage.ASKED, next_due=None)
    rel = store.append_event(asked, expected_version=0, stage=Stage.ASKED, next_due=at(9))
    assert (rel.version, rel.stage, rel.next_due) == (1, Stage.ASKED, at(9))
    assert store.due(at(8)) == []


def test_an_unknown_related_contact_is_named_and_nothing_written(store: PostgresStore) -> None:
    """A ``referred`` event naming an unknown contact raises NotFoundError naming it."""
    store.add_contacts(people(1))
    referred = Event(contact_id="p0", kind=EventKind.REFERRED, at=T0, related_contact_id="stranger")
    with pytest.raises(NotFoundError, match="stranger"):
        store.append_event(referred, expected_version=0, stage=Stage.IDENTIFIED, next_due=at(1))
    assert store.get_relationship("p0") == Relationship("p0")


def test_an_interview_naming_an_unknown_referral_writes_nothing(store: PostgresStore) -> None:
    """save_interview with an unknown referral raises NotFoundError and leaves no interview."""
    store.add_contacts(people(1))
    interview = Interview(contact_id="p0", at=at(2), referrals=("ghost",))
    with pytest.raises(NotFoundError, match="ghost"):
        store.save_interview(interview)
    assert store.list_interviews() == []


def test_erase_leaves_no_row_behind(store: PostgresStore, admin: object, pg_schema: str) -> None:
    """After erase_contact no table holds the id, as owner or reference, seen by the admin."""
    store.add_contacts(people(2))
    store.add_contacts([attrs.evolve(people(1, "r")[0], referrer_id="p0")])
    for cid in ("p0", "p1"):
        store.append_event(
            Event(contact_id=cid, kind=EventKind.REFERRED, at=T0, related_contact_id="p0"),
            expected_version=0,
            stage=Stage.IDENTIFIED,
            next_due=at(3),
        )
    store.save_interview(Interview(contact_id="p0", at=at(4)))
    store.save_interview(Interview(contact_id="p1", at=at(5), referrals=("p0", "r0")))
    store.add_message(Message(kind="thanks", channel="email", body="Thanks!", contact_id="p0"))
    store.erase_contact("p0")
    conn = admin
    query = (
        "SELECT (SELECT count(*) FROM {s}.contacts WHERE owner = %(o)s "
        "  AND (id = 'p0' OR referrer_id = 'p0'))"
        " + (SELECT count(*) FROM {s}.relationships WHERE owner = %(o)s AND contact_id = 'p0')"
        " + (SELECT count(*) FROM {s}.events WHERE owner = %(o)s "
        "  AND (contact_id = 'p0' OR related_contact_id = 'p0'))"
        " + (SELECT count(*) FROM {s}.interviews WHERE owner = %(o)s "
        "  AND (contact_id = 'p0' OR 'p0' = ANY(referrals) OR record::text LIKE '%%\"p0\"%%'))"
        " + (SELECT count(*) FROM {s}.messages WHERE owner = %(o)s AND contact_id = 'p0')"
    ).replace("{s}", f'"{pg_schema}"')
    assert conn.execute(query, {"o": store.owner}).fetchone() == (0,)  # type: ignore[attr-defined]
    assert store.get_contact("r0").version == 2
    [kept] = store.list_interviews()
    assert (kept.referrals, kept.version) == (("r0",), 2)


def test_profile_with_every_field_round_trips(store: PostgresStore) -> None:
    """A full profile is replaced on save and read back equal."""
    profile = SeekerProfile(
        name="Sam Doe",
        email="sam@example.org",
        background="Ten years in logistics",
        field="data",
        target="analytics",
        affiliations=("Leeds", "Women in Data"),
        situations={"career_change"},
    )
    store.save_profile(SeekerProfile(name="Old"))
    store.save_profile(profile)
    assert store.get_profile() == profile


def test_a_closed_store_refuses_work_and_leaves_the_pool_open(
    pg_backend: PostgresBackend, owner: str
) -> None:
    """After close() the store raises StoreError; other stores on the pool still work."""
    first = pg_backend.store(owner)
    first.close()
    with pytest.raises(StoreError, match="closed"):
        first.list_contacts()
    with pg_backend.store(owner) as second:
        assert second.list_contacts() == []


def test_the_repr_shows_no_owner_or_password(pg_backend: PostgresBackend) -> None:
    """Neither the store's nor the backend's repr shows the owner or a password."""
    store = pg_backend.store("jane.doe@example.org")
    assert "jane" not in repr(store)
    assert "owner_chars=20" in repr(store)
    assert "password" not in repr(pg_backend)


def test_an_empty_owner_is_refused(pg_backend: PostgresBackend) -> None:
    """A blank owner raises InvalidInputError before any query."""
    with pytest.raises(InvalidInputError, match="owner"):
        pg_backend.store("  ")
