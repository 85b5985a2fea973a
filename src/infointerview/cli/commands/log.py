"""``infointerview log``: append what happened to a relationship's event log."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from infointerview.cli.options import datetime_arg, now_from, now_option
from infointerview.model import Channel, EventKind

if TYPE_CHECKING:
    from datetime import datetime

    from infointerview.model import Contact, Interview
    from infointerview.workspace import Workspace

__all__ = ["parse_referral", "register", "run"]

_MET_ONLY = ("notes", "insight", "promise", "interview")


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    """Add the ``log`` command."""
    parser = commands.add_parser(
        "log",
        parents=[shared],
        help="log an event: asked, replied, declined, scheduled, met, thanked, touched, ...",
        description="Append an event to the relationship with a contact. An event the "
        "relationship's stage does not allow is refused, naming the events it accepts. "
        "`met` records the interview with its notes, insights and the referrals gained.",
    )
    parser.add_argument(
        "event",
        choices=[k.value for k in EventKind],
        metavar="EVENT",
        help=", ".join(k.value for k in EventKind),
    )
    parser.add_argument("contact", metavar="CONTACT", help="id, id prefix or exact name")
    parser.add_argument(
        "--at", type=datetime_arg, metavar="ISO-DATETIME", help="when it happened (default: now)"
    )
    now_option(parser)
    channels = [c.value for c in Channel]
    parser.add_argument(
        "-c", "--channel", choices=channels, metavar="CHANNEL", help=", ".join(channels)
    )
    parser.add_argument("--note", default="", help="a short note on the event")
    parser.add_argument(
        "--for",
        dest="scheduled_for",
        type=datetime_arg,
        metavar="ISO-DATETIME",
        help="the meeting time (scheduled, rescheduled)",
    )
    parser.add_argument(
        "--related", metavar="CONTACT", help="the contact a `referred` event introduced"
    )
    parser.add_argument(
        "--referral",
        action="append",
        default=[],
        metavar="NAME[;ORG[;ROLE[;EMAIL]]]",
        help="a new contact this one referred you to (met, referred; repeatable)",
    )
    held = parser.add_argument_group("for `met`")
    held.add_argument("--notes", help="your notes from the conversation")
    held.add_argument(
        "--insight", action="append", default=[], metavar="TEXT", help="a specific insight"
    )
    held.add_argument(
        "--promise", action="append", default=[], metavar="TEXT", help="a follow-up you promised"
    )
    held.add_argument("--interview", metavar="ID", help="the planned interview (default: latest)")
    parser.set_defaults(run=run, parser=parser)


def parse_referral(text: str) -> Contact:
    """``NAME[;ORGANISATION[;ROLE[;EMAIL]]]`` as a new contact."""
    from infointerview import Contact, ContactSource
    from infointerview.errors import InvalidInputError

    parts = [p.strip() for p in text.split(";")]
    if len(parts) > 4 or not parts[0]:
        raise InvalidInputError(
            f"referral {text!r} must be NAME[;ORGANISATION[;ROLE[;EMAIL]]], e.g. "
            "'Ana Silva;Northwind;Data Lead'"
        )
    parts += [""] * (4 - len(parts))
    name, organisation, role, email = parts
    return Contact(
        name=name,
        organisation=organisation,
        role=role,
        email=email,
        source=ContactSource.REFERRAL,
    )


def run(args: argparse.Namespace) -> int:
    """Log the event (for ``met``, record the interview too) and say what is next."""
    from infointerview.cli.output import fmt_time
    from infointerview.cli.session import find_contact, open_from_args

    kind = EventKind(args.event)
    misplaced = [o for o in _MET_ONLY if getattr(args, o) not in (None, [])]
    if kind is not EventKind.MET and misplaced:
        args.parser.error(f"--{misplaced[0]} goes with `log met` only")
    if args.referral and kind not in (EventKind.MET, EventKind.REFERRED):
        args.parser.error("--referral goes with `log met` or `log referred` only")
    if kind in (EventKind.SCHEDULED, EventKind.RESCHEDULED) and args.scheduled_for is None:
        args.parser.error(f"`log {kind.value}` needs --for ISO-DATETIME (the meeting time)")
    if args.related is not None and kind is not EventKind.REFERRED:
        args.parser.error("--related goes with `log referred` only")
    referrals = [parse_referral(text) for text in args.referral]
    at = args.at or now_from(args)
    with open_from_args(args) as workspace:
        contact = find_contact(workspace, args.contact)
        before = workspace.stage(contact.id)
        added: list[Contact] = []
        if kind is EventKind.MET:
            added = _log_met(workspace, contact, args, at, referrals)
        elif kind is EventKind.REFERRED:
            added = _log_referred(workspace, contact, args, at, referrals)
        else:
            workspace.log(
                contact.id,
                kind,
                at=at,
                channel=args.channel,
                note=args.note,
                scheduled_for=args.scheduled_for,
            )
        after = workspace.stage(contact.id)
        upcoming = workspace.reminders(contact.id)
    print(
        f"Logged {kind.value} with {contact.name} at {fmt_time(at)}: "
        f"stage {before.value} -> {after.value}."
    )
    for person in added:
        print(f"Referral added: {person.name} (id {person.id[:8]})")
    for reminder in upcoming[:1]:
        latest = ""
        if reminder.overdue_at != reminder.due:
            latest = f", at the latest {fmt_time(reminder.overdue_at)}"
        print(f"Next: {reminder.what}: due {fmt_time(reminder.due)}{latest}.")
    return 0


def _log_met(
    workspace: Workspace,
    contact: Contact,
    args: argparse.Namespace,
    at: datetime,
    referrals: list[Contact],
) -> list[Contact]:
    from infointerview import Interview, fold
    from infointerview.cli.session import find_interview

    interview: Interview | None
    if args.interview is not None:
        interview = find_interview(workspace, args.interview, contact.id)
    else:
        planned = [i for i in workspace.interviews(contact.id) if i.held_at is None]
        interview = planned[-1] if planned else None
    planned_for = fold(workspace.relationship(contact.id).events).scheduled_for
    # Logging first lets the stage refuse an illegal `met` before anything is written.
    workspace.log(contact.id, EventKind.MET, at=at, channel=args.channel, note=args.note)
    if interview is None:
        began = planned_for if planned_for is not None and planned_for <= at else at
        interview = workspace.save_interview(Interview(contact_id=contact.id, at=began))
    known = set(interview.referrals)
    held = workspace.record_interview(
        interview.id,
        held_at=at,
        notes=args.notes if args.notes is not None else interview.notes,
        insights=args.insight or interview.insights,
        referrals=referrals,
        promised_followups=args.promise or interview.promised_followups,
    )
    return [workspace.contact(cid) for cid in held.referrals if cid not in known]


def _log_referred(
    workspace: Workspace,
    contact: Contact,
    args: argparse.Namespace,
    at: datetime,
    referrals: list[Contact],
) -> list[Contact]:
    import attrs

    from infointerview.cli.session import find_contact
    from infointerview.errors import InvalidInputError

    if args.related is None and not referrals:
        raise InvalidInputError(
            "`log referred` needs the person introduced: --related CONTACT for someone in "
            "the workspace, or --referral 'NAME;ORG;ROLE' for someone new"
        )
    related = []
    if args.related is not None:
        related.append(find_contact(workspace, args.related))
    added = workspace.add_contacts([attrs.evolve(r, referrer_id=contact.id) for r in referrals])
    for person in [*related, *added]:
        workspace.log(
            contact.id,
            EventKind.REFERRED,
            at=at,
            channel=args.channel,
            note=args.note,
            related_contact_id=person.id,
        )
    return list(added)
