"""Hypothesis strategies for every domain record.

Personal fields (names, notes, bodies) draw from arbitrary unicode text mixed
with known troublemakers: right-to-left scripts, emoji sequences, quotes, HTML,
template syntax such as ``{{ 7*7 }}`` and SQL fragments. Two characters are
left out everywhere: lone surrogates (not encodable as UTF-8) and NUL (no SQL
text column stores it).

Datetimes are timezone-aware with fixed UTC offsets. Named zones are avoided on
purpose: Python compares a datetime inside a DST fold or gap as unequal to the
same instant in another zone, so a store that normalises to UTC would fail a
round trip for a reason that is not its own.

Every strategy that takes an id or a related id takes it as a strategy, so a
test can pin it (``st.just("c1")``) or leave it random. The building blocks
are cached: strategies are immutable, and building them anew for every draw
of a composite strategy is what would make generation slow.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone

import attrs
from hypothesis import strategies as st

from infointerview.errors import JobRequestGoalError
from infointerview.goals import STANDARD_GOALS, check_not_a_job_request
from infointerview.model import (
    Channel,
    Contact,
    ContactSource,
    Event,
    EventKind,
    Finding,
    Goal,
    Interview,
    Medium,
    Message,
    Question,
    QuestionCategory,
    SeekerProfile,
    Severity,
)
from infointerview.ports import ContactExport, Relationship
from infointerview.stages import RelationshipState, Stage, accepted_events, step

__all__ = [
    "NASTY_TEXTS",
    "aware_datetimes",
    "contact_exports",
    "contacts",
    "custom_goals",
    "event_histories",
    "event_sequences",
    "events",
    "findings",
    "goal_keys",
    "goals",
    "ids",
    "interviews",
    "messages",
    "names",
    "personal_text",
    "questions",
    "records",
    "relationships",
    "seeker_profiles",
    "single_line_text",
    "utc_offsets",
]

NASTY_TEXTS: tuple[str, ...] = (
    "Zoë O'Brien-Núñez",
    "ليلى حداد",
    "נועה כהן",
    "王芳",
    "Ελένη Παπαδοπούλου",
    "👩🏽‍💻 Dev 🚀",
    "🏳️‍🌈🇺🇦",
    "Robert'); DROP TABLE contacts;--",
    "\"double\" and 'single' quotes",
    "<script>alert('x')</script>",
    "<b>bold</b> &amp; &lt;tag&gt;",
    "{{ 7*7 }}",
    "{% for x in range(9) %}{{ x }}{% endfor %}",
    "{{ ''.__class__.__mro__ }}",
    "${7*7} #{7*7} %(name)s {0} %s",
    "\u202eevil\u202c right-to-left override",
    "zero\u200bwidth\u200djoiner",
    "e\u0301 combining accent",
    "back\\slash \\n not a newline",
    "tab\tinside",
    "   padded   ",
    "ǅ titlecase ß ﬁ",
    "line\u2028separator",
    "x" * 300,
)
"""Hand-picked text that breaks naive escaping, templating or SQL."""

_ANY_CHAR = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
_LINE_CHAR = st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r\n")
_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_"

_EPOCH_MIN = datetime(1990, 1, 1)
_EPOCH_MAX = datetime(2090, 1, 1)


@functools.cache
def personal_text(*, min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Any unicode text (line breaks included), often one of :data:`NASTY_TEXTS`."""
    nasty = [t for t in NASTY_TEXTS if min_size <= len(t)]
    return st.one_of(
        st.sampled_from(nasty),
        st.text(_ANY_CHAR, min_size=min_size, max_size=max_size),
        st.builds(
            lambda a, b: a + b,
            st.sampled_from(nasty),
            st.text(_ANY_CHAR, min_size=0, max_size=max_size),
        ),
    )


