"""``infointerview contact add|list|show|edit|import``: the people the seeker may talk to."""

from __future__ import annotations

import argparse
from typing import Any

from infointerview.cli.commands.contact_show import run_list, run_show
from infointerview.cli.options import json_option, positive_int
from infointerview.model import ContactSource
from infointerview.stages import Stage

__all__ = ["register"]

_SOURCES = [s.value for s in ContactSource]
_STAGES = [s.value for s in Stage]


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    """Add the ``contact`` command group."""
    parser = commands.add_parser(
        "contact",
        parents=[shared],
        help="add, list, show, edit and import contacts",
        description="The people you may ask for a conversation. A contact is named by its "
        "id, an id prefix of 4+ characters, or its exact name.",
    )
    actions = parser.add_subparsers(title="actions", dest="action", metavar="ACTION")
    actions.required = True

    add = actions.add_parser("add", parents=[shared], help="add a contact")
    add.add_argument("name", help="the contact's full name")
    _contact_fields(add, editing=False)
    add.add_argument("-q", "--quiet", action="store_true", help="print only the new id")
    add.set_defaults(run=run_add)

    listing = actions.add_parser("list", parents=[shared], help="list contacts with their stage")
    listing.add_argument("--stage", choices=_STAGES, help="only contacts at this stage")
    listing.add_argument("--org", metavar="ORGANISATION", help="only contacts at this organisation")
    listing.add_argument("--tag", help="only contacts with this tag")
    listing.add_argument("--referrer", metavar="CONTACT", help="only contacts this one referred")
    json_option(listing)
    listing.set_defaults(run=run_list)

    show = actions.add_parser(
        "show", parents=[shared], help="one contact: details, history, interviews, reminders"
    )
    show.add_argument("contact", metavar="CONTACT", help="id, id prefix or exact name")
    json_option(show)
    show.set_defaults(run=run_show)

    imp = actions.add_parser(
        "import",
        parents=[shared],
        help="add the contacts of a file (LinkedIn Connections.csv, Google CSV, vCard)",
        description="Add every contact in a file, in one transaction. Contacts whose email "
        "or LinkedIn URL is already stored are skipped. By default one bad row refuses the "
        "whole file, listing the rows; --partial stores the good rows and lists the others.",
    )
    imp.add_argument("file", metavar="FILE", help="the file to read")
    imp.add_argument("--format", help="the importer's name (default: recognised from the file)")
    imp.add_argument("--source", choices=_SOURCES, help="how you found these contacts")
    imp.add_argument("--tag", action="append", default=[], help="a tag for each (repeatable)")
    imp.add_argument("--partial", action="store_true", help="store the good rows only")
    imp.add_argument("--dry-run", action="store_true", help="read and report, store nothing")
    imp.set_defaults(run=run_import)

    edit = actions.add_parser("edit", parents=[shared], help="change a contact's details")
    edit.add_argument("contact", metavar="CONTACT", help="id, id prefix or exact name")
    edit.add_argument("--name", help="a new full name")
    _contact_fields(edit, editing=True)
    edit.set_defaults(run=run_edit)


def _contact_fields(parser: argparse.ArgumentParser, *, editing: bool) -> None:
    parser.add_argument("--org", metavar="ORGANISATION", help="where they work")
    parser.add_argument("--role", help="their job title")
    parser.add_argument("--field", help="their field or industry")
    parser.add_argument(
        "--source",
        choices=_SOURCES,
        help="how you found them (default: referral with --referrer, else cold)",
    )
    parser.add_argument("--referrer", metavar="CONTACT", help="the contact who referred you")
    parser.add_argument("--affiliation", help="a school or group you share with them")
    parser.add_argument("--email", help="their email address")
    parser.add_argument("--phone", help="their phone number")
    parser.add_argument("--linkedin", metavar="URL", help="their LinkedIn profile URL")
    parser.add_argument("--notes", help="free-text notes")
    parser.add_argument(
        "--cadence-days",
        type=positive_int,
        metavar="DAYS",
        help="keep in touch at least this often (default: the policy's)",
    )
    if editing:
        parser.add_argument("--add-tag", action="append", default=[], metavar="TAG")
        parser.add_argument("--remove-tag", action="append", default=[], metavar="TAG")
        parser.add_argument("--no-referrer", action="store_true", help="forget the referrer")
        parser.add_argument(
            "--no-cadence", action="store_true", help="use the policy's keep-in-touch cadence"
        )
    else:
        parser.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")


