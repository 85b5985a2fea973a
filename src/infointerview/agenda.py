"""The agenda planner: pick and order questions for a time budget (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from infointerview.model import DEFAULT_INTERVIEW_MINUTES, Goal, Question, QuestionCategory

__all__ = ["AgendaPlan", "plan_agenda"]

_ORDER = {category: rank for rank, category in enumerate(QuestionCategory)}


@attrs.frozen
class AgendaPlan:
    """Chosen questions in conversation order, and what was left out and why."""

    minutes: int
    opening_minutes: float
    closing_minutes: float
    questions: tuple[Question, ...]
    left_out: tuple[tuple[Question, str], ...] = ()
    uncovered_goals: tuple[str, ...] = ()

    @property
    def question_minutes(self) -> float:
        """Time the chosen questions are expected to take."""
        return sum(q.minutes for q in self.questions)


def plan_agenda(
    candidates: Iterable[Question],
    goals: Sequence[Goal | str],
    minutes: int = DEFAULT_INTERVIEW_MINUTES,
    *,
    opening_minutes: float = 3.0,
    closing_minutes: float = 3.0,
) -> AgendaPlan:
    """Choose questions covering every goal first, then by priority, within the budget."""
    goal_keys = [g.key if isinstance(g, Goal) else g for g in goals]
    budget = minutes - opening_minutes - closing_minutes
    pool = sorted(set(candidates), key=lambda q: (-q.priority, q.minutes, q.text))
    chosen: list[Question] = []
    used = 0.0
    uncovered = [k for k in goal_keys]
    for key in goal_keys:
        if key not in uncovered:
            continue
        for question in pool:
            if key in question.goals and question not in chosen and used + question.minutes <= budget:
                chosen.append(question)
                used += question.minutes
                uncovered = [k for k in uncovered if k not in question.goals]
                break
    left_out: list[tuple[Question, str]] = []
    for question in pool:
        if question in chosen:
            continue
        if used + question.minutes <= budget:
            chosen.append(question)
            used += question.minutes
        else:
            left_out.append((question, "no time left in the budget"))
    ordered = sorted(chosen, key=lambda q: (_ORDER[q.category], -q.priority, q.text))
    return AgendaPlan(
        minutes=minutes,
        opening_minutes=opening_minutes,
        closing_minutes=closing_minutes,
        questions=tuple(ordered),
        left_out=tuple(left_out),
        uncovered_goals=tuple(uncovered),
    )
