"""Opening the workspace a command names, and finding contacts by what the user typed."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from infointerview.cli.config import read_config, resolve_db, resolve_owner, sqlite_path
from infointerview.errors import InvalidInputError, NotFoundError, StoreError
from infointerview.model import Contact, Interview

if TYPE_CHECKING:
    from infointerview.workspace import Workspace

__all__ = ["MIN_PREFIX", "find_contact", "find_interview", "open_from_args", "target"]

MIN_PREFIX = 4
"""The shortest id prefix accepted for a contact."""


def target(args: argparse.Namespace) -> tuple[str, str]:
    """The workspace URL and owner that ``args`` (and the config) name."""
    config = read_config()
    url = resolve_db(getattr(args, "db", None), config)
    return url, resolve_owner(getattr(args, "owner", None), url, config)


@contextmanager
def open_from_args(args: argparse.Namespace, *, create: bool = False) -> Iterator[Workspace]:
    """Open the workspace of ``args``; a SQLite file must exist unless ``create``."""
    from infointerview import open_workspace

    url, owner = target(args)
    path = sqlite_path(url)
    if path is not None and not create:
        if not path.exists():
            raise NotFoundError(
                f"no workspace at {path}; run `infointerview init` first, or pass --db URL"
            )
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(
                f"cannot read and write the workspace file {path} (permission denied); "
                "check its owner and mode"
            )
    workspace = open_workspace(url, owner=owner)
    try:
        yield workspace
    finally:
        workspace.close()


def find_contact(workspace: Workspace, ref: str) -> Contact:
    """The contact whose id, id prefix (4+ characters) or exact name is ``ref``."""
    ref = ref.strip()
    if not ref:
        raise InvalidInputError("a contact reference must not be empty; give an id or a name")
    try:
        return workspace.contact(ref)
    except NotFoundError:
        pass
    everyone = workspace.contacts()
    matches = []
    if len(ref) >= MIN_PREFIX:
        matches = [c for c in everyone if c.id.startswith(ref.lower())]
    if not matches:
        folded = ref.casefold()
        matches = [c for c in everyone if c.name.casefold() == folded]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(
            f"no contact {ref!r} in this workspace; give an id, an id prefix of "
            f"{MIN_PREFIX}+ characters or the exact name (see `infointerview contact list`)"
        )
    ids = ", ".join(c.id[:8] for c in matches[:5])
    raise InvalidInputError(
        f"{ref!r} matches {len(matches)} contacts (ids {ids}); give the id instead"
    )


def find_interview(workspace: Workspace, ref: str, contact_id: str | None = None) -> Interview:
    """The interview whose id or id prefix (4+ characters) is ``ref``."""
    ref = ref.strip().lower()
    try:
        return workspace.interview(ref)
    except NotFoundError:
        pass
    matches = []
    if len(ref) >= MIN_PREFIX:
        matches = [i for i in workspace.interviews(contact_id) if i.id.startswith(ref)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(
            f"no interview {ref!r}; `infointerview contact show CONTACT` lists interview ids"
        )
    raise InvalidInputError(f"{ref!r} matches {len(matches)} interviews; give more of the id")
