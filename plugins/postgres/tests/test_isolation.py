"""Owners are walled off by the database: through every public call and in raw SQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import attrs
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from infointerview_postgres import DATA_TABLES, PostgresBackend, PostgresStore
from psycopg import errors as pg_errors
from psycopg import sql

from infointerview.errors import ConflictError, DuplicateError, NotFoundError
from infointerview.model import Contact, Event, EventKind, Goal, Interview, Message, SeekerProfile
from infointerview.stages import Stage

pytestmark = pytest.mark.postgres

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
SHARED = ("c1", "c2")
"""Contact ids both owners use."""


def _fill(store: PostgresStore, label: str, *, extra: str | None = None) -> None:
    ids = [*SHARED, *([extra] if extra else [])]
    store.add_contacts([Contact(name=f"{label} {cid}", id=cid, tags={label}) for cid in ids])
    for cid in ids:
        store.append_event(
            Event(contact_id=cid, kind=EventKind.ASKED, at=T0, id=f"ev-{cid}"),
            expected_version=0,
            stage=Stage.ASKED,
            next_due=T0 + timedelta(days=3),
        )
    store.save_interview(Interview(contact_id="c1", at=T0 + timedelta(days=5), id="iv1"))
    store.add_message(Message(kind="ask", channel="email", body=label, contact_id="c1", id="m1"))
    store.add_goal(Goal(key="shared-goal", title=f"{label}'s goal"))
    store.save_profile(SeekerProfile(name=label))


def _everything(store: PostgresStore) -> tuple[object, ...]:
    contacts = store.list_contacts()
    return (
        store.get_profile(),
        store.list_goals(),
        contacts,
        [store.export_contact(c.id) for c in contacts],
        store.list_messages(),
        store.due(T0 + timedelta(days=365)),
    )


@pytest.fixture
def pair(pg_backend: PostgresBackend) -> Iterator[tuple[PostgresStore, PostgresStore]]:
    """Owner A with two contacts, owner B with the same ids plus one of its own."""
    suffix = uuid.uuid4().hex[:10]
    with pg_backend.store(f"a-{suffix}") as a, pg_backend.store(f"b-{suffix}") as b:
        _fill(a, "A")
        _fill(b, "B", extra="only-b")
        yield a, b


def test_reads_see_only_the_owners_rows(pair: tuple[PostgresStore, PostgresStore]) -> None:
    """Every read of A returns A's records although B uses the same ids."""
    a, b = pair
    assert a.get_profile() == SeekerProfile(name="A")
    assert [g.title for g in a.list_goals()] == ["A's goal"]
    assert [c.name for c in a.list_contacts()] == ["A c1", "A c2"]
    assert a.get_contact("c1").name == "A c1"
    assert a.list_contacts(tag="B") == []
    assert a.list_contacts(stage=Stage.ASKED) == a.list_contacts()
    assert a.get_relationship("c1").events[0].id == "ev-c1"
    assert [e.contact_id for e in a.due(T0 + timedelta(days=4))] == ["c1", "c2"]
    assert [m.body for m in a.list_messages()] == ["A"]
    assert a.get_interview("iv1").contact_id == "c1"
    assert a.export_contact("c1").contact.name == "A c1"
    assert a.list_interviews("only-b") == []
    assert a.list_messages("only-b") == []
    for read in (a.get_contact, a.get_relationship, a.export_contact):
        with pytest.raises(NotFoundError):
            read("only-b")
    assert b.get_contact("c1").name == "B c1"


def test_writes_cannot_reach_the_other_owner(pair: tuple[PostgresStore, PostgresStore]) -> None:
    """Every write of A that names B's rows fails or lands in A; B's data is unchanged."""
    a, b = pair
    before = _everything(b)
    b_contact = b.get_contact("only-b")
    b_interview = b.get_interview("iv1")
    with pytest.raises(NotFoundError):
        a.update_contact(b_contact)
    with pytest.raises(NotFoundError):
        a.append_event(
            Event(contact_id="only-b", kind=EventKind.REPLIED, at=T0),
            expected_version=1,
            stage=Stage.REPLIED,
            next_due=None,
        )
    with pytest.raises(NotFoundError):
        a.set_next_due("only-b", T0)
    with pytest.raises(NotFoundError):
        a.erase_contact("only-b")
    with pytest.raises(NotFoundError):
        a.save_interview(attrs.evolve(b_interview, contact_id="only-b"))
    with pytest.raises(ConflictError):
        a.save_interview(attrs.evolve(b_interview, id="b-only-interview", version=1))
    with pytest.raises(NotFoundError):
        a.add_message(Message(kind="ask", channel="email", body="x", contact_id="only-b"))
    with pytest.raises(NotFoundError):
        a.add_contacts([Contact(name="New", id="new", referrer_id="only-b")])
    with pytest.raises(NotFoundError):
        a.append_event(
            Event(
                contact_id="c1",
                kind=EventKind.REFERRED,
                at=T0,
                related_contact_id="only-b",
            ),
            expected_version=1,
            stage=Stage.ASKED,
            next_due=None,
        )
    with pytest.raises(DuplicateError):
        a.add_message(Message(kind="ask", channel="email", body="again", id="m1"))
    # Writes to the shared ids change A's rows only.
    a.update_contact(attrs.evolve(a.get_contact("c2"), name="A renamed"))
    a.set_next_due("c1", None)
    a.erase_contact("c1")
    a.save_profile(SeekerProfile(name="A again"))
    assert _everything(b) == before


