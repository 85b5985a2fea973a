"""Where the workspace lives and who owns it: the data directory and its config file.

The config file (``config.json`` in the data directory, owner-only) names the
default workspace URL and the owner recorded for each workspace that
``infointerview init`` set up.
"""

from __future__ import annotations

import getpass
import json
import os
import urllib.parse
from pathlib import Path
from typing import Any

import attrs

from infointerview.errors import InvalidInputError

__all__ = [
    "DB_ENV",
    "OWNER_ENV",
    "Config",
    "data_dir",
    "default_db_url",
    "login_name",
    "normalise_url",
    "read_config",
    "resolve_db",
    "resolve_owner",
    "sqlite_path",
    "sqlite_url",
    "write_config",
]

DB_ENV = "INFOINTERVIEW_DB"
OWNER_ENV = "INFOINTERVIEW_OWNER"
_APP = "infointerview"


def data_dir() -> Path:
    """``$XDG_DATA_HOME/infointerview``, or ``~/.local/share/infointerview``."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    # The XDG spec says a relative value is invalid and must be ignored.
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / _APP


def default_db_url() -> str:
    """The SQLite workspace in the data directory."""
    return sqlite_url(data_dir() / "workspace.db", "")


def sqlite_url(path: Path, query: str = "") -> str:
    """The ``sqlite:///`` URL of ``path`` (made absolute), with an optional query."""
    url = "sqlite:///" + urllib.parse.quote(os.path.abspath(path))
    return f"{url}?{query}" if query else url


def sqlite_path(url: str) -> Path | None:
    """The file a ``sqlite:///`` URL names (made absolute), or ``None`` for another store.

    Follows the SQLite plugin's reading: ``sqlite:///relative.db`` and
    ``sqlite:////absolute/file.db``, percent-decoded, ``~`` expanded.
    """
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() != "sqlite" or not rest.startswith("/"):
        return None
    text = urllib.parse.unquote(rest[1:].partition("?")[0])
    if not text or text == ":memory:":
        return None
    return Path(os.path.abspath(Path(text).expanduser()))


def normalise_url(url: str) -> str:
    """``url`` with a SQLite path made absolute, so the config works from any directory."""
    path = sqlite_path(url)
    if path is None:
        return url
    return sqlite_url(path, url.partition("?")[2])


@attrs.frozen
class Config:
    """The default workspace URL and the owner of each known workspace."""

    default: str | None = None
    owners: dict[str, str] = attrs.Factory(dict)


def _config_file() -> Path:
    return data_dir() / "config.json"


def read_config() -> Config:
    """The config file's contents, or an empty config if there is none."""
    path = _config_file()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    try:
        data: Any = json.loads(raw)
        default = data.get("default")
        owners = {str(k): str(v["owner"]) for k, v in data.get("workspaces", {}).items()}
    except (ValueError, AttributeError, KeyError, TypeError) as exc:
        raise InvalidInputError(
            f"the config file {path} is damaged ({type(exc).__name__}); "
            "delete it and run `infointerview init` again"
        ) from None
    return Config(default=None if default is None else str(default), owners=owners)


def write_config(config: Config) -> Path:
    """Write the config file owner-only (0600, directory 0700); returns its path."""
    path = _config_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = {
        "default": config.default,
        "workspaces": {url: {"owner": owner} for url, owner in sorted(config.owners.items())},
    }
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def login_name() -> str:
    """The user's login name, or ``"me"`` where the system cannot tell."""
    try:
        return getpass.getuser() or "me"
    except (OSError, KeyError):
        return "me"


def resolve_db(given: str | None, config: Config) -> str:
    """``--db``, then ``$INFOINTERVIEW_DB``, then the configured default, then the data dir."""
    return normalise_url(given or os.environ.get(DB_ENV) or config.default or default_db_url())


def resolve_owner(given: str | None, url: str, config: Config) -> str:
    """``--owner``, then ``$INFOINTERVIEW_OWNER``, then the owner init recorded, then the login."""
    return given or os.environ.get(OWNER_ENV) or config.owners.get(url) or login_name()
