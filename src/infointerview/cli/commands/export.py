"""``infointerview export``: calendars (ics) and data (json) out of the workspace."""

from __future__ import annotations

import argparse
from typing import Any

from infointerview.cli.options import now_from, now_option

__all__ = ["register", "run"]


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    """Add the ``export`` command."""
    parser = commands.add_parser(
        "export",
        parents=[shared],
        help="export interviews and reminders (ics) or the workspace's data (json)",
        description="Write the workspace in a format: `ics` (scheduled interviews and due "
        "reminders as an iCalendar file, from the calendar plugin), `json` (every contact "
        "with its history, interviews and messages), or any other installed exporter.",
    )
    parser.add_argument("format", metavar="FORMAT", help="ics, json, or another exporter's name")
    parser.add_argument(
        "-o", "--output", metavar="FILE", default="-", help="where to write (default stdout)"
    )
    parser.add_argument(
        "--contact", metavar="CONTACT", help="json only: everything about one contact (GDPR)"
    )
    now_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Export in the chosen format to the output file or stdout."""
    from infointerview.cli.output import write_private
    from infointerview.cli.session import find_contact, open_from_args
    from infointerview.errors import InvalidInputError, NotFoundError

    now = now_from(args)
    name = args.format.lower()
    with open_from_args(args) as workspace:
        exporters = workspace.exporters()
        if args.contact is not None:
            if name != "json":
                raise InvalidInputError("--contact goes with the json format only")
            contact = find_contact(workspace, args.contact)
            data = (workspace.export_contact_json(contact.id) + "\n").encode()
        elif name in exporters:
            data = exporters[name].export(workspace, now=now)
        else:
            known = sorted(exporters)
            raise NotFoundError(
                f"no exporter named {args.format!r}; known: {', '.join(known)} "
                "(ics comes with infointerview-calendar)"
            )
    write_private(args.output, data)
    if args.output != "-":
        print(f"Wrote {len(data)} bytes of {name} to {args.output}")
    return 0
