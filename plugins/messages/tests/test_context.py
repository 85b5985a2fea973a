"""The template context is plain data, and the kind 'ask' picks the right variant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from infointerview import Contact, Interview, choose_ask_kind
from infointerview.context import build_context
from infointerview.testing.strategies import contacts, personal_text, seeker_profiles

PLAIN = (str, int, float, bool, type(None))


def _only_plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _only_plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_only_plain(v) for v in value)
    return type(value) in PLAIN


class Live:
    """An object with a method: must never reach a template."""

    def delete(self) -> None:
        """Something a template must not be able to call."""


@settings(max_examples=60, deadline=None)
@given(
    profile=seeker_profiles(),
    contact=contacts(),
    referrer=st.none() | contacts(),
    insights=st.lists(personal_text(), max_size=3),
    extra_value=personal_text(),
)
def test_context_is_plain_data(profile, contact, referrer, insights, extra_value) -> None:  # type: ignore[no-untyped-def]
    """Whatever the records hold, a template sees only str, numbers, bools, None, lists
    and dicts; live objects passed in extra are turned into strings."""
    interview = Interview(
        contact_id=contact.id,
        at=datetime(2024, 3, 7, 14, tzinfo=UTC),
        insights=insights,
    )
    context = build_context(
        profile=profile,
        contact=contact,
        referrer=referrer,
        interview=interview,
        goals=(),
        extra={"text": extra_value, "live": Live(), "nested": {"when": interview.at}},
        referrals=[contact],
    )
    assert _only_plain(context)
    assert context["notes"] == list(insights)
    assert isinstance(context["extra"]["live"], str)
    assert context["extra"]["nested"]["when"] == "2024-03-07T14:00:00+00:00"
    assert context["interview"]["referrals"][0]["name"] == contact.name


def test_interview_dates_read_naturally() -> None:
    """The interview's date, weekday and time are ready to print."""
    interview = Interview(contact_id="c", at=datetime(2024, 3, 7, 14, 5, tzinfo=UTC))
    context = build_context(
        profile=seeker_profiles().example() if False else _profile(),
        contact=None,
        referrer=None,
        interview=interview,
        goals=(),
        extra={},
    )
    assert context["interview"]["date"] == "Thursday 7 March"
    assert context["interview"]["weekday"] == "Thursday"
    assert context["interview"]["time"] == "14:05"
    assert context["interview"]["held"] is False


def _profile():  # type: ignore[no-untyped-def]
    from infointerview import SeekerProfile

    return SeekerProfile(name="Sam Rivera")


def _context(contact: Contact | None, referrer: Contact | None) -> dict[str, Any]:
    return build_context(
        profile=_profile(), contact=contact, referrer=referrer, interview=None, goals=(), extra={}
    )


def test_choose_ask_kind() -> None:
    """Referrer known -> referred; shared affiliation -> affiliation; otherwise cold."""
    bob = Contact(name="Bob")
    referred = Contact(name="Ann", referrer_id=bob.id, affiliation="Leeds")
    alumna = Contact(name="Cat", affiliation="Leeds alumni")
    stranger = Contact(name="Dan", affiliation="   ")
    assert choose_ask_kind(_context(referred, bob)) == "ask_referred"
    assert choose_ask_kind(_context(alumna, None)) == "ask_affiliation"
    assert choose_ask_kind(_context(stranger, None)) == "ask_cold"
    assert _context(referred, bob)["connection"] == {
        "kind": "referral",
        "referrer": "Bob",
        "affiliation": "Leeds",
    }
