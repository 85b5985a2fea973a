"""The message checks: the method's rules for asks and thank-yous, each named and switchable.

Every check reads its options from ``check_options[name]`` (see
:func:`infointerview.open_workspace`). Three options work for every check:
``kinds`` and ``channels`` (lists: where it applies) and ``severity``
(``"info"``, ``"warning"`` or ``"error"``: how much its findings matter).
"""

from __future__ import annotations

import abc
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, ClassVar

from infointerview.errors import InvalidInputError
from infointerview.model import Channel, Finding, Message, Severity
from infointerview.ports import CheckContext, MessageCheck
from infointerview_messages.kinds import ASK_KINDS, FIRST_MESSAGE_KINDS, THANK_YOU_KINDS
from infointerview_messages.text import normalise, plain_text, word_count

__all__ = [
    "DEFAULT_WORD_LIMITS",
    "WORD_LIMIT_PRESETS",
    "ConnectionNamed",
    "EmailSubject",
    "ExplicitAsk",
    "LinkedInNoteLength",
    "NoAttachment",
    "NoJobRequest",
    "OptionsCheck",
    "ThankYouSpecific",
    "ThankYouTimely",
    "WordLimit",
    "default_checks",
]

_COMMON = ("kinds", "channels", "severity")


class OptionsCheck(MessageCheck):
    """A check with named options, defaults, and a scope of kinds and channels.

    Subclasses set ``name``, ``severity``, ``kinds``/``channels`` (``None``:
    all) and ``defaults``, and implement :meth:`problems`.
    """

    name: str
    severity: ClassVar[Severity] = Severity.WARNING
    kinds: ClassVar[tuple[str, ...] | None] = None
    channels: ClassVar[tuple[Channel, ...] | None] = None
    defaults: ClassVar[Mapping[str, Any]] = MappingProxyType({})

    def options(self, context: CheckContext) -> dict[str, Any]:
        """This check's options: its defaults updated with ``check_options[name]``."""
        given = context.options.get(self.name, {})
        if not isinstance(given, Mapping):
            raise InvalidInputError(
                f"check_options[{self.name!r}] must be a mapping of option names to values, "
                f"got {type(given).__name__}"
            )
        known = (*self.defaults, *_COMMON)
        unknown = sorted(str(k) for k in given if k not in known)
        if unknown:
            raise InvalidInputError(
                f"check {self.name!r} has no option {', '.join(map(repr, unknown))}; "
                f"its options are: {', '.join(known)}"
            )
        merged: dict[str, Any] = {
            "kinds": self.kinds,
            "channels": self.channels,
            "severity": self.severity,
            **self.defaults,
            **given,
        }
        try:
            merged["severity"] = Severity(merged["severity"])
        except ValueError:
            raise InvalidInputError(
                f"check_options[{self.name!r}]['severity'] must be info, warning or error"
            ) from None
        for key in ("kinds", "channels"):
            value = merged[key]
            if value is None:
                continue
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise InvalidInputError(
                    f"check_options[{self.name!r}][{key!r}] must be a list (or None for all)"
                )
            try:
                merged[key] = frozenset(
                    Channel(v).value if key == "channels" else str(v) for v in value
                )
            except ValueError:
                raise InvalidInputError(
                    f"check_options[{self.name!r}]['channels'] holds an unknown channel; "
                    f"channels are: {', '.join(c.value for c in Channel)}"
                ) from None
        return merged

    def applies(self, message: Message, options: Mapping[str, Any]) -> bool:
        """Whether ``message`` is of a kind and channel this check looks at."""
        kinds, channels = options["kinds"], options["channels"]
        if kinds is not None and message.kind not in kinds:
            return False
        return channels is None or message.channel.value in channels

    def check(self, message: Message, context: CheckContext) -> Iterable[Finding]:
        """The findings for ``message``: one per problem found."""
        options = self.options(context)
        if not self.applies(message, options):
            return []
        return [
            Finding(check=self.name, severity=severity or options["severity"], explanation=text)
            for text, severity in self.problems(message, context, options)
        ]

    @abc.abstractmethod
    def problems(
        self, message: Message, context: CheckContext, options: Mapping[str, Any]
    ) -> Iterator[tuple[str, Severity | None]]:
        """Each problem's explanation, and its severity if not the check's own."""


