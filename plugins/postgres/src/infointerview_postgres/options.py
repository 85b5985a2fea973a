"""The store URL: a libpq connection URI plus a few options of our own.

``postgresql://infointerview_app@db.example/careers?schema=infointerview&pool_max=20``

Our options are taken out of the query string; every other parameter
(``sslmode``, ``application_name``, ``connect_timeout``, ...) goes to libpq
untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import attrs
from psycopg.conninfo import conninfo_to_dict

from infointerview.errors import InvalidInputError

__all__ = [
    "ADMIN_DSN_ENV",
    "DEFAULT_APP_ROLE",
    "DEFAULT_OWNER_ROLE",
    "DEFAULT_SCHEMA",
    "SCHEMES",
    "PostgresOptions",
    "check_identifier",
    "make_store_url",
    "parse_url",
    "redact",
]

SCHEMES: Final = ("postgresql", "postgres")
DEFAULT_SCHEMA: Final = "infointerview"
DEFAULT_OWNER_ROLE: Final = "infointerview_owner"
DEFAULT_APP_ROLE: Final = "infointerview_app"
ADMIN_DSN_ENV: Final = "INFOINTERVIEW_POSTGRES_ADMIN_DSN"
"""Where ``auto_migrate=true`` finds the administrator's connection string."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def check_identifier(value: str, what: str) -> str:
    """Return ``value`` if it is a plain SQL identifier, else raise naming ``what``."""
    if not _IDENTIFIER.fullmatch(value):
        raise InvalidInputError(
            f"{what} {value!r} is not a plain identifier: use 1-63 letters, digits or "
            "underscores, not starting with a digit"
        )
    return value


@attrs.frozen
class PostgresOptions:
    """A parsed store URL: what libpq gets, and how the store and its pool behave."""

    conninfo: str = attrs.field(repr=False)
    """The URL without our options, passed to libpq (may hold a password)."""
    schema: str = DEFAULT_SCHEMA
    pool_min: int = 1
    pool_max: int = 4
    pool_timeout: float = 10.0
    """Seconds to wait for a free connection before giving up."""
    auto_migrate: bool = False
    """Install or upgrade the schema on open, as the role named by ``ADMIN_DSN_ENV``."""
    owner_role: str = DEFAULT_OWNER_ROLE
    allow_bypass_rls: bool = False
    """Accept a connecting role that Row-Level Security does not restrict."""

    @property
    def display(self) -> str:
        """The connection URL with any password masked, for messages."""
        return redact(self.conninfo)


def _int(name: str, low: int) -> Callable[[str], int]:
    def convert(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            value = low - 1
        if value < low:
            raise InvalidInputError(
                f"store URL option {name}={raw!r} must be a whole number of at least {low}"
            )
        return value

    return convert


def _seconds(name: str) -> Callable[[str], float]:
    def convert(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not value > 0 or value == float("inf"):
            raise InvalidInputError(
                f"store URL option {name}={raw!r} must be a positive number of seconds"
            )
        return value

    return convert


def _bool(name: str) -> Callable[[str], bool]:
    def convert(raw: str) -> bool:
        lowered = raw.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise InvalidInputError(f"store URL option {name}={raw!r} must be true or false")

    return convert


_OPTIONS: Final[dict[str, Callable[[str], Any]]] = {
    "schema": lambda raw: check_identifier(raw, "store URL option schema="),
    "pool_min": _int("pool_min", 0),
    "pool_max": _int("pool_max", 1),
    "pool_timeout": _seconds("pool_timeout"),
    "auto_migrate": _bool("auto_migrate"),
    "owner_role": lambda raw: check_identifier(raw, "store URL option owner_role="),
    "allow_bypass_rls": _bool("allow_bypass_rls"),
}


def parse_url(url: str) -> PostgresOptions:
    """Split a ``postgresql://`` (or ``postgres://``) URL into libpq's part and our options."""
    scheme, sep, _ = url.partition("://")
    if not sep or scheme.lower() not in SCHEMES:
        raise InvalidInputError(
            f"not a PostgreSQL store URL: {redact(url)!r}; expected "
            "'postgresql://user@host:port/database?schema=...'"
        )
    parts = urlsplit(url)
    ours: dict[str, Any] = {}
    rest: list[tuple[str, str]] = []
    for key, raw in parse_qsl(parts.query, keep_blank_values=True):
        convert = _OPTIONS.get(key)
        if convert is None:
            rest.append((key, raw))
        elif key in ours:
            raise InvalidInputError(f"store URL option {key}= is given twice")
        else:
            ours[key] = convert(raw)
    pool_min = ours.get("pool_min", 1)
    if "pool_max" not in ours:
        ours["pool_max"] = max(4, pool_min)
    elif pool_min > ours["pool_max"]:
        raise InvalidInputError(
            f"store URL options pool_min={pool_min} and pool_max={ours['pool_max']}: "
            "pool_min cannot exceed pool_max"
        )
    conninfo = urlunsplit(
        (parts.scheme.lower(), parts.netloc, parts.path, urlencode(rest), parts.fragment)
    )
    return PostgresOptions(conninfo=conninfo, **ours)


def make_store_url(
    conninfo: str,
    *,
    user: str = DEFAULT_APP_ROLE,
    password: str | None = None,
    **options: object,
) -> str:
    """A store URL reaching the server of ``conninfo`` (a URL or ``key=value`` string) as ``user``.

    Host, port and database are kept; the password is dropped unless given;
    ``options`` (``schema=...``, ``pool_max=...``) become query parameters.
    Handy when a deployer holds the administrator's DSN and wants the
    application's URL.
    """
    params = {k: str(v) for k, v in conninfo_to_dict(conninfo).items() if v is not None}
    for secret in ("user", "password", "passfile"):
        params.pop(secret, None)
    host = params.pop("host", "")
    port = params.pop("port", "")
    dbname = params.pop("dbname", "")
    netloc = quote(user, safe="")
    if password is not None:
        netloc += ":" + quote(password, safe="")
    if host.startswith("/"):
        host = quote(host, safe="")  # a Unix socket directory
    elif ":" in host:
        host = f"[{host}]"  # an IPv6 address
    netloc += "@" + host + (f":{port}" if port else "")
    query = urlencode({**params, **{k: str(v) for k, v in options.items()}})
    return urlunsplit(("postgresql", netloc, "/" + quote(dbname, safe=""), query, ""))


def redact(url: str) -> str:
    """``url`` with the password (in the authority or a ``password=`` parameter) masked."""
    masked = re.sub(r"(://[^/@:?#]*:)[^/@?#]*@", r"\1***@", url)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", masked)
