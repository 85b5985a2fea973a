"""The tutorial's code blocks run, in order, against the installed plugins."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial.md"


def test_tutorial_blocks_run_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    """Every python block of docs/tutorial.md runs, and the printed milestones appear."""
    pytest.importorskip("infointerview_messages")
    pytest.importorskip("infointerview_questions")
    blocks = re.findall(r"```python\n(.*?)```", TUTORIAL.read_text(), re.DOTALL)
    assert len(blocks) >= 8
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, 1):
        exec(compile(block, f"tutorial block {number}", "exec"), namespace)
    printed = capsys.readouterr().out
    assert "refused:" in printed
    assert "someone else changed Lee first" in printed
    assert "Priya Shah" in printed
    assert "met 1" in printed
    assert printed.rstrip().endswith("erased")


def test_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's taste of the API runs and prints the stage and two reminders."""
    readme = TUTORIAL.parents[1] / "README.md"
    blocks = re.findall(r"```python\n(.*?)```", readme.read_text(), re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, "README", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("asked\n")
    assert "nudge" in printed and "approach_another" in printed
