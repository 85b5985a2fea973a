"""The hook implementations: renderers, the default template pack and the message checks."""

from __future__ import annotations

from collections.abc import Sequence

from infointerview import MessageCheck, Renderer, TemplatePack, hookimpl
from infointerview_messages.checks import default_checks
from infointerview_messages.packs import default_pack
from infointerview_messages.renderers import HtmlRenderer, MarkdownRenderer, TextRenderer

__all__ = ["register_message_checks", "register_renderers", "register_template_packs"]

# One renderer of each format per process, so that compiled templates are reused.
_RENDERERS: tuple[Renderer, ...] = (TextRenderer(), MarkdownRenderer(), HtmlRenderer())


@hookimpl
def register_renderers() -> Sequence[Renderer]:
    """The ``text``, ``markdown`` and ``html`` renderers."""
    return _RENDERERS


@hookimpl
def register_template_packs() -> Sequence[TemplatePack]:
    """The default pack, named ``messages``."""
    return [default_pack()]


@hookimpl
def register_message_checks() -> Sequence[MessageCheck]:
    """Every check in :mod:`infointerview_messages.checks`."""
    return default_checks()
