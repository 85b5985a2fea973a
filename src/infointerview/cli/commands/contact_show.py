"""``infointerview contact list`` and ``contact show``: reading contacts back."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infointerview.followup import Reminder
    from infointerview.model import Contact
    from infointerview.ports import Relationship

__all__ = ["run_list", "run_show"]


def _summary(contact: Contact, rel: Relationship) -> dict[str, Any]:
    from infointerview.cli.output import record

    return {
        **record(contact),
        "stage": rel.stage.value,
        "next_due": None if rel.next_due is None else rel.next_due.isoformat(),
    }


def run_list(args: argparse.Namespace) -> int:
    """List contacts with their stage and next due time."""
    from infointerview.cli.output import emit_json, fmt_time, table
    from infointerview.cli.session import find_contact, open_from_args

    with open_from_args(args) as workspace:
        referrer_id = None
        if args.referrer is not None:
            referrer_id = find_contact(workspace, args.referrer).id
        contacts = workspace.contacts(
            stage=args.stage, organisation=args.org, tag=args.tag, referrer_id=referrer_id
        )
        pairs = [(c, workspace.relationship(c.id)) for c in contacts]
    if args.json:
        emit_json([_summary(c, rel) for c, rel in pairs])
        return 0
    if not pairs:
        print("No contacts match.")
        return 0
    table(
        ("ID", "NAME", "ORGANISATION", "ROLE", "SOURCE", "STAGE", "NEXT DUE"),
        (
            (
                c.id[:8],
                c.name,
                c.organisation or "-",
                c.role or "-",
                c.source.value,
                rel.stage.value,
                fmt_time(rel.next_due),
            )
            for c, rel in pairs
        ),
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Show one contact in full."""
    from infointerview.cli.output import emit_json, fmt_time, record
    from infointerview.cli.session import find_contact, open_from_args

    with open_from_args(args) as workspace:
        contact = find_contact(workspace, args.contact)
        rel = workspace.relationship(contact.id)
        interviews = workspace.interviews(contact.id)
        messages = workspace.messages(contact.id)
        reminders = workspace.reminders(contact.id)
        referrer = None if contact.referrer_id is None else workspace.contact(contact.referrer_id)
        referred = workspace.contacts(referrer_id=contact.id)
        related = {e.related_contact_id for e in rel.events if e.related_contact_id}
        names = {c.id: c.name for c in workspace.contacts() if c.id in related}
    if args.json:
        emit_json(
            {
                "contact": record(contact),
                "stage": rel.stage.value,
                "next_due": rel.next_due,
                "events": [record(e) for e in rel.events],
                "interviews": [record(i) for i in interviews],
                "messages": [record(m) for m in messages],
                "reminders": [_reminder(r) for r in reminders],
                "referred": [c.id for c in referred],
            }
        )
        return 0
    print(f"{contact.name}  (id {contact.id})")
    details = [
        ("Organisation", contact.organisation),
        ("Role", contact.role),
        ("Field", contact.field),
        ("Source", contact.source.value),
        ("Referred by", "" if referrer is None else f"{referrer.name} ({referrer.id[:8]})"),
        ("Affiliation", contact.affiliation),
        ("Email", contact.email),
        ("Phone", contact.phone),
        ("LinkedIn", contact.linkedin_url),
        ("Tags", ", ".join(sorted(contact.tags))),
        ("Cadence", f"every {contact.cadence_days} days" if contact.cadence_days else ""),
        ("Notes", contact.notes),
    ]
    for label, value in details:
        if value:
            print(f"  {label + ':':<14}{value}")
    print(f"  {'Stage:':<14}{rel.stage.value}")
    print(f"  {'Next due:':<14}{fmt_time(rel.next_due)}")
    if referred:
        print(f"  {'Referred you:':<14}{', '.join(c.name for c in referred)}")
    print("History:")
    for event in rel.events or ():
        extra = ""
        if event.scheduled_for is not None:
            extra = f" for {fmt_time(event.scheduled_for)}"
        if event.channel is not None:
            extra += f" by {event.channel.value}"
        if event.related_contact_id is not None:
            extra += f" {names.get(event.related_contact_id, event.related_contact_id[:8])}"
        note = f"  - {event.note}" if event.note else ""
        print(f"  {fmt_time(event.at)}  {event.kind.value}{extra}{note}")
    if not rel.events:
        print("  (nothing logged yet)")
    if interviews:
        print("Interviews:")
        for interview in interviews:
            state = "held" if interview.held_at is not None else "planned"
            print(
                f"  {interview.id[:8]}  {fmt_time(interview.at)}  {interview.minutes} min "
                f"{interview.medium.value}, {state}, {len(interview.agenda)} questions, "
                f"{len(interview.referrals)} referrals"
            )
    if messages:
        print("Messages:")
        for message in messages:
            flag = "ok" if message.ok else "has errors"
            when = fmt_time(message.created_at)
            print(f"  {when}  {message.kind} by {message.channel.value} ({flag})")
    if reminders:
        print("Reminders:")
        for reminder in reminders:
            kind = f" (draft {reminder.message_kind})" if reminder.message_kind else ""
            print(f"  {fmt_time(reminder.due)}  {reminder.what}{kind}")
    return 0


def _reminder(reminder: Reminder) -> dict[str, Any]:
    return {
        "contact_id": reminder.contact_id,
        "reason": reminder.reason.value,
        "what": reminder.what,
        "due": reminder.due.isoformat(),
        "overdue_at": reminder.overdue_at.isoformat(),
        "message_kind": reminder.message_kind,
    }
