"""The runnable example of docs/testing.md runs and passes in a project of its own."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from infointerview.plugins import DISABLE_ENV, ENTRY_POINT_GROUP

ROOT = Path(__file__).resolve().parents[2]
TESTING_DOC = ROOT / "docs" / "testing.md"
FENCE = re.compile(r"^```python\n# file: (?P<path>\S+)\n(?P<body>.*?)^```", re.M | re.S)


@pytest.mark.slow
def test_the_documented_conformance_module_passes(tmp_path: Path) -> None:
    """The ``# file: test_my_store.py`` block, run by pytest, passes every test it defines.

    Other installed plugins are blocked, so one under development elsewhere cannot break it.
    """
    (block,) = [m for m in FENCE.finditer(TESTING_DOC.read_text("utf-8"))]
    assert block.group("path") == "test_my_store.py"
    (tmp_path / "test_my_store.py").write_text(block.group("body"), "utf-8")
    installed = {ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_my_store.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, DISABLE_ENV: ",".join(sorted(installed))},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    passed = re.search(r"(\d+) passed", done.stdout)
    assert passed is not None and int(passed.group(1)) >= 45, done.stdout
    assert "failed" not in done.stdout
