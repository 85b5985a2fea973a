"""The grammar rule that keeps questions open: none can be answered with a plain yes or no.

A question is open when

* it ends with a question mark;
* its first word is not an auxiliary or modal verb (*is*, *do*, *can*,
  *would*, *have*...), which is how English starts a yes/no question;
* it asks with a question word (*what*, *which*, *who*, *whom*, *whose*,
  *where*, *when*, *why*, *how*): either as its first word, after a
  preposition (*in what way*, *to what extent*), or right after an opening
  clause set off by a comma (*Looking back, what...*);
* it does not end with *or not?*.
"""

from __future__ import annotations

import re

__all__ = ["AUXILIARIES", "QUESTION_WORDS", "check_open", "closed_reason", "is_open"]

AUXILIARIES = frozenset(
    {
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "can",
        "could",
        "will",
        "would",
        "shall",
        "should",
        "may",
        "might",
        "must",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "don't",
        "doesn't",
        "didn't",
        "haven't",
        "hasn't",
        "hadn't",
        "can't",
        "couldn't",
        "won't",
        "wouldn't",
        "shouldn't",
        "mustn't",
    }
)
QUESTION_WORDS = frozenset({"what", "which", "who", "whom", "whose", "where", "when", "why", "how"})
_PREPOSITIONS = frozenset({"in", "to", "for", "from", "at", "by", "with", "on", "of", "about"})
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)?")


def _words(text: str) -> list[str]:
    return [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]


def _asks(words: list[str]) -> bool:
    if not words:
        return False
    if words[0] in QUESTION_WORDS:
        return True
    return len(words) > 1 and words[0] in _PREPOSITIONS and words[1] in QUESTION_WORDS


def closed_reason(text: str) -> str | None:
    """Why ``text`` is not an open question, or ``None`` when it is one."""
    stripped = text.strip()
    if not stripped.endswith("?"):
        return "it does not end with a question mark"
    words = _words(stripped)
    if not words:
        return "it has no words"
    if words[0] in AUXILIARIES:
        return f"it starts with {words[0]!r}, so it can be answered with yes or no"
    if stripped[:-1].rstrip().lower().endswith("or not"):
        return "it ends with 'or not', so it can be answered with yes or no"
    clauses = re.split(r"[,;:\u2014]", stripped)
    if any(_asks(_words(clause)) for clause in clauses):
        return None
    return (
        "it does not ask with what, which, who, whom, whose, where, when, why or how "
        "(at the start or right after an opening clause)"
    )


def is_open(text: str) -> bool:
    """Whether ``text`` passes the open-question rule."""
    return closed_reason(text) is None


def check_open(text: str, *, where: str = "question") -> None:
    """Raise :class:`infointerview.InvalidInputError` naming ``where`` if ``text`` is closed."""
    reason = closed_reason(text)
    if reason is not None:
        from infointerview import InvalidInputError

        raise InvalidInputError(
            f"{where} {text!r} is not an open question: {reason}. Rephrase it to ask "
            "what, how, which, who, where, when or why"
        )
