"""``infointerview demo``: one seeker's search from goals to funnel, through the public API.

Every step is real work on a workspace (a temporary SQLite file unless
``--db``): nothing printed is canned except the story's own data.
"""

from __future__ import annotations

import argparse
import textwrap
from datetime import datetime
from typing import TYPE_CHECKING, Any

from infointerview.cli.options import now_option

if TYPE_CHECKING:
    from infointerview.model import Contact
    from infointerview.workspace import Workspace

__all__ = ["register", "run", "walk_through"]


def register(commands: Any, shared: argparse.ArgumentParser) -> None:
    """Add the ``demo`` command."""
    parser = commands.add_parser(
        "demo",
        parents=[shared],
        help="walk through a whole search in a temporary workspace (start here)",
        description="An end-to-end walk-through: a seeker with goals; contacts found through "
        "a referral, an alumni list and a cold source; asks drafted and checked; one "
        "interview planned, held and thanked for; what is due a week later; the funnel. "
        "It runs in a temporary SQLite workspace unless --db is given, and starts on a "
        "fixed date unless --now is given, so its output is the same every time.",
    )
    now_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the walk-through in a temporary workspace, or in ``--db``."""
    import tempfile
    from pathlib import Path

    from infointerview import open_workspace
    from infointerview.cli.config import normalise_url, sqlite_url
    from infointerview.cli.story import STORY_START
    from infointerview.errors import InvalidInputError

    start: datetime = args.now or STORY_START
    owner: str = getattr(args, "owner", None) or "demo"
    given: str | None = getattr(args, "db", None)
    with tempfile.TemporaryDirectory(prefix="infointerview-demo-") as tmp:
        if given is None:
            url = sqlite_url(Path(tmp) / "demo.db")
            where = "a temporary SQLite workspace, removed at the end"
        else:
            url = normalise_url(given)
            where = url
        with open_workspace(url, owner=owner) as workspace:
            if workspace.contacts() or workspace.profile.name:
                raise InvalidInputError(
                    f"the workspace of owner {owner!r} at {url} already holds data, and the "
                    "demo would add its story to it; pass an empty workspace, another --owner, "
                    "or no --db at all"
                )
            walk_through(workspace, start, where)
    return 0


def _section(number: int, title: str) -> None:
    print()
    print(f"{number}. {title}")
    print("=" * (len(title) + len(str(number)) + 2))


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)


def walk_through(workspace: Workspace, start: datetime, where: str) -> None:
    """Tell the story on ``workspace``, printing each step's real results."""
    from infointerview.cli.output import fmt_time

    print("infointerview demo: one seeker's informational interviews, start to finish")
    print(f"Workspace: {where}")
    print(f"The story starts {fmt_time(start)} ({start.tzname()}).")
    _seeker(workspace)
    dana, ravi, elena = _find_people(workspace)
    _ask(workspace, start, dana, ravi, elena)
    meeting = _replies(workspace, start, dana, ravi, elena)
    interview_id = _prepare(workspace, dana, meeting)
    held = _hold(workspace, dana, interview_id, meeting)
    _thank(workspace, dana, interview_id, held)
    _week_later(workspace, held)


def _seeker(workspace: Workspace) -> None:
    from infointerview import JobRequestGoalError, SeekerProfile, custom_goal
    from infointerview.cli import story

    _section(1, "The seeker and her goals")
    workspace.set_profile(SeekerProfile(**story.PROFILE))
    profile = workspace.profile
    print(f"  {profile.name}: {profile.background};")
    print(f"  exploring {profile.target} in {profile.field}.")
    print("  Goals for every conversation:")
    for goal in workspace.goals().resolve(story.GOALS):
        print(f"    {goal.key:<14}{goal.title}")
    key, title = story.REFUSED_GOAL
    try:
        custom_goal(key, title)
    except JobRequestGoalError as exc:
        print(f"  She also tried the goal {title!r}. The library refused it:")
        print(_wrap(str(exc), "    "))
    else:  # pragma: no cover - the refusal is the point of this step
        raise AssertionError("a job-request goal was accepted")


def _find_people(workspace: Workspace) -> tuple[Contact, Contact, Contact]:
    from infointerview import Contact
    from infointerview.cli import story

    _section(2, "Finding people: a referral, an alumni list, a cold source")
    friend = workspace.add_contact(Contact(**story.FRIEND))
    dana = Contact(**story.REFERRED, source="referral", referrer_id=friend.id)
    ravi = Contact(**story.ALUMNI)
    elena = Contact(**story.COLD)
    dana, ravi, elena = workspace.add_contacts([dana, ravi, elena])
    print(f"  {friend.name}, {friend.role} at {friend.organisation}, is from her own circle.")
    for person, how in (
        (dana, f"referred by {friend.name}"),
        (ravi, f"found on the {ravi.affiliation} alumni list"),
        (elena, "found cold, on her company's web site"),
    ):
        print(f"  - {person.name}, {person.role} at {person.organisation}: {how}")
    return dana, ravi, elena


