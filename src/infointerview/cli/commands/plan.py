"""``infointerview plan``: goals and a length become an interview with an agenda run sheet."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from infointerview.cli.options import datetime_arg, json_option, positive_int
from infointerview.model import Medium

if TYPE_CHECKING:
    from infointerview.workspace import Workspace

__all__ = ["register", "run"]


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    """Add the ``plan`` command."""
    parser = commands.add_parser(
        "plan",
        parents=[shared],
        help="plan an interview: goals and length to an agenda run sheet",
        description="Plan an interview with a contact: questions from every installed "
        "generator are chosen to cover your goals within the time, in conversation order, "
        "and printed as a run sheet with timings.",
    )
    parser.add_argument("contact", metavar="CONTACT", help="id, id prefix or exact name")
    parser.add_argument(
        "-g",
        "--goal",
        action="append",
        required=True,
        metavar="KEY",
        help="a goal key (repeatable; see `infointerview goals`)",
    )
    parser.add_argument(
        "--minutes", type=positive_int, default=25, help="the agreed length (default 25)"
    )
    parser.add_argument(
        "--at",
        type=datetime_arg,
        metavar="ISO-DATETIME",
        help="when it takes place (default: the time logged with `log scheduled`)",
    )
    parser.add_argument(
        "--medium", choices=[m.value for m in Medium], default="video", help="default video"
    )
    parser.add_argument(
        "--format",
        choices=["text", "markdown"],
        default="text",
        help="the run sheet's format (default text)",
    )
    json_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Plan and store the interview, then print its run sheet."""
    from infointerview import fold
    from infointerview.cli.output import emit_json, fmt_time, record
    from infointerview.cli.session import find_contact, open_from_args
    from infointerview.errors import InvalidInputError

    with open_from_args(args) as workspace:
        contact = find_contact(workspace, args.contact)
        at = args.at
        if at is None:
            at = fold(workspace.relationship(contact.id).events).scheduled_for
        if at is None:
            raise InvalidInputError(
                f"no time for the interview: {contact.name} has no scheduled meeting; "
                "pass --at ISO-DATETIME or log it first with `infointerview log scheduled "
                "CONTACT --for ISO-DATETIME`"
            )
        _check_run_sheet(workspace, args.format)
        interview, plan = workspace.plan_interview(
            contact.id, at=at, goals=args.goal, minutes=args.minutes, medium=args.medium
        )
        sheet = workspace.render_agenda(interview.id, format=args.format, plan=plan)
    if args.json:
        emit_json(
            {
                "interview": record(interview),
                "left_out": [
                    {"question": q.text, "source": q.source, "reason": why}
                    for q, why in plan.left_out
                ],
                "uncovered_goals": list(plan.uncovered_goals),
                "run_sheet": sheet,
            }
        )
        return 0
    print(
        f"Interview {interview.id[:8]} with {contact.name}: {fmt_time(interview.at)}, "
        f"{interview.minutes} min by {interview.medium.value}"
    )
    print()
    print(sheet.rstrip("\n"))
    print()
    print(
        f"After the conversation: infointerview log met {contact.id[:8]} "
        "--notes ... --insight ... --referral ..."
    )
    return 0


def _check_run_sheet(workspace: Workspace, format: str) -> None:
    """Refuse before storing anything when the run sheet could not be rendered."""
    from infointerview.errors import PluginError

    renderer = workspace.renderers().get(format)
    if renderer is None or not renderer.has_template(
        f"agenda.{format}", workspace.template_packs()
    ):
        raise PluginError(
            f"cannot print a {format} run sheet: no renderer or no 'agenda.{format}' template "
            "is installed (install infointerview-messages and infointerview-questions)"
        )
