"""The tables, their policies and grants, and the migrations that build them.

Every data table's primary key begins with ``owner``: the column the rows
are isolated by (Row-Level Security) and could be distributed by (Citus).
Migrations run as an owning role; the application's role only gets the
privileges listed in :data:`APP_GRANTS`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Final

import attrs
import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from infointerview.errors import InvalidInputError, SchemaVersionError, StoreError
from infointerview_postgres.options import (
    DEFAULT_APP_ROLE,
    DEFAULT_OWNER_ROLE,
    DEFAULT_SCHEMA,
    check_identifier,
    redact,
)

__all__ = [
    "APP_GRANTS",
    "DATA_TABLES",
    "LATEST_VERSION",
    "MIGRATIONS",
    "OWNER_SETTING",
    "RELATED_CONTACT_FK",
    "Migration",
    "installed_version",
    "migrate",
]

RELATED_CONTACT_FK: Final = "events_related_contact_fk"
"""The constraint an event naming an unknown ``related_contact_id`` breaks."""

OWNER_SETTING: Final = "infointerview.owner"
"""The setting each transaction sets (``SET LOCAL``) to the workspace's owner."""

DATA_TABLES: Final = (
    "profiles",
    "goals",
    "contacts",
    "relationships",
    "events",
    "interviews",
    "messages",
)

APP_GRANTS: Final[dict[str, tuple[str, ...]]] = {
    "schema_version": ("SELECT",),
    "profiles": ("SELECT", "INSERT", "UPDATE"),
    "goals": ("SELECT", "INSERT"),
    "contacts": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "relationships": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "events": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "interviews": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "messages": ("SELECT", "INSERT", "DELETE"),
}
"""What the application role may do, table by table (nothing else: no DDL, no TRUNCATE)."""

Statements = Callable[[str], list[sql.Composed]]


@attrs.frozen
class Migration:
    """One step of the schema, applied in one transaction as the owning role."""

    version: int
    description: str
    statements: Statements = attrs.field(repr=False)
    """Given the schema name, the statements to run."""


def _v1(schema: str) -> list[sql.Composed]:
    ddl = """
CREATE TABLE {s}.profiles (
    owner text COLLATE "C" NOT NULL,
    record jsonb NOT NULL,
    PRIMARY KEY (owner)
);
CREATE TABLE {s}.goals (
    owner text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    position bigint GENERATED ALWAYS AS IDENTITY,
    title text NOT NULL,
    description text NOT NULL,
    standard boolean NOT NULL,
    PRIMARY KEY (owner, key)
);
CREATE TABLE {s}.contacts (
    owner text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    version integer NOT NULL CHECK (version > 0),
    name text COLLATE "C" NOT NULL,
    organisation text NOT NULL,
    role text NOT NULL,
    field text NOT NULL,
    source text NOT NULL,
    referrer_id text COLLATE "C",
    affiliation text NOT NULL,
    email text NOT NULL,
    phone text NOT NULL,
    linkedin_url text NOT NULL,
    tags text[] NOT NULL,
    notes text NOT NULL,
    cadence_days integer,
    PRIMARY KEY (owner, id),
    FOREIGN KEY (owner, referrer_id) REFERENCES {s}.contacts (owner, id)
);
CREATE INDEX contacts_referrer ON {s}.contacts (owner, referrer_id)
    WHERE referrer_id IS NOT NULL;
CREATE TABLE {s}.relationships (
    owner text COLLATE "C" NOT NULL,
    contact_id text COLLATE "C" NOT NULL,
    version integer NOT NULL CHECK (version >= 0),
    stage text NOT NULL,
    next_due timestamptz,
    next_due_offset integer,
    PRIMARY KEY (owner, contact_id),
    FOREIGN KEY (owner, contact_id) REFERENCES {s}.contacts (owner, id) ON DELETE CASCADE
);
CREATE INDEX relationships_due ON {s}.relationships (owner, next_due, contact_id)
    INCLUDE (stage, next_due_offset) WHERE next_due IS NOT NULL;
CREATE TABLE {s}.events (
    owner text COLLATE "C" NOT NULL,
    contact_id text COLLATE "C" NOT NULL,
    seq integer NOT NULL CHECK (seq > 0),
    id text NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    at_offset integer NOT NULL,
    channel text,
    note text NOT NULL,
    scheduled_for timestamptz,
    scheduled_for_offset integer,
    related_contact_id text COLLATE "C",
    PRIMARY KEY (owner, contact_id, seq),
    FOREIGN KEY (owner, contact_id) REFERENCES {s}.relationships (owner, contact_id)
        ON DELETE CASCADE,
    CONSTRAINT events_related_contact_fk
        FOREIGN KEY (owner, related_contact_id) REFERENCES {s}.contacts (owner, id)
);
CREATE INDEX events_related ON {s}.events (owner, related_contact_id)
    WHERE related_contact_id IS NOT NULL;
CREATE TABLE {s}.interviews (
    owner text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    contact_id text COLLATE "C" NOT NULL,
    at timestamptz NOT NULL,
    version integer NOT NULL CHECK (version > 0),
    referrals text[] NOT NULL,
    record jsonb NOT NULL,
    PRIMARY KEY (owner, id),
    FOREIGN KEY (owner, contact_id) REFERENCES {s}.contacts (owner, id) ON DELETE CASCADE
);
CREATE INDEX interviews_contact ON {s}.interviews (owner, contact_id, at, id);
CREATE TABLE {s}.messages (
    owner text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    position bigint GENERATED ALWAYS AS IDENTITY,
    contact_id text COLLATE "C",
    record jsonb NOT NULL,
    PRIMARY KEY (owner, id),
    FOREIGN KEY (owner, contact_id) REFERENCES {s}.contacts (owner, id) ON DELETE CASCADE
);
CREATE INDEX messages_order ON {s}.messages (owner, position);
CREATE INDEX messages_contact ON {s}.messages (owner, contact_id)
    WHERE contact_id IS NOT NULL;
"""
    s = sql.Identifier(schema)
    statements: list[sql.Composed] = [
        sql.SQL(part.strip()).format(s=s) for part in ddl.split(";") if part.strip()
    ]
    for table in DATA_TABLES:
        statements.extend(_owner_policy(schema, table))
    return statements


