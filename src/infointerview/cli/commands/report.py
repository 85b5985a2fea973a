"""``infointerview report``: the funnel, acceptance rates and the referral tree."""

from __future__ import annotations

import argparse
from typing import Any

from infointerview.cli.options import json_option, now_from, now_option

__all__ = ["register", "run"]


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    """Add the ``report`` command."""
    parser = commands.add_parser(
        "report",
        parents=[shared],
        help="how the search is going: funnel, rates, referrals, thank-yous",
        description="The funnel (found, asked, scheduled, met, thanked, in touch), "
        "acceptance by channel and by source, time from ask to meeting, referrals per "
        "interview, the referral tree, thank-yous on time and contacts kept warm, as of now.",
    )
    now_option(parser)
    json_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the report as text or JSON."""
    from infointerview.cli.output import emit_json
    from infointerview.cli.session import open_from_args

    now = now_from(args)
    with open_from_args(args) as workspace:
        if args.json:
            emit_json(workspace.report(now).to_dict())
        else:
            print(workspace.report_text(now).rstrip("\n"))
    return 0
