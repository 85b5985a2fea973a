"""``infointerview due``: what the seeker owes whom, most urgent first."""

from __future__ import annotations

import argparse
import shlex
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from infointerview.cli.options import json_option, now_from, now_option, positive_int

if TYPE_CHECKING:
    from infointerview.followup import Reminder
    from infointerview.workspace import Workspace

__all__ = ["due_rows", "next_command", "print_due", "register", "run"]


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    """Add the ``due`` command."""
    parser = commands.add_parser(
        "due",
        parents=[shared],
        help="what is due now: thank-yous, follow-ups, preparation, keep-in-touch",
        description="The reminders due by now (or within the next DAYS), most urgent first, "
        "with the command to act on each.",
    )
    now_option(parser)
    parser.add_argument(
        "--within", type=positive_int, metavar="DAYS", help="also show what falls due soon"
    )
    json_option(parser)
    parser.set_defaults(run=run)


def due_rows(
    workspace: Workspace, now: datetime, within_days: int | None = None
) -> list[dict[str, Any]]:
    """The reminders due by ``now`` (or ``within_days`` after it) as plain rows."""
    if within_days is None:
        found = workspace.due(now)
    else:
        found = workspace.upcoming(now, until=now + timedelta(days=within_days))
    return [_row(workspace, reminder) for reminder in found]


def _row(workspace: Workspace, reminder: Reminder) -> dict[str, Any]:
    contact = workspace.contact(reminder.contact_id)
    return {
        "contact_id": contact.id,
        "contact": contact.name,
        "organisation": contact.organisation,
        "reason": reminder.reason.value,
        "what": reminder.what,
        "due": reminder.due.isoformat(),
        "overdue_at": reminder.overdue_at.isoformat(),
        "overdue": reminder.overdue,
        "message_kind": reminder.message_kind,
        "alternatives": [
            {"id": other, "name": workspace.contact(other).name} for other in reminder.alternatives
        ],
    }


def next_command(row: dict[str, Any]) -> str:
    """The command that acts on a reminder row, or ``""``."""
    reason, kind, contact_id = row["reason"], row["message_kind"], row["contact_id"]
    if reason == "approach_another":
        if row["alternatives"] and kind:
            return f"infointerview draft {kind} {row['alternatives'][0]['id'][:8]}"
        if row["organisation"]:
            return f"infointerview contact list --org {shlex.quote(row['organisation'])}"
        return ""
    if reason == "give_up":
        return f"infointerview log gave_up {contact_id[:8]}"
    if reason == "prepare":
        return f"infointerview plan {contact_id[:8]} --goal KEY ..."
    if reason == "log_meeting":
        return f"infointerview log met {contact_id[:8]} --notes ..."
    if kind:
        return f"infointerview draft {kind} {contact_id[:8]}"
    return ""


def print_due(rows: list[dict[str, Any]], now: datetime, commands: bool = True) -> None:
    """Print due rows as people read them, each with the command to act on it."""
    from infointerview.cli.output import fmt_time

    if not rows:
        print(f"Nothing is due by {fmt_time(now)}.")
        return
    for row in rows:
        due = datetime.fromisoformat(row["due"])
        deadline = datetime.fromisoformat(row["overdue_at"])
        if row["overdue"]:
            when = f"OVERDUE since {fmt_time(deadline)}"
        elif deadline != due:
            when = f"due {fmt_time(due)}, at the latest {fmt_time(deadline)}"
        else:
            when = f"due {fmt_time(due)}"
        where = f" ({row['organisation']})" if row["organisation"] else ""
        print(f"- {row['contact']}{where}: {row['what']}; {when}")
        if row["alternatives"]:
            names = ", ".join(a["name"] for a in row["alternatives"])
            print(f"    not yet asked there: {names}")
        command = next_command(row) if commands else ""
        if command:
            print(f"    {command}")


def run(args: argparse.Namespace) -> int:
    """Print what is due."""
    from infointerview.cli.output import emit_json
    from infointerview.cli.session import open_from_args

    now = now_from(args)
    with open_from_args(args) as workspace:
        rows = due_rows(workspace, now, args.within)
    if args.json:
        emit_json(rows)
    else:
        print_due(rows, now)
    return 0