def _ask(
    workspace: Workspace, start: datetime, dana: Contact, ravi: Contact, elena: Contact
) -> None:
    from infointerview.cli.commands.draft import print_message

    _section(3, "Asking for 20-30 minutes, every draft checked")
    asks = (
        (dana, "ask_referred", "email"),
        (ravi, "ask_affiliation", "linkedin_message"),
        (elena, "ask_cold", "email"),
    )
    for person, kind, channel in asks:
        message = workspace.draft(kind, channel, person.id, now=start)
        print()
        print(textwrap.indent(_captured(print_message, message, person.name), "  "))
        workspace.log(person.id, "asked", at=start, channel=channel)
    print()
    print(f"  Sent all three and logged them as asked ({_when(start)}).")


def _captured(func: Any, *args: Any) -> str:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        func(*args)
    return buffer.getvalue().rstrip("\n")


def _when(moment: datetime) -> str:
    from infointerview.cli.output import fmt_time

    return fmt_time(moment)


def _replies(
    workspace: Workspace, start: datetime, dana: Contact, ravi: Contact, elena: Contact
) -> datetime:
    from infointerview.cli.output import table
    from infointerview.cli.story import at

    _section(4, "Replies: one yes, one no, one silence")
    meeting = at(start, days=3, hours=6)
    workspace.log(dana.id, "accepted", at=at(start, hours=5), channel="email")
    workspace.log(dana.id, "scheduled", at=at(start, hours=5, minutes=10), scheduled_for=meeting)
    workspace.log(elena.id, "declined", at=at(start, days=1, hours=2), channel="email")
    print(f"  {_when(at(start, hours=5))}  {dana.name} accepted: a video call {_when(meeting)}.")
    print(f"  {_when(at(start, days=1, hours=2))}  {elena.name} declined, kindly.")
    print(f"  {ravi.name} has not answered.")
    print()
    rows = [(c.name, workspace.stage(c.id).value) for c in workspace.contacts()]
    print(textwrap.indent(_captured(table, ("CONTACT", "STAGE"), rows), "  "))
    return meeting


def _prepare(workspace: Workspace, dana: Contact, meeting: datetime) -> str:
    from infointerview.cli import story

    _section(5, f"Preparing: the agenda for {dana.name}")
    interview, plan = workspace.plan_interview(
        dana.id, at=meeting, goals=story.GOALS, minutes=25, medium="video"
    )
    sheet = workspace.render_agenda(interview.id, format="text", plan=plan)
    print(textwrap.indent(sheet.rstrip(), "  "))
    return interview.id


def _hold(workspace: Workspace, dana: Contact, interview_id: str, meeting: datetime) -> datetime:
    from infointerview import Contact
    from infointerview.cli import story
    from infointerview.cli.story import at

    _section(6, "The interview: notes, insights and two referrals")
    held = at(meeting, minutes=25)
    interview = workspace.record_interview(
        interview_id,
        held_at=held,
        notes=story.NOTES,
        insights=story.INSIGHTS,
        referrals=[Contact(**person) for person in story.REFERRALS],
        promised_followups=story.PROMISES,
    )
    print(f"  Held with {dana.name}, {_when(meeting)} to {_when(held)}.")
    print("  Insights:")
    for insight in interview.insights:
        print(f"    - {insight}")
    print("  Referrals gained:")
    for contact_id in interview.referrals:
        person = workspace.contact(contact_id)
        print(f"    - {person.name}, {person.role} at {person.organisation}")
    print(f"  Promised: {'; '.join(interview.promised_followups)}.")
    print("  What this relationship now asks of her:")
    for reminder in workspace.reminders(dana.id):
        print(f"    - {reminder.what}, at the latest {_when(reminder.overdue_at)}")
    return held


def _thank(workspace: Workspace, dana: Contact, interview_id: str, held: datetime) -> None:
    from infointerview.cli.commands.draft import print_message
    from infointerview.cli.story import at

    _section(7, "The thank-you, within 24 hours")
    now = at(held, hours=2, minutes=35)
    message = workspace.draft("thank_you", "email", dana.id, now=now, interview_id=interview_id)
    gap = now - held
    hours, minutes = divmod(int(gap.total_seconds()) // 60, 60)
    print(f"  Drafted {_when(now)}, {hours} h {minutes} min after the meeting:")
    print()
    print(textwrap.indent(_captured(print_message, message, dana.name), "  "))
    workspace.log(dana.id, "thanked", at=at(now, minutes=5), channel="email")
    print()
    print(f"  Sent and logged; {dana.name} is now at stage {workspace.stage(dana.id).value}.")


def _week_later(workspace: Workspace, held: datetime) -> None:
    from infointerview.cli.commands.due import due_rows, print_due
    from infointerview.cli.story import at

    later = at(held, days=7)
    _section(8, f"A week later ({_when(later)}): what is due")
    rows = due_rows(workspace, later)
    # Ids are random, so the demo leaves out the commands that name them.
    print(textwrap.indent(_captured(print_due, rows, later, False), "  "))
    _section(9, "How the search is going")
    print(textwrap.indent(workspace.report_text(later).rstrip(), "  "))
