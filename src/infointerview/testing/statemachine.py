"""A Hypothesis state machine that drives a real store beside a plain dict model.

Two owners share one database and draw contact ids from one small pool, so
their ids collide on purpose. After every step the machine reads everything
back from the store, for both owners, and compares it with the model.
"""

from __future__ import annotations

import shutil
import tempfile
import unittest
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from infointerview.errors import ConflictError, DuplicateError, IllegalEventError, NotFoundError
from infointerview.followup import FollowUpPolicy
from infointerview.model import (
    Channel,
    Contact,
    Event,
    EventKind,
    Goal,
    Interview,
    Medium,
    Message,
    SeekerProfile,
)
from infointerview.ports import ContactExport, DueEntry, Relationship, Store
from infointerview.stages import accepted_events, fold, step
from infointerview.testing import strategies as iis
from infointerview.workspace import Workspace

__all__ = ["StoreStateMachine", "store_state_machine_test"]

OWNERS = ("a", "b")
CONTACT_IDS = ("c0", "c1", "c2", "c3", "c4")
GOAL_KEYS = ("tools", "hiring_process", "culture")
T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
_FAR = datetime(9000, 1, 1, tzinfo=UTC)

_owners = st.sampled_from(OWNERS)
_picks = st.integers(0, 50)


@attrs.define
class _OwnerModel:
    """What one owner's store should hold, in plain dicts and lists."""

    contacts: dict[str, Contact] = attrs.Factory(dict)
    events: dict[str, list[Event]] = attrs.Factory(dict)
    next_due: dict[str, datetime | None] = attrs.Factory(dict)
    interviews: dict[str, Interview] = attrs.Factory(dict)
    messages: list[Message] = attrs.Factory(list)
    profile: SeekerProfile = attrs.Factory(SeekerProfile)
    goals: list[Goal] = attrs.Factory(list)

    def pick_contact(self, pick: int) -> str | None:
        """One of the owner's contact ids, chosen by ``pick``; ``None`` if there are none."""
        ids = sorted(self.contacts)
        return ids[pick % len(ids)] if ids else None

    def relationship(self, contact_id: str) -> Relationship:
        """The relationship the store should return for ``contact_id``."""
        events = tuple(self.events[contact_id])
        return Relationship(contact_id, events, fold(events).stage, self.next_due[contact_id])

    def erase(self, contact_id: str) -> None:
        """What ``Store.erase_contact`` promises, written out plainly."""
        del self.contacts[contact_id]
        del self.events[contact_id]
        del self.next_due[contact_id]
        self.interviews = {
            key: i for key, i in self.interviews.items() if i.contact_id != contact_id
        }
        self.messages = [m for m in self.messages if m.contact_id != contact_id]
        for other_id, other in list(self.contacts.items()):
            if other.referrer_id == contact_id:
                self.contacts[other_id] = attrs.evolve(
                    other, referrer_id=None, version=other.version + 1
                )
        for events in self.events.values():
            events[:] = [
                attrs.evolve(e, related_contact_id=None)
                if e.related_contact_id == contact_id
                else e
                for e in events
            ]
        for key, interview in list(self.interviews.items()):
            if contact_id in interview.referrals:
                self.interviews[key] = attrs.evolve(
                    interview,
                    referrals=tuple(r for r in interview.referrals if r != contact_id),
                    version=interview.version + 1,
                )


