"""The kit's pytest plugin: its fixtures, its registration, and its low cost."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pluggy
import pytest

from infointerview import PluginError, StoreFactory, Workspace, hookimpl
from infointerview.default_plugins.memory_store import MemoryStore
from infointerview.plugins import DEFAULT_PLUGINS


def test_infointerview_now_is_a_fixed_aware_datetime(infointerview_now: datetime) -> None:
    """The fixture is Monday 4 March 2024, 09:30 UTC."""
    assert infointerview_now == datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
    assert infointerview_now.utcoffset() is not None


def test_the_plugin_manager_factory_registers_only_what_it_is_given(
    infointerview_plugin_manager: Callable[..., pluggy.PluginManager],
) -> None:
    """The factory adds the given plugins to the defaults and refuses unknown hooks."""

    class Extra:
        @hookimpl
        def register_stores(self) -> list[StoreFactory]:
            return [StoreFactory(scheme="extra", open=lambda url, owner: MemoryStore(owner))]

    extra = Extra()
    manager = infointerview_plugin_manager(extra)
    names = {manager.get_name(p) for p in manager.get_plugins()}
    assert names == {*DEFAULT_PLUGINS, manager.get_name(extra)}

    class Typo:
        @hookimpl
        def register_storez(self) -> list[StoreFactory]:
            return []

    with pytest.raises(PluginError, match="register_storez"):
        infointerview_plugin_manager(Typo())


def test_the_workspace_factory_opens_fresh_private_workspaces(
    infointerview_workspace: Callable[..., Workspace], infointerview_owner: str
) -> None:
    """Each ``memory://`` workspace is empty, owned by the default owner unless told."""
    from infointerview import Contact

    first = infointerview_workspace()
    first.add_contact(Contact(name="Ada Lovelace"))
    second = infointerview_workspace(owner="kim")
    assert first.owner == infointerview_owner
    assert second.owner == "kim"
    assert second.contacts() == []
    assert len(first.contacts()) == 1


def _pytest_in(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_the_fixtures_reach_any_project_and_can_be_switched_off(tmp_path: Path) -> None:
    """A project outside this repository gets the fixtures; ``-p no:infointerview`` removes them."""
    (tmp_path / "test_uses_kit.py").write_text(
        textwrap.dedent(
            """
            def test_now(infointerview_now, infointerview_workspace):
                ws = infointerview_workspace()
                assert infointerview_now.tzinfo is not None
                assert ws.contacts() == []
            """
        ),
        encoding="utf-8",
    )
    with_kit = _pytest_in(tmp_path)
    assert with_kit.returncode == 0, with_kit.stdout + with_kit.stderr
    assert "1 passed" in with_kit.stdout
    without_kit = _pytest_in(tmp_path, "-p", "no:infointerview")
    assert without_kit.returncode == 1
    assert "fixture 'infointerview_now' not found" in without_kit.stdout


def test_loading_the_plugin_imports_neither_hypothesis_nor_the_plugin_machinery() -> None:
    """Importing the pytest plugin module leaves Hypothesis and plugin discovery unloaded."""
    code = """
        import sys
        import infointerview.testing.pytest_plugin
        loaded = [m for m in ("hypothesis", "infointerview.plugins", "infointerview.workspace")
                  if m in sys.modules]
        print(loaded)
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "[]"