def test_raw_sql_on_the_owners_connection_sees_no_other_rows(
    pair: tuple[PostgresStore, PostgresStore], pg_schema: str
) -> None:
    """On A's own connection, plain SELECTs of every table return only A's rows."""
    a, b = pair
    with a.transaction() as conn:
        user = conn.execute(
            "SELECT current_user, usesuper FROM pg_user WHERE usename = current_user"
        )
        assert user.fetchone() == ("infointerview_app", False)
        for table in DATA_TABLES:
            owners = conn.execute(
                sql.SQL("SELECT DISTINCT owner FROM {}").format(sql.Identifier(pg_schema, table))
            ).fetchall()
            assert owners == [(a.owner,)], table
            hidden = conn.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE owner = %s").format(
                    sql.Identifier(pg_schema, table)
                ),
                [b.owner],
            ).fetchone()
            assert hidden == (0,), table


def test_raw_sql_on_the_owners_connection_cannot_change_other_rows(
    pair: tuple[PostgresStore, PostgresStore], pg_schema: str
) -> None:
    """UPDATE and DELETE of B's rows touch nothing; INSERT or re-owning as B is refused."""
    a, b = pair
    before = _everything(b)
    contacts = sql.Identifier(pg_schema, "contacts")
    with a.transaction() as conn:
        for statement in (
            "UPDATE {} SET name = 'hacked' WHERE owner = %s",
            "DELETE FROM {} WHERE owner = %s",
        ):
            cur = conn.execute(sql.SQL(statement).format(contacts), [b.owner])
            assert cur.rowcount == 0
    for statement, params in (
        (
            "INSERT INTO {} (owner, id, version, name, organisation, role, field, source, "
            "affiliation, email, phone, linkedin_url, tags, notes) "
            "VALUES (%s, 'planted', 1, 'x', '', '', '', 'cold', '', '', '', '', '{{}}', '')",
            [b.owner],
        ),
        ("UPDATE {} SET owner = %s WHERE id = 'c2'", [b.owner]),
    ):
        refused = pytest.raises(pg_errors.InsufficientPrivilege, match="row-level security")
        with refused, a.transaction() as conn:
            conn.execute(sql.SQL(statement).format(contacts), params)
    assert _everything(b) == before


def test_a_connection_without_an_owner_sees_nothing(
    pair: tuple[PostgresStore, PostgresStore], pg_backend: PostgresBackend, pg_schema: str
) -> None:
    """The application role with no owner set reads zero rows from every table."""
    with psycopg.connect(pg_backend.options.conninfo, autocommit=True) as conn:
        for table in DATA_TABLES:
            count = conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(pg_schema, table))
            ).fetchone()
            assert count == (0,), table


@settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.text(
            st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1
        ).filter(str.strip),
        min_size=1,
        max_size=5,
        unique=True,
    ),
    st.integers(min_value=0, max_value=4),
)
def test_colliding_ids_never_mix(pg_backend: PostgresBackend, ids: list[str], cut: int) -> None:
    """Both owners store the same ids; each lists exactly its own, after an erase too."""
    suffix = uuid.uuid4().hex[:10]
    with pg_backend.store(f"a-{suffix}") as a, pg_backend.store(f"b-{suffix}") as b:
        mine = a.add_contacts([Contact(name="A", id=cid) for cid in ids])
        theirs = b.add_contacts([Contact(name="B", id=cid) for cid in ids])
        for cid in ids[:cut]:
            b.erase_contact(cid)
        assert a.list_contacts() == sorted(mine, key=lambda c: c.id)
        assert b.list_contacts() == sorted(theirs[cut:], key=lambda c: c.id)