def _positive_int(options: Mapping[str, Any], key: str, check: str) -> int:
    value = options[key]
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise InvalidInputError(
            f"check_options[{check!r}][{key!r}] must be a positive whole number"
        )
    return value


# -- length ----------------------------------------------------------------

DEFAULT_WORD_LIMITS: Mapping[str, int] = MappingProxyType(
    {
        **{f"{kind}.email": 100 for kind in ASK_KINDS},
        **{f"{kind}.linkedin_message": 100 for kind in ASK_KINDS},
        **{f"{kind}.phone": 150 for kind in ASK_KINDS},
        "follow_up": 75,
        "follow_up.phone": 90,
        "thank_you.email": 200,
        "thank_you.linkedin_message": 100,
        "thank_you_note": 100,
        "ask_introduction": 120,
        "keep_in_touch_article": 100,
        "keep_in_touch_update": 100,
        "keep_in_touch_invitation": 100,
        "elevator_pitch": 150,
    }
)
"""Default words allowed, by ``"kind.channel"``, ``"kind"`` or ``"*.channel"``.

A limit is looked up by those three keys in turn, first in the user's
``limits``, then in the preset, then here.
"""

WORD_LIMIT_PRESETS: Mapping[str, Mapping[str, int]] = MappingProxyType(
    {
        "5-point": MappingProxyType({}),
        "6-point": MappingProxyType(
            {
                **{f"{kind}.email": 74 for kind in ASK_KINDS},
                **{f"{kind}.linkedin_message": 74 for kind in ASK_KINDS},
            }
        ),
    }
)
"""``5-point``: first asks at most 100 words (the default); ``6-point``: under 75."""


class WordLimit(OptionsCheck):
    """Short messages get answers: a word limit per kind and channel."""

    name = "word_limit"
    defaults = MappingProxyType({"preset": "5-point", "limits": MappingProxyType({})})

    def limit(self, message: Message, options: Mapping[str, Any]) -> int | None:
        """The limit for ``message``'s kind and channel, or ``None`` when there is none."""
        preset = options["preset"]
        if preset not in WORD_LIMIT_PRESETS:
            raise InvalidInputError(
                f"check_options['word_limit']['preset'] must be one of "
                f"{', '.join(WORD_LIMIT_PRESETS)}, got {preset!r}"
            )
        given = options["limits"]
        if not isinstance(given, Mapping):
            raise InvalidInputError("check_options['word_limit']['limits'] must be a mapping")
        kind, channel = message.kind, message.channel.value
        keys = (f"{kind}.{channel}", kind, f"*.{channel}")
        # The user's limits first, then the preset's, then the defaults.
        for table in (given, WORD_LIMIT_PRESETS[preset], DEFAULT_WORD_LIMITS):
            for key in keys:
                if key not in table:
                    continue
                value = table[key]
                if value is None:
                    return None
                if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                    raise InvalidInputError(
                        f"check_options['word_limit']['limits'][{key!r}] must be a positive "
                        "whole number (or None for no limit)"
                    )
                return value
        return None

    def problems(
        self, message: Message, context: CheckContext, options: Mapping[str, Any]
    ) -> Iterator[tuple[str, Severity | None]]:
        """Too many words for the kind and channel."""
        limit = self.limit(message, options)
        if limit is None:
            return
        count = word_count(plain_text(message))
        if count <= limit:
            return
        why = (
            "a first ask that fits on a phone screen gets answered"
            if message.kind in ASK_KINDS
            else "a short message is read to the end"
        )
        yield (
            f"the message has {count} words, over the {limit} allowed for "
            f"{message.kind} by {message.channel.value} ({why}); cut it down, or set "
            f"check_options={{'word_limit': {{'limits': {{'{message.kind}.{message.channel.value}'"
            f": N}}}}}}",
            None,
        )


