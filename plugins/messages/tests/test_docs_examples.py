"""Every Python block of docs/messages.md runs, in order, against the real API."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[3] / "docs" / "messages.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def test_messages_doc_examples_run(infointerview_workspace, capsys) -> None:
    """The examples execute in one namespace; the documented test function passes too."""
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    runnable = [b for b in blocks if not b.lstrip().startswith("@infointerview.hookimpl")]
    assert len(runnable) >= 7
    namespace: dict[str, object] = {"__name__": "messages_doc"}
    for block in runnable:
        exec(compile(block, str(DOC), "exec"), namespace)
    namespace["test_shouting_plugin"](infointerview_workspace)  # type: ignore[operator]
    printed = capsys.readouterr().out
    assert "ask_referred" in printed
    assert "Lee Park suggested I contact you" in printed
    assert "True ()" in printed
