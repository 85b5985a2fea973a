"""Every Python block of docs/questions.md runs, in order, against the real API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "questions.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def test_questions_doc_examples_run(infointerview_workspace, capsys) -> None:
    """The examples execute in one namespace and print what the comments say."""
    pytest.importorskip("infointerview_messages")  # the first example renders a run sheet
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    runnable = [b for b in blocks if not b.lstrip().startswith("@infointerview.hookimpl")]
    assert len(runnable) >= 9
    namespace: dict[str, object] = {"__name__": "questions_doc"}
    for block in runnable:
        exec(compile(block, str(DOC), "exec"), namespace)
    namespace["test_tools_plugin"](infointerview_workspace)  # type: ignore[operator]
    printed = capsys.readouterr().out
    for line in (
        "()",
        "True",
        "RUN SHEET: conversation with Lee Park, Kite Labs",
        "it starts with 'do', so it can be answered with yes or no",
        "['Which habit helped you most in your first year?', "
        "'How do you prepare for a hard conversation with a client?']",
        "Which parts of a background in nursing carry over into user research, "
        "and which gaps show first?",
        "['Which skills matter most?', 'What would you do in my place?', "
        "'Who else should I talk to?']",
        "() 0.0",
        "['00:00', '03:00', '05:00', '07:30', '09:00', '09:00', '12:00']",
    ):
        assert line in printed.splitlines(), line
    assert printed.count("True") == 3
