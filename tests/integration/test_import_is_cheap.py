"""``import infointerview`` loads the pure domain only: no plugins, no entry-point scan.

Each check runs in a fresh interpreter, since this test process has long
imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

HEAVY = ("jinja2", "sqlite3", "psycopg", "pluggy", "cattrs", "hypothesis", "importlib.metadata")


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_import_loads_no_plugin_machinery_nor_backend() -> None:
    """After ``import infointerview`` none of the heavy modules is in ``sys.modules``."""
    out = _run(
        """
        import json, sys
        before = set(sys.modules)
        import infointerview
        from infointerview import Contact, Stage, fold, STANDARD_GOALS, plan_agenda
        print(json.dumps({"before": sorted(before), "after": sorted(sys.modules)}))
        """
    )
    seen = json.loads(out)
    loaded = set(seen["after"]) - set(seen["before"])
    for heavy in HEAVY:
        if heavy in seen["before"]:
            pytest.fail(f"{heavy} was loaded by the interpreter itself; the check is void")
        assert not {m for m in loaded if m == heavy or m.startswith(heavy + ".")}, heavy
    assert not any(m.startswith("infointerview.default_plugins") for m in loaded)
    assert "infointerview.plugins" not in loaded
    assert "infointerview.workspace" not in loaded


def test_import_scans_no_entry_points() -> None:
    """Importing and using the domain never calls ``importlib.metadata.entry_points``."""
    out = _run(
        """
        import importlib.metadata as md
        calls = []
        real = md.entry_points
        def spy(*args, **kwargs):
            calls.append(kwargs.get("group"))
            return real(*args, **kwargs)
        md.entry_points = spy
        import infointerview
        from datetime import datetime, timezone
        event = infointerview.Event(
            contact_id="c1", kind="asked", at=datetime(2024, 1, 1, tzinfo=timezone.utc)
        )
        infointerview.fold([event])
        infointerview.GoalCatalog().resolve(["entry"])
        print(len(calls))
        """
    )
    assert out.strip() == "0"


def test_the_spy_sees_a_scan_when_plugins_are_loaded() -> None:
    """The entry-point spy of the test above does notice a real plugin discovery."""
    out = _run(
        """
        import importlib.metadata as md
        calls = []
        real = md.entry_points
        def spy(*args, **kwargs):
            calls.append(kwargs.get("group"))
            return []  # see the scan, load none of the installed plugins
        md.entry_points = spy
        from infointerview.plugins import load_plugin_manager
        load_plugin_manager()
        print(calls.count("infointerview"))
        """
    )
    assert out.strip() == "1"


def test_lazy_names_load_on_first_use() -> None:
    """``infointerview.Workspace`` and ``infointerview.dumps`` import their modules when touched."""
    out = _run(
        """
        import sys
        import infointerview
        assert "infointerview.serialization" not in sys.modules
        infointerview.dumps
        print("infointerview.serialization" in sys.modules, "cattrs" in sys.modules)
        """
    )
    assert out.split() == ["True", "True"]
