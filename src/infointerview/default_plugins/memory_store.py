"""The ``memory://`` store: the reference implementation of the storage port.

Owners share one process-wide space per URL, so two workspaces opened on
the same ``memory://name`` URL for different owners prove isolation the
same way a database would.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime

import attrs

from infointerview.errors import ConflictError, DuplicateError, InvalidInputError, NotFoundError
from infointerview.hookspecs import hookimpl
from infointerview.model import Contact, Event, Goal, Interview, Message, SeekerProfile
from infointerview.ports import ContactExport, DueEntry, Relationship, Store, StoreFactory
from infointerview.stages import Stage

__all__ = ["MemoryStore", "register_stores"]


@attrs.define
class _OwnerData:
    profile: SeekerProfile = attrs.Factory(SeekerProfile)
    goals: dict[str, Goal] = attrs.Factory(dict)
    contacts: dict[str, Contact] = attrs.Factory(dict)
    relationships: dict[str, Relationship] = attrs.Factory(dict)
    interviews: dict[str, Interview] = attrs.Factory(dict)
    messages: list[Message] = attrs.Factory(list)
    lock: threading.RLock = attrs.Factory(threading.RLock)


_spaces: dict[str, dict[str, _OwnerData]] = {}
_spaces_lock = threading.Lock()


class MemoryStore(Store):
    """Keeps one owner's records in process memory; every method is atomic under a lock."""

    def __init__(self, owner: str, space: dict[str, _OwnerData] | None = None) -> None:
        if not owner:
            raise InvalidInputError("a workspace needs a non-empty owner")
        self.owner = owner
        self._space = {} if space is None else space
        with _spaces_lock:
            self._data = self._space.setdefault(owner, _OwnerData())
        self._lock = self._data.lock

    def __repr__(self) -> str:
        return f"MemoryStore(owner_chars={len(self.owner)})"

    def get_profile(self) -> SeekerProfile:
        return self._data.profile

    def save_profile(self, profile: SeekerProfile) -> None:
        self._data.profile = profile

    def list_goals(self) -> list[Goal]:
        return list(self._data.goals.values())

    def add_goal(self, goal: Goal) -> None:
        with self._lock:
            if goal.key in self._data.goals:
                raise DuplicateError(f"custom goal {goal.key!r} already exists")
            self._data.goals[goal.key] = goal

    def add_contacts(self, contacts: Sequence[Contact]) -> list[Contact]:
        with self._lock:
            seen: set[str] = set()
            for index, contact in enumerate(contacts):
                if contact.id in self._data.contacts or contact.id in seen:
                    raise DuplicateError(
                        f"contact #{index} in the batch has id {contact.id!r}, which is taken"
                    )
                seen.add(contact.id)
            stored = [attrs.evolve(c, version=1) for c in contacts]
            for contact in stored:
                self._data.contacts[contact.id] = contact
                self._data.relationships[contact.id] = Relationship(contact_id=contact.id)
            return stored

    def get_contact(self, contact_id: str) -> Contact:
        try:
            return self._data.contacts[contact_id]
        except KeyError:
            raise NotFoundError(f"no contact with id {contact_id!r} in this workspace") from None

    def update_contact(self, contact: Contact) -> Contact:
        with self._lock:
            current = self.get_contact(contact.id)
            if current.version != contact.version:
                raise ConflictError(
                    f"contact {contact.id!r} changed since it was read "
                    f"(version {contact.version}, stored {current.version}); read it again"
                )
            updated = attrs.evolve(contact, version=contact.version + 1)
            self._data.contacts[contact.id] = updated
            return updated

    def list_contacts(
        self,
        *,
        stage: Stage | None = None,
        organisation: str | None = None,
        tag: str | None = None,
        referrer_id: str | None = None,
    ) -> list[Contact]:
        rels = self._data.relationships
        chosen = [
            c
            for c in self._data.contacts.values()
            if (stage is None or rels[c.id].stage == stage)
            and (organisation is None or c.organisation == organisation)
            and (tag is None or tag in c.tags)
            and (referrer_id is None or c.referrer_id == referrer_id)
        ]
        return sorted(chosen, key=lambda c: (c.name, c.id))

    def get_relationship(self, contact_id: str) -> Relationship:
        self.get_contact(contact_id)
        return self._data.relationships[contact_id]

    def append_event(
        self,
        event: Event,
        *,
        expected_version: int,
        stage: Stage,
        next_due: datetime | None,
    ) -> Relationship:
        with self._lock:
            current = self.get_relationship(event.contact_id)
            if current.version != expected_version:
                raise ConflictError(
                    f"the relationship with contact {event.contact_id!r} has "
                    f"{current.version} events, not {expected_version}: another writer "
                    "logged an event first; read it again"
                )
            if event.related_contact_id is not None:
                self.get_contact(event.related_contact_id)
            updated = Relationship(
                contact_id=event.contact_id,
                events=(*current.events, event),
                stage=stage,
                next_due=next_due,
            )
            self._data.relationships[event.contact_id] = updated
            return updated

    def set_next_due(self, contact_id: str, next_due: datetime | None) -> None:
        with self._lock:
            current = self.get_relationship(contact_id)
            self._data.relationships[contact_id] = attrs.evolve(current, next_due=next_due)

    def due(self, until: datetime) -> list[DueEntry]:
        entries = [
            DueEntry(contact_id=r.contact_id, stage=r.stage, next_due=r.next_due)
            for r in self._data.relationships.values()
            if r.next_due is not None and r.next_due <= until
        ]
        return sorted(entries, key=lambda e: (e.next_due, e.contact_id))

    def save_interview(self, interview: Interview) -> Interview:
        with self._lock:
            self.get_contact(interview.contact_id)
            current = self._data.interviews.get(interview.id)
            stored_version = 0 if current is None else current.version
            if interview.version != stored_version:
                raise ConflictError(
                    f"interview {interview.id!r} is at version {stored_version}, "
                    f"the update was based on {interview.version}; read it again"
                )
            for referral in interview.referrals:
                self.get_contact(referral)
            saved = attrs.evolve(interview, version=stored_version + 1)
            self._data.interviews[interview.id] = saved
            return saved

    def get_interview(self, interview_id: str) -> Interview:
        try:
            return self._data.interviews[interview_id]
        except KeyError:
            raise NotFoundError(
                f"no interview with id {interview_id!r} in this workspace"
            ) from None

    def list_interviews(self, contact_id: str | None = None) -> list[Interview]:
        chosen = [
            i
            for i in self._data.interviews.values()
            if contact_id is None or i.contact_id == contact_id
        ]
        return sorted(chosen, key=lambda i: (i.at, i.id))

    def add_message(self, message: Message) -> None:
        with self._lock:
            if message.contact_id is not None:
                self.get_contact(message.contact_id)
            if any(m.id == message.id for m in self._data.messages):
                raise DuplicateError(f"message {message.id!r} is already stored")
            self._data.messages.append(message)

    def list_messages(self, contact_id: str | None = None) -> list[Message]:
        return [m for m in self._data.messages if contact_id is None or m.contact_id == contact_id]

    def export_contact(self, contact_id: str) -> ContactExport:
        return ContactExport(
            contact=self.get_contact(contact_id),
            relationship=self.get_relationship(contact_id),
            interviews=tuple(self.list_interviews(contact_id)),
            messages=tuple(self.list_messages(contact_id)),
        )

    def erase_contact(self, contact_id: str) -> None:
        with self._lock:
            self.get_contact(contact_id)
            data = self._data
            del data.contacts[contact_id]
            del data.relationships[contact_id]
            data.interviews = {
                k: i for k, i in data.interviews.items() if i.contact_id != contact_id
            }
            data.messages = [m for m in data.messages if m.contact_id != contact_id]
            for other in list(data.contacts.values()):
                if other.referrer_id == contact_id:
                    data.contacts[other.id] = attrs.evolve(
                        other, referrer_id=None, version=other.version + 1
                    )
            for key, rel in list(data.relationships.items()):
                if any(e.related_contact_id == contact_id for e in rel.events):
                    events = tuple(
                        attrs.evolve(e, related_contact_id=None)
                        if e.related_contact_id == contact_id
                        else e
                        for e in rel.events
                    )
                    data.relationships[key] = attrs.evolve(rel, events=events)
            for key, interview in list(data.interviews.items()):
                if contact_id in interview.referrals:
                    data.interviews[key] = attrs.evolve(
                        interview,
                        referrals=tuple(r for r in interview.referrals if r != contact_id),
                        version=interview.version + 1,
                    )


def open_memory_store(url: str, owner: str) -> MemoryStore:
    """Open ``memory://`` (private to this store) or ``memory://NAME`` (shared by name)."""
    name = url.removeprefix("memory://")
    if not name:
        return MemoryStore(owner)
    with _spaces_lock:
        space = _spaces.setdefault(name, {})
    return MemoryStore(owner, space)


@hookimpl
def register_stores() -> list[StoreFactory]:
    """The built-in ``memory://`` scheme."""
    return [StoreFactory(scheme="memory", open=open_memory_store)]
