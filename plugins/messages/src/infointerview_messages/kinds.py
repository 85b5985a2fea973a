"""The message kinds the default pack covers, and the channels each is written for."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from infointerview.model import Channel

__all__ = ["ASK_KINDS", "FIRST_MESSAGE_KINDS", "KINDS", "THANK_YOU_KINDS", "MessageKind"]

_EMAIL = Channel.EMAIL
_MESSAGE = Channel.LINKEDIN_MESSAGE
_NOTE = Channel.LINKEDIN_NOTE
_PHONE = Channel.PHONE


@attrs.frozen
class MessageKind:
    """A kind of message: what it is for, its channels, and the ``extra`` data it needs."""

    key: str
    title: str
    description: str
    channels: tuple[Channel, ...]
    needs: tuple[str, ...] = ()
    """Keys of ``extra`` the default templates require."""
    optional: tuple[str, ...] = ()
    """Keys of ``extra`` the default templates use when given."""


_ALL = (
    MessageKind(
        "ask_referred",
        "Ask, referred",
        "First ask to someone a mutual contact suggested; names the referrer first.",
        (_EMAIL, _MESSAGE, _NOTE, _PHONE),
    ),
    MessageKind(
        "ask_affiliation",
        "Ask, shared affiliation",
        "First ask that opens with what seeker and contact share (a school, a group).",
        (_EMAIL, _MESSAGE, _NOTE, _PHONE),
    ),
    MessageKind(
        "ask_cold",
        "Ask, cold",
        "First ask with no connection to name; says how the seeker found the contact.",
        (_EMAIL, _MESSAGE, _NOTE, _PHONE),
    ),
    MessageKind(
        "follow_up",
        "Follow-up nudge",
        "One short, polite reminder after an ask went unanswered.",
        (_EMAIL, _MESSAGE, _PHONE),
    ),
    MessageKind(
        "thank_you",
        "Thank-you",
        "Within 24 hours of the conversation; names specific insights from the notes.",
        (_EMAIL, _MESSAGE),
    ),
    MessageKind(
        "thank_you_note",
        "Handwritten thank-you note",
        "A short card, an extra gesture beside the emailed thank-you.",
        (Channel.CARD,),
    ),
    MessageKind(
        "ask_introduction",
        "Ask for an introduction",
        "Asks the contact to introduce the seeker to someone they mentioned.",
        (_EMAIL, _MESSAGE),
        needs=("person",),
        optional=("person_role",),
    ),
    MessageKind(
        "keep_in_touch_article",
        "Keep in touch: an article",
        "Shares something relevant to the contact, asking nothing.",
        (_EMAIL, _MESSAGE),
        needs=("article_title",),
        optional=("article_url", "why"),
    ),
    MessageKind(
        "keep_in_touch_update",
        "Keep in touch: a progress update",
        "Tells the contact how things moved on, crediting their advice.",
        (_EMAIL, _MESSAGE),
        needs=("progress",),
    ),
    MessageKind(
        "keep_in_touch_invitation",
        "Keep in touch: an invitation",
        "Invites the contact to an event the seeker is going to.",
        (_EMAIL, _MESSAGE),
        needs=("event",),
        optional=("event_date", "event_url"),
    ),
    MessageKind(
        "elevator_pitch",
        "Elevator pitch",
        "Who the seeker is, their background, what they aim for and why this person.",
        (_PHONE, Channel.IN_PERSON),
    ),
)

KINDS: Mapping[str, MessageKind] = MappingProxyType({kind.key: kind for kind in _ALL})
"""Every kind the default pack has templates for, by key."""

ASK_KINDS = ("ask_referred", "ask_affiliation", "ask_cold")
"""The first-ask variants (the kind ``"ask"`` picks one of them)."""

FIRST_MESSAGE_KINDS = ASK_KINDS
"""Kinds that are a first message to the contact: no job request, no attachment."""

THANK_YOU_KINDS = ("thank_you", "thank_you_note")
"""Kinds that thank a contact for a conversation."""
