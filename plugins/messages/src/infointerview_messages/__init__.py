"""Message rendering for infointerview: a jinja2 sandbox, a default template pack, and checks.

Installed, it registers the ``text``, ``markdown`` and ``html`` renderers, the
template pack ``messages`` and the message checks through the ``infointerview``
entry point. Use :func:`load_template_dir` or :func:`pack_from_strings` to
override templates by name (``open_workspace(..., templates=[pack])``).
"""

from __future__ import annotations

from infointerview_messages.checks import (
    DEFAULT_WORD_LIMITS,
    WORD_LIMIT_PRESETS,
    ConnectionNamed,
    EmailSubject,
    ExplicitAsk,
    LinkedInNoteLength,
    NoAttachment,
    NoJobRequest,
    OptionsCheck,
    ThankYouSpecific,
    ThankYouTimely,
    WordLimit,
    default_checks,
)
from infointerview_messages.kinds import (
    ASK_KINDS,
    FIRST_MESSAGE_KINDS,
    KINDS,
    THANK_YOU_KINDS,
    MessageKind,
)
from infointerview_messages.packs import (
    DEFAULT_PACK_NAME,
    default_pack,
    load_template_dir,
    pack_from_strings,
)
from infointerview_messages.renderers import (
    HtmlRenderer,
    JinjaRenderer,
    MarkdownRenderer,
    TextRenderer,
    markdown_escape,
)
from infointerview_messages.sandbox import DEFAULT_MAX_CHARS, MessageEnvironment

__all__ = [
    "ASK_KINDS",
    "DEFAULT_MAX_CHARS",
    "DEFAULT_PACK_NAME",
    "DEFAULT_WORD_LIMITS",
    "FIRST_MESSAGE_KINDS",
    "KINDS",
    "THANK_YOU_KINDS",
    "WORD_LIMIT_PRESETS",
    "ConnectionNamed",
    "EmailSubject",
    "ExplicitAsk",
    "HtmlRenderer",
    "JinjaRenderer",
    "LinkedInNoteLength",
    "MarkdownRenderer",
    "MessageEnvironment",
    "MessageKind",
    "NoAttachment",
    "NoJobRequest",
    "OptionsCheck",
    "TextRenderer",
    "ThankYouSpecific",
    "ThankYouTimely",
    "WordLimit",
    "default_checks",
    "default_pack",
    "load_template_dir",
    "markdown_escape",
    "pack_from_strings",
]