class LinkedInNoteLength(OptionsCheck):
    """A LinkedIn connection note has a hard character limit."""

    name = "linkedin_note_length"
    severity = Severity.ERROR
    channels = (Channel.LINKEDIN_NOTE,)
    defaults = MappingProxyType({"max_chars": None, "account": "premium"})

    def problems(
        self, message: Message, context: CheckContext, options: Mapping[str, Any]
    ) -> Iterator[tuple[str, Severity | None]]:
        """Over the note's character limit."""
        account = options["account"]
        if account not in ("premium", "free"):
            raise InvalidInputError(
                "check_options['linkedin_note_length']['account'] must be 'premium' or 'free'"
            )
        if options["max_chars"] is None:
            limit = 200 if account == "free" else 300
        else:
            limit = _positive_int(options, "max_chars", self.name)
        length = len(plain_text(message))
        if length > limit:
            yield (
                f"the connection note has {length} characters; LinkedIn accepts at most {limit} "
                f"({'free' if limit == 200 else 'this'} account) and would cut it or refuse it. "
                "Shorten it, or set check_options={'linkedin_note_length': {'max_chars': N}}",
                None,
            )


# -- the content of an ask ---------------------------------------------------


def _mentions(body: str, phrase: str) -> bool:
    wanted = normalise(phrase)
    return bool(wanted) and f" {wanted} " in f" {normalise(body)} "


class ConnectionNamed(OptionsCheck):
    """Say how you got the contact's name: the referrer, or the shared affiliation."""

    name = "connection_named"
    kinds = (*ASK_KINDS, "follow_up")

    def problems(
        self, message: Message, context: CheckContext, options: Mapping[str, Any]
    ) -> Iterator[tuple[str, Severity | None]]:
        """The data has a referrer or affiliation that the message does not name."""
        body = plain_text(message)
        referrer = context.context.get("referrer") or {}
        contact = context.context.get("contact") or {}
        name = str(referrer.get("name") or "")
        if name:
            first = str(referrer.get("first_name") or "")
            if not (_mentions(body, name) or _mentions(body, first)):
                yield (
                    "this contact was referred by someone, and the message does not name them; "
                    "a mutual connection named first is the strongest reason to say yes "
                    "(draft kind 'ask' or 'ask_referred' to get it in)",
                    None,
                )
            return
        affiliation = str(contact.get("affiliation") or "")
        if affiliation and not _mentions(body, affiliation):
            yield (
                "the contact shares an affiliation with you, and the message does not mention "
                "it; name it early, it is why they should answer a stranger "
                "(draft kind 'ask' or 'ask_affiliation')",
                None,
            )


_NUMBER_WORDS = {
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
}
_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_RANGE = re.compile(
    r"\b(\d{1,3})\s*(?:-|\u2013|\u2014|to|or)\s*(\d{1,3})[\s-]*(?:minutes?|mins?)\b",
    re.IGNORECASE,
)
_SINGLE = re.compile(r"\b(\d{1,3})[\s-]*(?:minutes?|mins?)\b", re.IGNORECASE)
_PHRASES = (
    (re.compile(r"\bquarter of an hour\b", re.IGNORECASE), 15),
    (re.compile(r"\bhalf(?:\s+an|-an)?[\s-]hour\b", re.IGNORECASE), 30),
    (re.compile(r"\b(?:an|one)\s+hour\b", re.IGNORECASE), 60),
)


def durations(text: str) -> list[int]:
    """Every length of time in minutes that ``text`` asks for (a range gives both ends)."""
    rest = _NUMBER_WORD.sub(lambda m: str(_NUMBER_WORDS[m.group(1).lower()]), text)
    found: list[int] = []
    for match in _RANGE.finditer(rest):
        found.extend((int(match.group(1)), int(match.group(2))))
    rest = _RANGE.sub(" ", rest)
    found.extend(int(m.group(1)) for m in _SINGLE.finditer(rest))
    for pattern, minutes in _PHRASES:
        if pattern.search(rest):
            found.append(minutes)
            rest = pattern.sub(" ", rest)
    return found


