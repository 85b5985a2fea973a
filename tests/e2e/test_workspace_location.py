"""Where the workspace lives, who owns it, and what happens when its file is bad."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from infointerview.cli.config import sqlite_url


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_uses_the_xdg_data_directory(cli, tmp_path):
    """Without --db, init creates an owner-only workspace under $XDG_DATA_HOME."""
    result = cli.ok("init", "--owner", "maya", "--name", "Maya Lindqvist", db=False)
    home = tmp_path / "data" / "infointerview"
    db = home / "workspace.db"
    assert db.exists() and str(db) in result.out
    assert _mode(db) == 0o600 and _mode(home) == 0o700
    config = json.loads((home / "config.json").read_text())
    assert _mode(home / "config.json") == 0o600
    assert config["default"] == sqlite_url(db)
    assert config["workspaces"][sqlite_url(db)] == {"owner": "maya"}


def test_init_falls_back_to_home_without_xdg(cli, tmp_path):
    """With no XDG_DATA_HOME, the workspace goes to ~/.local/share/infointerview."""
    env = {k: v for k, v in cli.env.items() if k != "XDG_DATA_HOME"}
    bare = type(cli)(env=env, cwd=cli.cwd)
    bare.ok("init", "--owner", "maya", db=False)
    assert (tmp_path / "home" / ".local" / "share" / "infointerview" / "workspace.db").exists()
    assert not (tmp_path / "data" / "infointerview").exists()


def test_later_commands_find_the_default_workspace_and_owner(cli):
    """After init, commands need neither --db nor --owner."""
    cli.ok("init", "--owner", "maya", db=False)
    cli.ok("contact", "add", "Dana Whitfield", "--org", "Brightpath", db=False)
    listed = cli.ok("contact", "list", "--json", db=False).json()
    assert [c["name"] for c in listed] == ["Dana Whitfield"]
    other = cli.ok("contact", "list", "--json", "--owner", "someone-else", db=False).json()
    assert other == []


def test_options_go_before_or_after_the_command(cli, tmp_path):
    """--db and --owner work before the command as well as after it."""
    db = f"sqlite:///{tmp_path / 'x.db'}"
    cli.ok("--db", db, "--owner", "ana", "init", db=False)
    cli.ok("--db", db, "--owner", "ana", "contact", "add", "Ravi Menon", db=False)
    after = cli.ok("contact", "list", "--json", "--db", db, "--owner", "ana", db=False).json()
    assert [c["name"] for c in after] == ["Ravi Menon"]


def test_init_records_the_owner_of_each_workspace(cli, tmp_path):
    """Each workspace set up by init keeps its own owner; the last init is the default."""
    first = f"sqlite:///{tmp_path / 'a.db'}"
    second = f"sqlite:///{tmp_path / 'b.db'}"
    cli.ok("init", "--db", first, "--owner", "ana", db=False)
    cli.ok("contact", "add", "In A", "--db", first, db=False)
    cli.ok("init", "--db", second, "--owner", "ben", db=False)
    cli.ok("contact", "add", "In B", db=False)
    assert [
        c["name"] for c in cli.ok("contact", "list", "--json", "--db", first, db=False).json()
    ] == ["In A"]
    assert [c["name"] for c in cli.ok("contact", "list", "--json", db=False).json()] == ["In B"]


def test_relative_sqlite_url_is_stored_absolute(cli, tmp_path):
    """A relative sqlite URL given to init still works from another directory."""
    cli.ok("init", "--db", "sqlite:///rel.db", "--owner", "ana", db=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    moved = type(cli)(env=cli.env, cwd=elsewhere)
    moved.ok("contact", "add", "Someone", db=False)
    assert (tmp_path / "rel.db").exists() and not (elsewhere / "rel.db").exists()


def test_owners_are_walled_off(workspace_cli):
    """Two owners of one database never see each other's contacts."""
    workspace_cli.add("Dana Whitfield")
    theirs = workspace_cli.ok("contact", "list", "--json", "--owner", "intruder").json()
    assert theirs == []
    workspace_cli.fails(1, "contact", "show", "Dana Whitfield", "--owner", "intruder")


def test_missing_workspace_is_a_user_error(cli):
    """A command before init says to run init, with status 1 and no traceback."""
    result = cli.fails(1, "contact", "list", db=False)
    assert "infointerview init" in result.err


def test_missing_database_file_is_not_created(cli, tmp_path):
    """Naming a sqlite file that does not exist fails and creates nothing."""
    db = tmp_path / "typo.db"
    cli.fails(1, "contact", "list", "--db", f"sqlite:///{db}", db=False)
    assert not db.exists()


@pytest.mark.parametrize(
    "content",
    [b"this is not a database\n" * 20, b"SQLite format 3\x00" + b"\xff" * 4000, os.urandom(8192)],
    ids=["text", "bad-header", "random"],
)
def test_corrupt_database_is_a_user_error(cli, tmp_path, content):
    """A file that is not an SQLite database is refused in one line, and left untouched."""
    db = tmp_path / "corrupt.db"
    db.write_bytes(content)
    result = cli.fails(1, "contact", "list", "--db", f"sqlite:///{db}", db=False)
    assert "corrupt.db" in result.err
    assert db.read_bytes() == content


def test_directory_as_database_is_a_user_error(cli, tmp_path):
    """A directory where the database should be is refused in one line."""
    (tmp_path / "adir").mkdir()
    cli.fails(1, "contact", "list", "--db", f"sqlite:///{tmp_path / 'adir'}", db=False)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_database_is_a_user_error(workspace_cli, tmp_path):
    """A database file without read permission is refused in one line."""
    db = tmp_path / "ws.db"
    db.chmod(0)
    try:
        result = workspace_cli.fails(1, "contact", "list")
    finally:
        db.chmod(0o600)
    assert "ws.db" in result.err


def test_unknown_store_scheme_is_a_user_error(cli):
    """A URL whose scheme no plugin serves names the known schemes."""
    result = cli.fails(1, "contact", "list", "--db", "nosuch://x", db=False)
    assert "sqlite" in result.err


def test_damaged_config_file_is_a_user_error(cli, tmp_path):
    """A config file that is not JSON is reported with its path."""
    home = tmp_path / "data" / "infointerview"
    home.mkdir(parents=True)
    (home / "config.json").write_text("{not json")
    result = cli.fails(1, "contact", "list", db=False)
    assert "config.json" in result.err


def test_env_variables_name_the_workspace(cli, tmp_path):
    """INFOINTERVIEW_DB and INFOINTERVIEW_OWNER stand in for --db and --owner."""
    db = f"sqlite:///{tmp_path / 'env.db'}"
    cli.ok("init", "--db", db, "--owner", "ana", db=False)
    env = {**cli.env, "INFOINTERVIEW_DB": db, "INFOINTERVIEW_OWNER": "ana"}
    runner = type(cli)(env=env, cwd=cli.cwd)
    (tmp_path / "data" / "infointerview" / "config.json").unlink()
    runner.ok("contact", "add", "Via Env", db=False)
    assert [c["name"] for c in runner.ok("contact", "list", "--json", db=False).json()] == [
        "Via Env"
    ]
