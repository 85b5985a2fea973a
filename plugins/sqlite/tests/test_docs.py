"""docs/sqlite.md stays true: its example runs, its tables match the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from infointerview_sqlite.schema import MIGRATIONS
from infointerview_sqlite.url import SYNCHRONOUS_MODES

DOC = Path(__file__).resolve().parents[3] / "docs" / "sqlite.md"

pytestmark = pytest.mark.skipif(not DOC.exists(), reason="docs/ is not beside this plugin")


def _text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_the_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every python block of the page runs, with the data directory in a temporary place."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    blocks = re.findall(r"```python\n(.*?)```", _text(), flags=re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), {})
    assert (tmp_path / "infointerview" / "workspace.db").exists()


def test_every_migration_is_listed() -> None:
    """The migrations table has one row per schema version."""
    rows = re.findall(r"^\| (\d+) \|", _text(), flags=re.MULTILINE)
    assert [int(r) for r in rows] == [m.version for m in MIGRATIONS]


def test_the_synchronous_values_are_the_accepted_ones() -> None:
    """The options table lists exactly the synchronous modes the URL parser accepts."""
    row = next(line for line in _text().splitlines() if line.startswith("| `synchronous`"))
    assert re.findall(r"`(\w+)`", row.split("|")[2]) == list(SYNCHRONOUS_MODES)
