"""``infointerview draft``: a message of a kind for a channel, with what the checks found."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from infointerview.cli.options import now_from, now_option
from infointerview.model import Channel

if TYPE_CHECKING:
    from infointerview.model import Message
    from infointerview.workspace import Workspace

__all__ = ["print_message", "register", "run", "sender_of"]

_NOT_MESSAGES = frozenset({"agenda"})
"""Template kinds that are not messages (the run sheet)."""


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    """Add the ``draft`` command."""
    parser = commands.add_parser(
        "draft",
        parents=[shared],
        help="draft a message (ask, follow-up, thank-you, ...) and check it",
        description="Render a message of KIND for a channel from the template packs, run "
        "every message check on it and print both. The draft is kept in the workspace "
        "unless --no-save. Use --list to see the kinds and channels available.",
    )
    parser.add_argument(
        "kind", nargs="?", metavar="KIND", help="e.g. ask_referred, follow_up, thank_you"
    )
    parser.add_argument("contact", nargs="?", metavar="CONTACT", help="id, id prefix or exact name")
    parser.add_argument(
        "-c",
        "--channel",
        choices=[c.value for c in Channel],
        default="email",
        metavar="CHANNEL",
        help=f"where it goes: {', '.join(c.value for c in Channel)} (default email)",
    )
    parser.add_argument(
        "--format",
        choices=["text", "markdown", "html"],
        default="text",
        help="the body's format (default text)",
    )
    parser.add_argument(
        "--interview", metavar="ID", help="the interview it is about (default: the latest held)"
    )
    parser.add_argument("--eml", metavar="FILE", help="also write an RFC 5322 email file")
    parser.add_argument("--no-save", action="store_true", help="do not keep the draft")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 if a check finds a warning or an error",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the message kinds and their channels"
    )
    now_option(parser)
    parser.set_defaults(run=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Draft, check, print and optionally write the email file."""
    from infointerview import to_eml
    from infointerview.cli.output import write_private
    from infointerview.cli.session import find_contact, find_interview, open_from_args
    from infointerview.errors import InvalidInputError

    if args.list:
        with open_from_args(args) as workspace:
            _print_kinds(workspace)
        return 0
    if args.kind is None:
        args.parser.error("give the message KIND (or --list to see them)")
    if args.eml is not None and args.channel != Channel.EMAIL.value:
        args.parser.error(f"--eml writes an email: it needs --channel email, not {args.channel}")
    if args.eml not in (None, "-") and not os.path.isdir(os.path.dirname(args.eml) or "."):
        raise InvalidInputError(f"--eml {args.eml}: its directory does not exist")
    now = now_from(args)
    keep = not args.no_save
    with open_from_args(args) as workspace:
        contact = None if args.contact is None else find_contact(workspace, args.contact)
        contact_id = None if contact is None else contact.id
        interview_id = None
        if args.interview is not None:
            interview_id = find_interview(workspace, args.interview, contact_id).id
        # Checked first so that a draft is never kept without the file asked for.
        sender = None if args.eml is None else sender_of(workspace)
        options = {"now": now, "format": args.format, "interview_id": interview_id}
        # With --strict nothing is kept unless the checks pass: look first, keep after.
        message = workspace.draft(
            args.kind, args.channel, contact_id, save=keep and not args.strict, **options
        )
        serious = [f for f in message.findings if f.severity.value in ("warning", "error")]
        refused = bool(args.strict and serious)
        if args.strict and keep and not refused:
            message = workspace.draft(args.kind, args.channel, contact_id, save=True, **options)
        if sender is not None and not refused:
            write_private(args.eml, to_eml(message, sender=sender))
    print_message(message, None if contact is None else contact.name)
    if refused:
        raise InvalidInputError(
            f"the draft has {len(serious)} warning or error finding(s) and was not kept; "
            "see the checks above"
        )
    if args.eml is not None and args.eml != "-":
        print(f"Email written to {args.eml}")
    event = _event_for(message.kind)
    if keep and contact is not None and event is not None:
        channel = message.channel.value
        print(f"When sent: infointerview log {event} {contact.id[:8]} --channel {channel}")
    return 0


def _event_for(kind: str) -> str | None:
    if kind == "ask_introduction":
        return "touched"
    if kind.startswith("ask_"):
        return "asked"
    if kind == "follow_up":
        return "followed_up"
    if kind.startswith("thank_you"):
        return "thanked"
    if kind.startswith("keep_in_touch"):
        return "touched"
    return None


def print_message(message: Message, to_name: str | None) -> None:
    """Print a drafted message and its findings."""
    who = f" to {to_name}" if to_name else ""
    print(f"--- {message.kind} by {message.channel.value}{who} ---")
    is_email = message.channel is Channel.EMAIL
    if is_email and message.recipients:
        print(f"To: {', '.join(message.recipients)}")
    if message.subject:
        print(f"Subject: {message.subject}")
    if (is_email and message.recipients) or message.subject:
        print()
    print(message.body.strip("\n"))
    print("---")
    words = len(message.body.split())
    print(f"{words} words, {len(message.body)} characters.")
    if not message.findings:
        print("Checks: all passed.")
        return
    print(f"Checks: {len(message.findings)} finding(s)")
    for finding in message.findings:
        print(f"  {finding.severity.value:<8}{finding.check}: {finding.explanation}")


def sender_of(workspace: Workspace) -> str:
    """The From mailbox of ``--eml``: the seeker's name and email from the profile."""
    from infointerview.errors import InvalidInputError

    profile = workspace.profile
    if not profile.email:
        raise InvalidInputError(
            "--eml needs your email address for the From header; set it with "
            "`infointerview init --email you@example.org`"
        )
    return f"{profile.name} <{profile.email}>" if profile.name else profile.email


def _print_kinds(workspace: Workspace) -> None:
    from infointerview.cli.output import table

    channels: dict[str, set[str]] = {}
    for pack in workspace.template_packs():
        for name in pack.templates:
            kind, _, channel = name.partition(".")
            if channel and "." not in channel and kind not in _NOT_MESSAGES:
                channels.setdefault(kind, set()).add(channel)
    if not channels:
        print("No message templates installed (install infointerview-messages).")
        return
    table(("KIND", "CHANNELS"), ((k, ", ".join(sorted(v))) for k, v in sorted(channels.items())))