@functools.cache
def single_line_text(*, min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Like :func:`personal_text` without CR or LF (emails, subjects, recipients)."""
    nasty = [t for t in NASTY_TEXTS if min_size <= len(t) and "\r" not in t and "\n" not in t]
    return st.one_of(
        st.sampled_from(nasty),
        st.text(_LINE_CHAR, min_size=min_size, max_size=max_size),
    )


def _non_blank(text: str) -> bool:
    return bool(text.strip())


@functools.cache
def names() -> st.SearchStrategy[str]:
    """Non-blank personal text, as a contact's name must be."""
    return personal_text(min_size=1).filter(_non_blank)


@functools.cache
def ids() -> st.SearchStrategy[str]:
    """Record ids: short lower-case ASCII ids or 32-hex-digit ones like :func:`new_id`."""
    return st.one_of(
        st.text(_ID_ALPHABET, min_size=1, max_size=12),
        st.uuids().map(lambda u: u.hex),
    )


def _any_id() -> st.SearchStrategy[str]:
    # ``contacts`` has a parameter named ``ids``; this reaches the module function.
    return ids()


@functools.cache
def utc_offsets() -> st.SearchStrategy[timezone]:
    """Fixed offsets from UTC-12:00 to UTC+14:00 in quarter hours, UTC most often."""
    return st.one_of(
        st.just(UTC),
        st.integers(-12 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q))),
    )