def _owner_policy(schema: str, table: str) -> list[sql.Composed]:
    """RLS on ``table``, forced on its owner too: rows of the transaction's owner only."""
    name = sql.Identifier(schema, table)
    check = sql.SQL("owner = current_setting({}, true)").format(sql.Literal(OWNER_SETTING))
    return [
        sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name),
        sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(name),
        sql.SQL("CREATE POLICY owner_isolation ON {} USING ({}) WITH CHECK ({})").format(
            name, check, check
        ),
    ]


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(1, "profiles, goals, contacts, relationships, events, interviews, messages", _v1),
)
LATEST_VERSION: Final = MIGRATIONS[-1].version


def _version_table(schema: str, owner_role: str) -> list[sql.Composed]:
    name = sql.Identifier(schema, "schema_version")
    return [
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (version integer PRIMARY KEY, "
            "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        ).format(name),
        sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name),
        sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(name),
        sql.SQL("DROP POLICY IF EXISTS readable ON {}").format(name),
        sql.SQL("CREATE POLICY readable ON {} FOR SELECT USING (true)").format(name),
        sql.SQL("DROP POLICY IF EXISTS migrations ON {}").format(name),
        sql.SQL("CREATE POLICY migrations ON {} TO {} USING (true) WITH CHECK (true)").format(
            name, sql.Identifier(owner_role)
        ),
    ]


def installed_version(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> int | None:
    """The schema's applied version, or ``None`` if it has no ``schema_version`` table."""
    found = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL", [f'"{schema}".schema_version']
    ).fetchone()
    if found is None or not found[0]:
        return None
    row = conn.execute(
        sql.SQL("SELECT coalesce(max(version), 0) FROM {}").format(
            sql.Identifier(schema, "schema_version")
        )
    ).fetchone()
    return int(row[0]) if row is not None else 0  # type: ignore[call-overload]


