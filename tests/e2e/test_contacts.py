"""`contact add|list|show|edit|import` and `goals` against a real SQLite workspace."""

from __future__ import annotations

LINKEDIN_CSV = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ana,Silva,https://www.linkedin.com/in/ana-silva,ana@example.com,Northwind,Data Lead,"
    "01 Jan 2024\n"
    "Bo,Chen,https://www.linkedin.com/in/bo-chen,,Acme,Product Manager,02 Jan 2024\n"
)


def test_add_list_show_round_trip(workspace_cli):
    """A contact added with every option comes back whole from list and show."""
    jordan = workspace_cli.add("Jordan Okoye", "--source", "own_circle")
    dana = workspace_cli.add(
        "Dana Whitfield",
        "--org", "Brightpath Learning",
        "--role", "Senior Learning Designer",
        "--field", "education technology",
        "--referrer", "Jordan Okoye",
        "--email", "dana@example.com",
        "--linkedin", "https://www.linkedin.com/in/dana",
        "--tag", "design",
        "--tag", "warm",
        "--notes", "met at the spring fair",
        "--cadence-days", "30",
    )  # fmt: skip
    listed = {c["id"]: c for c in workspace_cli.ok("contact", "list", "--json").json()}
    assert set(listed) == {jordan, dana}
    row = listed[dana]
    assert row["source"] == "referral" and row["referrer_id"] == jordan
    assert row["tags"] == ["design", "warm"] and row["cadence_days"] == 30
    assert row["stage"] == "identified" and row["next_due"] is None
    shown = workspace_cli.ok("contact", "show", dana[:6], "--json").json()
    assert shown["contact"]["email"] == "dana@example.com"
    assert shown["events"] == [] and shown["stage"] == "identified"
    referrer = workspace_cli.ok("contact", "show", "jordan okoye", "--json").json()
    assert referrer["referred"] == [dana]
    text = workspace_cli.ok("contact", "show", dana).out
    assert "Referred by:  Jordan Okoye" in text and "Brightpath Learning" in text


def test_list_filters(workspace_cli):
    """list --org, --tag, --stage and --referrer each narrow the list."""
    a = workspace_cli.add("Ana Silva", "--org", "Northwind", "--tag", "data")
    b = workspace_cli.add("Bo Chen", "--org", "Acme", "--referrer", a)
    workspace_cli.ok("log", "asked", b, "--now", "2026-03-02T09:00+00:00")

    def ids(*options: str) -> list[str]:
        return [c["id"] for c in workspace_cli.ok("contact", "list", "--json", *options).json()]

    assert ids("--org", "Northwind") == [a]
    assert ids("--tag", "data") == [a]
    assert ids("--stage", "asked") == [b]
    assert ids("--referrer", "Ana Silva") == [b]
    assert "No contacts match." in workspace_cli.ok("contact", "list", "--org", "Nowhere").out


def test_edit_changes_fields_and_tags(workspace_cli):
    """edit replaces the fields given, adds and removes tags, and bumps the version."""
    dana = workspace_cli.add("Dana Whitfield", "--tag", "old", "--cadence-days", "30")
    workspace_cli.ok(
        "contact", "edit", dana, "--role", "Design Lead", "--add-tag", "mentor",
        "--remove-tag", "old", "--no-cadence",
    )  # fmt: skip
    contact = workspace_cli.ok("contact", "show", dana, "--json").json()["contact"]
    assert contact["role"] == "Design Lead" and contact["tags"] == ["mentor"]
    assert contact["cadence_days"] is None and contact["version"] == 2


def test_edit_with_nothing_to_change_is_a_user_error(workspace_cli):
    """edit without any option says so."""
    dana = workspace_cli.add("Dana Whitfield")
    workspace_cli.fails(1, "contact", "edit", dana)


def test_unknown_contact_is_a_user_error(workspace_cli):
    """Naming a contact that does not exist exits 1 for show, edit, log, plan and draft."""
    workspace_cli.add("Dana Whitfield")
    for args in (
        ("contact", "show", "Nobody"),
        ("contact", "edit", "Nobody", "--role", "x"),
        ("log", "asked", "Nobody", "--now", "2026-03-02T09:00+00:00"),
        ("plan", "Nobody", "--goal", "entry", "--at", "2026-03-05T15:00+00:00"),
        ("draft", "ask_cold", "Nobody", "--now", "2026-03-02T09:00+00:00"),
        ("contact", "add", "Someone", "--referrer", "Nobody"),
    ):
        result = workspace_cli.fails(1, *args)
        assert "Nobody" in result.err
    assert len(workspace_cli.ok("contact", "list", "--json").json()) == 1


def test_ambiguous_name_asks_for_the_id(workspace_cli):
    """Two contacts of the same name must be told apart by id."""
    first = workspace_cli.add("Sam Lee", "--org", "A")
    workspace_cli.add("Sam Lee", "--org", "B")
    result = workspace_cli.fails(1, "contact", "show", "Sam Lee")
    assert "matches 2 contacts" in result.err
    workspace_cli.ok("contact", "show", first)


def test_import_linkedin_file(workspace_cli, tmp_path):
    """import reads a LinkedIn export, tags every contact and skips repeats on a second run."""
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN_CSV)
    first = workspace_cli.ok("contact", "import", str(path), "--tag", "linkedin")
    assert "Added 2 contacts" in first.out
    assert first.err == ""  # no progress when stderr is not a terminal
    again = workspace_cli.ok("contact", "import", str(path))
    assert "Added 0 contacts" in again.out and "Skipped 2 rows" in again.out
    listed = workspace_cli.ok("contact", "list", "--json", "--tag", "linkedin").json()
    assert sorted(c["name"] for c in listed) == ["Ana Silva", "Bo Chen"]


def test_import_bad_file_is_a_user_error(workspace_cli, tmp_path):
    """A missing file or an unrecognised one exits 1 and stores nothing."""
    workspace_cli.fails(1, "contact", "import", str(tmp_path / "missing.csv"))
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02 not contacts")
    workspace_cli.fails(1, "contact", "import", str(junk))
    assert workspace_cli.ok("contact", "list", "--json").json() == []


def test_goals_list_and_custom_goal(workspace_cli):
    """goals lists the 13 standard goals; goals add keeps a custom one."""
    goals = workspace_cli.ok("goals", "--json").json()
    assert len(goals) == 13 and all(g["standard"] for g in goals)
    workspace_cli.ok("goals", "add", "learn_tools", "Learn the tools they use")
    keys = [g["key"] for g in workspace_cli.ok("goals", "list", "--json").json()]
    assert keys[-1] == "learn_tools"


def test_goal_that_asks_for_a_job_is_refused(workspace_cli):
    """A custom goal or a plan goal that asks for a job exits 1 with the reason."""
    for title in ("Get a job at Brightpath", "Be hired"):
        result = workspace_cli.fails(1, "goals", "add", "my_goal", title)
        assert "never for a job" in result.err
    dana = workspace_cli.add("Dana Whitfield")
    result = workspace_cli.fails(
        1, "plan", dana, "--goal", "get_a_job", "--at", "2026-03-05T15:00+00:00"
    )
    assert "never for a job" in result.err
    assert len(workspace_cli.ok("goals", "--json").json()) == 13
