"""What a plugin implements: the storage port and the registered things.

Everything here is plain data or an abstract class; the core calls these,
plugins provide them through the hooks in :mod:`infointerview.hookspecs`.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

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
from infointerview.stages import Stage

if TYPE_CHECKING:
    from infointerview.workspace import Workspace

__all__ = [
    "BASE_PACK_PRIORITY",
    "CheckContext",
    "ContactExport",
    "DueEntry",
    "Exporter",
    "ImportResult",
    "Importer",
    "MessageCheck",
    "QuestionGenerator",
    "QuestionRequest",
    "Relationship",
    "Renderer",
    "Store",
    "StoreFactory",
    "TemplatePack",
]


@attrs.frozen
class Relationship:
    """One contact's event log with its stored fold.

    ``version`` is the number of events; an append names the version it
    read and is refused if another writer appended first.
    """

    contact_id: str
    events: tuple[Event, ...] = ()
    stage: Stage = Stage.IDENTIFIED
    next_due: datetime | None = None

    @property
    def version(self) -> int:
        """The number of events: what an append must name as ``expected_version``."""
        return len(self.events)


@attrs.frozen
class DueEntry:
    """A relationship whose stored next due time has come (from the index)."""

    contact_id: str
    stage: Stage
    next_due: datetime


@attrs.frozen
class ContactExport:
    """Everything stored about one contact (GDPR article 20)."""

    contact: Contact
    relationship: Relationship
    interviews: tuple[Interview, ...] = ()
    messages: tuple[Message, ...] = ()


class Store(abc.ABC):
    """Persistence for one owner's workspace.

    A store is opened for exactly one owner and must never read or change
    another owner's rows. Every method is one transaction. Records come back
    as the domain's frozen classes.
    """

    owner: str

    # -- the seeker's own profile and custom goals --
    @abc.abstractmethod
    def get_profile(self) -> SeekerProfile:
        """The owner's profile, or an empty :class:`SeekerProfile`."""

    @abc.abstractmethod
    def save_profile(self, profile: SeekerProfile) -> None:
        """Replace the owner's profile."""

    @abc.abstractmethod
    def list_goals(self) -> list[Goal]:
        """The owner's custom goals, in the order they were added."""

    @abc.abstractmethod
    def add_goal(self, goal: Goal) -> None:
        """Store a custom goal; a taken key raises :class:`DuplicateError`."""

    # -- contacts --
    @abc.abstractmethod
    def add_contacts(self, contacts: Sequence[Contact]) -> list[Contact]:
        """Insert new contacts in one transaction, all or none.

        Each comes back with ``version=1``. A taken id (stored or twice in the
        batch) raises :class:`DuplicateError` and nothing is written.
        """

    @abc.abstractmethod
    def get_contact(self, contact_id: str) -> Contact:
        """One contact, or :class:`NotFoundError`."""

    @abc.abstractmethod
    def update_contact(self, contact: Contact) -> Contact:
        """Replace a contact whose ``version`` equals the stored one.

        Returns it with ``version + 1``; a stale version raises
        :class:`ConflictError`, a missing id :class:`NotFoundError`.
        """

    @abc.abstractmethod
    def list_contacts(
        self,
        *,
        stage: Stage | None = None,
        organisation: str | None = None,
        tag: str | None = None,
        referrer_id: str | None = None,
    ) -> list[Contact]:
        """Contacts matching every filter given, ordered by name (code points) then id."""

    # -- relationships --
    @abc.abstractmethod
    def get_relationship(self, contact_id: str) -> Relationship:
        """The contact's event log and stored fold; :class:`NotFoundError` if no contact."""

    @abc.abstractmethod
    def append_event(
        self,
        event: Event,
        *,
        expected_version: int,
        stage: Stage,
        next_due: datetime | None,
    ) -> Relationship:
        """Append ``event`` and store the new fold, in one transaction.

        ``expected_version`` is the event count the caller folded; if the log
        has grown since, raise :class:`ConflictError` and write nothing.
        """

    @abc.abstractmethod
    def set_next_due(self, contact_id: str, next_due: datetime | None) -> None:
        """Replace the stored next due time; :class:`NotFoundError` for an unknown contact."""

    @abc.abstractmethod
    def due(self, until: datetime) -> list[DueEntry]:
        """Relationships with ``next_due <= until``, soonest first (then by contact id)."""

    # -- interviews and messages --
    @abc.abstractmethod
    def save_interview(self, interview: Interview) -> Interview:
        """Insert (``version`` 0) or update (matching version) an interview; returns it bumped.

        Its contact and every id in ``referrals`` must exist (:class:`NotFoundError`).
        """

    @abc.abstractmethod
    def get_interview(self, interview_id: str) -> Interview:
        """One interview, or :class:`NotFoundError`."""

    @abc.abstractmethod
    def list_interviews(self, contact_id: str | None = None) -> list[Interview]:
        """Interviews, of one contact if given, ordered by time then id."""

    @abc.abstractmethod
    def add_message(self, message: Message) -> None:
        """Keep a drafted message; its contact, if any, must exist (:class:`NotFoundError`).

        A message id already stored raises :class:`DuplicateError`.
        """

    @abc.abstractmethod
    def list_messages(self, contact_id: str | None = None) -> list[Message]:
        """Messages, of one contact if given, in the order they were added."""

    # -- one contact's data rights --
    @abc.abstractmethod
    def export_contact(self, contact_id: str) -> ContactExport:
        """Everything stored about one contact."""

    @abc.abstractmethod
    def erase_contact(self, contact_id: str) -> None:
        """Remove the contact, its events, interviews and messages, and every reference.

        Other contacts it referred keep existing with ``referrer_id=None``
        (their version bumped); events naming it lose ``related_contact_id``;
        interviews drop it from ``referrals``.
        """

    def close(self) -> None:  # noqa: B027 - optional for stores with nothing to release
        """Release connections and files."""


