"""The ``infointerview`` command: the parser, the dispatch and the exit statuses.

Exit status 0 on success, 1 on a user error (one line on stderr, no
traceback), 2 on a usage error (argparse's own).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from infointerview import __version__
from infointerview.cli.options import common_options
from infointerview.cli.output import TerminalSafeWriter, visible
from infointerview.errors import InfoInterviewError

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS: tuple[str, ...] = (
    "init",
    "contact",
    "goals",
    "plan",
    "draft",
    "log",
    "due",
    "report",
    "export",
    "demo",
)
"""The command modules under :mod:`infointerview.cli.commands`, in help order."""

_DESCRIPTION = (
    "Plan, hold and follow up informational interviews: contacts, asks, agendas, "
    "thank-yous and what is due. Try `infointerview demo` for a walk-through."
)


def build_parser() -> argparse.ArgumentParser:
    """The full parser; each command module adds its own sub-parser."""
    shared = common_options()
    parser = argparse.ArgumentParser(
        prog="infointerview", description=_DESCRIPTION, parents=[shared]
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    commands.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"infointerview.cli.commands.{name}")
        module.register(commands, shared)
    return parser


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    real_stdout = sys.stdout
    sys.stdout = TerminalSafeWriter(real_stdout)
    try:
        status: int | None = args.run(args)
    except InfoInterviewError as exc:
        print(f"infointerview: error: {visible(_one_line(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"infointerview: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("infointerview: interrupted", file=sys.stderr)
        return 130
    finally:
        sys.stdout = real_stdout
    return status or 0
