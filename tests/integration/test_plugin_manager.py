"""The plugin manager: defaults, entry points, the blocklist, failures named by plugin."""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pluggy
import pytest

from infointerview import (
    DuplicateError,
    PluginError,
    StoreFactory,
    hookimpl,
    open_workspace,
)
from infointerview.default_plugins.memory_store import MemoryStore
from infointerview.plugins import (
    DEFAULT_PLUGINS,
    DISABLE_ENV,
    ENTRY_POINT_GROUP,
    get_plugin_manager,
    load_plugin_manager,
    registered,
    reset_plugin_manager,
)


def _module(name: str, **hooks: Callable[[], Any]) -> ModuleType:
    """A plugin module whose attributes are the given hook implementations."""
    module = ModuleType(name)
    for hook_name, function in hooks.items():
        setattr(module, hook_name, hookimpl(function))
    return module


def _store(scheme: str) -> Callable[[], list[StoreFactory]]:
    return lambda: [StoreFactory(scheme=scheme, open=lambda url, owner: MemoryStore(owner))]


class FakeEntryPoints:
    """Stands in for ``importlib.metadata.entry_points``, counting the scans of our group."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.points: list[importlib.metadata.EntryPoint] = []
        self.scans = 0
        monkeypatch.setattr(importlib.metadata, "entry_points", self)

    def add(self, name: str, value: str, module: ModuleType | None = None) -> None:
        """Declare entry point ``name = value``; ``module`` is importable under its name."""
        if module is not None:
            self.monkeypatch.setitem(sys.modules, module.__name__, module)
        self.points.append(importlib.metadata.EntryPoint(name, value, ENTRY_POINT_GROUP))

    def __call__(self, *, group: str) -> list[importlib.metadata.EntryPoint]:
        if group == ENTRY_POINT_GROUP:
            self.scans += 1
            return list(self.points)
        return []


@pytest.fixture
def entry_points(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEntryPoints]:
    """Fake installed plugins, no blocklist, and a clean process-wide manager around the test."""
    monkeypatch.delenv(DISABLE_ENV, raising=False)
    reset_plugin_manager()
    yield FakeEntryPoints(monkeypatch)
    reset_plugin_manager()


def _schemes(pm: pluggy.PluginManager) -> list[str]:
    return list(registered("register_stores", lambda f: str(f.scheme), pm))


def test_the_defaults_are_registered_first(entry_points: FakeEntryPoints) -> None:
    """Every default plugin is registered under its module name, before entry points."""
    entry_points.add(
        "extra", "fake_plugin_extra", _module("fake_plugin_extra", register_stores=_store("extra"))
    )
    pm = load_plugin_manager()
    names = [pm.get_name(p) for p in pm.get_plugins()]
    for default in DEFAULT_PLUGINS:
        assert pm.get_plugin(default) is not None
    assert "extra" in names
    assert _schemes(pm) == ["memory", "extra"]


def test_without_entry_points_only_the_defaults_load(entry_points: FakeEntryPoints) -> None:
    """``entry_points=False`` never scans installed plugins."""
    entry_points.add(
        "extra", "fake_plugin_extra", _module("fake_plugin_extra", register_stores=_store("extra"))
    )
    pm = load_plugin_manager(entry_points=False)
    assert entry_points.scans == 0
    assert {pm.get_name(p) for p in pm.get_plugins()} == set(DEFAULT_PLUGINS)


def test_the_disable_variable_blocks_defaults_and_entry_points(
    entry_points: FakeEntryPoints, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plugins named in INFOINTERVIEW_DISABLE_PLUGINS are neither imported nor registered."""
    entry_points.add("broken", "fake_plugin_that_does_not_exist")
    entry_points.add(
        "kept", "fake_plugin_kept", _module("fake_plugin_kept", register_stores=_store("kept"))
    )
    monkeypatch.setenv(DISABLE_ENV, " memory_store , broken")
    pm = load_plugin_manager()
    assert pm.get_plugin("broken") is None
    assert pm.get_plugin(DEFAULT_PLUGINS[0]) is None
    assert _schemes(pm) == ["kept"]
    with pytest.raises(PluginError, match="no store is registered for URL scheme 'memory'"):
        open_workspace("memory://", owner="sam", plugin_manager=pm)


