"""Merging questions from many generators: near-duplicates removed, sources kept.

Two questions are near-duplicates when the sets of their normalised words
overlap enough: the Jaccard similarity (shared words over all words) is at
least the threshold (0.8 by default). Normalising folds accents and case,
drops punctuation and the small words that do not change a question's
meaning (articles, pronouns, forms of *be* and *do*, common prepositions)
and strips a plural ``s``. Question words (*what*, *how*, *why*...) and
modal verbs (*would*, *should*...) are kept: they do change the meaning.

The merge compares a question only with the kept questions that share one
of its rarest words, and only while the words left in both could still make
them similar enough (prefix and positional filtering): it finds exactly the
pairs that comparing every pair would, in close to linear time.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from infointerview.model import Question

__all__ = [
    "DEFAULT_THRESHOLD",
    "is_near_duplicate",
    "merge_questions",
    "normalise",
    "similarity",
    "word_set",
]

DEFAULT_THRESHOLD = 0.8
_EPS = 1e-9

_WORD = re.compile(r"[a-z0-9]+")
_FILLER = frozenset(
    {
        "a",
        "an",
        "the",
        "i",
        "me",
        "my",
        "mine",
        "we",
        "us",
        "our",
        "you",
        "your",
        "yours",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "is",
        "are",
        "am",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "and",
        "s",
        "t",
        "d",
        "ll",
        "re",
        "ve",
    }
)


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [_stem(w) for w in _WORD.findall(folded) if w not in _FILLER]


def normalise(text: str) -> str:
    """The words that carry the question's meaning, lower-case, accents and plurals folded."""
    return " ".join(_words(text))


def word_set(text: str) -> frozenset[str]:
    """The set of :func:`normalise`'s words: what near-duplicate detection compares."""
    return frozenset(_words(text))


def similarity(a: str, b: str) -> float:
    """The Jaccard similarity of two questions' word sets (1.0 when both are empty)."""
    left, right = word_set(a), word_set(b)
    union = len(left | right)
    return 1.0 if not union else len(left & right) / union


def is_near_duplicate(a: str, b: str, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether two question texts say nearly the same thing."""
    return similarity(a, b) >= threshold


def merge_questions(
    batches: Iterable[Iterable[Question]], threshold: float = DEFAULT_THRESHOLD
) -> list[Question]:
    """All questions once, in the order given: the first of near-duplicates wins.

    Each kept question is unchanged, so it keeps its own ``source``; the
    batches' order decides which source wins a near-duplicate.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    items = [question for batch in batches for question in batch]
    word_sets: dict[str, frozenset[str]] = {}
    for question in items:
        if question.text not in word_sets:
            word_sets[question.text] = word_set(question.text)
    frequency: Counter[str] = Counter()
    for words in word_sets.values():
        frequency.update(words)
    # Words in a global order, rarest first: two sets similar enough share one
    # of their first |x| - ceil(threshold * |x|) + 1 words (the prefix).
    rank = {w: i for i, w in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    share = threshold / (1.0 + threshold)
    # A set no larger than the one probing needs only its shorter "middle"
    # prefix indexed (the overlap must then be at least 2t/(1+t) of its size).
    middle = 2.0 * share

    def prefix(size: int, fraction: float) -> int:
        return size - math.ceil(fraction * size - _EPS) + 1 if size else 0

    kept: list[Question] = []
    kept_sets: list[frozenset[str]] = []
    seen: set[frozenset[str]] = set()
    # word -> (kept set, position of the word in it): one index of the kept
    # sets' middle prefixes (met by larger or equal sets), one of their full
    # prefixes (met by smaller sets through the smaller set's middle prefix).
    by_middle: dict[str, list[tuple[int, int]]] = {}
    by_prefix: dict[str, list[tuple[int, int]]] = {}
    for question in items:
        words = word_sets[question.text]
        if words in seen:
            continue
        size = len(words)
        ordered = sorted(words, key=rank.__getitem__)
        full, mid = prefix(size, threshold), prefix(size, middle)
        shared: dict[int, int] = {}
        for index, smaller, reach in ((by_middle, True, full), (by_prefix, False, mid)):
            for i, word in enumerate(ordered[:reach]):
                for other, j in index.get(word, ()):
                    other_size = len(kept_sets[other])
                    if (other_size <= size) is not smaller:
                        continue
                    count = shared.get(other, 0)
                    if count < 0:
                        continue
                    if min(size, other_size) < threshold * max(size, other_size) - _EPS:
                        shared[other] = -1  # sizes too far apart
                        continue
                    # The words both still hold after this one bound what they can share.
                    needed = math.ceil(share * (size + other_size) - _EPS)
                    if count + 1 + min(size - i - 1, other_size - j - 1) < needed:
                        shared[other] = -1
                    else:
                        shared[other] = count + 1
        if any(
            count > 0 and _jaccard(words, kept_sets[other]) >= threshold
            for other, count in shared.items()
        ):
            continue
        position = len(kept)
        kept.append(question)
        kept_sets.append(words)
        seen.add(words)
        for j, word in enumerate(ordered[:full]):
            by_prefix.setdefault(word, []).append((position, j))
            if j < mid:
                by_middle.setdefault(word, []).append((position, j))
    return kept


def _jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    shared = len(left & right)
    return shared / (len(left) + len(right) - shared)