@functools.cache
def aware_datetimes(
    min_value: datetime = _EPOCH_MIN, max_value: datetime = _EPOCH_MAX
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes between two naive bounds, with fixed UTC offsets."""
    return st.datetimes(min_value=min_value, max_value=max_value, timezones=utc_offsets())


@functools.cache
def goal_keys() -> st.SearchStrategy[str]:
    """Keys of standard goals, or well-formed custom ones."""
    return st.one_of(
        st.sampled_from([g.key for g in STANDARD_GOALS]),
        st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True),
    )


@st.composite
def contacts(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] | None = None,
    referrer_ids: st.SearchStrategy[str | None] | None = None,
) -> Contact:
    """A new contact (``version`` 0); no referrer unless ``referrer_ids`` is given."""
    contact_id = draw(ids if ids is not None else _any_id())
    referrer = draw(referrer_ids) if referrer_ids is not None else None
    if referrer == contact_id:
        referrer = None
    return Contact(
        name=draw(names()),
        organisation=draw(personal_text()),
        role=draw(personal_text()),
        field=draw(personal_text(max_size=20)),
        source=draw(st.sampled_from(ContactSource)),
        referrer_id=referrer,
        affiliation=draw(personal_text()),
        email=draw(single_line_text()),
        phone=draw(personal_text(max_size=20)),
        linkedin_url=draw(single_line_text()),
        tags=draw(st.frozensets(personal_text(min_size=1, max_size=12), max_size=3)),
        notes=draw(personal_text(max_size=200)),
        cadence_days=draw(st.none() | st.integers(1, 400)),
        id=contact_id,
    )


@functools.cache
def goals() -> st.SearchStrategy[Goal]:
    """Any goal record (standard or not), with unicode titles."""
    return st.builds(
        Goal,
        key=goal_keys(),
        title=names(),
        description=personal_text(),
        standard=st.booleans(),
    )


def _not_a_job_request(goal: Goal) -> bool:
    try:
        for text in (goal.key.replace("_", " "), goal.title, goal.description):
            check_not_a_job_request(text)
    except JobRequestGoalError:
        return False
    return True


@functools.cache
def custom_goals() -> st.SearchStrategy[Goal]:
    """Custom goals a catalog accepts: a fresh key, no job request, ``standard=False``."""
    standard = {g.key for g in STANDARD_GOALS}
    return st.builds(
        Goal,
        key=st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True).filter(
            lambda k: k not in standard
        ),
        title=names(),
        description=personal_text(),
        standard=st.just(False),
    ).filter(_not_a_job_request)


@functools.cache
def questions() -> st.SearchStrategy[Question]:
    """Questions with unicode text, any category, positive float minutes."""
    return st.builds(
        Question,
        text=names(),
        category=st.sampled_from(QuestionCategory),
        goals=st.frozensets(goal_keys(), max_size=3),
        priority=st.integers(-1000, 1000),
        minutes=st.floats(min_value=0.25, max_value=30.0, allow_nan=False, allow_infinity=False),
        source=st.sampled_from(["user", "builtin", "ai-helper"]) | single_line_text(min_size=1),
        situations=st.frozensets(personal_text(min_size=1, max_size=12), max_size=2),
    )


@functools.cache
def seeker_profiles() -> st.SearchStrategy[SeekerProfile]:
    """Seeker profiles with unicode in every personal field."""
    return st.builds(
        SeekerProfile,
        name=personal_text(),
        email=single_line_text(),
        phone=personal_text(max_size=20),
        background=personal_text(max_size=200),
        field=personal_text(max_size=20),
        target=personal_text(max_size=20),
        pitch=personal_text(max_size=200),
        affiliations=st.lists(personal_text(min_size=1), max_size=3).map(tuple),
        situations=st.frozensets(personal_text(min_size=1, max_size=12), max_size=3),
    )


def events(
    *,
    contact_ids: st.SearchStrategy[str] | None = None,
    kinds: st.SearchStrategy[EventKind] | None = None,
    related_contact_ids: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[Event]:
    """One event of any kind (legal or not for a given stage)."""
    return st.builds(
        Event,
        contact_id=contact_ids if contact_ids is not None else ids(),
        kind=kinds if kinds is not None else st.sampled_from(EventKind),
        at=aware_datetimes(),
        channel=st.none() | st.sampled_from(Channel),
        note=personal_text(),
        scheduled_for=st.none() | aware_datetimes(),
        related_contact_id=related_contact_ids if related_contact_ids is not None else st.none(),
        id=ids(),
    )


@st.composite
def _history(
    draw: st.DrawFn,
    contact_ids: st.SearchStrategy[str] | None,
    related_contact_ids: st.SearchStrategy[str | None] | None,
    start: st.SearchStrategy[datetime] | None,
    min_size: int,
    max_size: int,
    legal: bool,
) -> tuple[Event, ...]:
    contact_id = draw(contact_ids if contact_ids is not None else ids())
    related = related_contact_ids if related_contact_ids is not None else st.none()
    at = draw(start if start is not None else aware_datetimes(max_value=datetime(2080, 1, 1)))
    size = draw(st.integers(min_size, max_size))
    state = RelationshipState()
    history: list[Event] = []
    for _ in range(size):
        choices: Sequence[EventKind] = accepted_events(state.stage) if legal else tuple(EventKind)
        kind = draw(st.sampled_from(choices))
        at = (at + draw(st.timedeltas(timedelta(0), timedelta(days=40)))).astimezone(
            draw(utc_offsets())
        )
        scheduled_for = None
        if kind in (EventKind.SCHEDULED, EventKind.RESCHEDULED) and draw(st.booleans()):
            scheduled_for = at + draw(st.timedeltas(timedelta(hours=1), timedelta(days=30)))
        event = Event(
            contact_id=contact_id,
            kind=kind,
            at=at,
            channel=draw(st.none() | st.sampled_from(Channel)),
            note=draw(personal_text(max_size=20)),
            scheduled_for=scheduled_for,
            related_contact_id=draw(related) if kind is EventKind.REFERRED else None,
            id=draw(st.uuids().map(lambda u: u.hex)),
        )
        history.append(event)
        if legal:
            state = step(state, event)
    return tuple(history)


def event_histories(
    *,
    contact_ids: st.SearchStrategy[str] | None = None,
    related_contact_ids: st.SearchStrategy[str | None] | None = None,
    start: st.SearchStrategy[datetime] | None = None,
    min_size: int = 0,
    max_size: int = 12,
) -> st.SearchStrategy[tuple[Event, ...]]:
    """Event logs of one contact that :func:`infointerview.fold` accepts, oldest first.

    Times never go backwards (the workspace refuses that) but may repeat, and
    each event may carry a different UTC offset. ``related_contact_id`` is set
    on ``referred`` events only, drawn from ``related_contact_ids``.
    """
    return _history(contact_ids, related_contact_ids, start, min_size, max_size, True)


def event_sequences(
    *,
    contact_ids: st.SearchStrategy[str] | None = None,
    min_size: int = 0,
    max_size: int = 12,
) -> st.SearchStrategy[tuple[Event, ...]]:
    """Event logs of one contact with any kinds in any order: legal or not."""
    return _history(contact_ids, None, None, min_size, max_size, False)


def interviews(
    *,
    contact_ids: st.SearchStrategy[str] | None = None,
    referrals: st.SearchStrategy[tuple[str, ...]] | None = None,
) -> st.SearchStrategy[Interview]:
    """New interviews (``version`` 0); ``referrals`` is empty unless a strategy is given."""

    @st.composite
    def build(draw: st.DrawFn) -> Interview:
        at = draw(aware_datetimes())
        held = draw(st.none() | st.timedeltas(timedelta(0), timedelta(days=3)))
        return Interview(
            contact_id=draw(contact_ids if contact_ids is not None else ids()),
            at=at,
            medium=draw(st.sampled_from(Medium)),
            minutes=draw(st.integers(5, 240)),
            goals=tuple(draw(st.lists(goal_keys(), max_size=4, unique=True))),
            agenda=tuple(draw(st.lists(questions(), max_size=3))),
            notes=draw(personal_text(max_size=200)),
            insights=tuple(draw(st.lists(personal_text(min_size=1), max_size=3))),
            referrals=draw(referrals) if referrals is not None else (),
            promised_followups=tuple(draw(st.lists(personal_text(min_size=1), max_size=2))),
            held_at=None if held is None else at + held,
            id=draw(ids()),
        )

    return build()


@functools.cache
def findings() -> st.SearchStrategy[Finding]:
    """Message-check findings with unicode explanations."""
    return st.builds(
        Finding,
        check=st.sampled_from(["length", "referrer_named", "no_job_request"])
        | single_line_text(min_size=1),
        severity=st.sampled_from(Severity),
        explanation=personal_text(),
    )


def messages(
    *, contact_ids: st.SearchStrategy[str | None] | None = None
) -> st.SearchStrategy[Message]:
    """Drafted messages; ``contact_id`` is ``None`` unless a strategy is given."""
    return st.builds(
        Message,
        kind=st.sampled_from(["ask_referred", "thank_you", "follow_up"]) | single_line_text(),
        channel=st.sampled_from(Channel),
        body=personal_text(max_size=300),
        subject=single_line_text(),
        recipients=st.lists(single_line_text(min_size=1), max_size=3).map(tuple),
        contact_id=contact_ids if contact_ids is not None else st.none(),
        format=st.sampled_from(["text", "markdown", "html"]),
        findings=st.lists(findings(), max_size=3).map(tuple),
        created_at=st.none() | aware_datetimes(),
        id=ids(),
    )


@st.composite
def relationships(
    draw: st.DrawFn, *, contact_ids: st.SearchStrategy[str] | None = None
) -> Relationship:
    """A relationship whose stored ``stage`` is the fold of its legal history."""
    contact_id = draw(contact_ids if contact_ids is not None else ids())
    history = draw(event_histories(contact_ids=st.just(contact_id), related_contact_ids=ids()))
    state = RelationshipState()
    for event in history:
        state = step(state, event)
    return Relationship(
        contact_id=contact_id,
        events=history,
        stage=state.stage if history else Stage.IDENTIFIED,
        next_due=draw(st.none() | aware_datetimes()),
    )


@st.composite
def contact_exports(draw: st.DrawFn) -> ContactExport:
    """One contact's export: the contact, its relationship, interviews and messages."""
    contact = draw(contacts(referrer_ids=st.none() | ids()))
    same = st.just(contact.id)
    return ContactExport(
        contact=attrs.evolve(contact, version=draw(st.integers(1, 50))),
        relationship=draw(relationships(contact_ids=same)),
        interviews=tuple(draw(st.lists(interviews(contact_ids=same), max_size=2))),
        messages=tuple(draw(st.lists(messages(contact_ids=same), max_size=2))),
    )


def records() -> st.SearchStrategy[object]:
    """Any record :func:`infointerview.to_record` accepts."""
    return st.one_of(
        contacts(referrer_ids=st.none() | ids()),
        event_sequences(min_size=1, max_size=1).map(lambda events: events[0]),
        events(related_contact_ids=st.none() | ids()),
        goals(),
        questions(),
        interviews(referrals=st.lists(ids(), max_size=2).map(tuple)),
        findings(),
        messages(contact_ids=st.none() | ids()),
        seeker_profiles(),
        relationships(),
        contact_exports(),
    )
