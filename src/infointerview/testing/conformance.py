"""The storage conformance suite: a base test class every store backend subclasses.

Subclass :class:`StoreConformance` in a pytest module and override
:meth:`StoreConformance.open_store`. Every test method opens its stores through
it, closes them at the end, and checks one promise of :class:`infointerview.Store`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infointerview.errors import (
    ConflictError,
    DuplicateError,
    IllegalEventError,
    NotFoundError,
)
from infointerview.model import (
    Contact,
    Event,
    EventKind,
    Goal,
    Interview,
    Message,
    SeekerProfile,
)
from infointerview.ports import ContactExport, DueEntry, Relationship, Store
from infointerview.stages import Stage, fold
from infointerview.testing import strategies as iis
from infointerview.workspace import Workspace

__all__ = ["StoreConformance"]

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
"""A Monday morning: every time in the suite is relative to it, never the clock."""


def _at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def _contact(contact_id: str, name: str = "Ada Lovelace", **fields: object) -> Contact:
    return Contact(name=name, id=contact_id, **fields)  # type: ignore[arg-type]


def _event(contact_id: str, kind: EventKind, hours: float, **fields: object) -> Event:
    return Event(contact_id=contact_id, kind=kind, at=_at(hours), **fields)  # type: ignore[arg-type]


def _fresh_id() -> str:
    # Hypothesis replays and shrinks examples, so drawn ids repeat across the
    # examples of one test; the store is shared by them, so ids are made here.
    return uuid.uuid4().hex


def _by_name(contacts: list[Contact]) -> list[Contact]:
    return sorted(contacts, key=lambda c: (c.name, c.id))


@attrs.frozen
class _Web:
    """What :meth:`StoreConformance._populate` stored, as the store returned it."""

    p: Contact
    x: Contact
    q: Contact
    other: Contact
    x_interview: Interview
    p_interview: Interview
    x_message: Message
    loose: Message


class StoreConformance:
    """Base test class: what every :class:`~infointerview.Store` backend must do.

    Override :meth:`open_store`. Within one test, every call must open the
    *same* database, so two owners share it (that is how isolation is tested)
    and a store opened again after ``close()`` sees what was written. Use
    ``self.tmp_path`` (a fresh directory per test) for file databases. Owners
    are fresh random strings per test, so a server database may be shared by
    every test without cleaning it between them.

    ``max_examples`` bounds the Hypothesis tests inside the suite; keep it low
    for slow backends.
    """

    max_examples: ClassVar[int] = 10

    tmp_path: Path
    owner_a: str
    owner_b: str

    def open_store(self, owner: str) -> Store:
        """Open the backend under test for ``owner`` (override this)."""
        raise NotImplementedError(
            f"{type(self).__name__} must override open_store(self, owner) -> Store"
        )

    # -- set-up ----------------------------------------------------------
    @pytest.fixture(autouse=True)
    def _infointerview_store_conformance(self, tmp_path: Path) -> Iterator[None]:
        self.begin(tmp_path)
        try:
            yield
        finally:
            self.end()

    def begin(self, tmp_path: Path) -> None:
        """Prepare one test: a working directory and two fresh owners."""
        self.tmp_path = tmp_path
        suffix = uuid.uuid4().hex[:12]
        self.owner_a = f"seeker-a-{suffix}"
        self.owner_b = f"seeker-b-{suffix}"
        self._opened: list[Store] = []

    def end(self) -> None:
        """Close every store the test opened."""
        while self._opened:
            self._opened.pop().close()

    def store(self, owner: str | None = None) -> Store:
        """Open (and remember to close) a store for ``owner`` (default: owner A)."""
        store = self.open_store(self.owner_a if owner is None else owner)
        self._opened.append(store)
        return store

    @property
    def _examples(self) -> settings:
        """Hypothesis settings for the suite's property tests (``max_examples`` per test)."""
        return settings(
            max_examples=self.max_examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        )

    # -- opening ---------------------------------------------------------
    def test_store_is_opened_for_its_owner(self) -> None:
        """A store opened for an owner says so in ``owner``."""
        assert self.store().owner == self.owner_a
        assert self.store(self.owner_b).owner == self.owner_b

    def test_reopened_store_keeps_what_was_written(self) -> None:
        """Data written and closed is there when the same owner opens the store again."""
        first = self.open_store(self.owner_a)
        first.add_contacts([_contact("c1")])
        first.append_event(
            _event("c1", EventKind.ASKED, 0), expected_version=0, stage=Stage.ASKED, next_due=_at(9)
        )
        first.close()
        again = self.store()
        assert again.get_contact("c1").version == 1
        rel = again.get_relationship("c1")
        assert (rel.version, rel.stage, rel.next_due) == (1, Stage.ASKED, _at(9))

    # -- profile and goals -----------------------------------------------
    def test_profile_is_empty_until_saved(self) -> None:
        """``get_profile`` returns an empty profile for a new owner."""
        assert self.store().get_profile() == SeekerProfile()

    def test_save_profile_replaces_it(self) -> None:
        """``save_profile`` replaces the whole profile, every field kept."""
        store = self.store()

        @self._examples
        @given(iis.seeker_profiles())
        def check(profile: SeekerProfile) -> None:
            store.save_profile(profile)
            assert store.get_profile() == profile

        check()

    def test_goals_come_back_in_the_order_added(self) -> None:
        """``list_goals`` returns custom goals in insertion order."""
        store = self.store()
        added = [Goal(key=key, title=f"Goal {key}") for key in ("zeta", "alpha", "mu")]
        for goal in added:
            store.add_goal(goal)
        assert store.list_goals() == added

    def test_add_goal_refuses_a_taken_key(self) -> None:
        """A second goal with a taken key raises DuplicateError and changes nothing."""
        store = self.store()
        store.add_goal(Goal(key="tools", title="Learn the tools"))
        with pytest.raises(DuplicateError):
            store.add_goal(Goal(key="tools", title="Something else"))
        assert store.list_goals() == [Goal(key="tools", title="Learn the tools")]

    # -- contacts --------------------------------------------------------
    def test_add_contacts_returns_them_at_version_one(self) -> None:
        """Added contacts come back, and are stored, with ``version=1``."""
        store = self.store()
        batch = [_contact("c1"), _contact("c2", "Grace Hopper")]
        added = store.add_contacts(batch)
        assert added == [attrs.evolve(c, version=1) for c in batch]
        assert [store.get_contact(c.id) for c in batch] == added

    def test_add_contacts_with_an_empty_batch_is_harmless(self) -> None:
        """An empty batch adds nothing and returns an empty list."""
        store = self.store()
        assert store.add_contacts([]) == []
        assert store.list_contacts() == []

    def test_contacts_round_trip_every_field(self) -> None:
        """Every field of every contact comes back equal, whatever unicode it holds."""
        store = self.store()
        batches = st.lists(iis.contacts(), max_size=4)

        @self._examples
        @given(batches)
        def check(drawn: list[Contact]) -> None:
            batch = [attrs.evolve(c, id=_fresh_id()) for c in drawn]
            added = store.add_contacts(batch)
            assert added == [attrs.evolve(c, version=1) for c in batch]
            for contact in added:
                assert store.get_contact(contact.id) == contact

        check()

    def test_add_contacts_refuses_an_id_twice_in_the_batch(self) -> None:
        """A batch holding one id twice raises DuplicateError and writes none of it."""
        store = self.store()
        store.add_contacts([_contact("c0")])
        with pytest.raises(DuplicateError):
            store.add_contacts([_contact("c1"), _contact("c2"), _contact("c1", "Other")])
        assert [c.id for c in store.list_contacts()] == ["c0"]
        for missing in ("c1", "c2"):
            with pytest.raises(NotFoundError):
                store.get_contact(missing)

    def test_add_contacts_refuses_a_stored_id(self) -> None:
        """A batch reusing a stored id raises DuplicateError and writes none of it."""
        store = self.store()
        stored = store.add_contacts([_contact("c1", "Ada")])[0]
        with pytest.raises(DuplicateError):
            store.add_contacts([_contact("c2"), _contact("c1", "Impostor")])
        assert store.list_contacts() == [stored]

    def test_get_contact_of_unknown_id_raises_not_found(self) -> None:
        """``get_contact`` raises NotFoundError for an id never stored."""
        with pytest.raises(NotFoundError):
            self.store().get_contact("nobody")

    def test_update_contact_bumps_the_version(self) -> None:
        """An update naming the stored version is saved with ``version + 1``."""
        store = self.store()
        stored = store.add_contacts([_contact("c1")])[0]
        changed = attrs.evolve(stored, organisation="Analytical Engines", tags={"math"})
        updated = store.update_contact(changed)
        assert updated == attrs.evolve(changed, version=2)
        assert store.get_contact("c1") == updated
        again = store.update_contact(attrs.evolve(updated, cadence_days=30))
        assert again.version == 3

    def test_update_contact_with_a_stale_version_conflicts(self) -> None:
        """A stale or future version raises ConflictError and the stored contact is kept."""
        store = self.store()
        stored = store.add_contacts([_contact("c1")])[0]
        current = store.update_contact(attrs.evolve(stored, role="Engineer"))
        for version in (stored.version, current.version + 1, 0):
            with pytest.raises(ConflictError):
                store.update_contact(attrs.evolve(current, role="Lost", version=version))
        assert store.get_contact("c1") == current

    def test_update_contact_of_unknown_id_raises_not_found(self) -> None:
        """Updating an id never stored raises NotFoundError and stores nothing."""
        store = self.store()
        with pytest.raises(NotFoundError):
            store.update_contact(_contact("ghost", version=1))
        assert store.list_contacts() == []

    def test_list_contacts_orders_by_name_then_id(self) -> None:
        """``list_contacts`` orders by name then id, in code point order (Python's ``sorted``)."""
        store = self.store()
        names = st.lists(iis.names(), min_size=1, max_size=6)

        @self._examples
        @given(names)
        def check(chosen: list[str]) -> None:
            for contact in store.list_contacts():
                store.erase_contact(contact.id)
            batch = [
                _contact(f"id-{index % 3}-{uuid.uuid4().hex[:6]}", name)
                for index, name in enumerate(chosen)
            ]
            added = store.add_contacts(batch)
            assert store.list_contacts() == _by_name(added)

        check()

    def test_list_contacts_filters_combine(self) -> None:
        """Each filter (stage, organisation, tag, referrer) narrows; given together, all apply."""
        store = self.store()
        root, ada, bob, cy = store.add_contacts(
            [
                _contact("root", "Root"),
                _contact("ada", "Ada", organisation="Acme", tags={"x", "y"}, referrer_id="root"),
                _contact("bob", "Bob", organisation="Acme", tags={"y"}),
                _contact("cy", "Cy", organisation="Other", tags={"x"}, referrer_id="root"),
            ]
        )
        store.append_event(
            _event("ada", EventKind.ASKED, 0), expected_version=0, stage=Stage.ASKED, next_due=None
        )
        store.append_event(
            _event("cy", EventKind.ASKED, 0), expected_version=0, stage=Stage.ASKED, next_due=None
        )
        assert store.list_contacts(stage=Stage.ASKED) == [ada, cy]
        assert store.list_contacts(stage=Stage.IDENTIFIED) == [bob, root]
        assert store.list_contacts(organisation="Acme") == [ada, bob]
        assert store.list_contacts(tag="x") == [ada, cy]
        assert store.list_contacts(referrer_id="root") == [ada, cy]
        assert store.list_contacts(organisation="Acme", tag="x") == [ada]
        assert store.list_contacts(stage=Stage.ASKED, organisation="Other", tag="x") == [cy]
        assert store.list_contacts(stage=Stage.MET) == []
        assert store.list_contacts(organisation="acme") == []
        assert store.list_contacts(tag="z") == []
        assert store.list_contacts(referrer_id="ada") == []

    # -- relationships ---------------------------------------------------
    def test_new_contact_has_an_empty_relationship(self) -> None:
        """A new contact's relationship has no events, stage identified and no due time."""
        store = self.store()
        store.add_contacts([_contact("c1")])
        assert store.get_relationship("c1") == Relationship(contact_id="c1")
        assert store.get_relationship("c1").version == 0

    def test_get_relationship_of_unknown_contact_raises_not_found(self) -> None:
        """``get_relationship`` raises NotFoundError for an unknown contact."""
        with pytest.raises(NotFoundError):
            self.store().get_relationship("nobody")

    def test_append_event_stores_the_event_and_the_fold(self) -> None:
        """``append_event`` keeps the event, the given stage and next due time."""
        store = self.store()
        store.add_contacts([_contact("c1")])
        asked = _event("c1", EventKind.ASKED, 0, note="Sent via LinkedIn")
        rel = store.append_event(asked, expected_version=0, stage=Stage.ASKED, next_due=_at(72))
        assert rel == Relationship("c1", (asked,), Stage.ASKED, _at(72))
        replied = _event("c1", EventKind.REPLIED, 5)
        rel = store.append_event(replied, expected_version=1, stage=Stage.REPLIED, next_due=None)
        assert rel == Relationship("c1", (asked, replied), Stage.REPLIED, None)
        assert store.get_relationship("c1") == rel

    def test_append_event_with_a_stale_version_conflicts_and_writes_nothing(self) -> None:
        """An append naming an outdated event count raises ConflictError and stores nothing."""
        store = self.store()
        store.add_contacts([_contact("c1")])
        first = _event("c1", EventKind.ASKED, 0)
        before = store.append_event(first, expected_version=0, stage=Stage.ASKED, next_due=_at(9))
        for stale in (0, 2):
            with pytest.raises(ConflictError):
                store.append_event(
                    _event("c1", EventKind.DECLINED, 1),
                    expected_version=stale,
                    stage=Stage.DECLINED,
                    next_due=_at(99),
                )
        assert store.get_relationship("c1") == before
        assert store.list_contacts(stage=Stage.DECLINED) == []

    def test_append_event_for_an_unknown_contact_raises_not_found(self) -> None:
        """Appending to a contact that does not exist raises NotFoundError."""
        store = self.store()
        with pytest.raises(NotFoundError):
            store.append_event(
                _event("ghost", EventKind.ASKED, 0),
                expected_version=0,
                stage=Stage.ASKED,
                next_due=None,
            )

    def test_event_histories_round_trip(self) -> None:
        """Every field of every event comes back equal and in order, as appended."""
        store = self.store()
        store.add_contacts([_contact("ref")])
        histories = iis.event_histories(
            related_contact_ids=st.none() | st.just("ref"), min_size=1, max_size=8
        )

        @self._examples
        @given(histories, st.none() | iis.aware_datetimes())
        def check(drawn: tuple[Event, ...], due: datetime | None) -> None:
            contact_id = _fresh_id()
            history = tuple(attrs.evolve(e, contact_id=contact_id) for e in drawn)
            store.add_contacts([_contact(contact_id)])
            for count, event in enumerate(history):
                stage = fold(history[: count + 1]).stage
                store.append_event(event, expected_version=count, stage=stage, next_due=due)
            rel = store.get_relationship(contact_id)
            assert rel == Relationship(contact_id, history, fold(history).stage, due)

        check()

    def test_set_next_due_replaces_and_clears(self) -> None:
        """``set_next_due`` replaces the stored due time, and ``None`` clears it."""
        store = self.store()
        store.add_contacts([_contact("c1")])
        store.append_event(
            _event("c1", EventKind.ASKED, 0), expected_version=0, stage=Stage.ASKED, next_due=_at(1)
        )
        store.set_next_due("c1", _at(50))
        rel = store.get_relationship("c1")
        assert (rel.next_due, rel.stage, rel.version) == (_at(50), Stage.ASKED, 1)
        store.set_next_due("c1", None)
        assert store.get_relationship("c1").next_due is None
        assert store.due(_at(10_000)) == []

    def test_set_next_due_of_unknown_contact_raises_not_found(self) -> None:
        """``set_next_due`` raises NotFoundError for an unknown contact."""
        with pytest.raises(NotFoundError):
            self.store().set_next_due("nobody", _at(1))

    def test_due_lists_soonest_first_then_by_id(self) -> None:
        """``due(until)`` includes ``next_due == until``, orders by time then id, across offsets."""
        store = self.store()
        ids = ["d", "b", "c", "a", "e"]
        store.add_contacts([_contact(i) for i in ids])
        plus5 = timezone(timedelta(hours=5))
        dues = {
            "d": _at(10),
            "b": _at(10).astimezone(plus5),
            "c": _at(5).astimezone(plus5),
            "a": _at(20),
            "e": None,
        }
        for contact_id, due in dues.items():
            store.set_next_due(contact_id, due)
        assert store.due(_at(4)) == []
        assert store.due(_at(10)) == [
            DueEntry("c", Stage.IDENTIFIED, _at(5)),
            DueEntry("b", Stage.IDENTIFIED, _at(10)),
            DueEntry("d", Stage.IDENTIFIED, _at(10)),
        ]
        assert [e.contact_id for e in store.due(_at(10_000))] == ["c", "b", "d", "a"]

    def test_due_reports_the_stored_stage(self) -> None:
        """A due entry carries the stage stored with the relationship."""
        store = self.store()
        store.add_contacts([_contact("c1")])
        store.append_event(
            _event("c1", EventKind.ASKED, 0), expected_version=0, stage=Stage.ASKED, next_due=_at(3)
        )
        assert store.due(_at(3)) == [DueEntry("c1", Stage.ASKED, _at(3))]

    def test_stored_stage_equals_the_fold_through_the_workspace(self) -> None:
        """Through the Workspace, the stored stage and due time always equal the fold's."""
        store = self.store()
        workspace = Workspace(store)
        histories = iis.event_histories(min_size=1, max_size=10)

        @self._examples
        @given(histories, st.sampled_from(EventKind))
        def check(drawn: tuple[Event, ...], extra: EventKind) -> None:
            contact_id = _fresh_id()
            history = tuple(attrs.evolve(e, contact_id=contact_id) for e in drawn)
            workspace.add_contact(_contact(contact_id, cadence_days=14))
            for count, event in enumerate(history, start=1):
                rel = workspace.append(event)
                expected = fold(history[:count])
                stored = store.get_relationship(contact_id)
                assert rel == stored
                assert stored.stage == expected.stage
                assert contact_id in {c.id for c in store.list_contacts(stage=expected.stage)}
                dues = [r.due for r in workspace.reminders(contact_id)]
                assert stored.next_due == min(dues, default=None)
            before = store.get_relationship(contact_id)
            try:
                workspace.append(attrs.evolve(history[-1], kind=extra, id=_fresh_id()))
            except IllegalEventError as exc:
                assert exc.stage == before.stage.value
                assert store.get_relationship(contact_id) == before
            else:
                after = store.get_relationship(contact_id)
                assert after.stage == fold(after.events).stage

        check()

    # -- interviews ------------------------------------------------------
    def _interview(self, contact_id: str, hours: float, **fields: object) -> Interview:
        return Interview(contact_id=contact_id, at=_at(hours), **fields)  # type: ignore[arg-type]

    def test_save_interview_inserts_then_updates_with_versions(self) -> None:
        """A new interview is stored at version 1 and each matching update adds one."""
        store = self.store()
        store.add_contacts([_contact("c1")])
        planned = self._interview("c1", 24, goals=("insight", "entry"))
        saved = store.save_interview(planned)
        assert saved == attrs.evolve(planned, version=1)
        assert store.get_interview(planned.id) == saved
        held = attrs.evolve(saved, held_at=_at(24.5), notes="Talked about the field")
        updated = store.save_interview(held)
        assert updated == attrs.evolve(held, version=2)
        assert store.get_interview(planned.id) == updated

    def test_save_interview_with_a_stale_version_conflicts(self) -> None:
        """Saving an interview from an outdated read raises ConflictError; the stored one stays."""
        store = self.store()
        store.add_contacts([_contact("c1")])
        saved = store.save_interview(self._interview("c1", 24))
        current = store.save_interview(attrs.evolve(saved, notes="first"))
        for version in (0, saved.version, current.version + 1):
            with pytest.raises(ConflictError):
                store.save_interview(attrs.evolve(current, notes="lost", version=version))
        assert store.get_interview(saved.id) == current

    def test_save_interview_for_an_unknown_contact_raises_not_found(self) -> None:
        """An interview with a contact that does not exist is refused with NotFoundError."""
        store = self.store()
        interview = self._interview("ghost", 1)
        with pytest.raises(NotFoundError):
            store.save_interview(interview)
        assert store.list_interviews() == []

    def test_get_interview_of_unknown_id_raises_not_found(self) -> None:
        """``get_interview`` raises NotFoundError for an unknown id."""
        with pytest.raises(NotFoundError):
            self.store().get_interview("nothing")

    def test_list_interviews_orders_by_time_then_id_and_filters(self) -> None:
        """``list_interviews`` orders by time then id, and filters by contact."""
        store = self.store()
        store.add_contacts([_contact("c1"), _contact("c2")])
        plus2 = timezone(timedelta(hours=2))
        stored = [
            store.save_interview(i)
            for i in (
                self._interview("c1", 48, id="i-b"),
                self._interview("c2", 24, id="i-z"),
                Interview(contact_id="c1", at=_at(48).astimezone(plus2), id="i-a"),
                self._interview("c1", 1, id="i-y"),
            )
        ]
        by_id = {i.id: i for i in stored}
        assert [i.id for i in store.list_interviews()] == ["i-y", "i-z", "i-a", "i-b"]
        assert store.list_interviews("c1") == [by_id["i-y"], by_id["i-a"], by_id["i-b"]]
        assert store.list_interviews("c2") == [by_id["i-z"]]
        assert store.list_interviews("nobody") == []

    def test_interviews_round_trip_every_field(self) -> None:
        """Every field of an interview (agenda questions included) comes back equal."""
        store = self.store()
        store.add_contacts([_contact("c1"), _contact("r1")])
        planned = iis.interviews(
            contact_ids=st.just("c1"),
            referrals=st.sampled_from([(), ("r1",)]),
        )

        @self._examples
        @given(planned)
        def check(interview: Interview) -> None:
            interview = attrs.evolve(interview, id=_fresh_id())
            saved = store.save_interview(interview)
            assert saved == attrs.evolve(interview, version=1)
            assert store.get_interview(interview.id) == saved

        check()

    # -- messages --------------------------------------------------------
    def test_messages_come_back_in_the_order_added(self) -> None:
        """``list_messages`` keeps insertion order and filters by contact."""
        store = self.store()
        store.add_contacts([_contact("c1"), _contact("c2")])
        made = [
            Message(kind="ask", channel="email", body=f"body {n}", contact_id=cid, id=f"m{n}")
            for n, cid in enumerate(["c2", None, "c1", "c2", "c1"])
        ]
        for message in made:
            store.add_message(message)
        assert store.list_messages() == made
        assert store.list_messages("c1") == [made[2], made[4]]
        assert store.list_messages("c2") == [made[0], made[3]]
        assert store.list_messages("nobody") == []

    def test_messages_round_trip_every_field(self) -> None:
        """Every field of a message (findings included) comes back equal."""
        store = self.store()
        store.add_contacts([_contact("c1")])
        drafted = iis.messages(contact_ids=st.none() | st.just("c1"))

        @self._examples
        @given(drafted)
        def check(message: Message) -> None:
            message = attrs.evolve(message, id=_fresh_id())
            store.add_message(message)
            assert store.list_messages()[-1] == message

        check()

    def test_add_message_for_an_unknown_contact_raises_not_found(self) -> None:
        """A message naming a contact that does not exist is refused with NotFoundError."""
        store = self.store()
        with pytest.raises(NotFoundError):
            store.add_message(Message(kind="ask", channel="email", body="hi", contact_id="ghost"))
        assert store.list_messages() == []

    def test_add_message_refuses_a_taken_id(self) -> None:
        """A second message with a stored id raises DuplicateError; the first stays."""
        store = self.store()
        first = Message(kind="ask", channel="email", body="one", id="m1")
        store.add_message(first)
        with pytest.raises(DuplicateError):
            store.add_message(attrs.evolve(first, body="two"))
        assert store.list_messages() == [first]

    # -- export and erasure ----------------------------------------------
    def _populate(self, store: Store) -> _Web:
        """A small web of records around contact ``x`` (referred by ``p``, referring ``q``)."""
        p, x, q, other = store.add_contacts(
            [
                _contact("p", "Pat"),
                _contact("x", "Xia", referrer_id="p", email="xia@example.org"),
                _contact("q", "Quinn", referrer_id="x"),
                _contact("o", "Olu"),
            ]
        )
        store.append_event(
            _event("x", EventKind.ASKED, 0), expected_version=0, stage=Stage.ASKED, next_due=_at(9)
        )
        store.append_event(
            _event("p", EventKind.REFERRED, 1, related_contact_id="x"),
            expected_version=0,
            stage=Stage.IDENTIFIED,
            next_due=_at(5),
        )
        store.append_event(
            _event("p", EventKind.ASKED, 2), expected_version=1, stage=Stage.ASKED, next_due=_at(6)
        )
        x_interview = store.save_interview(self._interview("x", 30, notes="about x"))
        p_interview = store.save_interview(self._interview("p", 20, referrals=("x", "o")))
        x_message = Message(kind="ask", channel="email", body="Dear Xia", contact_id="x")
        loose = Message(kind="note", channel="email", body="no contact")
        store.add_message(x_message)
        store.add_message(loose)
        return _Web(p, x, q, other, x_interview, p_interview, x_message, loose)

    def test_export_contact_has_everything_about_the_contact(self) -> None:
        """``export_contact`` returns the contact, its relationship, interviews and messages."""
        store = self.store()
        made = self._populate(store)
        export = store.export_contact("x")
        assert export == ContactExport(
            contact=made.x,
            relationship=store.get_relationship("x"),
            interviews=(made.x_interview,),
            messages=(made.x_message,),
        )
        assert export.relationship.stage is Stage.ASKED

    def test_export_contact_of_unknown_id_raises_not_found(self) -> None:
        """``export_contact`` raises NotFoundError for an unknown contact."""
        with pytest.raises(NotFoundError):
            self.store().export_contact("nobody")

    def test_erase_contact_removes_everything_about_them(self) -> None:
        """After ``erase_contact`` no read returns the contact, its events, interviews, messages."""
        store = self.store()
        made = self._populate(store)
        store.erase_contact("x")
        x_interview = made.x_interview
        for read in (
            lambda: store.get_contact("x"),
            lambda: store.get_relationship("x"),
            lambda: store.export_contact("x"),
            lambda: store.get_interview(x_interview.id),
            lambda: store.erase_contact("x"),
        ):
            with pytest.raises(NotFoundError):
                read()
        assert "x" not in {c.id for c in store.list_contacts()}
        assert store.list_interviews("x") == []
        assert store.list_messages("x") == []
        assert store.list_messages() == [made.loose]
        assert "x" not in {e.contact_id for e in store.due(_at(10_000))}
        with pytest.raises(NotFoundError):
            store.save_interview(x_interview)

    def test_erase_contact_clears_every_reference(self) -> None:
        """Referred contacts lose ``referrer_id`` (version bumped), events and interviews the id."""
        store = self.store()
        made = self._populate(store)
        q, p_interview = made.q, made.p_interview
        p_before = store.get_relationship("p")
        store.erase_contact("x")
        assert store.get_contact("q") == attrs.evolve(q, referrer_id=None, version=q.version + 1)
        assert store.list_contacts(referrer_id="x") == []
        assert store.get_contact("p") == made.p
        p_after = store.get_relationship("p")
        assert p_after.events == tuple(
            attrs.evolve(e, related_contact_id=None) for e in p_before.events
        )
        assert (p_after.stage, p_after.next_due) == (p_before.stage, p_before.next_due)
        assert store.get_interview(p_interview.id) == attrs.evolve(
            p_interview, referrals=("o",), version=p_interview.version + 1
        )

    def test_erase_contact_of_unknown_id_raises_not_found(self) -> None:
        """``erase_contact`` raises NotFoundError for an unknown contact and changes nothing."""
        store = self.store()
        stored = store.add_contacts([_contact("c1")])
        with pytest.raises(NotFoundError):
            store.erase_contact("nobody")
        assert store.list_contacts() == stored

    def test_an_erased_id_can_be_reused_from_scratch(self) -> None:
        """A contact added again under an erased id starts with nothing left over."""
        store = self.store()
        self._populate(store)
        store.erase_contact("x")
        again = store.add_contacts([_contact("x", "New Xia")])[0]
        assert again.version == 1
        assert store.get_relationship("x") == Relationship(contact_id="x")
        assert store.export_contact("x") == ContactExport(again, Relationship("x"))
        assert store.list_contacts(referrer_id="x") == []

    # -- isolation between owners ----------------------------------------
    def test_owners_with_the_same_contact_id_stay_apart(self) -> None:
        """Two owners can hold the same contact id; reads, updates and erasure never cross."""
        a, b = self.store(self.owner_a), self.store(self.owner_b)
        (ada,) = a.add_contacts([_contact("same", "Ada", organisation="A corp")])
        (bob,) = b.add_contacts([_contact("same", "Bob", organisation="B corp")])
        assert a.get_contact("same") == ada
        assert b.get_contact("same") == bob
        bob2 = b.update_contact(attrs.evolve(bob, role="Boss"))
        assert a.get_contact("same") == ada
        assert a.list_contacts() == [ada]
        assert a.list_contacts(organisation="B corp") == []
        b.erase_contact("same")
        assert a.get_contact("same") == ada
        assert bob2.version == 2
        with pytest.raises(NotFoundError):
            b.get_contact("same")

    def test_owners_relationships_and_due_stay_apart(self) -> None:
        """Events, stages and due times of one owner never show in the other's reads."""
        a, b = self.store(self.owner_a), self.store(self.owner_b)
        a.add_contacts([_contact("same")])
        b.add_contacts([_contact("same")])
        b.append_event(
            _event("same", EventKind.ASKED, 0),
            expected_version=0,
            stage=Stage.ASKED,
            next_due=_at(1),
        )
        b.set_next_due("same", _at(2))
        assert a.get_relationship("same") == Relationship(contact_id="same")
        assert a.due(_at(10_000)) == []
        assert a.list_contacts(stage=Stage.ASKED) == []
        assert b.due(_at(10_000)) == [DueEntry("same", Stage.ASKED, _at(2))]
        a.append_event(
            _event("same", EventKind.TOUCHED, 0),
            expected_version=0,
            stage=Stage.IDENTIFIED,
            next_due=None,
        )
        assert [e.kind for e in b.get_relationship("same").events] == [EventKind.ASKED]

    def test_owners_interviews_messages_profile_and_goals_stay_apart(self) -> None:
        """Interviews, messages, profiles and goals are per owner, even with equal ids."""
        a, b = self.store(self.owner_a), self.store(self.owner_b)
        a.add_contacts([_contact("same")])
        b.add_contacts([_contact("same")])
        b_interview = b.save_interview(self._interview("same", 1, id="i1"))
        a_interview = a.save_interview(self._interview("same", 5, id="i1"))
        assert a_interview.version == 1
        assert a.get_interview("i1") == a_interview
        assert b.get_interview("i1") == b_interview
        b.add_message(Message(kind="ask", channel="email", body="b", contact_id="same", id="m1"))
        assert a.list_messages() == []
        assert a.list_messages("same") == []
        b.save_profile(SeekerProfile(name="Bea", field="design"))
        assert a.get_profile() == SeekerProfile()
        b.add_goal(Goal(key="tools", title="Tools"))
        a.add_goal(Goal(key="tools", title="Tools too"))
        assert a.list_goals() == [Goal(key="tools", title="Tools too")]
        assert a.export_contact("same").interviews == (a_interview,)
        assert a.export_contact("same").messages == ()

    def test_an_owner_cannot_reach_rows_only_another_owner_has(self) -> None:
        """Every read and write of another owner's ids raises NotFoundError and changes nothing."""
        a, b = self.store(self.owner_a), self.store(self.owner_b)
        (theirs,) = b.add_contacts([_contact("theirs")])
        interview = b.save_interview(self._interview("theirs", 1))
        attempts: list[Callable[[], object]] = [
            lambda: a.get_contact("theirs"),
            lambda: a.update_contact(theirs),
            lambda: a.get_relationship("theirs"),
            lambda: a.append_event(
                _event("theirs", EventKind.ASKED, 0),
                expected_version=0,
                stage=Stage.ASKED,
                next_due=_at(1),
            ),
            lambda: a.set_next_due("theirs", _at(1)),
            lambda: a.export_contact("theirs"),
            lambda: a.erase_contact("theirs"),
            lambda: a.get_interview(interview.id),
            lambda: a.save_interview(attrs.evolve(interview, notes="taken")),
            lambda: a.add_message(
                Message(kind="ask", channel="email", body="x", contact_id="theirs")
            ),
        ]
        for attempt in attempts:
            with pytest.raises(NotFoundError):
                attempt()
        assert b.get_contact("theirs") == theirs
        assert b.get_relationship("theirs") == Relationship(contact_id="theirs")
        assert b.get_interview(interview.id) == interview
        assert a.list_contacts() == []
        assert a.list_interviews() == []
        assert a.due(_at(10_000)) == []
