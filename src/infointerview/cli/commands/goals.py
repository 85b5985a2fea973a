"""``infointerview goals``: the goal catalog, and custom goals (never a job request)."""

from __future__ import annotations

import argparse
from typing import Any

from infointerview.cli.options import json_option

__all__ = ["register"]


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    """Add the ``goals`` command (list by default) and ``goals add``."""
    parser = commands.add_parser(
        "goals",
        parents=[shared],
        help="list the goals a conversation can serve, or add your own",
        description="The 13 standard goals and your custom ones. A goal that asks for a job "
        "is refused: an informational interview asks for knowledge, never for a job.",
    )
    json_option(parser)
    parser.set_defaults(run=run_list)
    actions = parser.add_subparsers(title="actions", dest="action", metavar="ACTION")
    listing = actions.add_parser("list", parents=[shared], help="list the goals (the default)")
    json_option(listing)
    listing.set_defaults(run=run_list)
    add = actions.add_parser("add", parents=[shared], help="add a custom goal")
    add.add_argument("key", help="lower-case letters, digits and _, e.g. learn_tools")
    add.add_argument("title", help="a short title, e.g. 'Learn the tools they use'")
    add.add_argument("--description", default="", help="one sentence on what you want to learn")
    add.set_defaults(run=run_add)


def run_list(args: argparse.Namespace) -> int:
    """Print the goal catalog."""
    from infointerview.cli.output import emit_json, table
    from infointerview.cli.session import open_from_args

    with open_from_args(args) as workspace:
        goals = list(workspace.goals().values())
    if getattr(args, "json", False):
        emit_json(
            [
                {
                    "key": g.key,
                    "title": g.title,
                    "description": g.description,
                    "standard": g.standard,
                }
                for g in goals
            ]
        )
        return 0
    table(
        ("KEY", "KIND", "TITLE"),
        ((g.key, "standard" if g.standard else "custom", g.title) for g in goals),
    )
    return 0


def run_add(args: argparse.Namespace) -> int:
    """Add a custom goal after the job-request check."""
    from infointerview import custom_goal
    from infointerview.cli.session import open_from_args

    goal = custom_goal(args.key, args.title, args.description)
    with open_from_args(args) as workspace:
        workspace.add_goal(goal)
    print(f"Added goal {goal.key!r}: {goal.title}")
    return 0
