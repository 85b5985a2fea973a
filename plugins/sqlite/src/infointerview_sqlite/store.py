"""The SQLite implementation of :class:`infointerview.Store`."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import attrs

from infointerview.errors import (
    ConflictError,
    DuplicateError,
    InvalidInputError,
    NotFoundError,
    StoreError,
)
from infointerview.model import Contact, Event, Goal, Interview, Message, SeekerProfile
from infointerview.ports import ContactExport, DueEntry, Relationship, Store
from infointerview.serialization import dumps, loads
from infointerview.stages import Stage
from infointerview_sqlite.connection import connect
from infointerview_sqlite.gc_pause import paused_gc
from infointerview_sqlite.rows import (
    CONTACT_COLUMNS,
    EVENT_COLUMNS,
    contact_from_row,
    contact_row,
    contact_rows,
    event_from_row,
    event_row,
    instant,
    iso,
    parse_time,
    restamp_contact,
    tags_from_text,
)
from infointerview_sqlite.url import SqliteOptions, parse_url

__all__ = ["DUE_QUERY", "SqliteStore", "contacts_query", "open_sqlite_store"]

log = logging.getLogger(__name__)

_CONTACT_SELECT: Final = (
    "SELECT " + ", ".join(f"c.{c}" for c in CONTACT_COLUMNS) + " FROM contacts c"
)
_CONTACT_INSERT: Final = (
    f"INSERT INTO contacts (owner, {', '.join(CONTACT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(CONTACT_COLUMNS) + 1))})"
)
_CONTACT_UPDATE: Final = (
    "UPDATE contacts SET "
    + ", ".join(f"{c} = ?" for c in CONTACT_COLUMNS[1:])
    + " WHERE owner = ? AND id = ? AND version = ?"
)
_TAG_INSERT: Final = "INSERT INTO contact_tags (owner, tag, contact_id) VALUES (?, ?, ?)"
_TAG_DELETE: Final = "DELETE FROM contact_tags WHERE owner = ? AND tag = ? AND contact_id = ?"
_EVENT_SELECT: Final = (
    "SELECT contact_id, id, kind, at, channel, note, scheduled_for, related_contact_id "
    "FROM events WHERE owner = ? AND contact_id = ? ORDER BY seq"
)
_EVENT_INSERT: Final = (
    f"INSERT INTO events (owner, {', '.join(EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(EVENT_COLUMNS) + 1))})"
)
_FOLD_UPSERT: Final = (
    "INSERT INTO relationships (owner, contact_id, stage, events, next_due, next_due_us) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (owner, contact_id) DO UPDATE SET "
    "stage = excluded.stage, events = excluded.events, "
    "next_due = excluded.next_due, next_due_us = excluded.next_due_us"
)
_DUE_UPSERT: Final = (
    "INSERT INTO relationships (owner, contact_id, stage, events, next_due, next_due_us) "
    "VALUES (?, ?, 'identified', 0, ?, ?) ON CONFLICT (owner, contact_id) DO UPDATE SET "
    "next_due = excluded.next_due, next_due_us = excluded.next_due_us"
)
_STAGES: Final = {stage.value: stage for stage in Stage}
"""Stage by stored value: a dict lookup is several times faster than ``Stage(value)``."""
_BULK: Final = 1000
"""From this many contacts on, ``add_contacts`` pauses the cyclic garbage collector."""
DUE_QUERY: Final = (
    "SELECT contact_id, stage, next_due FROM relationships "
    "WHERE owner = ? AND next_due_us <= ? ORDER BY next_due_us, contact_id"
)
"""The query behind :meth:`SqliteStore.due` (its plan is tested to use an index)."""


def contacts_query(
    owner: str,
    *,
    stage: Stage | None = None,
    organisation: str | None = None,
    tag: str | None = None,
    referrer_id: str | None = None,
) -> tuple[str, list[Any]]:
    """The SQL and parameters behind :meth:`SqliteStore.list_contacts` (plans are tested)."""
    where = ["c.owner = ?"]
    params: list[Any] = [owner]
    if organisation is not None:
        where.append("c.organisation = ?")
        params.append(organisation)
    if referrer_id is not None:
        where.append("c.referrer_id = ?")
        params.append(referrer_id)
    if tag is not None:
        where.append("c.id IN (SELECT contact_id FROM contact_tags WHERE owner = ? AND tag = ?)")
        params += [owner, tag]
    if stage is not None and Stage(stage) is Stage.IDENTIFIED:
        # No relationship row, or one still at 'identified' (touched, referred).
        where.append(
            "NOT EXISTS (SELECT 1 FROM relationships r WHERE r.owner = c.owner "
            "AND r.contact_id = c.id AND r.stage <> 'identified')"
        )
    elif stage is not None:
        where.append("c.id IN (SELECT contact_id FROM relationships WHERE owner = ? AND stage = ?)")
        params += [owner, Stage(stage).value]
    return f"{_CONTACT_SELECT} WHERE {' AND '.join(where)} ORDER BY c.name, c.id", params


class SqliteStore(Store):
    """One owner's workspace in an SQLite file; every method is one transaction.

    Writes begin with ``BEGIN IMMEDIATE`` so that a version read inside the
    transaction cannot change before the write that depends on it.
    """

    def __init__(self, options: SqliteOptions, owner: str) -> None:
        if not owner or not owner.strip():
            raise InvalidInputError("a workspace needs a non-empty owner (the seeker's id)")
        self.owner = owner
        self.options = options
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = connect(options)

    @property
    def path(self) -> Path:
        """The database file."""
        return self.options.path

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else "open"
        return f"SqliteStore(path={str(self.path)!r}, {state})"

    def close(self) -> None:
        """Close the connection (the last one to close checkpoints the WAL)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- transactions ---------------------------------------------------
    @contextlib.contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._conn
            if conn is None:
                raise StoreError(f"the store for {self.path} is closed; open the workspace again")
            try:
                conn.execute(begin)
            except sqlite3.OperationalError as exc:
                raise self._store_error(exc) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._store_error(exc) from exc
                raise

    def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return self._transaction("BEGIN IMMEDIATE")

    def _read(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return self._transaction("BEGIN")

    def _store_error(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return StoreError(
                f"the database {self.path} stayed locked by another writer for "
                f"{self.options.busy_timeout_ms} ms; try again, or raise the wait with "
                "'?busy_timeout=<milliseconds>' in the sqlite URL"
            )
        return StoreError(f"the database {self.path} failed: {type(exc).__name__}: {text}")

    # -- lookups used inside transactions --------------------------------
    def _require_contact(self, conn: sqlite3.Connection, contact_id: str, what: str = "") -> None:
        found = conn.execute(
            "SELECT 1 FROM contacts WHERE owner = ? AND id = ?", (self.owner, contact_id)
        ).fetchone()
        if found is None:
            raise NotFoundError(f"no contact with id {contact_id!r} in this workspace{what}")

    def _existing(self, conn: sqlite3.Connection, ids: Iterable[str]) -> set[str]:
        wanted = list(ids)
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            found.update(
                row[0]
                for row in conn.execute(
                    f"SELECT id FROM contacts WHERE owner = ? AND id IN ({marks})",
                    (self.owner, *chunk),
                )
            )
        return found

    def _relationship(self, conn: sqlite3.Connection, contact_id: str) -> Relationship:
        self._require_contact(conn, contact_id)
        fold = conn.execute(
            "SELECT stage, next_due FROM relationships WHERE owner = ? AND contact_id = ?",
            (self.owner, contact_id),
        ).fetchone()
        events = tuple(
            event_from_row(row) for row in conn.execute(_EVENT_SELECT, (self.owner, contact_id))
        )
        if fold is None:
            return Relationship(contact_id=contact_id, events=events)
        return Relationship(
            contact_id=contact_id,
            events=events,
            stage=Stage(fold[0]),
            next_due=parse_time(fold[1]),
        )

    # -- the seeker's own profile and custom goals -----------------------
    def get_profile(self) -> SeekerProfile:
        with self._read() as conn:
            row = conn.execute(
                "SELECT record FROM profiles WHERE owner = ?", (self.owner,)
            ).fetchone()
        return SeekerProfile() if row is None else loads(row[0], SeekerProfile)

    def save_profile(self, profile: SeekerProfile) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO profiles (owner, record) VALUES (?, ?) "
                "ON CONFLICT (owner) DO UPDATE SET record = excluded.record",
                (self.owner, dumps(profile)),
            )

    def list_goals(self) -> list[Goal]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT record FROM goals WHERE owner = ? ORDER BY seq", (self.owner,)
            ).fetchall()
        return [loads(row[0], Goal) for row in rows]

    def add_goal(self, goal: Goal) -> None:
        with self._write() as conn:
            try:
                conn.execute(
                    "INSERT INTO goals (owner, key, record) VALUES (?, ?, ?)",
                    (self.owner, goal.key, dumps(goal)),
                )
            except sqlite3.IntegrityError:
                raise DuplicateError(f"custom goal {goal.key!r} already exists") from None

    # -- contacts ---------------------------------------------------------
    def add_contacts(self, contacts: Sequence[Contact]) -> list[Contact]:
        if len(contacts) < _BULK:
            return self._add_contacts(contacts)
        with paused_gc():
            return self._add_contacts(contacts)

    def _add_contacts(self, contacts: Sequence[Contact]) -> list[Contact]:
        owner = self.owner
        rows = contact_rows(owner, contacts, 1)
        if not rows:
            return []
        ids = {row[1] for row in rows}
        if len(ids) != len(rows):
            seen: set[str] = set()
            for index, row in enumerate(rows):
                if row[1] in seen:
                    raise DuplicateError(
                        f"contact #{index} in the batch has id {row[1]!r}, which is taken "
                        "by an earlier contact in the same batch"
                    )
                seen.add(row[1])
        tag_rows = [(owner, tag, c.id) for c in contacts if c.tags for tag in c.tags]
        outside = {c.referrer_id for c in contacts if c.referrer_id is not None} - ids
        with self._write() as conn:
            missing = outside - self._existing(conn, outside) if outside else set()
            if missing:
                index = next(i for i, c in enumerate(contacts) if c.referrer_id in missing)
                raise NotFoundError(
                    f"contact #{index} in the batch names referrer "
                    f"{contacts[index].referrer_id!r}, which is not in this workspace; "
                    "add the referrer first or in the same batch"
                )
            before = conn.total_changes
            try:
                conn.executemany(_CONTACT_INSERT, rows)
            except sqlite3.IntegrityError:
                # Each row inserted before the failing one counted one change.
                index = conn.total_changes - before
                raise DuplicateError(
                    f"contact #{index} in the batch has id {rows[index][1]!r}, which is taken"
                ) from None
            if tag_rows:
                conn.executemany(_TAG_INSERT, tag_rows)
        return [restamp_contact(contact, 1) for contact in contacts]

    def get_contact(self, contact_id: str) -> Contact:
        with self._read() as conn:
            row = conn.execute(
                f"{_CONTACT_SELECT} WHERE c.owner = ? AND c.id = ?", (self.owner, contact_id)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no contact with id {contact_id!r} in this workspace")
        return contact_from_row(row)

    def update_contact(self, contact: Contact) -> Contact:
        updated = attrs.evolve(contact, version=contact.version + 1)
        values = contact_row(self.owner, updated, updated.version)
        with self._write() as conn:
            stored = conn.execute(
                "SELECT version, tags FROM contacts WHERE owner = ? AND id = ?",
                (self.owner, contact.id),
            ).fetchone()
            if stored is None:
                raise NotFoundError(f"no contact with id {contact.id!r} in this workspace")
            if stored[0] != contact.version:
                raise ConflictError(
                    f"contact {contact.id!r} changed since it was read "
                    f"(version {contact.version}, stored {stored[0]}); read it again"
                )
            if contact.referrer_id is not None:
                self._require_contact(conn, contact.referrer_id, " (the contact's referrer)")
            conn.execute(_CONTACT_UPDATE, (*values[2:], self.owner, contact.id, contact.version))
            old_tags = tags_from_text(stored[1])
            if old_tags != contact.tags:
                conn.executemany(
                    _TAG_DELETE, [(self.owner, t, contact.id) for t in old_tags - contact.tags]
                )
                conn.executemany(
                    _TAG_INSERT, [(self.owner, t, contact.id) for t in contact.tags - old_tags]
                )
        return updated

    def list_contacts(
        self,
        *,
        stage: Stage | None = None,
        organisation: str | None = None,
        tag: str | None = None,
        referrer_id: str | None = None,
    ) -> list[Contact]:
        sql, params = contacts_query(
            self.owner, stage=stage, organisation=organisation, tag=tag, referrer_id=referrer_id
        )
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [contact_from_row(row) for row in rows]

    # -- relationships ------------------------------------------------------
    def get_relationship(self, contact_id: str) -> Relationship:
        with self._read() as conn:
            return self._relationship(conn, contact_id)

    def append_event(
        self,
        event: Event,
        *,
        expected_version: int,
        stage: Stage,
        next_due: datetime | None,
    ) -> Relationship:
        stage = Stage(stage)
        due_key = None if next_due is None else instant(next_due)
        with self._write() as conn:
            self._require_contact(conn, event.contact_id)
            row = conn.execute(
                "SELECT events FROM relationships WHERE owner = ? AND contact_id = ?",
                (self.owner, event.contact_id),
            ).fetchone()
            current = 0 if row is None else int(row[0])
            if current != expected_version:
                raise ConflictError(
                    f"the relationship with contact {event.contact_id!r} has {current} events, "
                    f"not {expected_version}: another writer logged an event first; read it again"
                )
            if event.related_contact_id is not None:
                self._require_contact(
                    conn, event.related_contact_id, " (the event's related contact)"
                )
            conn.execute(_EVENT_INSERT, event_row(self.owner, event, current))
            conn.execute(
                _FOLD_UPSERT,
                (self.owner, event.contact_id, stage.value, current + 1, iso(next_due), due_key),
            )
            return self._relationship(conn, event.contact_id)

    def set_next_due(self, contact_id: str, next_due: datetime | None) -> None:
        due_key = None if next_due is None else instant(next_due)
        with self._write() as conn:
            self._require_contact(conn, contact_id)
            conn.execute(_DUE_UPSERT, (self.owner, contact_id, iso(next_due), due_key))

    def due(self, until: datetime) -> list[DueEntry]:
        until_key = instant(until)
        with self._read() as conn:
            rows = conn.execute(DUE_QUERY, (self.owner, until_key)).fetchall()
        stages, parse = _STAGES, datetime.fromisoformat
        return [DueEntry(cid, stages[stage], parse(due)) for cid, stage, due in rows]

    # -- interviews and messages ------------------------------------------
    def save_interview(self, interview: Interview) -> Interview:
        at_key = instant(interview.at)
        with self._write() as conn:
            self._require_contact(conn, interview.contact_id)
            row = conn.execute(
                "SELECT version FROM interviews WHERE owner = ? AND id = ?",
                (self.owner, interview.id),
            ).fetchone()
            stored = 0 if row is None else int(row[0])
            if interview.version != stored:
                raise ConflictError(
                    f"interview {interview.id!r} is at version {stored}, "
                    f"the update was based on {interview.version}; read it again"
                )
            missing = set(interview.referrals) - self._existing(conn, set(interview.referrals))
            if missing:
                first = next(r for r in interview.referrals if r in missing)
                raise NotFoundError(
                    f"no contact with id {first!r} in this workspace (a referral of interview "
                    f"{interview.id!r}); add the referred contact first"
                )
            saved = attrs.evolve(interview, version=stored + 1)
            record = dumps(saved)
            if row is None:
                conn.execute(
                    "INSERT INTO interviews (owner, id, contact_id, at_us, version, record) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (self.owner, saved.id, saved.contact_id, at_key, saved.version, record),
                )
            else:
                conn.execute(
                    "UPDATE interviews SET contact_id = ?, at_us = ?, version = ?, record = ? "
                    "WHERE owner = ? AND id = ?",
                    (saved.contact_id, at_key, saved.version, record, self.owner, saved.id),
                )
                conn.execute(
                    "DELETE FROM interview_referrals WHERE owner = ? AND interview_id = ?",
                    (self.owner, saved.id),
                )
            conn.executemany(
                "INSERT INTO interview_referrals (owner, interview_id, position, contact_id) "
                "VALUES (?, ?, ?, ?)",
                [(self.owner, saved.id, i, ref) for i, ref in enumerate(saved.referrals)],
            )
        return saved

    def get_interview(self, interview_id: str) -> Interview:
        with self._read() as conn:
            row = conn.execute(
                "SELECT record FROM interviews WHERE owner = ? AND id = ?",
                (self.owner, interview_id),
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no interview with id {interview_id!r} in this workspace")
        return loads(row[0], Interview)

    def _interviews(self, conn: sqlite3.Connection, contact_id: str | None) -> list[Interview]:
        if contact_id is None:
            rows = conn.execute(
                "SELECT record FROM interviews WHERE owner = ? ORDER BY at_us, id", (self.owner,)
            )
        else:
            rows = conn.execute(
                "SELECT record FROM interviews WHERE owner = ? AND contact_id = ? "
                "ORDER BY at_us, id",
                (self.owner, contact_id),
            )
        return [loads(row[0], Interview) for row in rows]

    def list_interviews(self, contact_id: str | None = None) -> list[Interview]:
        with self._read() as conn:
            return self._interviews(conn, contact_id)

    def add_message(self, message: Message) -> None:
        with self._write() as conn:
            if message.contact_id is not None:
                self._require_contact(conn, message.contact_id)
            try:
                conn.execute(
                    "INSERT INTO messages (owner, id, contact_id, record) VALUES (?, ?, ?, ?)",
                    (self.owner, message.id, message.contact_id, dumps(message)),
                )
            except sqlite3.IntegrityError:
                raise DuplicateError(f"message {message.id!r} is already stored") from None

    def _messages(self, conn: sqlite3.Connection, contact_id: str | None) -> list[Message]:
        if contact_id is None:
            rows = conn.execute(
                "SELECT record FROM messages WHERE owner = ? ORDER BY seq", (self.owner,)
            )
        else:
            rows = conn.execute(
                "SELECT record FROM messages WHERE owner = ? AND contact_id = ? ORDER BY seq",
                (self.owner, contact_id),
            )
        return [loads(row[0], Message) for row in rows]

    def list_messages(self, contact_id: str | None = None) -> list[Message]:
        with self._read() as conn:
            return self._messages(conn, contact_id)

    # -- one contact's data rights ------------------------------------------
    def export_contact(self, contact_id: str) -> ContactExport:
        with self._read() as conn:
            row = conn.execute(
                f"{_CONTACT_SELECT} WHERE c.owner = ? AND c.id = ?", (self.owner, contact_id)
            ).fetchone()
            if row is None:
                raise NotFoundError(f"no contact with id {contact_id!r} in this workspace")
            return ContactExport(
                contact=contact_from_row(row),
                relationship=self._relationship(conn, contact_id),
                interviews=tuple(self._interviews(conn, contact_id)),
                messages=tuple(self._messages(conn, contact_id)),
            )

    def erase_contact(self, contact_id: str) -> None:
        """Erase the contact and every reference, then checkpoint so its text leaves the files.

        ``secure_delete`` zeroes the freed bytes; the checkpoint copies the
        zeroed pages into the database file and truncates the WAL.
        """
        owner = self.owner
        with self._write() as conn:
            stored = conn.execute(
                "SELECT tags FROM contacts WHERE owner = ? AND id = ?", (owner, contact_id)
            ).fetchone()
            if stored is None:
                raise NotFoundError(f"no contact with id {contact_id!r} in this workspace")
            conn.executemany(
                _TAG_DELETE, [(owner, tag, contact_id) for tag in tags_from_text(stored[0])]
            )
            conn.execute(
                "UPDATE contacts SET referrer_id = NULL, version = version + 1 "
                "WHERE owner = ? AND referrer_id = ?",
                (owner, contact_id),
            )
            conn.execute(
                "UPDATE events SET related_contact_id = NULL "
                "WHERE owner = ? AND related_contact_id = ?",
                (owner, contact_id),
            )
            referring = conn.execute(
                "SELECT DISTINCT i.id, i.record FROM interview_referrals r "
                "JOIN interviews i ON i.owner = r.owner AND i.id = r.interview_id "
                "WHERE r.owner = ? AND r.contact_id = ? AND i.contact_id <> ?",
                (owner, contact_id, contact_id),
            ).fetchall()
            for interview_id, record in referring:
                old = loads(record, Interview)
                new = attrs.evolve(
                    old,
                    referrals=tuple(r for r in old.referrals if r != contact_id),
                    version=old.version + 1,
                )
                conn.execute(
                    "UPDATE interviews SET version = ?, record = ? WHERE owner = ? AND id = ?",
                    (new.version, dumps(new), owner, interview_id),
                )
                conn.execute(
                    "DELETE FROM interview_referrals WHERE owner = ? AND interview_id = ?",
                    (owner, interview_id),
                )
                conn.executemany(
                    "INSERT INTO interview_referrals (owner, interview_id, position, contact_id) "
                    "VALUES (?, ?, ?, ?)",
                    [(owner, interview_id, i, ref) for i, ref in enumerate(new.referrals)],
                )
            # The relationship, events, interviews (and their referral rows) and
            # messages go by ON DELETE CASCADE.
            conn.execute("DELETE FROM contacts WHERE owner = ? AND id = ?", (owner, contact_id))
        self._checkpoint()

    def _checkpoint(self) -> None:
        with self._lock:
            if self._conn is None:
                return
            try:
                busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.Error as exc:
                busy, reason = 1, type(exc).__name__
            else:
                reason = "another connection was reading"
        # The erasure itself is committed; only its removal from the WAL waits.
        if busy:
            log.warning(
                "erased data of %s is zeroed but still in its WAL file (%s); "
                "it leaves at the next checkpoint",
                self.path,
                reason,
            )


def open_sqlite_store(url: str, owner: str) -> SqliteStore:
    """The ``sqlite`` store factory: ``open(url, owner)``."""
    return SqliteStore(parse_url(url), owner)
