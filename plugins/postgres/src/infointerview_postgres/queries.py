"""Every statement the store runs, rendered once per schema.

Table names are quoted identifiers put in by :mod:`psycopg.sql`; values are
always bound parameters (``%s``). Each statement also names the owner
explicitly: Row-Level Security would hide other owners' rows anyway, and the
explicit condition lets the planner use the ``(owner, ...)`` indexes.
"""

from __future__ import annotations

import functools
from typing import Final

from psycopg import sql

from infointerview_postgres.rows import CONTACT_COLUMNS, EVENT_COLUMNS

__all__ = ["CONTACT_VALUES", "IMPORT_TABLE", "queries"]

IMPORT_TABLE: Final = "infointerview_contact_import"
"""The session's temporary staging table for ``COPY`` (RLS tables refuse ``COPY FROM``)."""

CONTACT_VALUES: Final = f"(%s, 1, {', '.join(['%s'] * len(CONTACT_COLUMNS))})"
"""One row of ``insert_contacts``: the owner, then :data:`CONTACT_COLUMNS`."""

_CONTACT_COLS: Final = ", ".join(CONTACT_COLUMNS)
_CONTACT_SELECT: Final = "c.version, " + ", ".join(f"c.{c}" for c in CONTACT_COLUMNS)
_EVENT_COLS: Final = ", ".join(EVENT_COLUMNS)
_SETS: Final = ", ".join(f"{c} = %s" for c in CONTACT_COLUMNS[1:])

