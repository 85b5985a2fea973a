"""The run-sheet templates, shipped as a template pack named ``questions``."""

from __future__ import annotations

import functools
from importlib import resources

from infointerview import TemplatePack

__all__ = ["AGENDA_TEMPLATES", "PACK_NAME", "agenda_pack"]

PACK_NAME = "questions"
AGENDA_TEMPLATES = ("agenda.text", "agenda.markdown")


@functools.cache
def agenda_pack() -> TemplatePack:
    """The pack with ``agenda.text`` and ``agenda.markdown`` (read once)."""
    folder = resources.files(__name__)
    sources = {name: folder.joinpath(f"{name}.j2").read_text("utf-8") for name in AGENDA_TEMPLATES}
    return TemplatePack(name=PACK_NAME, templates=sources)
