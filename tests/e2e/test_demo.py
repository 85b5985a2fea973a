"""`infointerview demo`: the README's main job, end to end."""

from __future__ import annotations

SECTIONS = (
    "1. The seeker and her goals",
    "2. Finding people: a referral, an alumni list, a cold source",
    "3. Asking for 20-30 minutes, every draft checked",
    "4. Replies: one yes, one no, one silence",
    "5. Preparing: the agenda for Dana Whitfield",
    "6. The interview: notes, insights and two referrals",
    "7. The thank-you, within 24 hours",
    "8. A week later",
    "9. How the search is going",
)


def test_demo_tells_the_whole_story_the_same_way_twice(cli, tmp_path):
    """The demo prints every section, the same bytes each run, and leaves no files behind."""
    first = cli.ok("demo", db=False)
    second = cli.ok("demo", db=False)
    assert first.out == second.out and first.err == ""
    positions = [first.out.index(title) for title in SECTIONS]
    assert positions == sorted(positions)
    out = first.out
    assert "refused" in out and "never for a job" in out
    assert out.count("Checks:") == 4
    assert "RUN SHEET" in out.upper() and "Agreed end" in out
    assert "Tomás Ruiz" in out and "Aisha Karim" in out
    assert "2 h 35 min after the meeting" in out
    assert "send one short follow-up" in out
    assert "Funnel" in out
    assert not (tmp_path / "data" / "infointerview").exists()


def test_demo_in_a_given_workspace_keeps_its_data(cli, tmp_path):
    """With --db and --now the story starts then and stays in the workspace afterwards."""
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    result = cli.ok("demo", "--db", db, "--now", "2026-06-01T10:00+02:00", db=False)
    assert "Mon 01 Jun 2026 10:00" in result.out
    contacts = cli.ok("contact", "list", "--json", "--db", db, "--owner", "demo", db=False)
    stages = {c["name"]: c["stage"] for c in contacts.json()}
    assert stages["Dana Whitfield"] == "thanked"
    assert stages["Elena Petrova"] == "declined"
    assert stages["Ravi Menon"] == "asked"
    assert stages["Tomás Ruiz"] == "identified"
    again = cli.fails(1, "demo", "--db", db, db=False)
    assert "already holds data" in again.err