_FIELD_MAP = {
    "org": "organisation",
    "role": "role",
    "field": "field",
    "source": "source",
    "affiliation": "affiliation",
    "email": "email",
    "phone": "phone",
    "linkedin": "linkedin_url",
    "notes": "notes",
    "cadence_days": "cadence_days",
}


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    return {
        field: getattr(args, option)
        for option, field in _FIELD_MAP.items()
        if getattr(args, option) is not None
    }


def run_add(args: argparse.Namespace) -> int:
    """Add one contact."""
    from infointerview import choose_ask_kind
    from infointerview.cli.session import find_contact, open_from_args
    from infointerview.model import Contact

    with open_from_args(args) as workspace:
        fields = _changes(args)
        referrer = None
        if args.referrer is not None:
            referrer = find_contact(workspace, args.referrer)
            fields["referrer_id"] = referrer.id
            fields.setdefault("source", ContactSource.REFERRAL)
        contact = workspace.add_contact(Contact(name=args.name, tags=args.tag, **fields))
        ask = choose_ask_kind(workspace.message_context(contact.id))
    if args.quiet:
        print(contact.id)
        return 0
    via = f", referred by {referrer.name}" if referrer is not None else ""
    print(f"Added {contact.name} (id {contact.id[:8]}, source {contact.source.value}{via}).")
    print(f"Next: infointerview draft {ask} {contact.id[:8]}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import a contact file, with progress on a terminal."""
    from pathlib import Path

    from infointerview.cli.output import Progress
    from infointerview.cli.session import open_from_args

    with Progress(2) as progress, open_from_args(args) as workspace:
        progress.step(f"reading {args.file}")
        data = Path(args.file).read_bytes()
        progress.step(f"importing {len(data)} bytes")
        result = workspace.import_contacts(
            data,
            format=args.format,
            source=args.source,
            tags=args.tag,
            all_or_nothing=not args.partial,
            dry_run=args.dry_run,
        )
    verb = "Would add" if args.dry_run else "Added"
    print(f"{verb} {len(result.contacts)} contacts from {args.file}.")
    for label, rows in (("Skipped", result.skipped), ("Rejected", result.rejected)):
        if rows:
            print(f"{label} {len(rows)} rows:")
            for line, reason in rows:
                print(f"  line {line}: {reason}")
    return 0


def run_edit(args: argparse.Namespace) -> int:
    """Change a contact's fields; tags are added and removed one by one."""
    import attrs

    from infointerview.cli.session import find_contact, open_from_args
    from infointerview.errors import InvalidInputError

    with open_from_args(args) as workspace:
        contact = find_contact(workspace, args.contact)
        fields = _changes(args)
        if args.name is not None:
            fields["name"] = args.name
        if args.referrer is not None and args.no_referrer:
            raise InvalidInputError("give either --referrer or --no-referrer, not both")
        if args.referrer is not None:
            fields["referrer_id"] = find_contact(workspace, args.referrer).id
        if args.no_referrer:
            fields["referrer_id"] = None
        if args.no_cadence:
            fields["cadence_days"] = None
        if args.add_tag or args.remove_tag:
            fields["tags"] = (contact.tags | set(args.add_tag)) - set(args.remove_tag)
        if not fields:
            raise InvalidInputError("nothing to change: give at least one option (see --help)")
        updated = workspace.update_contact(attrs.evolve(contact, **fields))
    print(f"Updated {updated.name} (id {updated.id[:8]}, version {updated.version}).")
    return 0
