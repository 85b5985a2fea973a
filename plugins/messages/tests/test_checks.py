"""The message checks, one by one, with their options; and switching them off by name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from infointerview_messages import (
    ConnectionNamed,
    EmailSubject,
    ExplicitAsk,
    LinkedInNoteLength,
    NoAttachment,
    NoJobRequest,
    ThankYouSpecific,
    ThankYouTimely,
    WordLimit,
)
from infointerview_messages.checks import durations

from infointerview import CheckContext, InvalidInputError, Message, Severity

MET = datetime(2024, 3, 7, 14, 0, tzinfo=UTC)
ASK = (
    "Dear Ann, Bob Lee suggested I write. I am exploring energy storage. "
    "I am asking for advice, not for a job. Would you have 20 to 30 minutes for a call?"
)


def _msg(body: str, kind: str = "ask_referred", channel: str = "email", **kw: Any) -> Message:
    return Message(kind=kind, channel=channel, body=body, subject=kw.pop("subject", "Hi"), **kw)


def _ctx(
    options: dict[str, Any] | None = None, now: datetime | None = None, **data: Any
) -> CheckContext:
    context = {"referrer": None, "contact": {"affiliation": ""}, "notes": [], "interview": None}
    context.update(data)
    return CheckContext(context=context, options=options or {}, now=now)


def _explain(check: Any, message: Message, context: CheckContext) -> list[str]:
    return [f.explanation for f in check.check(message, context)]


# -- word_limit --------------------------------------------------------------


def _words(n: int) -> str:
    return " ".join(["word"] * n)


def test_first_ask_by_email_at_most_100_words() -> None:
    """100 words pass, 101 do not (the 5-point default)."""
    check = WordLimit()
    assert _explain(check, _msg(_words(100)), _ctx()) == []
    (finding,) = check.check(_msg(_words(101)), _ctx())
    assert finding.check == "word_limit"
    assert finding.severity is Severity.WARNING
    assert "101 words" in finding.explanation and "100 allowed" in finding.explanation


def test_six_point_preset_wants_under_75_words() -> None:
    """The 6-point preset allows 74 words for a first ask by email, not 75."""
    options = {"word_limit": {"preset": "6-point"}}
    assert _explain(WordLimit(), _msg(_words(74)), _ctx(options)) == []
    assert _explain(WordLimit(), _msg(_words(75)), _ctx(options))


def test_word_limits_per_kind_and_channel_are_configurable() -> None:
    """'kind.channel' beats 'kind' beats '*.channel'; None removes a limit."""
    limits = {"ask_cold.email": 10, "ask_cold": 20, "*.email": 30, "thank_you.email": None}
    options = {"word_limit": {"limits": limits}}
    check = WordLimit()
    assert check.limit(_msg("x", kind="ask_cold"), check.options(_ctx(options))) == 10
    assert check.limit(_msg("x", "ask_cold", "phone"), check.options(_ctx(options))) == 20
    assert check.limit(_msg("x", "custom_kind"), check.options(_ctx(options))) == 30
    assert check.limit(_msg("x", "thank_you"), check.options(_ctx(options))) is None
    assert check.limit(_msg("x", "custom_kind", "card"), check.options(_ctx())) is None


def test_words_are_counted_in_what_the_reader_sees() -> None:
    """HTML tags and Markdown escapes do not count as words."""
    html = "<p>" + "</p><p>".join(["word"] * 100) + "</p>"
    assert _explain(WordLimit(), _msg(html, format="html"), _ctx()) == []
    assert _explain(WordLimit(), _msg(r"\* " * 150, format="markdown"), _ctx()) == []


@pytest.mark.parametrize(
    "options",
    [
        {"word_limit": {"preset": "7-point"}},
        {"word_limit": {"limits": {"ask_referred.email": 0}}},
        {"word_limit": {"limits": "100"}},
        {"word_limit": {"limit": 100}},
        {"word_limit": {"severity": "fatal"}},
        {"word_limit": {"channels": ["pigeon"]}},
        {"word_limit": {"kinds": "ask_cold"}},
        {"word_limit": 100},
    ],
)
def test_bad_options_are_refused_with_the_reason(options: dict[str, Any]) -> None:
    """Unknown options, bad values and unknown channels raise InvalidInputError."""
    with pytest.raises(InvalidInputError, match="word_limit"):
        list(WordLimit().check(_msg("x"), _ctx(options)))


def test_scope_and_severity_are_options_of_every_check() -> None:
    """'kinds' narrows where a check looks; 'severity' changes what its findings weigh."""
    long = _msg(_words(150))
    only_cold = {"word_limit": {"kinds": ["ask_cold"]}}
    assert _explain(WordLimit(), long, _ctx(only_cold)) == []
    (finding,) = WordLimit().check(long, _ctx({"word_limit": {"severity": "error"}}))
    assert finding.severity is Severity.ERROR


# -- linkedin_note_length ----------------------------------------------------------


def test_linkedin_note_limit_300_or_200_for_free_accounts() -> None:
    """300 characters by default, 200 with account 'free', or any max_chars."""
    check = LinkedInNoteLength()
    assert _explain(check, _msg("x" * 300, channel="linkedin_note"), _ctx()) == []
    (finding,) = check.check(_msg("x" * 301, channel="linkedin_note"), _ctx())
    assert finding.severity is Severity.ERROR and "301 characters" in finding.explanation
    free = {"linkedin_note_length": {"account": "free"}}
    assert _explain(check, _msg("x" * 201, channel="linkedin_note"), _ctx(free))
    custom = {"linkedin_note_length": {"max_chars": 150}}
    assert _explain(check, _msg("x" * 151, channel="linkedin_note"), _ctx(custom))
    assert _explain(check, _msg("x" * 400, channel="email"), _ctx()) == []


# -- connection_named ------------------------------------------------------


def test_referrer_must_be_named_when_known() -> None:
    """With a referrer in the data, the message names them (full or first name)."""
    referrer = {"name": "Bob Lee", "first_name": "Bob"}
    check = ConnectionNamed()
    assert _explain(check, _msg(ASK), _ctx(referrer=referrer)) == []
    assert _explain(check, _msg("Hi, Bob suggested I write."), _ctx(referrer=referrer)) == []
    (text,) = _explain(check, _msg("Hi, I found you online."), _ctx(referrer=referrer))
    assert "referred by someone" in text
    assert "Bob" not in text  # no personal data in findings


def test_affiliation_must_be_mentioned_when_shared() -> None:
    """With a shared affiliation in the data, the message mentions it."""
    contact = {"affiliation": "Leeds Physics Society"}
    check = ConnectionNamed()
    body = "We are both in the leeds physics society, so I wondered..."
    assert _explain(check, _msg(body, "ask_affiliation"), _ctx(contact=contact)) == []
    assert _explain(check, _msg("Hello there", "ask_cold"), _ctx(contact=contact))
    assert _explain(check, _msg("Hello there", "ask_cold"), _ctx()) == []


# -- explicit_ask ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("20 to 30 minutes", [20, 30]),
        ("20-30 minutes", [20, 30]),
        ("20\u201330 mins", [20, 30]),
        ("a 20-minute call", [20]),
        ("twenty minutes", [20]),
        ("twenty-five minutes or so", [25]),
        ("half an hour", [30]),
        ("an hour of your time", [60]),
        ("a quarter of an hour", [15]),
        ("some time", []),
        ("3 reports", []),
    ],
)
def test_durations(text: str, found: list[int]) -> None:
    """Minutes are read from digits, words, ranges and common phrases."""
    assert durations(text) == found


def test_ask_names_a_short_time() -> None:
    """No time asked for, or more than 30 minutes, is a finding; 20-30 passes."""
    check = ExplicitAsk()
    assert _explain(check, _msg(ASK), _ctx()) == []
    (none,) = _explain(check, _msg("Could we talk sometime?"), _ctx())
    assert "20-30 minutes" in none
    (long,) = _explain(check, _msg("Could we talk for an hour?"), _ctx())
    assert "60 minutes" in long
    relaxed = {"explicit_ask": {"max_minutes": 60}}
    assert _explain(check, _msg("Could we talk for an hour?"), _ctx(relaxed)) == []
    assert _explain(check, _msg("No time here", kind="thank_you"), _ctx()) == []


def test_ask_as_a_question_is_an_option() -> None:
    """With require_question the request must end in '?'."""
    options = {"explicit_ask": {"require_question": True}}
    body = "I would love 20 minutes of your advice."
    assert _explain(ExplicitAsk(), _msg(body), _ctx(options)) == [
        "phrase the request as a question ending in '?'"
    ]
    assert _explain(ExplicitAsk(), _msg(body), _ctx()) == []


# -- no_job_request / no_attachment ------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Are you hiring at the moment?",
        "Is your team hiring?",
        "Could you refer me for the analyst role?",
        "Do you have any openings?",
        "I am looking for a job in energy.",
        "I would love to hear about job opportunities.",
        "Could you put in a good word for me?",
        "I plan to apply for the graduate scheme.",
        "Please hire me.",
    ],
)
def test_job_requests_are_found(sentence: str) -> None:
    """Asking for a job, hiring or a referral into a role is an error in a first message."""
    (finding,) = NoJobRequest().check(_msg(f"Hi Ann. {sentence} Thanks."), _ctx())
    assert finding.severity is Severity.ERROR


@pytest.mark.parametrize(
    "sentence",
    [
        "I am asking for advice, not for a job.",
        "I am not looking for a job; I want to learn.",
        "This isn't a request for a job opening.",
        "I would never ask you for a job.",
        "Your role at GridCo sounds fascinating.",
        "What skills does your position call for?",
    ],
)
def test_saying_it_is_not_a_job_request_is_fine(sentence: str) -> None:
    """Negated mentions and ordinary talk about roles are not job requests."""
    assert _explain(NoJobRequest(), _msg(sentence), _ctx()) == []


def test_job_request_check_is_for_early_messages_only() -> None:
    """A later message (an update) may talk about jobs."""
    update = _msg("I am applying for roles now. Are you hiring?", kind="keep_in_touch_update")
    assert _explain(NoJobRequest(), update, _ctx()) == []


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        ("I have attached my resume.", True),
        ("Please find my CV enclosed.", True),
        ("My résumé is below.", True),
        ("Attachment: portfolio.pdf", True),
        ("I will not attach anything.", False),
        ("Could we resume our talk next week?", False),
        ("Would you have 20 minutes?", False),
    ],
)
def test_attachments_in_a_first_message(body: str, flagged: bool) -> None:
    """Mentioning an attachment or a resume in a first ask is a warning."""
    findings = list(NoAttachment().check(_msg(body), _ctx()))
    assert bool(findings) is flagged
    assert all(f.severity is Severity.WARNING for f in findings)


# -- thank-yous --------------------------------------------------------------


def _interview(held: bool = True) -> dict[str, Any]:
    return {
        "at": MET.isoformat(),
        "held_at": (MET + timedelta(minutes=30)).isoformat() if held else None,
    }


def test_thank_you_within_24_hours_of_the_meeting() -> None:
    """Drafted 23 hours after the meeting passes; 25 hours is late."""
    check = ThankYouTimely()
    held = MET + timedelta(minutes=30)
    thanks = _msg("Thank you", kind="thank_you")
    on_time = _ctx(now=held + timedelta(hours=23), interview=_interview())
    assert _explain(check, thanks, on_time) == []
    late = _ctx(now=held + timedelta(hours=25), interview=_interview())
    (text,) = _explain(check, thanks, late)
    assert "25 hours" in text and "within 24 hours" in text
    wider = {"thank_you_timely": {"within_hours": 48}}
    wide = _ctx(wider, now=held + timedelta(hours=25), interview=_interview())
    assert _explain(check, thanks, wide) == []


def test_thank_you_timing_falls_back_to_the_planned_time() -> None:
    """Without a held time the planned start counts; without an interview, an info."""
    check = ThankYouTimely()
    thanks = _msg("Thank you", kind="thank_you")
    late = _ctx(now=MET + timedelta(hours=25), interview=_interview(held=False))
    assert _explain(check, thanks, late)
    (finding,) = check.check(thanks, _ctx(now=MET))
    assert finding.severity is Severity.INFO


def test_thank_you_cites_a_note() -> None:
    """A thank-you quoting, or closely paraphrasing, a recorded insight passes."""
    notes = ["Long-duration storage is where the growth is", "learn modelling first"]
    check = ThankYouSpecific()
    quoting = _msg("Thanks! I keep thinking: long-duration storage is where the growth is.")
    paraphrase = _msg("Thanks, your point that growth is in long duration storage stuck.")
    vague = _msg("Thank you so much for your time, it was great.")
    for message in (quoting, paraphrase):
        assert _explain(check, _with_kind(message), _ctx(notes=notes)) == []
    (text,) = _explain(check, _with_kind(vague), _ctx(notes=notes))
    assert "specific" in text
    (empty,) = _explain(check, _with_kind(vague), _ctx())
    assert "no insights are recorded" in empty


def _with_kind(message: Message) -> Message:
    return Message(kind="thank_you", channel="email", body=message.body, subject="Thanks")


def test_thank_you_needs_as_many_notes_as_asked() -> None:
    """min_cited raises the bar."""
    notes = ["storage is growing", "learn modelling first"]
    body = _with_kind(_msg("storage is growing, you said."))
    assert _explain(ThankYouSpecific(), body, _ctx(notes=notes)) == []
    options = {"thank_you_specific": {"min_cited": 2}}
    assert _explain(ThankYouSpecific(), body, _ctx(options, notes=notes))


# -- email_subject -------------------------------------------------------------


def test_email_subject() -> None:
    """An email needs a subject; a very long one is an info finding."""
    check = EmailSubject()
    assert _explain(check, _msg("x", subject="Advice?"), _ctx()) == []
    (missing,) = check.check(_msg("x", subject=""), _ctx())
    assert missing.severity is Severity.WARNING
    (long,) = check.check(_msg("x", subject="s" * 90), _ctx())
    assert long.severity is Severity.INFO
    assert _explain(check, _msg("x", channel="phone", subject=""), _ctx()) == []
