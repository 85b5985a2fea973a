"""Personal data never shows in a record's ``repr`` (logs and tracebacks print reprs)."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
from hypothesis import given

from infointerview import Contact, Event, Interview, Message, SeekerProfile
from infointerview.testing.strategies import contacts, events, interviews, messages, seeker_profiles

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
SECRET = "Zyxwvu-Secret-7731"

CONTACT_PERSONAL = (
    "name",
    "organisation",
    "role",
    "affiliation",
    "email",
    "phone",
    "linkedin_url",
    "notes",
)
PROFILE_PERSONAL = ("name", "email", "phone", "background", "pitch", "affiliations")


@given(contacts())
def test_a_contact_repr_does_not_depend_on_personal_fields(contact: Contact) -> None:
    """Changing a contact's name, employer, channels or notes leaves its repr unchanged."""
    blank = attrs.evolve(
        contact,
        **{f: "x" for f in CONTACT_PERSONAL},  # type: ignore[arg-type]
    )
    assert repr(contact) == repr(blank)


@given(seeker_profiles())
def test_a_profile_repr_does_not_depend_on_personal_fields(profile: SeekerProfile) -> None:
    """Changing the seeker's name, contact details, background or pitch leaves the repr alone."""
    blank = attrs.evolve(
        profile,
        **{f: () if f == "affiliations" else "" for f in PROFILE_PERSONAL},  # type: ignore[arg-type]
    )
    assert repr(profile) == repr(blank)


@given(events())
def test_an_event_repr_does_not_show_its_note(event: Event) -> None:
    """An event's free-text note is left out of its repr."""
    assert repr(event) == repr(attrs.evolve(event, note=""))


@given(messages())
def test_a_message_repr_does_not_show_body_subject_or_recipients(message: Message) -> None:
    """A message's body, subject and recipients are left out of its repr."""
    assert repr(message) == repr(attrs.evolve(message, body="", subject="", recipients=()))


@given(interviews())
def test_an_interview_repr_does_not_show_notes_or_insights(interview: Interview) -> None:
    """An interview's notes, insights and promises are left out of its repr."""
    blank = attrs.evolve(interview, notes="", insights=(), promised_followups=())
    assert repr(interview) == repr(blank)


def test_a_marked_secret_appears_in_no_repr() -> None:
    """A recognisable value put in every personal field shows up in no repr."""
    contact = Contact(
        **{f: SECRET for f in CONTACT_PERSONAL},  # type: ignore[arg-type]
        id="c1",
    )
    profile = SeekerProfile(
        **{f: (SECRET,) if f == "affiliations" else SECRET for f in PROFILE_PERSONAL}  # type: ignore[arg-type]
    )
    event = Event(contact_id="c1", kind="met", at=T0, note=SECRET)
    message = Message(
        kind="thank_you", channel="email", body=SECRET, subject=SECRET, recipients=(SECRET,)
    )
    interview = Interview(
        contact_id="c1",
        at=T0,
        notes=SECRET,
        insights=(SECRET,),
        promised_followups=(SECRET,),
    )
    for record in (contact, profile, event, message, interview):
        assert SECRET not in repr(record)
        assert SECRET not in str(record)
