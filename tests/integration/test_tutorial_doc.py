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
