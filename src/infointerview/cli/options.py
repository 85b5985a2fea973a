"""Options shared by every command, and the argument types the commands use."""

from __future__ import annotations

import argparse
from datetime import datetime

__all__ = [
    "common_options",
    "datetime_arg",
    "json_option",
    "now_from",
    "now_option",
    "positive_int",
]


def common_options() -> argparse.ArgumentParser:
    """A parent parser with ``--db`` and ``--owner``, accepted before or after the command.

    The defaults are suppressed so that an option given before the command is
    not overwritten by the sub-command's default.
    """
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("workspace")
    group.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="workspace URL, e.g. sqlite:///path/to/file.db (default: the one `init` set up)",
    )
    group.add_argument(
        "--owner",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="the seeker whose workspace to open (default: the owner `init` recorded)",
    )
    return parent


def datetime_arg(text: str) -> datetime:
    """An ISO 8601 date or date-time; without an offset it is local time."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 date-time; write e.g. 2026-03-06T15:00 "
            "or 2026-03-06T15:00+01:00"
        ) from None
    return value.astimezone() if value.utcoffset() is None else value


def positive_int(text: str) -> int:
    """A whole number above zero."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be above zero")
    return value


def now_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--now``: the time the command acts at (default: the current local time)."""
    parser.add_argument(
        "--now",
        type=datetime_arg,
        metavar="ISO-DATETIME",
        help="act as if it were this time (default: now, local time zone)",
    )


def json_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--json``: machine-readable output for scripts."""
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def now_from(args: argparse.Namespace) -> datetime:
    """``--now`` if given, else the current time in the local time zone."""
    given: datetime | None = getattr(args, "now", None)
    return given if given is not None else datetime.now().astimezone()
