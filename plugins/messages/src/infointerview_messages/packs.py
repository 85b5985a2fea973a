"""Template packs: the default one, a user's directory or strings, and name resolution.

A pack is a :class:`infointerview.TemplatePack`: a name and a mapping from
template names to sources. Packs are searched last first, so a later pack
overrides an earlier one by name. Within one pack, a format-specific variant
(``"thank_you.email.html"``) is preferred to the plain template
(``"thank_you.email"``).

Nothing here reads a file on demand while rendering: a directory is read once,
when it is loaded, and only files inside it are read.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
import re
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import NamedTuple

import jinja2

from infointerview.errors import InvalidInputError, RenderError
from infointerview.ports import BASE_PACK_PRIORITY, TemplatePack

__all__ = [
    "DEFAULT_PACK_NAME",
    "MAX_TEMPLATE_BYTES",
    "MAX_TEMPLATE_FILES",
    "TEMPLATE_SUFFIXES",
    "Resolved",
    "current_packs",
    "default_pack",
    "load_template_dir",
    "pack_from_strings",
    "resolve",
    "template_label",
]

DEFAULT_PACK_NAME = "messages"
MAX_TEMPLATE_BYTES = 256 * 1024
"""The largest template file :func:`load_template_dir` reads."""
MAX_TEMPLATE_FILES = 2000
"""The most files :func:`load_template_dir` reads from one directory tree."""
TEMPLATE_SUFFIXES = (".j2", ".jinja2", ".jinja")
"""Suffixes dropped from a file's name to make the template's name."""

_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.\-]*)*")

current_packs: ContextVar[tuple[TemplatePack, ...]] = ContextVar(
    "infointerview_messages_packs", default=()
)
"""The packs of the render in progress, for ``{% include %}`` and its kin."""


class Resolved(NamedTuple):
    """Where a template name was found."""

    pack: TemplatePack
    name: str
    """The name it was found under (the format variant's, when that won)."""
    source: str
    variant: bool
    """True when a format-specific variant (``name.format``) was found."""


def template_label(pack_name: str, name: str) -> str:
    """How errors and tracebacks name a template."""
    return f"<template {name!r} in pack {pack_name!r}>"


def _check_name(name: str, where: str) -> None:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise InvalidInputError(
            f"{where}: template name {name!r} is not allowed; use letters, digits, '_', '-', "
            "'.' and '/' between folders (e.g. 'ask_cold.email' or 'partials/signature'), "
            "never '..' or a leading '/'"
        )


def _syntax_check(name: str, source: str, pack_name: str) -> None:
    try:
        _PARSER.parse(source, name, template_label(pack_name, name))
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"template {name!r} in pack {pack_name!r}, line {exc.lineno}: syntax error: "
            f"{exc.message}"
        ) from None


# Only parses (for syntax errors at load time); nothing is ever rendered with it.
_PARSER = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, autoescape=True)


def pack_from_strings(templates: Mapping[str, str], *, name: str = "user") -> TemplatePack:
    """A pack from template sources given as strings, checked for names and syntax.

    A syntax error raises :class:`~infointerview.RenderError` naming the
    template and the line; a bad name :class:`~infointerview.InvalidInputError`.
    """
    checked: dict[str, str] = {}
    for template_name, source in templates.items():
        _check_name(template_name, f"pack {name!r}")
        if not isinstance(source, str):
            raise InvalidInputError(
                f"pack {name!r}: template {template_name!r} must be a string, "
                f"got {type(source).__name__}"
            )
        _syntax_check(template_name, source, name)
        checked[template_name] = source
    return TemplatePack(name=name, templates=checked)