def migrate(
    admin_dsn: str,
    *,
    schema: str = DEFAULT_SCHEMA,
    owner_role: str = DEFAULT_OWNER_ROLE,
    app_role: str = DEFAULT_APP_ROLE,
    app_password: str | None = None,
    create_roles: bool = True,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> int:
    """Install or upgrade the schema and grant the application role its privileges.

    Run by a deployer as a role that may create roles and schemas (a
    superuser, or one with ``CREATEROLE`` and ``CREATE`` on the database).
    Each pending migration is one transaction, run as ``owner_role``, which
    owns every table; ``app_role`` (the role the store URL connects as) gets
    only :data:`APP_GRANTS`. Safe to run again and from several processes.
    Returns the schema version now installed; a schema newer than this
    library raises :class:`SchemaVersionError`.
    """
    check_identifier(schema, "schema")
    check_identifier(owner_role, "owner_role")
    check_identifier(app_role, "app_role")
    if owner_role == app_role:
        raise InvalidInputError(
            f"owner_role and app_role are both {owner_role!r}: the application must not "
            "connect as the role that owns the tables, or Row-Level Security can be switched off"
        )
    versions = [m.version for m in migrations]
    if versions != sorted(set(versions)) or (versions and versions[0] < 1):
        raise InvalidInputError(f"migration versions must rise from 1: got {versions}")
    try:
        conn = psycopg.connect(admin_dsn, autocommit=True)
    except psycopg.Error as exc:
        raise StoreError(
            f"cannot connect to PostgreSQL as the administrator ({redact(admin_dsn)}): "
            f"{_first_line(exc)}"
        ) from exc
    with conn:
        # Serialise migrators of the same schema; released when the session ends.
        conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [f"iiv:{schema}"])
        if create_roles:
            _ensure_role(conn, owner_role, login=False, password=None)
            _ensure_role(conn, app_role, login=True, password=app_password)
        with conn.transaction():
            conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(
                    sql.Identifier(schema), sql.Identifier(owner_role)
                )
            )
            conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(owner_role)))
            for statement in _version_table(schema, owner_role):
                conn.execute(statement)
        current = installed_version(conn, schema) or 0
        latest = versions[-1] if versions else 0
        if current > latest:
            raise SchemaVersionError(
                f"schema {schema!r} is at version {current}, newer than this library's "
                f"{latest}; upgrade infointerview-postgres instead of migrating"
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            _apply(conn, schema, owner_role, migration)
        _grant(conn, schema, owner_role, app_role)
        _grant_temporary(conn, app_role)
        return latest


def _apply(
    conn: psycopg.Connection[tuple[object, ...]],
    schema: str,
    owner_role: str,
    migration: Migration,
) -> None:
    try:
        with conn.transaction():
            conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(owner_role)))
            for statement in migration.statements(schema):
                conn.execute(statement)
            conn.execute(
                sql.SQL("INSERT INTO {} (version, description) VALUES (%s, %s)").format(
                    sql.Identifier(schema, "schema_version")
                ),
                [migration.version, migration.description],
            )
    except psycopg.Error as exc:
        raise StoreError(
            f"migration {migration.version} ({migration.description}) of schema {schema!r} "
            f"failed and was rolled back: {_first_line(exc)}"
        ) from exc


def _grant(
    conn: psycopg.Connection[tuple[object, ...]], schema: str, owner_role: str, app_role: str
) -> None:
    with conn.transaction():
        conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(owner_role)))
        conn.execute(
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(
                sql.Identifier(schema), sql.Identifier(app_role)
            )
        )
        for table, privileges in APP_GRANTS.items():
            exists = conn.execute(
                "SELECT to_regclass(%s) IS NOT NULL", [f'"{schema}"."{table}"']
            ).fetchone()
            if not exists or not exists[0]:
                continue
            conn.execute(
                sql.SQL("GRANT {} ON {} TO {}").format(
                    sql.SQL(", ").join(sql.SQL(p) for p in privileges),
                    sql.Identifier(schema, table),
                    sql.Identifier(app_role),
                )
            )


def _grant_temporary(conn: psycopg.Connection[tuple[object, ...]], app_role: str) -> None:
    """Let the app role make the session-private staging table bulk imports ``COPY`` into.

    PostgreSQL grants this to PUBLIC by default; the explicit grant keeps
    imports working where that default was revoked. An administrator who may
    not grant it (not the database's owner) leaves the default in place.
    """
    row = conn.execute("SELECT current_database()").fetchone()
    if row is None:
        return
    with contextlib.suppress(pg_errors.InsufficientPrivilege):
        conn.execute(
            sql.SQL("GRANT TEMPORARY ON DATABASE {} TO {}").format(
                sql.Identifier(str(row[0])), sql.Identifier(app_role)
            )
        )


def _ensure_role(
    conn: psycopg.Connection[tuple[object, ...]],
    role: str,
    *,
    login: bool,
    password: str | None,
) -> None:
    """Create ``role`` unless it exists (another migrator may win the race: fine)."""
    name = sql.Identifier(role)
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
    if exists is None:
        attributes = sql.SQL("LOGIN" if login else "NOLOGIN")
        with contextlib.suppress(pg_errors.DuplicateObject, pg_errors.UniqueViolation):
            conn.execute(sql.SQL("CREATE ROLE {} {}").format(name, attributes))
    if password is not None:
        # Utility statements take no bound parameters; Literal quotes the value safely.
        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(name, sql.Literal(password)))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
