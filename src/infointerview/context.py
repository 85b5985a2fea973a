"""The template context: plain dicts and lists, never live objects with methods."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from infointerview.model import Contact, Goal, Interview, SeekerProfile

__all__ = ["build_context"]


def _plain(value: Any) -> Any:
    """Only str, int, float, bool, None, lists and dicts reach a template."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [_plain(v) for v in items]
    return str(value)


def _contact(contact: Contact | None) -> dict[str, Any] | None:
    if contact is None:
        return None
    return {
        "name": contact.name,
        "first_name": contact.first_name,
        "organisation": contact.organisation,
        "role": contact.role,
        "field": contact.field,
        "source": contact.source.value,
        "affiliation": contact.affiliation,
        "email": contact.email,
        "linkedin_url": contact.linkedin_url,
        "tags": sorted(contact.tags),
    }


def build_context(
    *,
    profile: SeekerProfile,
    contact: Contact | None,
    referrer: Contact | None,
    interview: Interview | None,
    goals: Sequence[Goal],
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """The variables a template sees: ``seeker``, ``contact``, ``referrer``,
    ``interview``, ``goals``, ``notes`` and ``extra``."""
    context = {
        "seeker": {
            "name": profile.name,
            "email": profile.email,
            "phone": profile.phone,
            "background": profile.background,
            "field": profile.field,
            "target": profile.target,
            "pitch": profile.pitch,
            "affiliations": list(profile.affiliations),
        },
        "contact": _contact(contact),
        "referrer": _contact(referrer),
        "interview": None
        if interview is None
        else {
            "at": interview.at.isoformat(),
            "date": interview.at.strftime("%A %d %B"),
            "minutes": interview.minutes,
            "medium": interview.medium.value,
            "held": interview.held_at is not None,
            "notes": interview.notes,
            "insights": list(interview.insights),
            "promised_followups": list(interview.promised_followups),
        },
        "goals": [{"key": g.key, "title": g.title} for g in goals],
        "notes": [] if interview is None else list(interview.insights),
        "extra": dict(extra),
    }
    return _plain(context)  # type: ignore[no-any-return]