@attrs.frozen
class StoreFactory:
    """Opens stores for one URL scheme (``sqlite``, ``postgresql``, ...)."""

    scheme: str
    open: Callable[[str, str], Store]
    """Called as ``open(url, owner)``."""


@attrs.frozen
class TemplatePack:
    """Named template sources; a later pack overrides an earlier one by name.

    Packs are applied in ``priority`` order (higher wins); equal priorities
    keep registration order, which for installed plugins is not guaranteed.
    A base pack (such as the messages plugin's defaults) uses
    :data:`BASE_PACK_PRIORITY` so that any other plugin's pack overrides it.
    """

    name: str
    templates: Mapping[str, str]
    root: str | None = None
    """A directory the pack's templates may include from, if any."""
    priority: int = 0


BASE_PACK_PRIORITY = -100
"""The priority of a pack of defaults that every other pack should override."""


class Renderer(abc.ABC):
    """Turns a named template and plain-data context into text of one format."""

    format: str

    @abc.abstractmethod
    def render(
        self, template: str, context: Mapping[str, Any], packs: Sequence[TemplatePack]
    ) -> str:
        """Render ``template`` looked up in ``packs`` (last wins) with ``context``."""

    def has_template(self, template: str, packs: Sequence[TemplatePack]) -> bool:
        """Whether any pack defines ``template``."""
        return any(template in pack.templates for pack in packs)


@attrs.frozen
class QuestionRequest:
    """What a question generator knows: plain data about the interview to come."""

    goals: tuple[Goal, ...]
    contact: Contact | None = None
    profile: SeekerProfile = attrs.Factory(SeekerProfile)
    minutes: int = 25


class QuestionGenerator(abc.ABC):
    """A named source of candidate questions."""

    name: str

    @abc.abstractmethod
    def generate(self, request: QuestionRequest) -> Iterable[Question]:
        """Questions for ``request``; ``source`` should be this generator's name."""


@attrs.frozen
class CheckContext:
    """What a message check may look at beside the message."""

    context: Mapping[str, Any]
    options: Mapping[str, Any] = attrs.Factory(dict)
    now: datetime | None = None


class MessageCheck(abc.ABC):
    """A named check on a drafted message, producing findings."""

    name: str

    @abc.abstractmethod
    def check(self, message: Message, context: CheckContext) -> Iterable[Finding]:
        """The findings for ``message`` (none when it passes)."""


@attrs.frozen
class ImportResult:
    """Contacts parsed from a file, and the rows refused with their reasons."""

    contacts: tuple[Contact, ...] = ()
    rejected: tuple[tuple[int, str], ...] = ()
    """``(line number, reason)`` for each row that could not be read."""
    lines: tuple[int, ...] = ()
    """The line each of ``contacts`` starts on, in the same order (empty if unknown)."""
    skipped: tuple[tuple[int, str], ...] = ()
    """``(line number, reason)`` for each row left out on purpose (a duplicate, a group)."""


class Importer(abc.ABC):
    """Reads contacts from a file format (LinkedIn CSV, vCard, ...)."""

    name: str
    suffixes: tuple[str, ...] = ()

    @abc.abstractmethod
    def parse(self, data: bytes) -> ImportResult:
        """Parse a whole file; never raise for one bad row, report it instead."""

    def sniff(self, data: bytes) -> bool:
        """Whether ``data`` looks like this format; used when no format is named."""
        return False


class Exporter(abc.ABC):
    """Writes workspace data in a file format (iCalendar, JSON, ...)."""

    name: str
    media_type: str = "application/octet-stream"

    @abc.abstractmethod
    def export(self, workspace: Workspace, *, now: datetime) -> bytes:
        """The file's bytes, read through the public workspace API."""
