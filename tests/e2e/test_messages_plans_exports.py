"""`draft`, `plan`, `report` and `export` through the installed plugins."""

from __future__ import annotations

import email
import email.policy
import json
import stat

MONDAY = "2026-03-02T09:00:00+00:00"


def test_draft_names_the_referrer_and_shows_the_checks(story):
    """A referred ask names the referrer, and the check findings are printed."""
    cli, _jordan, dana = story
    result = cli.ok("draft", "ask_referred", dana, "--now", MONDAY)
    assert "Jordan Okoye" in result.out and "not for a job" in result.out
    assert "Checks:" in result.out
    shown = cli.ok("contact", "show", dana, "--json").json()
    (message,) = shown["messages"]
    assert message["kind"] == "ask_referred" and message["created_at"] == MONDAY


def test_draft_writes_a_private_eml_file(story, tmp_path):
    """--eml writes an owner-only RFC 5322 file from the seeker to the contact."""
    cli, _jordan, dana = story
    path = tmp_path / "ask.eml"
    cli.ok("draft", "ask_referred", dana, "--now", MONDAY, "--eml", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert parsed["From"] == "Maya Lindqvist <maya@example.org>"
    assert parsed["To"] == "dana@example.com"
    assert "Jordan Okoye" in parsed["Subject"]
    assert "Jordan Okoye" in parsed.get_content()


def test_draft_eml_needs_the_email_channel(story, tmp_path):
    """--eml with another channel is a usage error and writes nothing."""
    cli, _jordan, dana = story
    path = tmp_path / "note.eml"
    cli.fails(2, "draft", "ask_referred", dana, "--channel", "linkedin_note", "--eml", str(path))
    assert not path.exists()


def test_draft_unknown_kind_or_job_request_is_a_user_error(story):
    """A kind without a template, or a kind asking for a job, exits 1 and saves nothing."""
    cli, _jordan, dana = story
    cli.fails(1, "draft", "ask_referred", dana, "--channel", "card", "--now", MONDAY)
    result = cli.fails(1, "draft", "get_a_job", dana, "--now", MONDAY)
    assert "never for a job" in result.err
    assert cli.ok("contact", "show", dana, "--json").json()["messages"] == []


def test_draft_list_names_the_kinds(story):
    """draft --list shows the message kinds with their channels."""
    cli, _jordan, _dana = story
    listed = cli.ok("draft", "--list").out
    for kind in ("ask_referred", "ask_cold", "thank_you", "follow_up", "elevator_pitch"):
        assert kind in listed


def test_strict_draft_fails_on_a_warning(story):
    """--strict exits 1 when a check warns (a thank-you days after the meeting), else 0."""
    cli, _jordan, dana = story
    cli.ok("log", "asked", dana, "--now", MONDAY)
    cli.ok("log", "scheduled", dana, "--at", MONDAY, "--for", "2026-03-03T10:00+00:00")
    cli.ok("log", "met", dana, "--at", "2026-03-03T10:30+00:00", "--insight", "build a portfolio")
    late = cli("draft", "thank_you", dana, "--now", "2026-03-09T10:00+00:00", "--strict")
    assert late.status == 1 and "warning" in late.out and "--strict" not in late.err
    assert late.err.startswith("infointerview: error: the draft has")
    assert cli.ok("contact", "show", dana, "--json").json()["messages"] == []
    on_time = cli.ok("draft", "thank_you", dana, "--now", "2026-03-03T12:00+00:00", "--strict")
    assert "build a portfolio" in on_time.out
    (kept,) = cli.ok("contact", "show", dana, "--json").json()["messages"]
    assert kept["kind"] == "thank_you"


def test_plan_prints_a_run_sheet_and_stores_the_interview(story):
    """plan covers the goals within the time and keeps the agenda with the interview."""
    cli, _jordan, dana = story
    cli.ok("log", "asked", dana, "--now", MONDAY)
    cli.ok("log", "scheduled", dana, "--at", MONDAY, "--for", "2026-03-05T15:00+00:00")
    sheet = cli.ok("plan", dana, "--goal", "entry", "--goal", "new_contacts")
    assert "Opening" in sheet.out and "25 minutes" in sheet.out
    data = cli.ok(
        "plan", dana, "--goal", "entry", "--minutes", "20", "--format", "markdown", "--json"
    ).json()
    assert data["interview"]["minutes"] == 20 and data["run_sheet"].startswith("#")
    interviews = cli.ok("contact", "show", dana, "--json").json()["interviews"]
    assert len(interviews) == 2
    assert all(i["at"] == "2026-03-05T15:00:00+00:00" and i["agenda"] for i in interviews)
    budget = sum(q["minutes"] for q in data["interview"]["agenda"])
    assert budget <= 20


def test_plan_without_a_time_is_a_user_error(story):
    """plan with no --at and nothing scheduled says how to give the time."""
    cli, _jordan, dana = story
    result = cli.fails(1, "plan", dana, "--goal", "entry")
    assert "--at" in result.err


def test_report_counts_the_funnel(story):
    """report --json counts the funnel and the referral; the text names the steps."""
    cli, jordan, dana = story
    cli.ok("log", "asked", dana, "--now", MONDAY, "--channel", "email")
    cli.ok("log", "scheduled", dana, "--at", MONDAY, "--for", "2026-03-03T10:00+00:00")
    data = cli.ok("report", "--now", "2026-03-04T09:00+00:00", "--json").json()
    assert data["funnel"]["found"] == 2 and data["funnel"]["asked"] == 1
    assert data["funnel"]["scheduled"] == 1
    assert [row["key"] for row in data["by_channel"]] == ["email"]
    text = cli.ok("report", "--now", "2026-03-04T09:00+00:00").out
    assert "Funnel" in text and "Jordan Okoye" in text
    assert jordan != dana


def test_export_json_and_ics(story, tmp_path):
    """export json holds every contact; export ics holds the scheduled interview."""
    cli, _jordan, dana = story
    cli.ok("log", "asked", dana, "--now", MONDAY)
    cli.ok("log", "scheduled", dana, "--at", MONDAY, "--for", "2026-03-05T15:00+00:00")
    out = tmp_path / "all.json"
    result = cli.ok("export", "json", "-o", str(out), "--now", MONDAY)
    assert result.err == "" and stat.S_IMODE(out.stat().st_mode) == 0o600
    document = json.loads(out.read_text())
    assert sorted(c["name"] for c in document["contacts"]) == ["Dana Whitfield", "Jordan Okoye"]
    one = cli.ok("export", "json", "--contact", dana).json()
    assert one["contact"]["id"] == dana and len(one["relationship"]["events"]) == 2
    calendar = cli.ok("export", "ics", "--now", MONDAY).out
    assert calendar.startswith("BEGIN:VCALENDAR") and "Dana Whitfield" in calendar
    assert "DTSTART:20260305T150000Z" in calendar or "20260305T150000" in calendar


def test_export_unknown_format_is_a_user_error(story):
    """An exporter nobody registered names the known ones."""
    cli, _jordan, _dana = story
    result = cli.fails(1, "export", "xml", "--now", MONDAY)
    assert "ics" in result.err and "json" in result.err


def test_failures_before_writing_keep_nothing(story, tmp_path):
    """--eml without a sender address or directory, and a plan with no run sheet, store nothing."""
    import attrs

    cli, _jordan, dana = story
    cli.fails(1, "draft", "ask_referred", dana, "--eml", str(tmp_path / "no" / "x.eml"))
    anonymous = cli.with_db(cli.db, "someone-else")
    other = anonymous.add("Ravi Menon", "--email", "ravi@example.net")
    result = anonymous.fails(1, "draft", "ask_cold", other, "--eml", str(tmp_path / "x.eml"))
    assert "init --email" in result.err
    assert anonymous.ok("contact", "show", other, "--json").json()["messages"] == []
    blocked = attrs.evolve(
        cli, env={**cli.env, "INFOINTERVIEW_DISABLE_PLUGINS": "postgresql,questions"}
    )
    refused = blocked.fails(1, "plan", dana, "--goal", "entry", "--at", "2026-03-05T15:00+00:00")
    assert "run sheet" in refused.err
    shown = cli.ok("contact", "show", dana, "--json").json()
    assert shown["messages"] == [] and shown["interviews"] == []
