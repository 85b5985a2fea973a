"""Merging questions from many generators: near-duplicates removed, sources kept."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from infointerview.model import Question

__all__ = ["is_near_duplicate", "merge_questions", "normalise"]

_WORD = re.compile(r"[a-z0-9]+")
_FILLER = frozenset({"a", "an", "the", "you", "your", "do", "does", "what", "how", "is", "are"})


def normalise(text: str) -> str:
    """Lower-case words without accents, punctuation or filler words."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(w for w in _WORD.findall(folded) if w not in _FILLER)


def is_near_duplicate(a: str, b: str, threshold: float = 0.85) -> bool:
    """Whether two normalised texts say nearly the same thing."""
    if a == b:
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold


def merge_questions(batches: Iterable[Iterable[Question]], threshold: float = 0.85) -> list[Question]:
    """All questions once: the first of each near-duplicate group wins, keeping its source."""
    kept: list[Question] = []
    kept_norms: list[str] = []
    exact: set[str] = set()
    for batch in batches:
        for question in batch:
            norm = normalise(question.text)
            if norm in exact:
                continue
            if any(
                abs(len(norm) - len(other)) <= max(len(norm), len(other)) * (1 - threshold) + 1
                and is_near_duplicate(norm, other, threshold)
                for other in kept_norms
            ):
                continue
            exact.add(norm)
            kept.append(question)
            kept_norms.append(norm)
    return kept