class ExplicitAsk(OptionsCheck):
    """Ask for a short conversation, and say how short: 20-30 minutes."""

    name = "explicit_ask"
    kinds = ASK_KINDS
    defaults = MappingProxyType({"max_minutes": 30, "require_question": False})

    def problems(
        self, message: Message, context: CheckContext, options: Mapping[str, Any]
    ) -> Iterator[tuple[str, Severity | None]]:
        """No length of time asked for, too long a one, or (if required) no question."""
        limit = _positive_int(options, "max_minutes", self.name)
        body = plain_text(message)
        asked = durations(body)
        if not asked:
            yield (
                "the message does not say how much time it asks for; ask explicitly for a short "
                "conversation (20-30 minutes) so the contact knows what a yes costs",
                None,
            )
        elif max(asked) > limit:
            yield (
                f"the message asks for {max(asked)} minutes; a first conversation asks for "
                f"20-30 (at most {limit})",
                None,
            )
        if options["require_question"] and "?" not in body:
            yield ("phrase the request as a question ending in '?'", None)


_NEGATION = re.compile(r"\b(?:not|never|no|without)\b|n't\b", re.IGNORECASE)
_SENTENCE_ENDS = ".!?;\n"


def _requests(text: str, pattern: re.Pattern[str]) -> list[str]:
    """The phrases matching ``pattern`` that their sentence does not negate before them."""
    hits: list[str] = []
    for match in pattern.finditer(text):
        start = max(text.rfind(end, 0, match.start()) for end in _SENTENCE_ENDS) + 1
        if not _NEGATION.search(text, start, match.start()):
            hits.append(match.group(0))
    return hits