class StoreStateMachine(RuleBasedStateMachine):
    """Drives a store through the Workspace and directly, checking it against a model.

    Subclass and override :meth:`open_store`, or use :func:`store_state_machine_test`.
    Each example gets a fresh ``workdir`` (deleted afterwards) and two fresh
    owner names; both owners' stores must open the same database.
    """

    policy = FollowUpPolicy()

    def __init__(self) -> None:
        super().__init__()
        self.workdir = Path(tempfile.mkdtemp(prefix="infointerview-machine-"))
        suffix = uuid.uuid4().hex[:12]
        self.stores: dict[str, Store] = {}
        self.workspaces: dict[str, Workspace] = {}
        self.model = {owner: _OwnerModel() for owner in OWNERS}
        self.clock = T0
        for owner in OWNERS:
            store = self.open_store(f"machine-{owner}-{suffix}")
            self.stores[owner] = store
            self.workspaces[owner] = Workspace(store, policy=self.policy)

    def open_store(self, owner: str) -> Store:
        """Open the backend under test for ``owner`` in ``self.workdir`` (override this)."""
        raise NotImplementedError(
            f"{type(self).__name__} must override open_store(self, owner) -> Store"
        )

    def teardown(self) -> None:
        """Close both stores and delete the example's working directory."""
        for store in self.stores.values():
            store.close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _due_of(self, owner: str, contact_id: str) -> datetime | None:
        # The policy is the workspace's business, not the store's: the due
        # time a store must keep is the earliest reminder the workspace sees.
        return min((r.due for r in self.workspaces[owner].reminders(contact_id)), default=None)

    # -- contacts --------------------------------------------------------
    @initialize(
        first_a=st.lists(st.sampled_from(CONTACT_IDS), min_size=1, max_size=3, unique=True),
        first_b=st.lists(st.sampled_from(CONTACT_IDS), min_size=1, max_size=3, unique=True),
    )
    def start_with_contacts(self, first_a: list[str], first_b: list[str]) -> None:
        """Both owners start with a few contacts, often under the same ids."""
        for owner, ids in (("a", first_a), ("b", first_b)):
            batch = [Contact(name=f"Contact {i}", id=i, cadence_days=30) for i in ids]
            assert self.stores[owner].add_contacts(batch) == [
                attrs.evolve(c, version=1) for c in batch
            ]
            model = self.model[owner]
            for contact in batch:
                model.contacts[contact.id] = attrs.evolve(contact, version=1)
                model.events[contact.id] = []
                model.next_due[contact.id] = None

    @rule(
        owner=_owners,
        batch=st.lists(iis.contacts(ids=st.sampled_from(CONTACT_IDS)), min_size=1, max_size=3),
        referrer=st.none() | _picks,
    )
    def add_contacts(self, owner: str, batch: list[Contact], referrer: int | None) -> None:
        """Add a batch; a taken id (stored or repeated) must write nothing."""
        model = self.model[owner]
        if referrer is not None:
            referrer_id = model.pick_contact(referrer)
            if referrer_id is not None and referrer_id != batch[0].id:
                batch[0] = attrs.evolve(batch[0], referrer_id=referrer_id, source="referral")
        ids = [c.id for c in batch]
        if len(set(ids)) < len(ids) or any(i in model.contacts for i in ids):
            try:
                self.stores[owner].add_contacts(batch)
            except DuplicateError:
                return
            raise AssertionError(f"add_contacts accepted a taken id among {ids}")
        added = self.stores[owner].add_contacts(batch)
        assert added == [attrs.evolve(c, version=1) for c in batch]
        for contact in added:
            model.contacts[contact.id] = contact
            model.events[contact.id] = []
            model.next_due[contact.id] = None

    @rule(
        owner=_owners,
        pick=_picks,
        delta=st.sampled_from([0, 0, -1, 1]),
        organisation=iis.personal_text(max_size=10),
        cadence=st.none() | st.integers(1, 90),
    )
    def update_contact(
        self, owner: str, pick: int, delta: int, organisation: str, cadence: int | None
    ) -> None:
        """Update through the workspace; a stale version conflicts and changes nothing."""
        model = self.model[owner]
        contact_id = model.pick_contact(pick)
        if contact_id is None:
            return
        current = model.contacts[contact_id]
        changed = attrs.evolve(
            current,
            organisation=organisation,
            cadence_days=cadence,
            version=current.version + delta,
        )
        if delta != 0:
            try:
                self.workspaces[owner].update_contact(changed)
            except ConflictError:
                return
            raise AssertionError(f"update_contact accepted version {changed.version}")
        updated = self.workspaces[owner].update_contact(changed)
        assert updated == attrs.evolve(changed, version=current.version + 1)
        model.contacts[contact_id] = updated
        model.next_due[contact_id] = self._due_of(owner, contact_id)

    @rule(owner=_owners, pick=_picks)
    def erase_contact(self, owner: str, pick: int) -> None:
        """Erase one contact and every reference to it."""
        model = self.model[owner]
        contact_id = model.pick_contact(pick)
        if contact_id is None:
            return
        self.workspaces[owner].erase_contact(contact_id)
        model.erase(contact_id)

    @rule(owner=_owners, pick=_picks)
    def export_contact(self, owner: str, pick: int) -> None:
        """An export holds exactly what the model has about the contact."""
        model = self.model[owner]
        contact_id = model.pick_contact(pick)
        if contact_id is None:
            return
        expected = ContactExport(
            contact=model.contacts[contact_id],
            relationship=model.relationship(contact_id),
            interviews=tuple(
                sorted(
                    (i for i in model.interviews.values() if i.contact_id == contact_id),
                    key=lambda i: (i.at, i.id),
                )
            ),
            messages=tuple(m for m in model.messages if m.contact_id == contact_id),
        )
        assert self.stores[owner].export_contact(contact_id) == expected

    @rule(owner=_owners, contact_id=st.sampled_from(CONTACT_IDS))
    def reach_for_a_missing_contact(self, owner: str, contact_id: str) -> None:
        """An id this owner lacks (the other may have it) is NotFoundError everywhere."""
        if contact_id in self.model[owner].contacts:
            return
        store = self.stores[owner]
        for attempt in (
            lambda: store.get_contact(contact_id),
            lambda: store.get_relationship(contact_id),
            lambda: store.export_contact(contact_id),
            lambda: store.erase_contact(contact_id),
            lambda: store.set_next_due(contact_id, T0),
        ):
            try:
                attempt()
            except NotFoundError:
                continue
            raise AssertionError(f"owner {owner} reached contact {contact_id} it does not have")

    # -- relationships ---------------------------------------------------
    @rule(
        owner=_owners,
        pick=_picks,
        kind_pick=_picks,
        any_kind=st.sampled_from([False, False, False, True]),
        minutes=st.integers(0, 60 * 24 * 20),
        offset=iis.utc_offsets(),
        channel=st.none() | st.sampled_from(Channel),
        related=_picks,
    )
    def log_event(
        self,
        owner: str,
        pick: int,
        kind_pick: int,
        any_kind: bool,
        minutes: int,
        offset: timezone,
        channel: Channel | None,
        related: int,
    ) -> None:
        """Log an event through the workspace; an illegal one is refused and writes nothing.

        Three times in four the kind is one the stage accepts, so histories grow.
        """
        model = self.model[owner]
        contact_id = model.pick_contact(pick)
        if contact_id is None:
            return
        state = fold(model.events[contact_id])
        kinds = tuple(EventKind) if any_kind else accepted_events(state.stage)
        kind = kinds[kind_pick % len(kinds)]
        self.clock += timedelta(minutes=minutes)
        related_id = model.pick_contact(related) if kind is EventKind.REFERRED else None
        event = Event(
            contact_id=contact_id,
            kind=kind,
            at=self.clock.astimezone(offset),
            channel=channel,
            note="logged by the state machine",
            scheduled_for=self.clock + timedelta(days=2) if kind is EventKind.SCHEDULED else None,
            related_contact_id=related_id,
            id=uuid.uuid4().hex,
        )
        try:
            new_state = step(state, event)
        except IllegalEventError as expected:
            try:
                self.workspaces[owner].append(event)
            except IllegalEventError as refused:
                assert (refused.stage, refused.accepted) == (expected.stage, expected.accepted)
                return
            raise AssertionError(
                f"{kind.value} was accepted at stage {state.stage.value}"
            ) from None
        rel = self.workspaces[owner].append(event)
        model.events[contact_id].append(event)
        model.next_due[contact_id] = self._due_of(owner, contact_id)
        assert rel == model.relationship(contact_id)
        assert rel.stage is new_state.stage

    @rule(owner=_owners, pick=_picks, delta=st.sampled_from([-1, 1, 5]))
    def append_with_a_stale_version(self, owner: str, pick: int, delta: int) -> None:
        """An append naming the wrong event count raises ConflictError."""
        model = self.model[owner]
        contact_id = model.pick_contact(pick)
        if contact_id is None:
            return
        count = len(model.events[contact_id])
        expected_version = count + delta if count + delta >= 0 else count + 1
        event = Event(contact_id=contact_id, kind=EventKind.TOUCHED, at=self.clock)
        state = fold(model.events[contact_id])
        try:
            self.stores[owner].append_event(
                event, expected_version=expected_version, stage=state.stage, next_due=None
            )
        except ConflictError:
            return
        raise AssertionError(f"append_event accepted version {expected_version} (log has {count})")

    @rule(owner=_owners, pick=_picks, hours=st.none() | st.integers(-100, 2000))
    def set_next_due(self, owner: str, pick: int, hours: int | None) -> None:
        """Replace the stored due time directly."""
        model = self.model[owner]
        contact_id = model.pick_contact(pick)
        if contact_id is None:
            return
        due = None if hours is None else self.clock + timedelta(hours=hours)
        self.stores[owner].set_next_due(contact_id, due)
        model.next_due[contact_id] = due

    @rule(owner=_owners)
    def refresh_due(self, owner: str) -> None:
        """The workspace recomputes every due time and counts the changes."""
        model = self.model[owner]
        changes = 0
        for contact_id in model.contacts:
            due = self._due_of(owner, contact_id)
            if due != model.next_due[contact_id]:
                changes += 1
                model.next_due[contact_id] = due
        assert self.workspaces[owner].refresh_due() == changes

    # -- interviews, messages, profile, goals ----------------------------
    @rule(
        owner=_owners,
        pick=_picks,
        hours=st.integers(-48, 24 * 60),
        medium=st.sampled_from(Medium),
        referral=st.none() | _picks,
    )
    def plan_interview(
        self, owner: str, pick: int, hours: int, medium: Medium, referral: int | None
    ) -> None:
        """Save a new interview (version 0 in, 1 out)."""
        model = self.model[owner]
        contact_id = model.pick_contact(pick)
        if contact_id is None:
            return
        referred = None if referral is None else model.pick_contact(referral)
        interview = Interview(
            contact_id=contact_id,
            at=self.clock + timedelta(hours=hours),
            medium=medium,
            referrals=() if referred is None else (referred,),
            id=uuid.uuid4().hex,
        )
        saved = self.stores[owner].save_interview(interview)
        assert saved == attrs.evolve(interview, version=1)
        model.interviews[saved.id] = saved

    @rule(
        owner=_owners,
        pick=_picks,
        delta=st.sampled_from([0, 0, -1, 1]),
        notes=iis.personal_text(max_size=20),
    )
    def update_interview(self, owner: str, pick: int, delta: int, notes: str) -> None:
        """Update an interview; a stale version conflicts and changes nothing."""
        model = self.model[owner]
        if not model.interviews:
            return
        current = model.interviews[sorted(model.interviews)[pick % len(model.interviews)]]
        changed = attrs.evolve(
            current, notes=notes, held_at=self.clock, version=current.version + delta
        )
        if delta != 0:
            try:
                self.stores[owner].save_interview(changed)
            except ConflictError:
                return
            raise AssertionError(f"save_interview accepted version {changed.version}")
        saved = self.stores[owner].save_interview(changed)
        assert saved == attrs.evolve(changed, version=current.version + 1)
        model.interviews[saved.id] = saved

    @rule(owner=_owners, pick=st.none() | _picks, body=iis.personal_text(max_size=30))
    def add_message(self, owner: str, pick: int | None, body: str) -> None:
        """Keep a drafted message, of a contact or of none."""
        model = self.model[owner]
        contact_id = None if pick is None else model.pick_contact(pick)
        message = Message(
            kind="follow_up",
            channel=Channel.EMAIL,
            body=body,
            contact_id=contact_id,
            created_at=self.clock,
            id=uuid.uuid4().hex,
        )
        self.stores[owner].add_message(message)
        model.messages.append(message)

    @rule(owner=_owners, profile=iis.seeker_profiles())
    def save_profile(self, owner: str, profile: SeekerProfile) -> None:
        """Replace the owner's profile."""
        self.stores[owner].save_profile(profile)
        self.model[owner].profile = profile

    @rule(owner=_owners, key=st.sampled_from(GOAL_KEYS), title=iis.names())
    def add_goal(self, owner: str, key: str, title: str) -> None:
        """Add a custom goal; a taken key raises DuplicateError."""
        model = self.model[owner]
        goal = Goal(key=key, title=title)
        if any(g.key == key for g in model.goals):
            try:
                self.stores[owner].add_goal(goal)
            except DuplicateError:
                return
            raise AssertionError(f"add_goal accepted the taken key {key!r}")
        self.stores[owner].add_goal(goal)
        model.goals.append(goal)

    # -- the comparison after every step ---------------------------------
    @invariant()
    def store_matches_model(self) -> None:
        """Both owners' stores hold exactly what their models hold."""
        for owner in OWNERS:
            store, model = self.stores[owner], self.model[owner]
            contacts = sorted(model.contacts.values(), key=lambda c: (c.name, c.id))
            assert store.list_contacts() == contacts, owner
            for contact in contacts:
                assert store.get_contact(contact.id) == contact
                assert store.get_relationship(contact.id) == model.relationship(contact.id)
            dues = sorted(
                (
                    DueEntry(cid, fold(model.events[cid]).stage, due)
                    for cid, due in model.next_due.items()
                    if due is not None
                ),
                key=lambda e: (e.next_due, e.contact_id),
            )
            assert store.due(_FAR) == dues
            assert store.due(self.clock) == [e for e in dues if e.next_due <= self.clock]
            interviews = sorted(model.interviews.values(), key=lambda i: (i.at, i.id))
            assert store.list_interviews() == interviews
            assert store.list_messages() == model.messages
            assert store.get_profile() == model.profile
            assert store.list_goals() == model.goals


def store_state_machine_test(
    open_store: Callable[[str, Path], Store],
    *,
    max_examples: int = 25,
    step_count: int = 30,
    name: str = "StoreStateMachineTest",
) -> type[unittest.TestCase]:
    """A ``unittest.TestCase`` running :class:`StoreStateMachine` on ``open_store``.

    ``open_store(owner, workdir)`` opens the backend for ``owner``; both owners
    of one example get the same fresh ``workdir`` and must share one database.
    Assign the result to a module-level name and pytest collects it.
    """

    def bound_open_store(self: StoreStateMachine, owner: str) -> Store:
        return open_store(owner, self.workdir)

    machine: type[StoreStateMachine] = type(
        name + "Machine", (StoreStateMachine,), {"open_store": bound_open_store}
    )
    base: type[unittest.TestCase] = machine.TestCase
    return type(
        name,
        (base,),
        {
            "settings": settings(
                max_examples=max_examples,
                stateful_step_count=step_count,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            )
        },
    )
