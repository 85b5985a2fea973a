"""Where databases live, and creating their files owner-only whatever the umask."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["create_private_file", "default_database_path", "make_private_dirs"]

FILE_MODE = 0o600
DIR_MODE = 0o700


def default_database_path() -> Path:
    """``$XDG_DATA_HOME/infointerview/workspace.db``, else ``~/.local/share/infointerview/...``.

    A relative ``XDG_DATA_HOME`` is ignored, as the XDG base directory
    specification asks. Nothing is created.
    """
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local" / "share"
    return root / "infointerview" / "workspace.db"


def make_private_dirs(directory: Path) -> None:
    """Create ``directory`` and any missing parents, each ``0700``; existing ones are left alone."""
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, DIR_MODE)
        except FileExistsError:
            continue  # another process made it first; it is not ours to change
        # mkdir's mode is filtered by the umask; chmod is not.
        os.chmod(path, DIR_MODE)


def create_private_file(path: Path) -> bool:
    """Create an empty ``0600`` file at ``path`` unless one exists; True if it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return True
