"""Fixtures for plugin authors, registered under the ``pytest11`` entry point.

Installing infointerview makes these fixtures available in every pytest run.
The module only defines fixtures: importing it loads neither Hypothesis nor
the plugin machinery, and nothing runs until a test asks for a fixture.
Disable it with ``pytest -p no:infointerview``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import pluggy

    from infointerview.workspace import Workspace

__all__ = [
    "INFOINTERVIEW_NOW",
    "infointerview_now",
    "infointerview_owner",
    "infointerview_plugin_manager",
    "infointerview_workspace",
]

INFOINTERVIEW_NOW = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
"""The fixed "now" of :func:`infointerview_now`: a Monday morning, UTC."""


@pytest.fixture
def infointerview_now() -> datetime:
    """A fixed, timezone-aware "now" (Monday 4 March 2024, 09:30 UTC); never the clock."""
    return INFOINTERVIEW_NOW


@pytest.fixture
def infointerview_owner() -> str:
    """The owner id the other fixtures open workspaces for."""
    return "seeker-under-test"


@pytest.fixture
def infointerview_plugin_manager() -> Callable[..., pluggy.PluginManager]:
    """A factory: ``make(*plugins)`` -> a plugin manager with the defaults and ``plugins``.

    Installed entry points are *not* scanned, so a test sees exactly the
    plugins it names (modules or objects with ``@infointerview.hookimpl``
    functions); hooks that do not exist are reported at once.
    """

    def make(*plugins: object) -> pluggy.PluginManager:
        import pluggy

        from infointerview.errors import PluginError
        from infointerview.plugins import load_plugin_manager

        manager = load_plugin_manager(entry_points=False, blocked=())
        for plugin in plugins:
            manager.register(plugin)
        try:
            manager.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"a plugin implements a hook that does not exist: {exc}") from exc
        return manager

    return make


@pytest.fixture
def infointerview_workspace(
    infointerview_plugin_manager: Callable[..., pluggy.PluginManager],
    infointerview_owner: str,
) -> Iterator[Callable[..., Workspace]]:
    """A factory: ``open(url="memory://", *, plugins=(), **options)`` -> an open workspace.

    ``plugins`` are registered beside the defaults (entry points are not
    scanned); ``options`` go to :func:`infointerview.open_workspace`. Each
    ``memory://`` workspace is private and fresh. Workspaces are closed after
    the test.
    """
    opened: list[Workspace] = []

    def open_(
        url: str = "memory://", *, plugins: tuple[object, ...] = (), **options: Any
    ) -> Workspace:
        from infointerview.workspace import open_workspace

        options.setdefault("owner", infointerview_owner)
        workspace = open_workspace(
            url, plugin_manager=infointerview_plugin_manager(*plugins), **options
        )
        opened.append(workspace)
        return workspace

    yield open_
    while opened:
        opened.pop().close()
