"""Migrations, the version table, roles, grants and policies, checked in the catalogue."""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg
import pytest
from infointerview_postgres import (
    ADMIN_DSN_ENV,
    APP_GRANTS,
    DATA_TABLES,
    DEFAULT_APP_ROLE,
    DEFAULT_OWNER_ROLE,
    LATEST_VERSION,
    MIGRATIONS,
    Migration,
    PostgresBackend,
    make_store_url,
    migrate,
)
from infointerview_postgres.__main__ import main
from psycopg import errors as pg_errors
from psycopg import sql

from infointerview.errors import InvalidInputError, SchemaVersionError, StoreError

pytestmark = pytest.mark.postgres

ALL_TABLES = ("schema_version", *DATA_TABLES)
Admin = psycopg.Connection[tuple[object, ...]]
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


def _versions(admin: Admin, schema: str) -> list[int]:
    rows = admin.execute(
        sql.SQL("SELECT version FROM {} ORDER BY version").format(
            sql.Identifier(schema, "schema_version")
        )
    ).fetchall()
    return [int(r[0]) for r in rows]  # type: ignore[call-overload]


def _exists(admin: Admin, schema: str, table: str) -> bool:
    row = admin.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{schema}"."{table}"']).fetchone()
    return bool(row and row[0])


def _extra(version: int, table: str, *, fail: bool = False) -> Migration:
    def statements(schema: str) -> list[sql.Composed]:
        made = [sql.SQL("CREATE TABLE {} (x int)").format(sql.Identifier(schema, table))]
        if fail:
            made.append(sql.SQL("SELECT 1 / {}").format(sql.Literal(0)))
        return made

    return Migration(version, f"test migration creating {table}", statements)


def test_migrate_installs_every_migration_once(
    admin_dsn: str, admin: Admin, schema_factory: Callable[..., str]
) -> None:
    """A fresh schema gets every migration recorded; running migrate again changes nothing."""
    schema = schema_factory(migrated=False)
    assert migrate(admin_dsn, schema=schema) == LATEST_VERSION
    assert migrate(admin_dsn, schema=schema) == LATEST_VERSION
    assert _versions(admin, schema) == [m.version for m in MIGRATIONS]
    for table in ALL_TABLES:
        assert _exists(admin, schema, table)


def test_every_table_is_owned_by_the_owner_role_with_forced_rls(
    admin: Admin, pg_schema: str
) -> None:
    """Each table belongs to the owning role and has RLS enabled and forced."""
    rows = admin.execute(
        "SELECT c.relname, pg_get_userbyid(c.relowner), c.relrowsecurity, c.relforcerowsecurity "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY c.relname",
        [pg_schema],
    ).fetchall()
    assert sorted(r[0] for r in rows) == sorted(ALL_TABLES)  # type: ignore[type-var]
    for name, table_owner, rls, forced in rows:
        assert (name, table_owner, rls, forced) == (name, DEFAULT_OWNER_ROLE, True, True)


def test_every_data_table_is_keyed_by_owner_first_and_filtered_by_it(
    admin: Admin, pg_schema: str
) -> None:
    """Each data table's primary key starts with owner, and its policy compares owner."""
    for table in DATA_TABLES:
        key = admin.execute(
            "SELECT a.attname FROM pg_index i "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
            "WHERE i.indrelid = %s::regclass AND i.indisprimary",
            [f'"{pg_schema}"."{table}"'],
        ).fetchone()
        assert key == ("owner",), table
        policies = admin.execute(
            "SELECT qual, with_check FROM pg_policies WHERE schemaname = %s AND tablename = %s",
            [pg_schema, table],
        ).fetchall()
        assert len(policies) == 1, table
        qual, with_check = policies[0]
        for expression in (qual, with_check):
            assert "owner = current_setting('infointerview.owner'" in str(expression), table


def test_foreign_keys_all_include_the_owner(admin: Admin, pg_schema: str) -> None:
    """Every foreign key's first column is owner, so it never crosses owners (or shards)."""
    rows = admin.execute(
        "SELECT conname, a.attname FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND c.connamespace = %s::regnamespace",
        [pg_schema],
    ).fetchall()
    assert len(rows) >= 6
    assert {r[1] for r in rows} == {"owner"}


def test_the_app_role_is_ordinary_and_has_only_its_grants(admin: Admin, pg_schema: str) -> None:
    """The app role: no superuser, no BYPASSRLS, not in the owner role, only APP_GRANTS."""
    role = admin.execute(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, "
        "pg_has_role(rolname, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
        [DEFAULT_OWNER_ROLE, DEFAULT_APP_ROLE],
    ).fetchone()
    assert role == (False, False, False, False, False)
    for table, granted in APP_GRANTS.items():
        for privilege in PRIVILEGES:
            has = admin.execute(
                "SELECT has_table_privilege(%s, %s, %s)",
                [DEFAULT_APP_ROLE, f'"{pg_schema}"."{table}"', privilege],
            ).fetchone()
            assert has == (privilege in granted,), (table, privilege)
    create = admin.execute(
        "SELECT has_schema_privilege(%s, %s, 'CREATE'), "
        "has_database_privilege(%s, current_database(), 'TEMPORARY')",
        [DEFAULT_APP_ROLE, pg_schema, DEFAULT_APP_ROLE],
    ).fetchone()
    assert create == (False, True)


def test_the_app_role_cannot_switch_rls_off_or_drop_tables(app_url: str, pg_schema: str) -> None:
    """DDL as the application role fails: it does not own the tables."""
    backend = PostgresBackend(app_url)
    with psycopg.connect(backend.options.conninfo, autocommit=True) as conn:
        for statement in (
            "ALTER TABLE {} DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE {} NO FORCE ROW LEVEL SECURITY",
            "DROP TABLE {}",
            "TRUNCATE {}",
        ):
            with pytest.raises(pg_errors.InsufficientPrivilege):
                conn.execute(sql.SQL(statement).format(sql.Identifier(pg_schema, "contacts")))


