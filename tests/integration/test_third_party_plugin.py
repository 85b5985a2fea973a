"""A third-party plugin built only from the docs, installed for real, used in a fresh process.

The distribution's files are the ``# file: PATH`` code blocks of docs/hooks.md,
so the documented example is what gets installed. Two ways to install it:

* ``pip install --no-deps --no-build-isolation --no-index --target DIR``: a
  real build and install, offline. With setuptools older than 70.1 the build
  needs the ``wheel`` package in the environment; without it this variant is
  skipped (see the reason) and the next one still runs.
* writing the ``.dist-info`` directory (METADATA, entry_points.txt, RECORD) by
  hand beside a copy of the package, which is all ``importlib.metadata`` reads
  to find an entry point.

The process that uses the plugin gets DIR on ``PYTHONPATH`` and blocks every
other installed plugin with ``INFOINTERVIEW_DISABLE_PLUGINS``, so it sees the
built-in plugins plus this one and nothing under development elsewhere.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from infointerview.plugins import DISABLE_ENV, ENTRY_POINT_GROUP

ROOT = Path(__file__).resolve().parents[2]
HOOKS_DOC = ROOT / "docs" / "hooks.md"
FENCE = re.compile(r"^```[a-z]*\n# file: (?P<path>\S+)\n(?P<body>.*?)^```", re.M | re.S)

USE_IT = """
import json
import infointerview

ws = infointerview.open_workspace("hello://demo", owner="sam")
ada = ws.add_contact(infointerview.Contact(name="Ada Lovelace", field="computing"))
questions, failures = ws.candidate_questions(ada.id, ["industry_state"])
again = infointerview.open_workspace("hello://demo", owner="sam")
other = infointerview.open_workspace("hello://demo", owner="kim")
print(json.dumps({
    "hello": [q.text for q in questions if q.source == "hello"],
    "failures": failures,
    "same_store_sees_ada": [c.name for c in again.contacts()],
    "other_owner_sees": [c.name for c in other.contacts()],
    "plugins": sorted(
        ws.plugin_manager.get_name(p) for p in ws.plugin_manager.get_plugins()
    ),
}))
"""


def _documented_distribution(where: Path) -> Path:
    """Write the ``# file:`` blocks of docs/hooks.md under ``where``; return the project dir."""
    blocks = list(FENCE.finditer(HOOKS_DOC.read_text(encoding="utf-8")))
    assert {m.group("path") for m in blocks} >= {"pyproject.toml"}, "docs lost the example"
    for block in blocks:
        target = where / block.group("path")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# file: {block.group('path')}\n{block.group('body')}", "utf-8")
    return where


def _can_build_wheels() -> str | None:
    """Why pip cannot build a wheel offline here, or ``None`` if it can."""
    version = tuple(int(p) for p in importlib.metadata.version("setuptools").split(".")[:2])
    if version >= (70, 1) or importlib.util.find_spec("wheel") is not None:
        return None
    return (
        f"setuptools {'.'.join(map(str, version))} needs the 'wheel' package to build "
        "offline (install wheel or setuptools>=70.1 in the test environment)"
    )


def _install_with_pip(project: Path, site: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(site),
            str(project),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def _install_by_hand(project: Path, site: Path) -> None:
    meta = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))["project"]
    for package in (project / "src").iterdir():
        shutil.copytree(package, site / package.name)
    dist_info = site / f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n", "utf-8"
    )
    points = meta["entry-points"][ENTRY_POINT_GROUP]
    lines = [f"[{ENTRY_POINT_GROUP}]", *(f"{k} = {v}" for k, v in points.items())]
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n", "utf-8")
    (dist_info / "RECORD").write_text("", "utf-8")


def _use(site: Path, cwd: Path) -> dict[str, object]:
    others = {ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        DISABLE_ENV: ",".join(sorted(others - {"hello"})),
    }
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(USE_IT)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _check(result: dict[str, object]) -> None:
    assert result["hello"] == ["Which change in computing surprised you most this year?"]
    assert result["failures"] == {}
    assert result["same_store_sees_ada"] == ["Ada Lovelace"]
    assert result["other_owner_sees"] == []
    assert "hello" in result["plugins"]  # type: ignore[operator]


def test_the_documented_plugin_installed_with_pip_works(tmp_path: Path) -> None:
    """pip installs the docs' plugin offline; a fresh process opens hello:// and gets questions."""
    reason = _can_build_wheels()
    if reason is not None:
        pytest.skip(reason)
    project = _documented_distribution(tmp_path / "infointerview-hello")
    site = tmp_path / "site"
    _install_with_pip(project, site)
    assert (site / "infointerview_hello" / "__init__.py").exists()
    entry_points = next(site.glob("infointerview_hello-0.1.0.dist-info")) / "entry_points.txt"
    assert "hello = infointerview_hello" in entry_points.read_text("utf-8")
    _check(_use(site, tmp_path))


def test_the_documented_plugin_installed_by_hand_works(tmp_path: Path) -> None:
    """A hand-written .dist-info with entry_points.txt is enough for discovery."""
    project = _documented_distribution(tmp_path / "infointerview-hello")
    site = tmp_path / "site"
    _install_by_hand(project, site)
    _check(_use(site, tmp_path))


def test_without_the_install_the_scheme_is_unknown(tmp_path: Path) -> None:
    """The same process without the plugin on its path knows no hello:// scheme."""
    with pytest.raises(AssertionError, match="no store is registered for URL scheme 'hello'"):
        _use(tmp_path / "empty", tmp_path)
