"""The conformance kit fails on stores that break the port: a suite that always passes is no test.

Each broken store is the memory store with one promise of the port undone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from infointerview import (
    Contact,
    DuplicateError,
    Event,
    InfoInterviewError,
    Relationship,
    Stage,
    Store,
)
from infointerview.default_plugins.memory_store import MemoryStore, _OwnerData
from infointerview.testing import StoreConformance, StoreStateMachine


class IgnoresContactVersions(MemoryStore):
    """Saves every update, whatever version it was based on."""

    def update_contact(self, contact: Contact) -> Contact:
        """Lose concurrent updates."""
        current = self.get_contact(contact.id)
        return super().update_contact(attrs.evolve(contact, version=current.version))


class IgnoresExpectedVersion(MemoryStore):
    """Appends events whatever the caller folded."""

    def append_event(
        self, event: Event, *, expected_version: int, stage: Stage, next_due: datetime | None
    ) -> Relationship:
        """Append without the optimistic check."""
        current = self.get_relationship(event.contact_id).version
        return super().append_event(event, expected_version=current, stage=stage, next_due=next_due)


class SharedByAllOwners(MemoryStore):
    """Keeps every owner's rows together."""

    def __init__(self, owner: str, space: dict[str, _OwnerData] | None = None) -> None:
        super().__init__("everyone", space)
        self.owner = owner


class WritesHalfABatch(MemoryStore):
    """Adds contacts one by one, so a duplicate leaves the first ones stored."""

    def add_contacts(self, contacts: Sequence[Contact]) -> list[Contact]:
        """Not one transaction."""
        added = []
        for contact in contacts:
            if contact.id in self._data.contacts:
                raise DuplicateError(f"id {contact.id!r} is taken")
            added.extend(super().add_contacts([contact]))
        return added


class ForgetsReferences(MemoryStore):
    """Erases the contact but leaves the ids other records hold."""

    def erase_contact(self, contact_id: str) -> None:
        """Erase only the contact's own rows."""
        self.get_contact(contact_id)
        del self._data.contacts[contact_id]
        del self._data.relationships[contact_id]


class _Suite(StoreConformance):
    store_class: type[MemoryStore] = MemoryStore

    def begin(self, tmp_path: Path) -> None:
        super().begin(tmp_path)
        self.space: dict[str, _OwnerData] = {}

    def open_store(self, owner: str) -> Store:
        return self.store_class(owner, self.space)


# A broken store fails a conformance test with an assertion, pytest.raises'
# "DID NOT RAISE", or a library error where the test expected none.
FAILURES = (AssertionError, pytest.fail.Exception, InfoInterviewError)

CASES = [
    (IgnoresContactVersions, "test_update_contact_with_a_stale_version_conflicts"),
    (IgnoresExpectedVersion, "test_append_event_with_a_stale_version_conflicts_and_writes_nothing"),
    (SharedByAllOwners, "test_owners_with_the_same_contact_id_stay_apart"),
    (SharedByAllOwners, "test_an_owner_cannot_reach_rows_only_another_owner_has"),
    (SharedByAllOwners, "test_owners_interviews_messages_profile_and_goals_stay_apart"),
    (WritesHalfABatch, "test_add_contacts_refuses_an_id_twice_in_the_batch"),
    (ForgetsReferences, "test_erase_contact_clears_every_reference"),
    (ForgetsReferences, "test_erase_contact_removes_everything_about_them"),
    (MemoryStore, None),
]


@pytest.mark.parametrize(("store_class", "test_name"), CASES)
def test_the_suite_fails_a_store_that_breaks_a_promise(
    store_class: type[MemoryStore], test_name: str | None, tmp_path: Path
) -> None:
    """The named conformance test fails on the broken store (and all pass on the real one)."""
    suite = type("Suite", (_Suite,), {"store_class": store_class})()
    names = [test_name] if test_name else [n for n in dir(suite) if n.startswith("test_")]
    for name in names:
        suite.begin(tmp_path / name)
        try:
            if test_name is None:
                getattr(suite, name)()
            else:
                with pytest.raises(FAILURES):
                    getattr(suite, name)()
        finally:
            suite.end()


@pytest.mark.parametrize(
    "store_class", [IgnoresContactVersions, SharedByAllOwners, ForgetsReferences]
)
def test_the_state_machine_fails_a_broken_store(store_class: type[MemoryStore]) -> None:
    """The state machine finds each broken promise within a modest number of examples."""
    spaces: dict[Path, dict[str, _OwnerData]] = {}

    class Machine(StoreStateMachine):
        def open_store(self, owner: str) -> Store:
            return store_class(owner, spaces.setdefault(self.workdir, {}))

    with pytest.raises((AssertionError, InfoInterviewError)):
        run_state_machine_as_test(
            Machine,
            settings=settings(
                max_examples=200,
                stateful_step_count=30,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                print_blob=False,
                report_multiple_bugs=False,
                phases=[Phase.generate],  # finding the failure is the point, not shrinking it
            ),
        )
