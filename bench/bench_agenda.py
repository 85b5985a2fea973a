"""Agenda planning and question merging at scale, beside a plain sort of the same data.

Plans a 30-minute interview for the 13 standard goals from 10,000 candidate
questions (each serving one to three goals, 1-5 minutes, priorities 1-100),
and merges 10,000 questions from four generators. The limit is measured in
the same run: ``sorted()`` of the candidates by priority for planning (the
least any planner must do), and normalising every text for merging.

Usage: ``python bench/bench_agenda.py [--quick]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable

from infointerview import STANDARD_GOALS, Question, QuestionCategory, plan_agenda
from infointerview.questions import merge_questions, normalise

GOAL_MS = 50.0
CANDIDATES = 10_000
OPENERS = ("What", "How", "Which", "Who", "Where", "When", "Why")
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "da")


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """Made-up words; drawn with Zipf-like weights, as words in real questions are."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def candidates(seed: int, count: int = CANDIDATES) -> list[Question]:
    """Random but realistic candidates: one to three goals, one in ten a rewording."""
    rng = random.Random(seed)
    keys = [g.key for g in STANDARD_GOALS]
    categories = list(QuestionCategory)
    words = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    texts: list[str] = []
    made = []
    for n in range(count):
        width = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        if texts and rng.random() < 0.1:  # a near-duplicate: one word changed
            body = rng.choice(texts).split()
            body[rng.randrange(len(body))] = rng.choice(words)
        else:
            body = rng.choices(words, weights=weights, k=rng.randint(5, 12))
        texts.append(" ".join(body))
        made.append(
            Question(
                text=f"{rng.choice(OPENERS)} {texts[-1]}?",
                category=rng.choice(categories),
                goals=frozenset(rng.sample(keys, width)),
                priority=rng.randint(1, 100),
                minutes=rng.choice((1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0)),
                source=f"gen{n % 4}",
            )
        )
    return made


def median_ms(work: Callable[[], object], runs: int) -> float:
    """The median wall time of ``work`` in milliseconds (after one warm-up run)."""
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one data set, fewer runs (CI)")
    args = parser.parse_args()
    seeds = (1,) if args.quick else (1, 2, 3, 4, 5)
    runs = 7 if args.quick else 31

    plan_ms, sort_ms, merge_ms, norm_ms = [], [], [], []
    for seed in seeds:
        pool = candidates(seed)
        plan = plan_agenda(pool, STANDARD_GOALS, 30)
        assert not plan.uncovered_goals and plan.question_minutes <= plan.budget_minutes
        plan_ms.append(median_ms(lambda p=pool: plan_agenda(p, STANDARD_GOALS, 30), runs))
        sort_ms.append(median_ms(lambda p=pool: sorted(p, key=lambda q: -q.priority), runs))
        batches = [pool[i::4] for i in range(4)]
        merge_ms.append(median_ms(lambda b=batches: merge_questions(b), max(3, runs // 4)))
        norm_ms.append(median_ms(lambda p=pool: [normalise(q.text) for q in p], max(3, runs // 4)))

    ours, limit = statistics.median(plan_ms), statistics.median(sort_ms)
    m_ours, m_limit = statistics.median(merge_ms), statistics.median(norm_ms)
    print(f"{'figure':<44}{'ours':>10}{'limit':>10}{'ratio':>8}{'goal':>10}")
    print(
        f"{'plan 30 min, 13 goals, 10,000 candidates (ms)':<44}{ours:>10.2f}{limit:>10.2f}"
        f"{ours / limit:>8.1f}{GOAL_MS:>8.0f}ms"
    )
    print(
        f"{'merge 10,000 questions from 4 batches (ms)':<44}{m_ours:>10.2f}{m_limit:>10.2f}"
        f"{m_ours / m_limit:>8.1f}{'-':>10}"
    )
    print(
        f"limits: sorted() by priority / normalising every text, same data, same run; "
        f"median of {runs} runs over {len(seeds)} data set(s)"
    )
    print(f"planning goal (median under {GOAL_MS:.0f} ms) met: {ours < GOAL_MS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