def _template_name(relative: Path) -> str:
    name = relative.as_posix()
    for suffix in TEMPLATE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _read_dir(root: Path, pack_name: str) -> dict[str, str]:
    """Every template file under ``root`` by name; refuses anything that leads outside it."""
    try:
        base = root.resolve(strict=True)
    except OSError:
        raise InvalidInputError(f"template directory {str(root)!r} does not exist") from None
    if not base.is_dir():
        raise InvalidInputError(f"template directory {str(root)!r} is not a directory")
    found: dict[str, str] = {}
    origins: dict[str, str] = {}
    count = 0
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        here = Path(dirpath)
        for dirname in list(dirnames):
            if dirname.startswith(".") or (here / dirname).is_symlink():
                # links to folders are never followed: a pack is one real directory tree
                dirnames.remove(dirname)
        for filename in sorted(filenames):
            if filename.startswith("."):
                continue
            path = here / filename
            relative = path.relative_to(base)
            target = path.resolve()
            if not target.is_relative_to(base):
                raise InvalidInputError(
                    f"template file {relative.as_posix()!r} in {str(root)!r} links to a file "
                    "outside the directory; a template may only use files inside its pack "
                    "(copy the file in instead)"
                )
            if not target.is_file():
                continue
            count += 1
            if count > MAX_TEMPLATE_FILES:
                raise InvalidInputError(
                    f"template directory {str(root)!r} holds more than {MAX_TEMPLATE_FILES} "
                    "files; point load_template_dir at the folder of templates only"
                )
            status = target.stat()
            if status.st_nlink > 1:
                # a hard link cannot be told from the file it shares: it may be one outside
                raise InvalidInputError(
                    f"template file {relative.as_posix()!r} in {str(root)!r} has more than one "
                    "hard link, so it may be a file outside the directory; a template may only "
                    "use files inside its pack (copy the file in instead of linking it)"
                )
            if status.st_size > MAX_TEMPLATE_BYTES:
                raise InvalidInputError(
                    f"template file {relative.as_posix()!r} is larger than "
                    f"{MAX_TEMPLATE_BYTES} bytes; a message template is a few hundred words"
                )
            try:
                source = target.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise InvalidInputError(
                    f"template file {relative.as_posix()!r} is not UTF-8 text; save it as UTF-8"
                ) from None
            name = _template_name(relative)
            _check_name(name, f"template file {relative.as_posix()!r}")
            if name in found:
                raise InvalidInputError(
                    f"template files {origins[name]!r} and {relative.as_posix()!r} both make the "
                    f"template {name!r}; keep one of them"
                )
            _syntax_check(name, source, pack_name)
            found[name] = source
            origins[name] = relative.as_posix()
    return found


def load_template_dir(path: str | os.PathLike[str], *, name: str | None = None) -> TemplatePack:
    """Read every template in a directory tree into a pack, once.

    A file's template name is its path relative to ``path`` with ``/``
    between folders, less a ``.j2``, ``.jinja2`` or ``.jinja`` suffix:
    ``ask_cold.email.j2`` is the template ``ask_cold.email``. Hidden files are
    skipped, links to folders are not followed, and a file that resolves
    outside the directory, or that has more than one hard link (and so may be
    a file outside it), is refused. The pack is named ``name`` or, by
    default, ``dir:<folder name>``.
    """
    root = Path(path)
    pack_name = name or f"dir:{root.name or root.resolve().name}"
    return TemplatePack(name=pack_name, templates=_read_dir(root, pack_name))


@functools.cache
def default_pack() -> TemplatePack:
    """The templates shipped with this plugin (the pack named ``"messages"``)."""
    folder = importlib.resources.files("infointerview_messages").joinpath("templates")
    templates: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".j2"):
            templates[entry.name[: -len(".j2")]] = entry.read_text(encoding="utf-8")
    return TemplatePack(name=DEFAULT_PACK_NAME, templates=templates, priority=BASE_PACK_PRIORITY)


# A pack with a ``root`` (made by another plugin) is read once and kept with a
# strong reference, so that its id stays unique while cached.
_expanded: dict[int, tuple[TemplatePack, Mapping[str, str]]] = {}


def _contents(pack: TemplatePack) -> Mapping[str, str]:
    if pack.root is None:
        return pack.templates
    cached = _expanded.get(id(pack))
    if cached is None or cached[0] is not pack:
        merged = {**_read_dir(Path(pack.root), pack.name), **pack.templates}
        if len(_expanded) > 256:
            _expanded.clear()
        cached = _expanded[id(pack)] = (pack, merged)
    return cached[1]


def resolve(name: str, packs: Sequence[TemplatePack], format: str | None = None) -> Resolved | None:
    """Find ``name`` in ``packs`` (last wins), preferring ``name.format`` within a pack."""
    variant = f"{name}.{format}" if format else None
    for pack in reversed(packs):
        templates = pack.templates if pack.root is None else _contents(pack)
        if variant is not None and (source := templates.get(variant)) is not None:
            return Resolved(pack, variant, source, True)
        if (source := templates.get(name)) is not None:
            return Resolved(pack, name, source, False)
    return None
