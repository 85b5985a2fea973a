"""Every hook is a contract in three places: the spec, the docs and a test.

The rules these tests enforce:

* **Docs.** docs/hooks.md has a section (a ``##`` or ``###`` heading) whose
  heading contains the hook's name, and the section's text contains the hook's
  exact signature as :func:`signature_text` writes it: the name, the
  parameters with their annotations as written in hookspecs.py (the module
  uses postponed annotations, so ``inspect.signature`` sees them as strings)
  and the return annotation, e.g. ``register_stores() -> Sequence[StoreFactory]``.
  Every ``register_*`` heading in the page must name a hook that exists.
* **Tests.** Some test function under tests/ (found by parsing every
  ``test_*.py`` file, this one excluded, and collecting ``def test_*`` names at
  module level or inside classes) has the hook's name in its own name, e.g.
  ``test_register_stores_opens_a_workspace_by_url_scheme``.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from infointerview import hookspecs

ROOT = Path(__file__).resolve().parent.parent
HOOKS_DOC = ROOT / "docs" / "hooks.md"
TESTS = ROOT / "tests"


def hook_specs() -> dict[str, Callable[..., Any]]:
    """The hook specifications, by name: functions carrying pluggy's spec marker."""
    marker = f"{hookspecs.hookspec.project_name}_spec"
    return {
        name: function
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, marker)
    }


def signature_text(function: Callable[..., Any]) -> str:
    """``name(param: annotation = default, ...) -> return``, annotations as written."""
    signature = inspect.signature(function)
    parts: list[str] = []
    keyword_only_started = False
    for parameter in signature.parameters.values():
        if parameter.kind is parameter.KEYWORD_ONLY and not keyword_only_started:
            parts.append("*")
            keyword_only_started = True
        text = parameter.name
        if parameter.annotation is not parameter.empty:
            text += f": {parameter.annotation}"
        if parameter.default is not parameter.empty:
            text += f" = {parameter.default!r}"
        parts.append(text)
    returns = signature.return_annotation
    tail = "" if returns is signature.empty else f" -> {returns}"
    return f"{function.__name__}({', '.join(parts)}){tail}"


def doc_sections() -> dict[str, str]:
    """docs/hooks.md split at ``##``/``###`` headings: heading text to section text."""
    sections: dict[str, str] = {}
    heading = None
    lines: list[str] = []
    in_fence = False
    for line in HOOKS_DOC.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else re.match(r"#{2,3}\s+(.*)", line)
        if match:
            if heading is not None:
                sections[heading] = "\n".join(lines)
            heading, lines = match.group(1).strip(), []
        else:
            lines.append(line)
    if heading is not None:
        sections[heading] = "\n".join(lines)
    return sections


def collected_test_names() -> set[str]:
    """Names of every test function under tests/, except in this file."""
    names: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        if path.resolve() == Path(__file__).resolve():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test_"
            ):
                names.add(node.name)
    return names


def test_there_are_hooks_to_check() -> None:
    """The spec module exposes hooks, and the signature text matches the spec source."""
    specs = hook_specs()
    assert "register_stores" in specs
    assert signature_text(specs["register_stores"]) == "register_stores() -> Sequence[StoreFactory]"


@pytest.mark.parametrize("hook", sorted(hook_specs()))
def test_hook_is_documented_with_its_exact_signature(hook: str) -> None:
    """docs/hooks.md has a section for the hook that shows its exact signature."""
    sections = {h: text for h, text in doc_sections().items() if hook in h}
    assert sections, f"docs/hooks.md has no '## {hook}' section"
    expected = signature_text(hook_specs()[hook])
    assert any(expected in text for text in sections.values()), (
        f"the {hook} section of docs/hooks.md does not show the signature {expected!r}"
    )


def test_documented_hooks_exist() -> None:
    """Every hook-like heading in docs/hooks.md names a real hook (no stale sections)."""
    specs = hook_specs()
    for heading in doc_sections():
        for name in re.findall(r"register_\w+", heading):
            assert name in specs, f"docs/hooks.md documents {name}, which is not a hook"


@pytest.mark.parametrize("hook", sorted(hook_specs()))
def test_hook_has_a_test(hook: str) -> None:
    """Some test under tests/ carries the hook's name in its own name."""
    tested = [name for name in collected_test_names() if hook in name]
    assert tested, f"no test under tests/ has {hook!r} in its name; add test_{hook}_..."