def test_an_explicit_blocklist_overrides_the_variable(
    entry_points: FakeEntryPoints, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``blocked=`` replaces the environment's list rather than adding to it."""
    monkeypatch.setenv(DISABLE_ENV, "memory_store")
    pm = load_plugin_manager(blocked=[DEFAULT_PLUGINS[0]])
    assert pm.get_plugin(DEFAULT_PLUGINS[0]) is None
    assert load_plugin_manager(blocked=()).get_plugin(DEFAULT_PLUGINS[0]) is not None


@pytest.mark.parametrize(
    ("value", "module"),
    [
        ("fake_plugin_that_does_not_exist", None),
        ("fake_plugin_half:no_such_object", _module("fake_plugin_half")),
    ],
)
def test_a_plugin_that_fails_to_load_is_reported_by_name(
    entry_points: FakeEntryPoints, value: str, module: ModuleType | None
) -> None:
    """A plugin that cannot be imported raises PluginError naming it and how to skip it."""
    entry_points.add("wobbly", value, module)
    with pytest.raises(PluginError) as failed:
        load_plugin_manager()
    message = str(failed.value)
    assert "'wobbly'" in message
    assert value in message
    assert f"{DISABLE_ENV}=wobbly" in message


def test_a_name_registered_twice_is_refused_naming_both_plugins(
    entry_points: FakeEntryPoints,
) -> None:
    """Two plugins registering one store scheme raise DuplicateError naming both."""
    entry_points.add(
        "first", "fake_plugin_first", _module("fake_plugin_first", register_stores=_store("dup"))
    )
    entry_points.add(
        "second", "fake_plugin_second", _module("fake_plugin_second", register_stores=_store("dup"))
    )
    pm = load_plugin_manager()
    with pytest.raises(DuplicateError) as refused:
        _schemes(pm)
    message = str(refused.value)
    assert "'dup'" in message and "'first'" in message and "'second'" in message
    assert DISABLE_ENV in message


def test_a_default_name_taken_again_is_refused(entry_points: FakeEntryPoints) -> None:
    """A plugin cannot silently replace the built-in ``memory`` scheme."""
    entry_points.add(
        "shadow",
        "fake_plugin_shadow",
        _module("fake_plugin_shadow", register_stores=_store("memory")),
    )
    pm = load_plugin_manager()
    with pytest.raises(DuplicateError, match="'shadow'"):
        open_workspace("memory://", owner="sam", plugin_manager=pm)


def test_an_unknown_hook_is_caught_when_the_manager_is_built(
    entry_points: FakeEntryPoints,
) -> None:
    """``check_pending`` turns a misspelt hook into PluginError at start-up."""
    entry_points.add(
        "typo", "fake_plugin_typo", _module("fake_plugin_typo", register_storez=_store("x"))
    )
    with pytest.raises(PluginError, match="register_storez"):
        load_plugin_manager()


def test_a_plugin_raising_in_a_hook_is_named(entry_points: FakeEntryPoints) -> None:
    """An exception inside a hook becomes PluginError naming the plugin and the hook."""

    def explode() -> list[StoreFactory]:
        raise RuntimeError("boom")

    entry_points.add(
        "exploding",
        "fake_plugin_exploding",
        _module("fake_plugin_exploding", register_stores=explode),
    )
    pm = load_plugin_manager()
    with pytest.raises(
        PluginError, match=r"'exploding' raised in hook register_stores: RuntimeError: boom"
    ):
        _schemes(pm)


def test_the_process_manager_is_built_once_until_reset(entry_points: FakeEntryPoints) -> None:
    """``get_plugin_manager`` scans entry points once; ``reset_plugin_manager`` forces a rescan."""
    first = get_plugin_manager()
    assert get_plugin_manager() is first
    assert entry_points.scans == 1
    reset_plugin_manager()
    assert get_plugin_manager() is not first
    assert entry_points.scans == 2
