"""The question bank: tagged open questions kept as data (TOML), and its generator."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import attrs

from infointerview import (
    InvalidInputError,
    Question,
    QuestionCategory,
    QuestionGenerator,
    QuestionRequest,
)
from infointerview_questions.grammar import closed_reason

__all__ = [
    "SITUATIONS",
    "BankGenerator",
    "Superseding",
    "default_bank",
    "goal_counts",
    "load_bank",
    "seeker_situations",
]

SITUATIONS: Mapping[str, str] = {
    "career_changer": "moving into this field from another one",
    "new_graduate": "a student or recent graduate starting out",
    "business_owner": "a founder or owner learning what an industry or market needs",
    "same_field": "already in the contact's field, looking at another role, level or employer",
    "returner": "coming back to work after a career break",
}
"""The situations the default bank tags questions with, and what each means."""

_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_QUESTION_KEYS = frozenset({"text", "goals", "minutes", "priority", "situations", "category"})


class Superseding(Protocol):
    """A generator that can say which general questions its own make redundant."""

    def replaced(self, request: QuestionRequest) -> frozenset[str]:
        """Texts of questions made redundant for ``request``."""
        ...


def _fail(where: str, problem: str) -> InvalidInputError:
    return InvalidInputError(f"question bank {where}: {problem}")


def _keys(value: Any, where: str, what: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(where, f"'{what}' must be a list of strings, e.g. {what} = [\"role\"]")
    for key in value:
        if not _KEY.match(key):
            raise _fail(
                where,
                f"{what} key {key!r} must be lower-case letters, digits and underscores",
            )
    return frozenset(value)


def _question(raw: Any, category: Any, where: str, source: str) -> Question:
    if not isinstance(raw, dict):
        raise _fail(where, 'each question must be a table such as { text = "...", ... }')
    unknown = set(raw) - _QUESTION_KEYS
    if unknown:
        raise _fail(
            where,
            f"unknown field(s) {', '.join(sorted(unknown))}; "
            f"allowed: {', '.join(sorted(_QUESTION_KEYS))}",
        )
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _fail(where, "'text' must be a non-empty string")
    text = " ".join(text.split())
    reason = closed_reason(text)
    if reason is not None:
        raise _fail(where, f"{text!r} is not an open question: {reason}")
    try:
        kind = QuestionCategory(raw.get("category", category))
    except ValueError:
        raise _fail(
            where,
            f"category {raw.get('category', category)!r} is not one of "
            f"{', '.join(c.value for c in QuestionCategory)}",
        ) from None
    goals = _keys(raw.get("goals"), where, "goals")
    if not goals:
        raise _fail(where, "'goals' must name at least one goal")
    minutes = raw.get("minutes", 2)
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not 0 < minutes <= 15:
        raise _fail(where, f"'minutes' must be a number above 0 and at most 15, got {minutes!r}")
    priority = raw.get("priority", 50)
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 100:
        raise _fail(where, f"'priority' must be a whole number from 1 to 100, got {priority!r}")
    situations = _keys(raw.get("situations", []), where, "situations")
    return Question(
        text=text,
        category=kind,
        goals=goals,
        priority=priority,
        minutes=float(minutes),
        source=source,
        situations=situations,
    )


def load_bank(
    data: str | bytes, *, where: str = "<bank>", source: str = "bank"
) -> tuple[Question, ...]:
    """Read a bank in the TOML format of the built-in ``bank.toml``.

    Every question is checked (open, tagged, sensible minutes and priority);
    the first problem raises :class:`infointerview.InvalidInputError` naming
    the group and question, and nothing is returned.
    """
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(where, f"is not valid TOML ({exc})") from None
    if document.get("version", 1) != 1:
        raise _fail(where, f"version {document.get('version')!r} is not supported (expected 1)")
    groups = document.get("group")
    if not isinstance(groups, list) or not groups:
        raise _fail(where, "has no [[group]] tables")
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for g, group in enumerate(groups, start=1):
        if not isinstance(group, dict) or not isinstance(group.get("questions"), list):
            raise _fail(f"{where}, group {g}", "needs a 'questions' list")
        for n, raw in enumerate(group["questions"], start=1):
            place = f"{where}, group {g} ({group.get('category', '?')}), question {n}"
            question = _question(raw, group.get("category"), place, source)
            folded = question.text.casefold()
            if folded in seen:
                raise _fail(place, f"repeats the question at {seen[folded]}")
            seen[folded] = place
            questions.append(question)
    return tuple(questions)


@functools.cache
def default_bank() -> tuple[Question, ...]:
    """The built-in bank (read once): over 200 open questions for the 13 standard goals."""
    data = resources.files("infointerview_questions").joinpath("bank.toml").read_bytes()
    return load_bank(data, where="bank.toml")


def seeker_situations(request: QuestionRequest) -> frozenset[str]:
    """The seeker's situations, plus ``same_field`` when seeker and contact share a field."""
    situations = set(request.profile.situations)
    contact = request.contact
    mine = request.profile.current_field.strip().casefold()
    if contact is not None and mine and contact.field.strip().casefold() == mine:
        situations.add("same_field")
    return frozenset(situations)


@attrs.define
class BankGenerator(QuestionGenerator):
    """Questions from a bank, for the interview's goals and the seeker's situations.

    A question is offered when it serves one of the request's goals (every
    question, when the request has none). A question tagged with situations
    is offered only if the seeker is in one of them, or has named none; a
    match raises its priority by ``situation_boost``. With ``superseded_by``,
    a question that generator makes redundant for this request (say "What
    does a typical week look like for you?" when it asks about the contact's
    role by name) is left to it.
    """

    name: str = "bank"
    questions: Sequence[Question] | None = None
    situation_boost: int = 10
    superseded_by: Superseding | None = None

    @classmethod
    def from_file(cls, path: str | Path, *, name: str) -> BankGenerator:
        """A generator over a bank file of your own (same format as the built-in one)."""
        file = Path(path)
        return cls(name=name, questions=load_bank(file.read_bytes(), where=str(file), source=name))

    def bank(self) -> Sequence[Question]:
        """The questions this generator draws from."""
        return default_bank() if self.questions is None else self.questions

    def generate(self, request: QuestionRequest) -> Iterator[Question]:
        """Matching questions, their ``source`` set to this generator's name."""
        wanted = frozenset(goal.key for goal in request.goals)
        situations = seeker_situations(request)
        skip = self.superseded_by.replaced(request) if self.superseded_by else frozenset()
        for question in self.bank():
            if wanted and not question.goals & wanted:
                continue
            if question.text in skip:
                continue
            priority = question.priority
            if question.situations:
                if situations and not question.situations & situations:
                    continue
                if question.situations & situations:
                    priority += self.situation_boost
            if priority != question.priority or question.source != self.name:
                question = attrs.evolve(question, priority=priority, source=self.name)
            yield question


def goal_counts(questions: Iterable[Question]) -> dict[str, int]:
    """How many questions serve each goal key."""
    counts: dict[str, int] = {}
    for question in questions:
        for key in question.goals:
            counts[key] = counts.get(key, 0) + 1
    return counts
