"""``infointerview init``: create (or reopen) a workspace and record who owns it."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register", "run"]

_PROFILE_FIELDS = (
    "name",
    "email",
    "phone",
    "background",
    "current_field",
    "field",
    "target",
    "pitch",
)


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    """Add the ``init`` command."""
    parser = commands.add_parser(
        "init",
        parents=[shared],
        help="create a workspace (in your data directory unless --db) and set your profile",
        description="Create a workspace, or reopen it, and save the seeker's profile. "
        "It becomes the default workspace for later commands.",
    )
    profile = parser.add_argument_group("the seeker's profile (used in messages)")
    profile.add_argument("--name", help="your full name")
    profile.add_argument("--email", help="your email address")
    profile.add_argument("--phone", help="your phone number")
    profile.add_argument("--background", help="one line on where you come from")
    profile.add_argument("--current-field", help="the field you work in now")
    profile.add_argument("--field", help="the field you are exploring")
    profile.add_argument("--target", help="the role or niche you are aiming for within it")
    profile.add_argument("--pitch", help="your elevator pitch")
    profile.add_argument(
        "--affiliation",
        action="append",
        default=None,
        metavar="TEXT",
        help="a school, group or former employer you share with contacts (repeatable)",
    )
    profile.add_argument(
        "--situation",
        action="append",
        default=None,
        metavar="TAG",
        help="e.g. career_changer or new_graduate: picks fitting questions (repeatable)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Create the workspace, merge the profile fields given, and record the owner."""
    import attrs

    from infointerview.cli.config import read_config, write_config
    from infointerview.cli.session import open_from_args, target

    url, owner = target(args)
    changes: dict[str, Any] = {
        name: getattr(args, name) for name in _PROFILE_FIELDS if getattr(args, name) is not None
    }
    if args.affiliation is not None:
        changes["affiliations"] = tuple(args.affiliation)
    if args.situation is not None:
        changes["situations"] = frozenset(args.situation)
    with open_from_args(args, create=True) as workspace:
        profile = attrs.evolve(workspace.profile, **changes)
        if changes:
            workspace.set_profile(profile)
        contacts = len(workspace.contacts())
    config = read_config()
    config_path = write_config(
        attrs.evolve(config, default=url, owners={**config.owners, url: owner})
    )
    print(f"Workspace ready: {url}")
    print(f"Owner:           {owner}")
    print(f"Seeker:          {profile.name or '(no name yet: init --name ...)'}")
    print(f"Contacts:        {contacts}")
    print(f"Config:          {config_path}")
    if not contacts:
        print('Next: infointerview contact add "Full Name" --org ORGANISATION --role ROLE')
    return 0
