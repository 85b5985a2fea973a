"""`log`, `due` and `report`: a relationship from the ask to keeping in touch."""

from __future__ import annotations

MONDAY = "2026-03-02T09:00:00+00:00"


def _stage(cli, contact):
    return cli.ok("contact", "show", contact, "--json").json()["stage"]


def test_illegal_event_is_refused_and_writes_nothing(workspace_cli):
    """An event the stage does not allow exits 1, names the stage and changes nothing."""
    dana = workspace_cli.add("Dana Whitfield")
    result = workspace_cli.fails(1, "log", "met", dana, "--now", MONDAY)
    assert "'identified'" in result.err and "asked" in result.err
    result = workspace_cli.fails(1, "log", "thanked", dana, "--now", MONDAY)
    shown = workspace_cli.ok("contact", "show", dana, "--json").json()
    assert shown["events"] == [] and shown["interviews"] == [] and shown["stage"] == "identified"


def test_met_with_referrals_refused_before_scheduling_adds_no_one(workspace_cli):
    """A refused `met` adds neither the interview nor the referrals it carried."""
    dana = workspace_cli.add("Dana Whitfield")
    workspace_cli.ok("log", "asked", dana, "--now", MONDAY)
    workspace_cli.ok("log", "declined", dana, "--at", "2026-03-03T09:00+00:00")
    workspace_cli.fails(
        1, "log", "met", dana, "--at", "2026-03-04T09:00+00:00", "--referral", "New Person"
    )
    assert [c["name"] for c in workspace_cli.ok("contact", "list", "--json").json()] == [
        "Dana Whitfield"
    ]


def test_event_earlier_than_the_last_is_refused(workspace_cli):
    """Events are logged in time order; an earlier one exits 1."""
    dana = workspace_cli.add("Dana Whitfield")
    workspace_cli.ok("log", "asked", dana, "--now", MONDAY)
    workspace_cli.fails(1, "log", "replied", dana, "--at", "2026-03-01T09:00+00:00")


def test_whole_lifecycle_with_due(workspace_cli):
    """ask, schedule, meet with referrals, thank: `due` shows each reminder at its time."""
    dana = workspace_cli.add("Dana Whitfield", "--org", "Brightpath")
    workspace_cli.ok("log", "asked", dana, "--now", MONDAY, "--channel", "email")
    assert workspace_cli.ok("due", "--now", MONDAY, "--json").json() == []
    due = workspace_cli.ok("due", "--now", "2026-03-05T10:00+00:00", "--json").json()
    assert [(d["contact_id"], d["reason"]) for d in due] == [(dana, "approach_another")]
    workspace_cli.ok(
        "log", "scheduled", dana, "--at", "2026-03-05T11:00+00:00",
        "--for", "2026-03-09T15:00+00:00",
    )  # fmt: skip
    soon = workspace_cli.ok(
        "due", "--now", "2026-03-05T11:00+00:00", "--within", "7", "--json"
    ).json()
    assert "prepare" in [d["reason"] for d in soon] and not any(d["overdue"] for d in soon)
    met = workspace_cli.ok(
        "log", "met", dana, "--at", "2026-03-09T15:25+00:00",
        "--notes", "Talked about portfolios.",
        "--insight", "a portfolio beats a certificate",
        "--promise", "send my storyboard",
        "--referral", "Tomás Ruiz;Brightpath;Instructional Designer;tomas@example.com",
        "--referral", "Aisha Karim;LearnLoop",
    )  # fmt: skip
    assert "stage scheduled -> met" in met.out
    assert "thank-you" in met.out and "at the latest Tue 10 Mar 2026 15:25" in met.out
    shown = workspace_cli.ok("contact", "show", dana, "--json").json()
    (interview,) = shown["interviews"]
    assert interview["at"] == "2026-03-09T15:00:00+00:00"
    assert interview["held_at"] == "2026-03-09T15:25:00+00:00"
    assert interview["insights"] == ["a portfolio beats a certificate"]
    assert len(interview["referrals"]) == 2 and len(shown["referred"]) == 2
    referred = workspace_cli.ok("contact", "list", "--json", "--referrer", dana).json()
    assert sorted(c["name"] for c in referred) == ["Aisha Karim", "Tomás Ruiz"]
    assert all(c["source"] == "referral" for c in referred)
    due = workspace_cli.ok("due", "--now", "2026-03-10T16:00+00:00", "--json").json()
    assert [(d["reason"], d["overdue"]) for d in due] == [("thank_you", True)]
    text = workspace_cli.ok("due", "--now", "2026-03-10T16:00+00:00").out
    assert f"infointerview draft thank_you {dana[:8]}" in text
    workspace_cli.ok("log", "thanked", dana, "--at", "2026-03-10T16:05+00:00")
    assert workspace_cli.ok("due", "--now", "2026-03-10T16:05+00:00", "--json").json() == []
    assert _stage(workspace_cli, dana) == "thanked"
    workspace_cli.ok("log", "touched", dana, "--at", "2026-04-01T09:00+00:00", "--note", "article")
    assert _stage(workspace_cli, dana) == "in_touch"