_TEMPLATES: Final = {
    "get_profile": "SELECT record FROM {profiles} WHERE owner = %s",
    "save_profile": (
        "INSERT INTO {profiles} (owner, record) VALUES (%s, %s) "
        "ON CONFLICT (owner) DO UPDATE SET record = EXCLUDED.record"
    ),
    "list_goals": (
        "SELECT key, title, description, standard FROM {goals} WHERE owner = %s ORDER BY position"
    ),
    "add_goal": (
        "INSERT INTO {goals} (owner, key, title, description, standard) VALUES (%s, %s, %s, %s, %s)"
    ),
    "insert_contacts": f"INSERT INTO {{contacts}} (owner, version, {_CONTACT_COLS}) VALUES ",
    "create_import": (
        "CREATE TEMPORARY TABLE IF NOT EXISTS {import_table} ("
        "id text, name text, organisation text, role text, field text, source text, "
        "referrer_id text, affiliation text, email text, phone text, linkedin_url text, "
        "tags text[], notes text, cadence_days integer) ON COMMIT DELETE ROWS"
    ),
    "copy_import": f"COPY {{import_table}} ({_CONTACT_COLS}) FROM STDIN (FORMAT BINARY)",
    "insert_import": (
        f"INSERT INTO {{contacts}} (owner, version, {_CONTACT_COLS}) "
        f"SELECT %s, 1, {_CONTACT_COLS} FROM {{import_table}}"
    ),
    "taken_ids": "SELECT id FROM {contacts} WHERE owner = %s AND id = ANY(%s)",
    "get_contact": f"SELECT {_CONTACT_SELECT} FROM {{contacts}} c WHERE c.owner = %s AND c.id = %s",
    "update_contact": (
        f"UPDATE {{contacts}} SET {_SETS}, version = version + 1 "
        "WHERE owner = %s AND id = %s AND version = %s RETURNING version"
    ),
    "list_contacts": f"SELECT {_CONTACT_SELECT} FROM {{contacts}} c",
    "join_stage": (" LEFT JOIN {relationships} r ON r.owner = c.owner AND r.contact_id = c.id"),
    "contact_state": (
        "SELECT r.version, r.stage, r.next_due, r.next_due_offset FROM {contacts} c "
        "LEFT JOIN {relationships} r ON r.owner = c.owner AND r.contact_id = c.id "
        "WHERE c.owner = %s AND c.id = %s"
    ),
    "events": (
        f"SELECT {_EVENT_COLS} FROM {{events}} WHERE owner = %s AND contact_id = %s ORDER BY seq"
    ),
    "first_append": (
        "INSERT INTO {relationships} AS r "
        "(owner, contact_id, version, stage, next_due, next_due_offset) "
        "VALUES (%s, %s, 1, %s, %s, %s) ON CONFLICT (owner, contact_id) DO UPDATE "
        "SET version = 1, stage = EXCLUDED.stage, next_due = EXCLUDED.next_due, "
        "next_due_offset = EXCLUDED.next_due_offset WHERE r.version = 0 RETURNING r.version"
    ),
    "next_append": (
        "UPDATE {relationships} SET version = version + 1, stage = %s, next_due = %s, "
        "next_due_offset = %s WHERE owner = %s AND contact_id = %s AND version = %s "
        "RETURNING version"
    ),
    "insert_event": (
        f"INSERT INTO {{events}} (owner, contact_id, seq, {_EVENT_COLS}) "
        f"VALUES (%s, %s, %s, {', '.join(['%s'] * len(EVENT_COLUMNS))})"
    ),
    "set_next_due": (
        "INSERT INTO {relationships} "
        "(owner, contact_id, version, stage, next_due, next_due_offset) "
        "VALUES (%s, %s, 0, 'identified', %s, %s) ON CONFLICT (owner, contact_id) DO UPDATE "
        "SET next_due = EXCLUDED.next_due, next_due_offset = EXCLUDED.next_due_offset"
    ),
    "due": (
        "SELECT contact_id, stage, next_due, next_due_offset FROM {relationships} "
        "WHERE owner = %s AND next_due <= %s ORDER BY next_due, contact_id"
    ),
    "existing_ids": "SELECT DISTINCT id FROM {contacts} WHERE owner = %s AND id = ANY(%s)",
    "interview_version": "SELECT version FROM {interviews} WHERE owner = %s AND id = %s",
    "insert_interview": (
        "INSERT INTO {interviews} (owner, id, contact_id, at, version, referrals, record) "
        "VALUES (%s, %s, %s, %s, 1, %s, %s) ON CONFLICT (owner, id) DO NOTHING RETURNING version"
    ),
    "update_interview": (
        "UPDATE {interviews} SET contact_id = %s, at = %s, version = version + 1, "
        "referrals = %s, record = %s WHERE owner = %s AND id = %s AND version = %s "
        "RETURNING version"
    ),
    "get_interview": "SELECT record FROM {interviews} WHERE owner = %s AND id = %s",
    "list_interviews": "SELECT record FROM {interviews} WHERE owner = %s ORDER BY at, id",
    "contact_interviews": (
        "SELECT record FROM {interviews} WHERE owner = %s AND contact_id = %s ORDER BY at, id"
    ),
    "add_message": (
        "INSERT INTO {messages} (owner, id, contact_id, record) VALUES (%s, %s, %s, %s)"
    ),
    "list_messages": "SELECT record FROM {messages} WHERE owner = %s ORDER BY position",
    "contact_messages": (
        "SELECT record FROM {messages} WHERE owner = %s AND contact_id = %s ORDER BY position"
    ),
    "lock_contact": "SELECT 1 FROM {contacts} WHERE owner = %s AND id = %s FOR UPDATE",
    "unrefer_contacts": (
        "UPDATE {contacts} SET referrer_id = NULL, version = version + 1 "
        "WHERE owner = %s AND referrer_id = %s"
    ),
    "unrelate_events": (
        "UPDATE {events} SET related_contact_id = NULL WHERE owner = %s AND related_contact_id = %s"
    ),
    "delete_messages": "DELETE FROM {messages} WHERE owner = %s AND contact_id = %s",
    "delete_interviews": "DELETE FROM {interviews} WHERE owner = %s AND contact_id = %s",
    "referring_interviews": (
        "SELECT record FROM {interviews} WHERE owner = %s AND %s = ANY(referrals) FOR UPDATE"
    ),
    "rewrite_interview": (
        "UPDATE {interviews} SET version = %s, referrals = %s, record = %s "
        "WHERE owner = %s AND id = %s"
    ),
    "delete_contact": "DELETE FROM {contacts} WHERE owner = %s AND id = %s",
}

_TABLES: Final = (
    "profiles",
    "goals",
    "contacts",
    "relationships",
    "events",
    "interviews",
    "messages",
)


@functools.cache
def queries(schema: str) -> dict[str, str]:
    """The store's statements with the tables of ``schema`` filled in."""
    names = {table: sql.Identifier(schema, table) for table in _TABLES}
    names["import_table"] = sql.Identifier("pg_temp", IMPORT_TABLE)
    return {
        key: sql.SQL(template).format(**names).as_string(None)
        for key, template in _TEMPLATES.items()
    }
