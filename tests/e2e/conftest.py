"""Fixtures for running the ``infointerview`` console script as a subprocess.

Every run gets a private HOME and XDG_DATA_HOME. Workspaces that many tests
start from are built once by the command line itself and copied per test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

OWNER = "maya"


@attrs.frozen
class Result:
    """What one run of the command printed, and its exit status."""

    status: int
    out: str
    err: str

    def json(self) -> Any:
        """Standard output parsed as JSON."""
        return json.loads(self.out)


@attrs.frozen
class Cli:
    """Runs ``python -m infointerview.cli``; with ``db`` set, adds ``--db`` (and ``--owner``)."""

    env: dict[str, str]
    cwd: Path
    db: str | None = None
    owner: str | None = None

    def __call__(self, *args: str, db: bool = True) -> Result:
        argv = [sys.executable, "-m", "infointerview.cli", *args]
        if db and self.db is not None:
            argv += ["--db", self.db]
            if self.owner is not None and "--owner" not in args:
                argv += ["--owner", self.owner]
        done = subprocess.run(
            argv, env=self.env, cwd=self.cwd, capture_output=True, text=True, timeout=120
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def ok(self, *args: str, db: bool = True) -> Result:
        """Run and insist on exit status 0."""
        result = self(*args, db=db)
        assert result.status == 0, f"{args} failed ({result.status}): {result.err}"
        assert "Traceback" not in result.err
        return result

    def fails(self, status: int, *args: str, db: bool = True) -> Result:
        """Run, insist on ``status`` and on a short error without a traceback."""
        result = self(*args, db=db)
        assert result.status == status, f"{args}: {result.status} {result.out} {result.err}"
        assert "Traceback" not in result.err
        if status == 1:
            lines = result.err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("infointerview: error: "), result.err
        return result

    def add(self, name: str, *options: str) -> str:
        """Add a contact and return its full id."""
        return self.ok("contact", "add", name, "--quiet", *options).out.strip()

    def with_db(self, db: str, owner: str | None = None) -> Cli:
        """The same runner, passing ``--db db`` (and ``--owner``) after every command."""
        return attrs.evolve(self, db=db, owner=owner)


def private_env(tmp: Path, pycache: Path) -> dict[str, str]:
    """The environment with HOME and XDG_DATA_HOME inside ``tmp`` and no workspace overrides.

    Bytecode is cached under ``pycache`` (outside the source tree) so that
    each run does not compile every module again.
    """
    dropped = (
        "INFOINTERVIEW_DB",
        "INFOINTERVIEW_OWNER",
        "XDG_DATA_HOME",
        "PYTHONDONTWRITEBYTECODE",
    )
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    (tmp / "home").mkdir(exist_ok=True)
    (tmp / "data").mkdir(exist_ok=True)
    env.update(
        HOME=str(tmp / "home"),
        XDG_DATA_HOME=str(tmp / "data"),
        TZ="UTC",
        # The PostgreSQL plugin is not used here; blocking it keeps each run short.
        INFOINTERVIEW_DISABLE_PLUGINS="postgresql",
        PYTHONIOENCODING="utf-8",
        PYTHONPYCACHEPREFIX=str(pycache),
        COLUMNS="100",
    )
    return env


def copy_workspace(source: Path, target: Path) -> str:
    """Copy a SQLite workspace file (and any -wal/-shm beside it); returns the new URL."""
    for suffix in ("", "-wal", "-shm"):
        origin = source.with_name(source.name + suffix)
        if origin.exists():
            shutil.copy2(origin, target.with_name(target.name + suffix))
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def pycache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One bytecode cache for every run of the session."""
    return tmp_path_factory.mktemp("pycache")


@pytest.fixture
def cli(tmp_path: Path, pycache: Path) -> Cli:
    """A runner whose home and data directory are private to the test."""
    return Cli(env=private_env(tmp_path, pycache), cwd=tmp_path)


@pytest.fixture(scope="session")
def blank_workspace(tmp_path_factory: pytest.TempPathFactory, pycache: Path) -> Path:
    """A workspace made by `infointerview init` for Maya, once per session."""
    tmp = tmp_path_factory.mktemp("blank")
    runner = Cli(env=private_env(tmp, pycache), cwd=tmp)
    db = tmp / "ws.db"
    runner.ok("init", "--db", f"sqlite:///{db}", "--owner", OWNER, "--name", "Maya Lindqvist")
    return db


@pytest.fixture
def workspace_cli(cli: Cli, tmp_path: Path, blank_workspace: Path) -> Cli:
    """A runner bound to a fresh copy of Maya's empty workspace."""
    return cli.with_db(copy_workspace(blank_workspace, tmp_path / "ws.db"), OWNER)


@pytest.fixture(scope="session")
def story_workspace(
    tmp_path_factory: pytest.TempPathFactory, pycache: Path
) -> tuple[Path, str, str]:
    """Maya's profile, Jordan and Dana (referred by Jordan), made once by the command line."""
    tmp = tmp_path_factory.mktemp("story")
    db = tmp / "ws.db"
    runner = Cli(env=private_env(tmp, pycache), cwd=tmp).with_db(f"sqlite:///{db}", OWNER)
    runner.ok(
        "init", "--name", "Maya Lindqvist", "--email", "maya@example.org",
        "--field", "education technology", "--target", "learning design",
        "--background", "a science teacher of eight years",
    )  # fmt: skip
    jordan = runner.add("Jordan Okoye", "--source", "own_circle")
    dana = runner.add(
        "Dana Whitfield", "--org", "Brightpath Learning", "--role", "Learning Designer",
        "--field", "education technology", "--email", "dana@example.com", "--referrer", jordan,
    )  # fmt: skip
    return db, jordan, dana


@pytest.fixture
def story(cli: Cli, tmp_path: Path, story_workspace: tuple[Path, str, str]) -> tuple[Cli, str, str]:
    """A runner on a fresh copy of the story workspace, with Jordan's and Dana's ids."""
    db, jordan, dana = story_workspace
    return cli.with_db(copy_workspace(db, tmp_path / "ws.db"), OWNER), jordan, dana