def test_met_without_a_plan_records_an_interview(workspace_cli):
    """`log met` with no planned interview creates one at the scheduled time."""
    dana = workspace_cli.add("Dana Whitfield")
    workspace_cli.ok("log", "asked", dana, "--now", MONDAY)
    workspace_cli.ok("log", "accepted", dana, "--at", "2026-03-02T12:00+00:00")
    workspace_cli.ok(
        "log", "scheduled", dana, "--at", "2026-03-02T12:05+00:00",
        "--for", "2026-03-04T10:00+00:00",
    )  # fmt: skip
    workspace_cli.ok("log", "met", dana, "--at", "2026-03-04T10:30+00:00")
    (interview,) = workspace_cli.ok("contact", "show", dana, "--json").json()["interviews"]
    assert interview["at"] == "2026-03-04T10:00:00+00:00"


def test_referred_event_links_an_existing_contact(workspace_cli):
    """`log referred --related` records who was introduced without a new contact."""
    jordan = workspace_cli.add("Jordan Okoye")
    dana = workspace_cli.add("Dana Whitfield")
    workspace_cli.ok("log", "referred", jordan, "--related", dana, "--now", MONDAY)
    (event,) = workspace_cli.ok("contact", "show", jordan, "--json").json()["events"]
    assert event["kind"] == "referred" and event["related_contact_id"] == dana
    workspace_cli.fails(1, "log", "referred", jordan, "--now", MONDAY)


def test_unanswered_ask_comes_due_for_a_nudge(workspace_cli):
    """Seven business days of silence bring a nudge; --json and text agree."""
    ravi = workspace_cli.add("Ravi Menon", "--org", "Tutorly")
    workspace_cli.ok("log", "asked", ravi, "--now", MONDAY)
    due = workspace_cli.ok("due", "--now", "2026-03-11T10:00+00:00", "--json").json()
    assert {d["reason"] for d in due} == {"nudge", "approach_another"}
    text = workspace_cli.ok("due", "--now", "2026-03-11T10:00+00:00").out
    assert "infointerview contact list --org Tutorly" in text
    assert f"infointerview draft follow_up {ravi[:8]}" in text
    workspace_cli.ok("log", "followed_up", ravi, "--at", "2026-03-11T10:00+00:00")
    due = workspace_cli.ok("due", "--now", "2026-03-11T10:00+00:00", "--json").json()
    assert due == []


def test_nothing_due_in_an_empty_workspace(workspace_cli):
    """An empty workspace has nothing due, in text and JSON."""
    assert "Nothing is due" in workspace_cli.ok("due", "--now", MONDAY).out
    assert workspace_cli.ok("due", "--now", MONDAY, "--json").json() == []
