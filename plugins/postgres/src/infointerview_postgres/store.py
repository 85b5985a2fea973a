"""The ``postgresql://`` store: one owner's view of a shared schema."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType
from typing import Any, Final

import attrs
import psycopg
from psycopg import errors as pg_errors
from psycopg.types.json import Jsonb

from infointerview.errors import (
    ConflictError,
    DuplicateError,
    InfoInterviewError,
    InvalidInputError,
    NotFoundError,
    StoreError,
)
from infointerview.model import Contact, Event, Goal, Interview, Message, SeekerProfile
from infointerview.ports import ContactExport, DueEntry, Relationship, Store
from infointerview.serialization import from_record, to_record
from infointerview.stages import Stage
from infointerview_postgres.backend import Connection, PostgresBackend
from infointerview_postgres.queries import CONTACT_VALUES, queries
from infointerview_postgres.quiet_gc import collector_paused
from infointerview_postgres.rows import (
    CONTACT_COLUMNS,
    CONTACT_TYPES,
    TagsBinaryDumper,
    contact_copy_row,
    contact_from_row,
    contact_values,
    event_from_row,
    event_values,
    interview_from_record,
    message_from_record,
    offset_of,
    stored_contact,
    with_offset,
)
from infointerview_postgres.schema import RELATED_CONTACT_FK

__all__ = ["COPY_THRESHOLD", "PostgresStore", "open_store"]

COPY_THRESHOLD: Final = 64
"""Batches of at least this many contacts go in through ``COPY``; smaller ones as ``INSERT``."""

_SNAPSHOT: Final = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
_INT4_MAX: Final = 2**31 - 1
_CADENCE: Final = CONTACT_COLUMNS.index("cadence_days")


class PostgresStore(Store):
    """One owner's records in a PostgreSQL schema shared by many owners.

    Every method is one transaction that first sets the owner (``SET
    LOCAL``), so Row-Level Security shows it that owner's rows only.
    """

    def __init__(self, backend: PostgresBackend, owner: str, *, owns_backend: bool = False) -> None:
        if not owner or not owner.strip():
            raise InvalidInputError("a workspace needs a non-empty owner")
        self.owner = owner
        self.backend = backend
        self._owns_backend = owns_backend
        self._closed = False
        self._q = queries(backend.options.schema)

    def __repr__(self) -> str:
        return (
            f"PostgresStore(schema={self.backend.options.schema!r}, "
            f"owner_chars={len(self.owner)}, closed={self._closed})"
        )

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop using the pool; close it too if this store opened it."""
        self._closed = True
        if self._owns_backend:
            self.backend.close()

    @contextmanager
    def transaction(self, *, snapshot: bool = False) -> Iterator[Connection]:
        """A connection inside one transaction of this owner (RLS applies to all it runs).

        ``snapshot`` makes it a read-only repeatable-read transaction: every
        statement sees the same data.
        """
        if self._closed:
            raise StoreError("this PostgreSQL store is closed; open the workspace again")
        with self.backend.transaction(self.owner, _SNAPSHOT if snapshot else None) as conn:
            yield conn

    @contextmanager
    def _tx(
        self,
        *,
        snapshot: bool = False,
        unique: Callable[[], InfoInterviewError] | None = None,
        missing: Callable[[str], InfoInterviewError] | None = None,
    ) -> Iterator[Connection]:
        """A transaction whose database errors become the library's errors."""
        try:
            with self.transaction(snapshot=snapshot) as conn:
                yield conn
        except pg_errors.UniqueViolation as exc:
            if unique is None:
                raise _store_error(exc) from exc
            raise unique() from exc
        except pg_errors.ForeignKeyViolation as exc:
            if missing is None:
                raise _store_error(exc) from exc
            raise missing(exc.diag.constraint_name or "") from exc
        except (psycopg.DataError, UnicodeEncodeError) as exc:
            raise InvalidInputError(
                "a value cannot be stored in PostgreSQL: text may not contain NUL characters "
                "(\\x00) or unpaired surrogates, and numbers must fit in 32 bits; "
                f"remove them and try again ({type(exc).__name__})"
            ) from exc
        except psycopg.Error as exc:
            raise _store_error(exc) from exc

    # -- the seeker's own profile and custom goals ----------------------
    def get_profile(self) -> SeekerProfile:
        with self._tx() as conn:
            row = conn.execute(self._q["get_profile"], [self.owner]).fetchone()
        if row is None:
            return SeekerProfile()
        return from_record(_json(row[0]), SeekerProfile)

    def save_profile(self, profile: SeekerProfile) -> None:
        with self._tx() as conn:
            conn.execute(self._q["save_profile"], [self.owner, Jsonb(to_record(profile))])

    def list_goals(self) -> list[Goal]:
        with self._tx() as conn:
            rows = conn.execute(self._q["list_goals"], [self.owner]).fetchall()
        return [
            Goal(key=_str(k), title=_str(t), description=_str(d), standard=bool(s))
            for k, t, d, s in rows
        ]

    def add_goal(self, goal: Goal) -> None:
        def taken() -> DuplicateError:
            return DuplicateError(f"custom goal {goal.key!r} already exists")

        with self._tx(unique=taken) as conn:
            conn.execute(
                self._q["add_goal"],
                [self.owner, goal.key, goal.title, goal.description, goal.standard],
            )

    # -- contacts -------------------------------------------------------
    def add_contacts(self, contacts: Sequence[Contact]) -> list[Contact]:
        batch = list(contacts)
        if not batch:
            return []
        # Ids taken twice in the batch or already stored are caught by the primary
        # key; the error path then works out which contact it was.
        try:
            with self._tx(
                unique=lambda: self._taken(batch), missing=lambda _: self._missing_referrer(batch)
            ) as conn:
                if len(batch) >= COPY_THRESHOLD:
                    return self._copy_contacts(conn, batch)
                # One statement, so a referrer later in the batch (or a cycle) is fine.
                query = self._q["insert_contacts"] + ", ".join([CONTACT_VALUES] * len(batch))
                params = [v for c in batch for v in (self.owner, *contact_values(c))]
                conn.execute(query, params)
        except InvalidInputError as exc:
            raise _unstorable(batch) or exc from exc
        return [stored_contact(c, 1) for c in batch]

    def _copy_contacts(self, conn: Connection, batch: list[Contact]) -> list[Contact]:
        # COPY FROM refuses tables under Row-Level Security, so the rows land in a
        # session-private staging table first; the INSERT then passes the policy.
        q = self._q
        conn.execute(q["create_import"])
        with collector_paused(), conn.cursor() as cur:
            cur.adapters.register_dumper(frozenset, TagsBinaryDumper)
            with cur.copy(q["copy_import"]) as copy:
                copy.set_types(CONTACT_TYPES)
                for contact in batch:
                    row = contact_copy_row(contact)
                    # Binary COPY would wrap a too-large integer around, not refuse it.
                    if row[_CADENCE] is not None and row[_CADENCE] > _INT4_MAX:
                        raise InvalidInputError("cadence_days beyond 32 bits")
                    copy.write_row(row)
            # In pipeline mode the INSERT runs on the server while Python builds the result.
            with conn.pipeline():
                cur.execute(q["insert_import"], [self.owner])
                stored = [stored_contact(c, 1) for c in batch]
        return stored

    def _taken(self, batch: list[Contact]) -> DuplicateError:
        seen: set[str] = set()
        for index, contact in enumerate(batch):
            if contact.id in seen:
                return DuplicateError(
                    f"contact #{index} in the batch has id {contact.id!r}, which is taken"
                )
            seen.add(contact.id)
        with self._tx() as conn:
            taken = {
                _str(r[0])
                for r in conn.execute(
                    self._q["taken_ids"], [self.owner, [c.id for c in batch]]
                ).fetchall()
            }
        for index, contact in enumerate(batch):
            if contact.id in taken:
                return DuplicateError(
                    f"contact #{index} in the batch has id {contact.id!r}, which is taken"
                )
        return DuplicateError("a contact in the batch has an id that is taken")

    def _missing_referrer(self, batch: list[Contact]) -> NotFoundError:
        referrers = sorted({c.referrer_id for c in batch if c.referrer_id is not None})
        known = {c.id for c in batch} | self._existing(referrers)
        for index, contact in enumerate(batch):
            if contact.referrer_id is not None and contact.referrer_id not in known:
                return NotFoundError(
                    f"contact #{index} in the batch names referrer {contact.referrer_id!r}, "
                    "which is not a contact in this workspace"
                )
        return NotFoundError("a contact in the batch names a referrer that does not exist")

    def _existing(self, ids: Sequence[str]) -> set[str]:
        with self._tx() as conn:
            rows = conn.execute(self._q["existing_ids"], [self.owner, list(ids)]).fetchall()
        return {_str(r[0]) for r in rows}

    def get_contact(self, contact_id: str) -> Contact:
        with self._tx() as conn:
            row = conn.execute(self._q["get_contact"], [self.owner, contact_id]).fetchone()
        if row is None:
            raise _no_contact(contact_id)
        return contact_from_row(row)

    def update_contact(self, contact: Contact) -> Contact:
        def no_referrer(_constraint: str) -> NotFoundError:
            return NotFoundError(
                f"contact {contact.id!r} names referrer {contact.referrer_id!r}, "
                "which is not a contact in this workspace"
            )

        values = contact_values(contact)
        with self._tx(missing=no_referrer) as conn:
            row = conn.execute(
                self._q["update_contact"],
                [*values[1:], self.owner, contact.id, contact.version],
            ).fetchone()
            if row is None:
                stored = conn.execute(self._q["get_contact"], [self.owner, contact.id]).fetchone()
                if stored is None:
                    raise _no_contact(contact.id)
                raise ConflictError(
                    f"contact {contact.id!r} changed since it was read "
                    f"(version {contact.version}, stored {stored[0]}); read it again"
                )
        return stored_contact(contact, _int(row[0]))

    def list_contacts(
        self,
        *,
        stage: Stage | None = None,
        organisation: str | None = None,
        tag: str | None = None,
        referrer_id: str | None = None,
    ) -> list[Contact]:
        query = self._q["list_contacts"]
        conditions = ["c.owner = %s"]
        params: list[Any] = [self.owner]
        if stage is not None:
            query += self._q["join_stage"]
            conditions.append("coalesce(r.stage, 'identified') = %s")
            params.append(Stage(stage).value)
        if organisation is not None:
            conditions.append("c.organisation = %s")
            params.append(organisation)
        if tag is not None:
            conditions.append("%s = ANY(c.tags)")
            params.append(tag)
        if referrer_id is not None:
            conditions.append("c.referrer_id = %s")
            params.append(referrer_id)
        query += " WHERE " + " AND ".join(conditions) + " ORDER BY c.name, c.id"
        with self._tx() as conn:
            rows = conn.execute(query, params).fetchall()
        return [contact_from_row(r) for r in rows]

    # -- relationships --------------------------------------------------
    def get_relationship(self, contact_id: str) -> Relationship:
        with self._tx(snapshot=True) as conn:
            return self._relationship(conn, contact_id)

    def _relationship(self, conn: Connection, contact_id: str) -> Relationship:
        state = conn.execute(self._q["contact_state"], [self.owner, contact_id]).fetchone()
        if state is None:
            raise _no_contact(contact_id)
        _version, stage, due, due_offset = state
        events = self._events(conn, contact_id)
        return Relationship(
            contact_id=contact_id,
            events=events,
            stage=Stage.IDENTIFIED if stage is None else Stage(_str(stage)),
            next_due=with_offset(_dt(due), _opt_int(due_offset)),
        )

    def _events(self, conn: Connection, contact_id: str) -> tuple[Event, ...]:
        rows = conn.execute(self._q["events"], [self.owner, contact_id]).fetchall()
        return tuple(event_from_row(contact_id, r) for r in rows)

    def append_event(
        self,
        event: Event,
        *,
        expected_version: int,
        stage: Stage,
        next_due: datetime | None,
    ) -> Relationship:
        cid = event.contact_id

        def no_related(constraint: str) -> NotFoundError:
            if constraint != RELATED_CONTACT_FK:
                return _no_contact(cid)
            return NotFoundError(
                f"event {event.kind.value!r} names contact {event.related_contact_id!r}, "
                "which is not in this workspace"
            )

        def raced() -> ConflictError:
            return _stale_log(cid, expected_version + 1, expected_version)

        q = self._q
        with self._tx(missing=no_related, unique=raced) as conn:
            if expected_version == 0:
                row = conn.execute(
                    q["first_append"],
                    [self.owner, cid, Stage(stage).value, next_due, offset_of(next_due)],
                ).fetchone()
            else:
                row = conn.execute(
                    q["next_append"],
                    [
                        Stage(stage).value,
                        next_due,
                        offset_of(next_due),
                        self.owner,
                        cid,
                        expected_version,
                    ],
                ).fetchone()
            if row is None:
                current = conn.execute(q["contact_state"], [self.owner, cid]).fetchone()
                if current is None:
                    raise _no_contact(cid)
                raise _stale_log(cid, _opt_int(current[0]) or 0, expected_version)
            version = _int(row[0])
            conn.execute(q["insert_event"], [self.owner, cid, version, *event_values(event)])
            events = self._events(conn, cid)
        return Relationship(contact_id=cid, events=events, stage=Stage(stage), next_due=next_due)

    def set_next_due(self, contact_id: str, next_due: datetime | None) -> None:
        with self._tx(missing=lambda _: _no_contact(contact_id)) as conn:
            conn.execute(
                self._q["set_next_due"], [self.owner, contact_id, next_due, offset_of(next_due)]
            )

    def due(self, until: datetime) -> list[DueEntry]:
        with self._tx() as conn:
            rows = conn.execute(self._q["due"], [self.owner, until]).fetchall()
        return [
            DueEntry(
                contact_id=_str(cid),
                stage=Stage(_str(stage)),
                next_due=with_offset(_dt(due), _opt_int(offset)),  # type: ignore[arg-type]
            )
            for cid, stage, due, offset in rows
        ]

    # -- interviews and messages ----------------------------------------
    def save_interview(self, interview: Interview) -> Interview:
        q = self._q
        saved = attrs.evolve(interview, version=interview.version + 1)
        record = Jsonb(to_record(saved))
        referrals = list(interview.referrals)
        with self._tx(missing=lambda _: _no_contact(interview.contact_id)) as conn:
            if (
                conn.execute(q["get_contact"], [self.owner, interview.contact_id]).fetchone()
                is None
            ):
                raise _no_contact(interview.contact_id)
            if interview.version == 0:
                row = conn.execute(
                    q["insert_interview"],
                    [
                        self.owner,
                        interview.id,
                        interview.contact_id,
                        interview.at,
                        referrals,
                        record,
                    ],
                ).fetchone()
            else:
                row = conn.execute(
                    q["update_interview"],
                    [
                        interview.contact_id,
                        interview.at,
                        referrals,
                        record,
                        self.owner,
                        interview.id,
                        interview.version,
                    ],
                ).fetchone()
            if row is None:
                stored = conn.execute(q["interview_version"], [self.owner, interview.id]).fetchone()
                raise ConflictError(
                    f"interview {interview.id!r} is at version "
                    f"{0 if stored is None else stored[0]}, the update was based on "
                    f"{interview.version}; read it again"
                )
            if referrals:
                found = {
                    _str(r[0])
                    for r in conn.execute(q["existing_ids"], [self.owner, referrals]).fetchall()
                }
                for referral in referrals:
                    if referral not in found:
                        raise _no_contact(referral)
        return saved

    def get_interview(self, interview_id: str) -> Interview:
        with self._tx() as conn:
            row = conn.execute(self._q["get_interview"], [self.owner, interview_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no interview with id {interview_id!r} in this workspace")
        return interview_from_record(_json(row[0]))

    def list_interviews(self, contact_id: str | None = None) -> list[Interview]:
        with self._tx() as conn:
            return self._interviews(conn, contact_id)

    def _interviews(self, conn: Connection, contact_id: str | None) -> list[Interview]:
        if contact_id is None:
            rows = conn.execute(self._q["list_interviews"], [self.owner]).fetchall()
        else:
            rows = conn.execute(self._q["contact_interviews"], [self.owner, contact_id]).fetchall()
        return [interview_from_record(_json(r[0])) for r in rows]

    def add_message(self, message: Message) -> None:
        def taken() -> DuplicateError:
            return DuplicateError(f"message {message.id!r} is already stored")

        def missing(_constraint: str) -> NotFoundError:
            return _no_contact(str(message.contact_id))

        with self._tx(unique=taken, missing=missing) as conn:
            conn.execute(
                self._q["add_message"],
                [self.owner, message.id, message.contact_id, Jsonb(to_record(message))],
            )

    def list_messages(self, contact_id: str | None = None) -> list[Message]:
        with self._tx() as conn:
            return self._messages(conn, contact_id)

    def _messages(self, conn: Connection, contact_id: str | None) -> list[Message]:
        if contact_id is None:
            rows = conn.execute(self._q["list_messages"], [self.owner]).fetchall()
        else:
            rows = conn.execute(self._q["contact_messages"], [self.owner, contact_id]).fetchall()
        return [message_from_record(_json(r[0])) for r in rows]

    # -- one contact's data rights --------------------------------------
    def export_contact(self, contact_id: str) -> ContactExport:
        with self._tx(snapshot=True) as conn:
            row = conn.execute(self._q["get_contact"], [self.owner, contact_id]).fetchone()
            if row is None:
                raise _no_contact(contact_id)
            return ContactExport(
                contact=contact_from_row(row),
                relationship=self._relationship(conn, contact_id),
                interviews=tuple(self._interviews(conn, contact_id)),
                messages=tuple(self._messages(conn, contact_id)),
            )

    def erase_contact(self, contact_id: str) -> None:
        q = self._q
        args = [self.owner, contact_id]
        with self._tx() as conn:
            if conn.execute(q["lock_contact"], args).fetchone() is None:
                raise _no_contact(contact_id)
            conn.execute(q["unrefer_contacts"], args)
            conn.execute(q["unrelate_events"], args)
            conn.execute(q["delete_messages"], args)
            conn.execute(q["delete_interviews"], args)
            for (record,) in conn.execute(q["referring_interviews"], args).fetchall():
                interview = interview_from_record(_json(record))
                kept = tuple(r for r in interview.referrals if r != contact_id)
                rewritten = attrs.evolve(interview, referrals=kept, version=interview.version + 1)
                conn.execute(
                    q["rewrite_interview"],
                    [
                        rewritten.version,
                        list(kept),
                        Jsonb(to_record(rewritten)),
                        self.owner,
                        interview.id,
                    ],
                )
            conn.execute(q["delete_contact"], args)


def open_store(url: str, owner: str) -> PostgresStore:
    """Open ``owner``'s store with a pool of its own, closed when the store is closed."""
    backend = PostgresBackend(url)
    store = PostgresStore(backend, owner, owns_backend=True)
    backend.open()
    return store


def _unstorable(batch: Sequence[Contact]) -> InvalidInputError | None:
    """Name the first contact and field PostgreSQL cannot store, if any."""
    for index, contact in enumerate(batch):
        for column, value in zip(CONTACT_COLUMNS, contact_values(contact), strict=True):
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, int) and not -_INT4_MAX - 1 <= item <= _INT4_MAX:
                    problem = "a number beyond 32 bits"
                elif isinstance(item, str) and "\x00" in item:
                    problem = "a NUL character (\\x00)"
                elif isinstance(item, str) and not item.isascii() and not _encodable(item):
                    problem = "an unpaired surrogate"
                else:
                    continue
                return InvalidInputError(
                    f"contact #{index} in the batch: {column} holds {problem}, which PostgreSQL "
                    "cannot store; remove it and try again (nothing was written)"
                )
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _no_contact(contact_id: str) -> NotFoundError:
    return NotFoundError(f"no contact with id {contact_id!r} in this workspace")


def _stale_log(contact_id: str, stored: int, expected: int) -> ConflictError:
    return ConflictError(
        f"the relationship with contact {contact_id!r} has {stored} events, not {expected}: "
        "another writer logged an event first; read it again"
    )


def _store_error(exc: psycopg.Error) -> StoreError:
    # The primary message only: details may quote row values (personal data).
    primary = exc.diag.message_primary or type(exc).__name__
    return StoreError(f"PostgreSQL refused the operation ({exc.sqlstate}): {primary}")


def _json(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise StoreError(f"a stored record is not a JSON object ({type(value).__name__})")
    return value


def _str(value: object) -> str:
    return str(value)


def _int(value: object) -> int:
    if not isinstance(value, int):
        raise StoreError(f"expected a whole number from PostgreSQL, got {type(value).__name__}")
    return value


def _opt_int(value: object) -> int | None:
    return None if value is None else _int(value)


def _dt(value: object) -> datetime | None:
    if value is not None and not isinstance(value, datetime):
        raise StoreError(f"expected a timestamp from PostgreSQL, got {type(value).__name__}")
    return value
