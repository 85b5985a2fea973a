"""The plugin manager: built once, lazily, the first time something needs it."""

from __future__ import annotations

import importlib.metadata
import logging
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import pluggy

from infointerview import hookspecs
from infointerview.errors import DuplicateError, PluginError

__all__ = [
    "DEFAULT_PLUGINS",
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "get_plugin_manager",
    "load_plugin_manager",
    "registered",
    "reset_plugin_manager",
]

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "infointerview"
DISABLE_ENV = "INFOINTERVIEW_DISABLE_PLUGINS"
DEFAULT_PLUGINS: tuple[str, ...] = (
    "infointerview.default_plugins.memory_store",
    "infointerview.default_plugins.linkedin_csv",
    "infointerview.default_plugins.google_csv",
    "infointerview.default_plugins.vcard",
    "infointerview.default_plugins.json_export",
)

T = TypeVar("T")

_lock = threading.Lock()
_manager: pluggy.PluginManager | None = None


def disabled_plugins() -> frozenset[str]:
    """Names listed in ``INFOINTERVIEW_DISABLE_PLUGINS`` (comma separated)."""
    raw = os.environ.get(DISABLE_ENV, "")
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def load_plugin_manager(
    *, entry_points: bool = True, blocked: Iterable[str] | None = None
) -> pluggy.PluginManager:
    """Build a plugin manager: defaults first, then the entry points of group ``infointerview``.

    A plugin that fails to import raises :class:`PluginError` naming it.
    """
    blocked = disabled_plugins() if blocked is None else frozenset(blocked)
    pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
    pm.add_hookspecs(hookspecs)
    for module_name in DEFAULT_PLUGINS:
        short = module_name.rsplit(".", 1)[-1]
        if short in blocked or module_name in blocked:
            pm.set_blocked(module_name)
            continue
        pm.register(importlib.import_module(module_name), name=module_name)
    if entry_points:
        for name in sorted(blocked):
            pm.set_blocked(name)
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if pm.is_blocked(ep.name) or pm.get_plugin(ep.name) is not None:
                continue
            try:
                plugin = ep.load()
            except Exception as exc:
                raise PluginError(
                    f"plugin {ep.name!r} (entry point {ep.value!r}) failed to load: "
                    f"{type(exc).__name__}: {exc}. Fix or uninstall it, or set "
                    f"{DISABLE_ENV}={ep.name} to skip it"
                ) from exc
            pm.register(plugin, name=ep.name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"a plugin implements a hook that does not exist: {exc}") from exc
    log.debug("plugins loaded: %s", [pm.get_name(p) for p in pm.get_plugins()])
    return pm


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager, built on first use."""
    global _manager
    with _lock:
        if _manager is None:
            _manager = load_plugin_manager()
        return _manager


def reset_plugin_manager() -> None:
    """Forget the process-wide manager so the next use discovers plugins again."""
    global _manager
    with _lock:
        _manager = None


def registered(
    hook_name: str,
    name_of: Callable[[Any], str],
    pm: pluggy.PluginManager | None = None,
) -> dict[str, Any]:
    """Collect what every plugin returns from ``hook_name``, keyed by ``name_of(thing)``.

    A name registered by two plugins raises :class:`DuplicateError` naming both.
    Returned in registration order (defaults first).
    """
    pm = pm or get_plugin_manager()
    caller = getattr(pm.hook, hook_name)
    found: dict[str, Any] = {}
    owners: dict[str, str] = {}
    # get_hookimpls() lists registration order (pluggy *calls* them newest first).
    for impl in caller.get_hookimpls():
        try:
            things = impl.function() or ()
        except Exception as exc:
            raise PluginError(
                f"plugin {impl.plugin_name!r} raised in hook {hook_name}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        for thing in things:
            name = name_of(thing)
            if name in found:
                raise DuplicateError(
                    f"{hook_name}: the name {name!r} is registered by both plugin "
                    f"{owners[name]!r} and plugin {impl.plugin_name!r}; disable one with "
                    f"{DISABLE_ENV}"
                )
            found[name] = thing
            owners[name] = impl.plugin_name
    return found
