"""``python -m infointerview_postgres``: install or inspect the schema as a deployer.

``migrate`` creates the roles and schema and applies pending migrations;
``status`` prints the installed version. The administrator's DSN comes from
the command line or ``$INFOINTERVIEW_POSTGRES_ADMIN_DSN``; a password for the
application role only ever from an environment variable.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import psycopg

from infointerview.errors import InfoInterviewError
from infointerview_postgres.options import (
    ADMIN_DSN_ENV,
    DEFAULT_APP_ROLE,
    DEFAULT_OWNER_ROLE,
    DEFAULT_SCHEMA,
    check_identifier,
    redact,
)
from infointerview_postgres.schema import LATEST_VERSION, installed_version, migrate

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m infointerview_postgres",
        description="Install or inspect the infointerview schema in PostgreSQL.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("migrate", "create roles and schema, apply pending migrations, grant the app role"),
        ("status", "print the schema version installed and the one this library needs"),
    ):
        command = sub.add_parser(name, help=text, description=text)
        command.add_argument(
            "admin_dsn",
            nargs="?",
            help=f"administrator connection string (default: ${ADMIN_DSN_ENV})",
        )
        command.add_argument("--schema", default=DEFAULT_SCHEMA)
        if name == "migrate":
            command.add_argument("--owner-role", default=DEFAULT_OWNER_ROLE)
            command.add_argument("--app-role", default=DEFAULT_APP_ROLE)
            command.add_argument(
                "--app-password-env",
                metavar="NAME",
                help="set the app role's password from this environment variable",
            )
            command.add_argument(
                "--no-create-roles",
                action="store_true",
                help="the roles exist already (managed elsewhere)",
            )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 error, 2 usage)."""
    args = _parser().parse_args(argv)
    dsn = args.admin_dsn or os.environ.get(ADMIN_DSN_ENV)
    if not dsn:
        print(f"error: give the administrator's DSN or set ${ADMIN_DSN_ENV}", file=sys.stderr)
        return 2
    try:
        if args.command == "status":
            return _status(dsn, check_identifier(args.schema, "schema"))
        password = None
        if args.app_password_env:
            password = os.environ.get(args.app_password_env)
            if password is None:
                print(f"error: ${args.app_password_env} is not set", file=sys.stderr)
                return 2
        version = migrate(
            dsn,
            schema=args.schema,
            owner_role=args.owner_role,
            app_role=args.app_role,
            app_password=password,
            create_roles=not args.no_create_roles,
        )
    except InfoInterviewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"schema {args.schema} is at version {version}; {args.app_role} may use it")
    return 0


def _status(dsn: str, schema: str) -> int:
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            version = installed_version(conn, schema)
    except psycopg.Error as exc:
        print(f"error: cannot read {redact(dsn)}: {type(exc).__name__}", file=sys.stderr)
        return 1
    shown = "not installed" if version is None else f"version {version}"
    print(f"schema {schema}: {shown}; this library needs version {LATEST_VERSION}")
    return 0 if version == LATEST_VERSION else 1


if __name__ == "__main__":
    sys.exit(main())
