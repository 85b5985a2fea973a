"""The console script's shape: help, version, usage errors and a light start."""

from __future__ import annotations

import subprocess
import sys

import pytest

from infointerview import __version__
from infointerview.cli.app import COMMANDS


def test_help_lists_every_command(cli):
    """`--help` exits 0 and names every command."""
    result = cli.ok("--help", db=False)
    for name in COMMANDS:
        assert f"    {name} " in result.out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(cli, command):
    """Each command's `--help` exits 0 and offers --db and --owner."""
    result = cli.ok(command, "--help", db=False)
    assert "--db URL" in result.out and "--owner NAME" in result.out


def test_version(cli):
    """`--version` prints the library's version."""
    assert cli.ok("--version", db=False).out.strip() == f"infointerview {__version__}"


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("frobnicate",),
        ("contact",),
        ("contact", "add"),
        ("log", "asked"),
        ("log", "waved", "someone"),
        ("due", "--now", "next tuesday"),
        ("plan", "someone"),
        ("contact", "add", "X", "--cadence-days", "0"),
        ("log", "scheduled", "someone", "--now", "2026-03-02T09:00+00:00"),
        ("log", "asked", "someone", "--insight", "too early"),
    ],
)
def test_usage_errors_exit_2(cli, args):
    """Malformed command lines exit with status 2 and a usage message, never a traceback."""
    result = cli.fails(2, *args, db=False)
    assert "usage:" in result.err


def test_console_script_is_installed():
    """The `infointerview` script from the package metadata resolves to the CLI's main."""
    from importlib.metadata import entry_points

    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "infointerview"]
    assert script.value == "infointerview.cli:main"
    from infointerview.cli import main

    assert script.load() is main


def test_help_loads_no_plugin_or_heavy_module():
    """Building the parser imports neither the plugin machinery nor any storage or template code."""
    code = (
        "import sys\n"
        "from infointerview.cli.app import build_parser\n"
        "build_parser().format_help()\n"
        "heavy = ['pluggy', 'cattrs', 'jinja2', 'sqlite3', 'psycopg', 'icalendar',\n"
        "         'infointerview.workspace', 'infointerview.plugins']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_every_command_is_documented():
    """docs/cli.md has a section for every command and names every contact action."""
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"\n## `{name}" in page, f"docs/cli.md has no section for `{name}`"
        assert f"$ infointerview {name}" in page, f"docs/cli.md shows no `{name}` session"
    for action in ("add", "list", "show", "edit", "import"):
        assert f"`contact {action}" in page
