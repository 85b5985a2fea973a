"""The template context: plain dicts and lists, never live objects with methods.

A template sees ``seeker``, ``contact``, ``referrer``, ``connection``,
``interview``, ``goals``, ``notes`` and ``extra`` (and ``message``, added by
:meth:`infointerview.Workspace.draft`). Every value is a str, int, float,
bool, ``None``, list or dict, so nothing a template touches can reach code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from infointerview.model import Contact, Goal, Interview, SeekerProfile, suggested_ask_kind

__all__ = ["ASK_KINDS", "build_context", "choose_ask_kind"]

ASK_KINDS = ("ask_referred", "ask_affiliation", "ask_cold")
"""The three variants of a first ask that the kind ``"ask"`` chooses between."""


def _plain(value: Any) -> Any:
    """Only str, int, float, bool, None, lists and dicts reach a template."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_plain(v) for v in items]
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _first_name(name: str) -> str:
    words = name.split()
    return words[0] if words else name


def _person(contact: Contact) -> dict[str, Any]:
    return {
        "name": contact.name,
        "first_name": contact.first_name,
        "organisation": contact.organisation,
        "role": contact.role,
    }


def _contact(contact: Contact | None) -> dict[str, Any] | None:
    if contact is None:
        return None
    return {
        **_person(contact),
        "field": contact.field,
        "source": contact.source.value,
        "affiliation": contact.affiliation,
        "email": contact.email,
        "phone": contact.phone,
        "linkedin_url": contact.linkedin_url,
        "tags": sorted(contact.tags),
    }


def _when(at: datetime) -> dict[str, str]:
    return {
        "date": f"{at:%A} {at.day} {at:%B}",
        "day": f"{at.day} {at:%B}",
        "weekday": f"{at:%A}",
        "time": f"{at:%H:%M}",
    }


def _interview(interview: Interview | None, referrals: Sequence[Contact]) -> dict[str, Any] | None:
    if interview is None:
        return None
    return {
        "at": interview.at.isoformat(),
        **_when(interview.at),
        "minutes": interview.minutes,
        "medium": interview.medium.value,
        "held": interview.held_at is not None,
        "held_at": None if interview.held_at is None else interview.held_at.isoformat(),
        "notes": interview.notes,
        "insights": list(interview.insights),
        "promised_followups": list(interview.promised_followups),
        "referrals": [_person(c) for c in referrals],
    }


def _connection(contact: Contact | None, referrer: Contact | None) -> dict[str, str]:
    if referrer is not None:
        kind = "referral"
    elif contact is not None and contact.affiliation.strip():
        kind = "affiliation"
    else:
        kind = "cold"
    return {
        "kind": kind,
        "referrer": "" if referrer is None else referrer.name,
        "affiliation": "" if contact is None else contact.affiliation,
    }


def build_context(
    *,
    profile: SeekerProfile,
    contact: Contact | None,
    referrer: Contact | None,
    interview: Interview | None,
    goals: Sequence[Goal],
    extra: Mapping[str, Any],
    referrals: Sequence[Contact] = (),
) -> dict[str, Any]:
    """The variables a template sees, as plain data.

    ``referrals`` are the contacts the interview gained (shown as
    ``interview.referrals``); ``extra`` is passed through as ``extra``.
    """
    context = {
        "seeker": {
            "name": profile.name,
            "first_name": _first_name(profile.name),
            "email": profile.email,
            "phone": profile.phone,
            "background": profile.background,
            "field": profile.field,
            "target": profile.target,
            "current_field": profile.current_field,
            "pitch": profile.pitch,
            "affiliations": list(profile.affiliations),
        },
        "contact": _contact(contact),
        "referrer": _contact(referrer),
        "connection": _connection(contact, referrer),
        "interview": _interview(interview, referrals),
        "goals": [{"key": g.key, "title": g.title, "description": g.description} for g in goals],
        "notes": [] if interview is None else list(interview.insights),
        "extra": dict(extra),
    }
    return _plain(context)  # type: ignore[no-any-return]


def choose_ask_kind(context: Mapping[str, Any]) -> str:
    """Which first ask fits: ``ask_referred`` when a referrer is known, ``ask_affiliation``
    when the contact has a shared affiliation, otherwise ``ask_cold``.

    ``context`` is a template context from :func:`build_context` (or anything
    with the same ``referrer`` and ``contact`` entries).
    """
    contact = context.get("contact") or {}
    return suggested_ask_kind(
        referred=bool(context.get("referrer")),
        affiliation=str(contact.get("affiliation") or ""),
        source=str(contact.get("source") or ""),
    )