def test_a_failing_migration_is_rolled_back_whole(
    admin_dsn: str, admin: Admin, pg_schema: str
) -> None:
    """A migration that fails leaves no trace: no table, no version row."""
    broken = _extra(LATEST_VERSION + 1, "half_done", fail=True)
    with pytest.raises(StoreError, match=f"migration {LATEST_VERSION + 1}.*rolled back"):
        migrate(admin_dsn, schema=pg_schema, migrations=(*MIGRATIONS, broken))
    assert _versions(admin, pg_schema) == [m.version for m in MIGRATIONS]
    assert not _exists(admin, pg_schema, "half_done")


def test_a_newer_schema_is_refused_by_the_store_and_by_migrate(
    admin_dsn: str, admin_url_for: Callable[[str], str], schema_factory: Callable[..., str]
) -> None:
    """A schema migrated by a newer library raises SchemaVersionError on open and on migrate."""
    schema = schema_factory()
    newer = _extra(LATEST_VERSION + 1, "from_the_future")
    assert migrate(admin_dsn, schema=schema, migrations=(*MIGRATIONS, newer)) == LATEST_VERSION + 1
    with pytest.raises(SchemaVersionError, match="newer"):
        PostgresBackend(admin_url_for(schema)).open()
    with pytest.raises(SchemaVersionError, match="newer"):
        migrate(admin_dsn, schema=schema)


def test_an_older_schema_asks_for_migrate(
    admin_dsn: str, admin_url_for: Callable[[str], str], schema_factory: Callable[..., str]
) -> None:
    """A schema behind this library raises StoreError saying to run migrate."""
    schema = schema_factory(migrated=False)
    migrate(admin_dsn, schema=schema, migrations=())
    with pytest.raises(StoreError, match=r"version 0.*migrate"):
        PostgresBackend(admin_url_for(schema)).open()
    migrate(admin_dsn, schema=schema)
    with PostgresBackend(admin_url_for(schema)) as backend:
        assert backend.store("someone").list_contacts() == []


def test_a_missing_schema_names_the_fix(admin_url_for: Callable[[str], str]) -> None:
    """Opening a schema that was never installed raises StoreError pointing at migrate."""
    with pytest.raises(StoreError, match=r"no infointerview tables.*migrate"):
        PostgresBackend(admin_url_for("never_installed_here")).open()


def test_connecting_as_a_superuser_is_refused_unless_allowed(
    admin_dsn: str, pg_schema: str
) -> None:
    """RLS does not bind a superuser, so such a store URL is refused unless explicitly allowed."""
    as_admin = make_store_url(admin_dsn, user="postgres", schema=pg_schema)
    with pytest.raises(StoreError, match="Row-Level Security does not restrict"):
        PostgresBackend(as_admin).open()
    with PostgresBackend(as_admin + "&allow_bypass_rls=true") as backend:
        assert backend.store("someone").list_goals() == []


def test_auto_migrate_installs_the_schema_on_open(
    admin_dsn: str,
    admin_url_for: Callable[[str], str],
    schema_factory: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """auto_migrate=true migrates with the DSN in the environment; without it, it says so."""
    schema = schema_factory(migrated=False)
    url = admin_url_for(schema) + "&auto_migrate=true"
    monkeypatch.delenv(ADMIN_DSN_ENV, raising=False)
    with pytest.raises(StoreError, match=ADMIN_DSN_ENV):
        PostgresBackend(url).open()
    monkeypatch.setenv(ADMIN_DSN_ENV, admin_dsn)
    with PostgresBackend(url) as backend:
        assert backend.store("someone").list_contacts() == []


def test_concurrent_migrators_apply_each_migration_once(
    admin_dsn: str, admin: Admin, schema_factory: Callable[..., str]
) -> None:
    """Four threads migrating one fresh schema at once all succeed; each version is applied once."""
    schema = schema_factory(migrated=False)
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def run() -> None:
        start.wait()
        try:
            migrate(admin_dsn, schema=schema)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _versions(admin, schema) == [m.version for m in MIGRATIONS]


def test_migrate_refuses_one_role_for_owner_and_app(admin_dsn: str) -> None:
    """The application role must differ from the owning role."""
    with pytest.raises(InvalidInputError, match="must not"):
        migrate(admin_dsn, schema="whatever", owner_role="same", app_role="same")


def test_migrate_reports_an_unreachable_server_without_the_password() -> None:
    """A bad administrator DSN raises StoreError with the password masked."""
    with pytest.raises(StoreError, match="cannot connect") as caught:
        migrate("postgresql://postgres:hunter2@127.0.0.1:1/nowhere?connect_timeout=2")
    assert "hunter2" not in str(caught.value)


def test_command_line_migrate_and_status(
    admin_dsn: str, schema_factory: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    """``status`` exits 1 for a missing schema, ``migrate`` installs it, then ``status`` is 0."""
    schema = schema_factory(migrated=False)
    assert main(["status", admin_dsn, "--schema", schema]) == 1
    assert "not installed" in capsys.readouterr().out
    assert main(["migrate", admin_dsn, "--schema", schema]) == 0
    assert f"version {LATEST_VERSION}" in capsys.readouterr().out
    assert main(["status", admin_dsn, "--schema", schema]) == 0
    assert main(["migrate", admin_dsn, "--schema", "bad-name"]) == 1
    assert "schema" in capsys.readouterr().err
