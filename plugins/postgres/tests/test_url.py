"""The store URL: our options come out, libpq's stay in (no server needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from infointerview_postgres import (
    DEFAULT_OWNER_ROLE,
    DEFAULT_SCHEMA,
    PostgresOptions,
    make_store_url,
    parse_url,
)
from infointerview_postgres.options import redact
from psycopg.conninfo import conninfo_to_dict

from infointerview.errors import InvalidInputError


def test_defaults_when_no_option_is_given() -> None:
    """A bare URL gets the default schema, pool and roles, and libpq gets it unchanged."""
    options = parse_url("postgresql://app@db.example:5433/careers")
    assert options == PostgresOptions(conninfo="postgresql://app@db.example:5433/careers")
    assert (options.schema, options.pool_min, options.pool_max) == (DEFAULT_SCHEMA, 1, 4)
    assert options.owner_role == DEFAULT_OWNER_ROLE
    assert not options.auto_migrate and not options.allow_bypass_rls


def test_our_options_are_taken_out_and_libpq_ones_kept() -> None:
    """schema/pool options are parsed; sslmode and application_name go to libpq."""
    options = parse_url(
        "postgresql://app@h/db?sslmode=require&schema=coach_7&pool_min=2&pool_max=9"
        "&pool_timeout=2.5&application_name=web&auto_migrate=yes&allow_bypass_rls=false"
    )
    assert options.schema == "coach_7"
    assert (options.pool_min, options.pool_max, options.pool_timeout) == (2, 9, 2.5)
    assert options.auto_migrate is True and options.allow_bypass_rls is False
    assert conninfo_to_dict(options.conninfo) == {
        "user": "app",
        "host": "h",
        "dbname": "db",
        "sslmode": "require",
        "application_name": "web",
    }


def test_postgres_scheme_is_accepted_too() -> None:
    """``postgres://`` URLs parse like ``postgresql://`` ones."""
    assert parse_url("postgres://app@h/db?schema=x").schema == "x"


def test_pool_max_follows_a_large_pool_min() -> None:
    """pool_min alone above the default maximum raises the maximum with it."""
    options = parse_url("postgresql://h/db?pool_min=7")
    assert (options.pool_min, options.pool_max) == (7, 7)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("schema=1abc", "schema"),
        ("schema=a;drop", "schema"),
        ('schema=a"b', "schema"),
        ("pool_max=0", "pool_max"),
        ("pool_max=many", "pool_max"),
        ("pool_min=-1", "pool_min"),
        ("pool_min=5&pool_max=2", "pool_min"),
        ("pool_timeout=0", "pool_timeout"),
        ("pool_timeout=inf", "pool_timeout"),
        ("auto_migrate=perhaps", "auto_migrate"),
        ("owner_role=bad-role", "owner_role"),
        ("schema=a&schema=b", "schema"),
    ],
)
def test_bad_options_are_refused_naming_the_option(query: str, named: str) -> None:
    """Every malformed option raises InvalidInputError that names it."""
    with pytest.raises(InvalidInputError, match=named):
        parse_url(f"postgresql://app@h/db?{query}")


@pytest.mark.parametrize("url", ["sqlite:///x.db", "app@h/db", "mysql://h/db"])
def test_other_schemes_are_refused(url: str) -> None:
    """A URL that is not PostgreSQL's raises InvalidInputError showing the expected form."""
    with pytest.raises(InvalidInputError, match="postgresql://"):
        parse_url(url)


def test_passwords_never_show_in_display_or_repr() -> None:
    """The password is masked in ``display`` and absent from the repr."""
    options = parse_url("postgresql://app:s3cret@h/db?schema=x")
    assert "s3cret" not in options.display
    assert "s3cret" not in repr(options)
    assert redact("host=h password=s3cret dbname=d") == "host=h password=*** dbname=d"


@given(st.text(alphabet="abcdefghij_0123456789", min_size=1, max_size=20).filter(str.isidentifier))
def test_make_store_url_round_trips_through_parse_url(schema: str) -> None:
    """make_store_url keeps host, port and database, swaps the user and adds our options."""
    url = make_store_url(
        "postgresql://postgres:pw@10.0.0.5:5439/careers?sslmode=disable",
        user="web_app",
        schema=schema,
        pool_max=12,
    )
    options = parse_url(url)
    assert (options.schema, options.pool_max) == (schema, 12)
    assert conninfo_to_dict(options.conninfo) == {
        "user": "web_app",
        "host": "10.0.0.5",
        "port": "5439",
        "dbname": "careers",
        "sslmode": "disable",
    }


def test_make_store_url_handles_socket_directories_and_passwords() -> None:
    """A Unix socket directory and a password with reserved characters survive the URL."""
    url = make_store_url("host=/run/postgresql dbname=test", user="app", password="p@ss/w:rd")
    assert conninfo_to_dict(parse_url(url).conninfo) == {
        "user": "app",
        "password": "p@ss/w:rd",
        "host": "/run/postgresql",
        "dbname": "test",
    }