def _any_of(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_JOB_REQUEST = _any_of(
    r"\b(?:are|is)\s+(?:you|your\s+\w+|anyone|the\s+team)\s+(?:currently\s+)?hiring\b",
    r"\bhire\s+me\b",
    r"\b(?:consider|refer|recommend)\s+me\s+for\b",
    r"\b(?:any|open)\s+(?:job\s+)?(?:openings?|positions?|vacanc(?:y|ies)|roles?)\b",
    r"\b(?:jobs?|positions?|roles?|vacanc(?:y|ies)|openings?)\s+(?:open|available)\b",
    r"\b(?:looking|searching|applying|asking)\s+for\s+(?:a\s+|an\s+)?(?:new\s+)?"
    r"(?:job|position|role)\b",
    r"\bjob\s+(?:offers?|opportunit(?:y|ies)|openings?)\b",
    r"\b(?:get|land|find|secure)\s+(?:a\s+|an\s+)?(?:job|position|role)\b",
    r"\bput\s+in\s+a\s+(?:good\s+)?word\b",
    r"\b(?:pass|forward)\s+(?:on\s+)?my\s+(?:resume|résumé|cv)\b",
    r"\bappl(?:y|ying|ication)\s+(?:for|to)\b",
)


class NoJobRequest(OptionsCheck):
    """An informational interview asks for advice, never for a job."""

    name = "no_job_request"
    severity = Severity.ERROR
    kinds = (*FIRST_MESSAGE_KINDS, "follow_up")

    def problems(
        self, message: Message, context: CheckContext, options: Mapping[str, Any]
    ) -> Iterator[tuple[str, Severity | None]]:
        """A sentence asking for a job, hiring or a referral into a role."""
        hits = _requests(plain_text(message), _JOB_REQUEST)
        if hits:
            yield (
                f"the message reads as a job request ({', '.join(repr(h) for h in hits[:3])}); "
                "an early message asks for advice only. Job leads come later, through the "
                "relationship; saying 'advice, not a job' is fine",
                None,
            )


_ATTACHMENT = _any_of(
    r"\battach(?:ed|es|ing|ment|ments)?\b",
    r"\benclos(?:ed|es|ing|ure)\b",
    r"\b(?:my|the|a)\s+(?:resume|résumé|cv|portfolio)\b",
    r"\brésumé\b",
    r"\bCV\b",
)


class NoAttachment(OptionsCheck):
    """A first message carries no attachment: a resume comes out late, if at all."""

    name = "no_attachment"
    kinds = FIRST_MESSAGE_KINDS

    def problems(
        self, message: Message, context: CheckContext, options: Mapping[str, Any]
    ) -> Iterator[tuple[str, Severity | None]]:
        """A mention of an attachment or a resume."""
        hits = _requests(plain_text(message), _ATTACHMENT)
        if hits:
            yield (
                f"a first message should not attach or send a resume ({hits[0]!r}); it makes "
                "the ask look like a job application. Share it later, and only to ask for "
                "feedback on it",
                None,
            )


# -- thank-yous ----------------------------------------------------------


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


class ThankYouTimely(OptionsCheck):
    """A thank-you goes out within 24 hours of the conversation."""

    name = "thank_you_timely"
    kinds = ("thank_you",)
    defaults = MappingProxyType({"within_hours": 24})

    def problems(
        self, message: Message, context: CheckContext, options: Mapping[str, Any]
    ) -> Iterator[tuple[str, Severity | None]]:
        """Drafted later than ``within_hours`` after the meeting."""
        hours = _positive_int(options, "within_hours", self.name)
        interview = context.context.get("interview") or {}
        met = _parse(interview.get("held_at")) or _parse(interview.get("at"))
        if met is None:
            yield (
                "no interview is recorded for this thank-you, so its timing cannot be checked; "
                "record the conversation with record_interview()",
                Severity.INFO,
            )
            return
        if context.now is None or met.utcoffset() is None or context.now.utcoffset() is None:
            return
        late = context.now - (met + timedelta(hours=hours))
        if late > timedelta(0):
            waited = int((context.now - met).total_seconds() // 3600)
            yield (
                f"drafted {waited} hours after the conversation; a thank-you belongs within "
                f"{hours} hours. Send it today all the same: late is far better than never",
                None,
            )


def _content_words(text: str) -> set[str]:
    return {w for w in normalise(text).split() if len(w) >= 4}


class ThankYouSpecific(OptionsCheck):
    """A thank-you names at least one specific thing the seeker learned."""

    name = "thank_you_specific"
    kinds = THANK_YOU_KINDS
    defaults = MappingProxyType({"min_cited": 1, "overlap": 0.6})

    def cited(self, body: str, notes: Iterable[str], overlap: float) -> int:
        """How many of ``notes`` the body cites, word for word or by most of their words."""
        text = f" {normalise(body)} "
        body_words = set(text.split())
        count = 0
        for note in notes:
            wanted = normalise(note)
            if not wanted:
                continue
            words = _content_words(note)
            if f" {wanted} " in text or (words and len(words & body_words) / len(words) >= overlap):
                count += 1
        return count

    def problems(
        self, message: Message, context: CheckContext, options: Mapping[str, Any]
    ) -> Iterator[tuple[str, Severity | None]]:
        """No recorded insight, or none cited."""
        wanted = _positive_int(options, "min_cited", self.name)
        overlap = options["overlap"]
        if not isinstance(overlap, int | float) or not 0 < overlap <= 1:
            raise InvalidInputError(
                "check_options['thank_you_specific']['overlap'] must be a number in (0, 1]"
            )
        notes = [str(n) for n in context.context.get("notes") or () if str(n).strip()]
        if not notes:
            yield (
                "no insights are recorded for the conversation, so the thank-you cannot name "
                "one; add them with record_interview(..., insights=[...]) and draft again",
                None,
            )
            return
        if self.cited(plain_text(message), notes, float(overlap)) < wanted:
            yield (
                "the thank-you does not mention anything specific from your notes; name at "
                "least one insight the contact gave you, so they know it was worth their time",
                None,
            )


class EmailSubject(OptionsCheck):
    """An email needs a subject, short enough to read in an inbox."""

    name = "email_subject"
    channels = (Channel.EMAIL,)
    defaults = MappingProxyType({"max_chars": 78})

    def problems(
        self, message: Message, context: CheckContext, options: Mapping[str, Any]
    ) -> Iterator[tuple[str, Severity | None]]:
        """A missing or overlong subject."""
        limit = _positive_int(options, "max_chars", self.name)
        subject = message.subject.strip()
        if not subject:
            yield (f"the email has no subject; add a '{message.kind}.email.subject' template", None)
        elif len(subject) > limit:
            yield (
                f"the subject has {len(subject)} characters; inboxes show about {limit}",
                Severity.INFO,
            )


def default_checks() -> list[OptionsCheck]:
    """One instance of every check this plugin registers, in the order they run."""
    return [
        WordLimit(),
        LinkedInNoteLength(),
        ConnectionNamed(),
        ExplicitAsk(),
        NoJobRequest(),
        NoAttachment(),
        ThankYouTimely(),
        ThankYouSpecific(),
        EmailSubject(),
    ]
