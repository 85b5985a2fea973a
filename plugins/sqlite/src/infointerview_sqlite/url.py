"""``sqlite://`` URLs: where the file is and how connections behave."""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path
from typing import Final

import attrs

from infointerview.errors import InvalidInputError

__all__ = ["SYNCHRONOUS_MODES", "SqliteOptions", "database_url", "parse_url"]

SYNCHRONOUS_MODES: Final = ("full", "normal")
_PREFIX: Final = "sqlite://"
_EXAMPLES: Final = "use 'sqlite:///relative/file.db' or 'sqlite:////absolute/file.db'"


def _one_of_the_modes(_: object, __: attrs.Attribute[str], value: str) -> None:
    if value not in SYNCHRONOUS_MODES:
        raise InvalidInputError(
            f"synchronous={value!r} is not supported; use one of {', '.join(SYNCHRONOUS_MODES)}"
        )


def _milliseconds(_: object, __: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInputError(
            f"busy_timeout must be a whole number of milliseconds, not {value!r}"
        )


@attrs.frozen
class SqliteOptions:
    """What a ``sqlite://`` URL says: the file and the connection options."""

    path: Path
    synchronous: str = attrs.field(default="full", validator=_one_of_the_modes)
    busy_timeout_ms: int = attrs.field(default=5000, validator=_milliseconds)


def parse_url(url: str) -> SqliteOptions:
    """Read ``sqlite:///relative.db`` or ``sqlite:////abs/file.db?synchronous=normal``.

    The path after ``sqlite:///`` is percent-decoded and ``~`` is expanded;
    a relative path is taken from the current directory.
    """
    if url[: len(_PREFIX)].lower() != _PREFIX:
        raise InvalidInputError(f"not a sqlite URL: it must start with {_PREFIX!r}; {_EXAMPLES}")
    rest, _, query = url[len(_PREFIX) :].partition("?")
    if rest and not rest.startswith("/"):
        raise InvalidInputError(
            f"a sqlite URL names no host, but {url!r} has {rest.split('/')[0]!r} after "
            f"'sqlite://'; {_EXAMPLES}"
        )
    text = urllib.parse.unquote(rest[1:])
    if not text:
        raise InvalidInputError(
            f"the sqlite URL {url!r} names no database file; {_EXAMPLES} "
            "(infointerview_sqlite.default_database_path() gives the usual place)"
        )
    if text == ":memory:":
        raise InvalidInputError(
            "sqlite ':memory:' databases are not supported (the store needs a file for WAL "
            "and owner-only modes); use 'memory://' for a throwaway workspace"
        )
    path = Path(os.path.abspath(Path(text).expanduser()))
    synchronous, busy_timeout_ms = _options(query)
    return SqliteOptions(path=path, synchronous=synchronous, busy_timeout_ms=busy_timeout_ms)


def _options(query: str) -> tuple[str, int]:
    try:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise InvalidInputError(
            f"the sqlite URL's query {query!r} is malformed; write e.g. '?synchronous=normal'"
        ) from None
    found: dict[str, str] = {}
    for key, value in pairs:
        if key in found:
            raise InvalidInputError(f"the sqlite URL gives option {key!r} twice")
        if key == "synchronous":
            if value.lower() not in SYNCHRONOUS_MODES:
                raise InvalidInputError(
                    f"sqlite option synchronous={value!r} is not supported; "
                    f"use one of {', '.join(SYNCHRONOUS_MODES)} (default full)"
                )
            found[key] = value.lower()
        elif key == "busy_timeout":
            if not value.isdigit():
                raise InvalidInputError(
                    f"sqlite option busy_timeout={value!r} must be a whole number of "
                    "milliseconds, e.g. busy_timeout=5000"
                )
            found[key] = value
        else:
            raise InvalidInputError(
                f"unknown sqlite option {key!r}; the options are synchronous and busy_timeout"
            )
    defaults = SqliteOptions(Path())
    return (
        found.get("synchronous", defaults.synchronous),
        int(found.get("busy_timeout", defaults.busy_timeout_ms)),
    )


def database_url(path: str | os.PathLike[str], **options: str | int) -> str:
    """The ``sqlite://`` URL of ``path`` (made absolute), with optional query options."""
    absolute = os.path.abspath(os.fspath(path))
    url = _PREFIX + "/" + urllib.parse.quote(absolute)
    if options:
        url += "?" + urllib.parse.urlencode({k: str(v) for k, v in options.items()})
    return url
