"""The schema, as an ordered list of migrations on ``PRAGMA user_version``.

Version 1 is created by migration 1; each later migration moves the file
forward by one version. A migration is a list of steps (SQL text, or a
function given the connection) run with its version bump in one
transaction. Migrations only ever append here; a shipped one never changes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Final

import attrs

__all__ = ["APPLICATION_ID", "LATEST_VERSION", "MIGRATIONS", "Migration"]

APPLICATION_ID: Final = 0x69496E74
"""``PRAGMA application_id`` of every infointerview database (``"iInt"``)."""

Step = str | Callable[[sqlite3.Connection], None]


@attrs.frozen
class Migration:
    """The steps that take a database from ``version - 1`` to ``version``."""

    version: int
    summary: str
    steps: tuple[Step, ...]


# Every row carries its owner, and every key starts with it: a store opened
# for one owner filters on it in every statement.
_V1: Final[tuple[Step, ...]] = (
    f"PRAGMA application_id = {APPLICATION_ID}",
    """CREATE TABLE profiles (
        owner TEXT NOT NULL PRIMARY KEY,
        record TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE goals (
        seq INTEGER PRIMARY KEY,
        owner TEXT NOT NULL,
        key TEXT NOT NULL,
        record TEXT NOT NULL,
        UNIQUE (owner, key)
    )""",
    """CREATE TABLE contacts (
        owner TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        organisation TEXT NOT NULL,
        role TEXT NOT NULL,
        field TEXT NOT NULL,
        source TEXT NOT NULL,
        referrer_id TEXT,
        affiliation TEXT NOT NULL,
        email TEXT NOT NULL,
        phone TEXT NOT NULL,
        linkedin_url TEXT NOT NULL,
        notes TEXT NOT NULL,
        cadence_days INTEGER,
        tags TEXT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (owner, id),
        FOREIGN KEY (owner, referrer_id) REFERENCES contacts (owner, id)
            DEFERRABLE INITIALLY DEFERRED
    )""",
    "CREATE INDEX contacts_organisation ON contacts (owner, organisation)",
    """CREATE INDEX contacts_referrer ON contacts (owner, referrer_id)
        WHERE referrer_id IS NOT NULL""",
    # A contact with no row here is at 'identified' with nothing due: the fold
    # of an empty log. The row appears with the first event or due time.
    """CREATE TABLE relationships (
        owner TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        events INTEGER NOT NULL,
        next_due TEXT,
        next_due_us INTEGER,
        PRIMARY KEY (owner, contact_id),
        FOREIGN KEY (owner, contact_id) REFERENCES contacts (owner, id) ON DELETE CASCADE
    ) WITHOUT ROWID""",
    """CREATE INDEX relationships_due
        ON relationships (owner, next_due_us, contact_id, stage, next_due)
        WHERE next_due_us IS NOT NULL""",
    "CREATE INDEX relationships_stage ON relationships (owner, stage, contact_id)",
    """CREATE TABLE events (
        owner TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        channel TEXT,
        note TEXT NOT NULL,
        scheduled_for TEXT,
        related_contact_id TEXT,
        PRIMARY KEY (owner, contact_id, seq),
        FOREIGN KEY (owner, contact_id) REFERENCES contacts (owner, id) ON DELETE CASCADE,
        FOREIGN KEY (owner, related_contact_id) REFERENCES contacts (owner, id)
    ) WITHOUT ROWID""",
    """CREATE INDEX events_related ON events (owner, related_contact_id)
        WHERE related_contact_id IS NOT NULL""",
    """CREATE TABLE interviews (
        owner TEXT NOT NULL,
        id TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        at_us INTEGER NOT NULL,
        version INTEGER NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (owner, id),
        FOREIGN KEY (owner, contact_id) REFERENCES contacts (owner, id) ON DELETE CASCADE
    )""",
    "CREATE INDEX interviews_contact ON interviews (owner, contact_id, at_us, id)",
    "CREATE INDEX interviews_at ON interviews (owner, at_us, id)",
    """CREATE TABLE interview_referrals (
        owner TEXT NOT NULL,
        interview_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        contact_id TEXT NOT NULL,
        PRIMARY KEY (owner, interview_id, position),
        FOREIGN KEY (owner, interview_id) REFERENCES interviews (owner, id) ON DELETE CASCADE,
        FOREIGN KEY (owner, contact_id) REFERENCES contacts (owner, id)
    ) WITHOUT ROWID""",
    "CREATE INDEX interview_referrals_contact ON interview_referrals (owner, contact_id)",
    """CREATE TABLE messages (
        seq INTEGER PRIMARY KEY,
        owner TEXT NOT NULL,
        id TEXT NOT NULL,
        contact_id TEXT,
        record TEXT NOT NULL,
        UNIQUE (owner, id),
        FOREIGN KEY (owner, contact_id) REFERENCES contacts (owner, id) ON DELETE CASCADE
    )""",
    "CREATE INDEX messages_contact ON messages (owner, contact_id, seq)",
)


def _backfill_tags(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT owner, id, tags FROM contacts WHERE tags <> '[]'")
    conn.executemany(
        "INSERT INTO contact_tags (owner, tag, contact_id) VALUES (?, ?, ?)",
        [(owner, tag, cid) for owner, cid, tags in rows for tag in json.loads(tags)],
    )


# Keyed by tag for the tag filter. It has no foreign key on purpose: the
# store removes a contact's rows itself (it knows the tags from the contact's
# own column), which keeps the bulk insert to one b-tree write per tag.
_V2: Final[tuple[Step, ...]] = (
    """CREATE TABLE contact_tags (
        owner TEXT NOT NULL,
        tag TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        PRIMARY KEY (owner, tag, contact_id)
    ) WITHOUT ROWID""",
    _backfill_tags,
)

MIGRATIONS: Final = (
    Migration(1, "contacts, relationships, events, interviews, messages, goals, profiles", _V1),
    Migration(2, "an indexed table of contact tags, filled from the tags column", _V2),
)
LATEST_VERSION: Final = MIGRATIONS[-1].version
