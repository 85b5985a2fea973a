"""The agenda planner: budget, goal coverage, determinism, monotonicity, order, run sheet."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infointerview import STANDARD_GOALS, InvalidInputError
from infointerview.agenda import (
    EXACT_COVER_MAX_GOALS,
    PHASES,
    AgendaPlan,
    agenda_context,
    conversation_phase,
    plan_agenda,
)
from infointerview.model import Interview, Question, QuestionCategory

GOALS = ("insight", "role", "entry", "feedback", "new_contacts", "impression")
TEXTS = (
    "What changed in your field this year?",
    "How did you start out?",
    "Who else should I talk to?",
    "What would you do in my place?",
    "Which skills matter most?",
)


@st.composite
def questions(draw: st.DrawFn) -> Question:
    """Small questions whose fields collide often, so ties and duplicates happen."""
    return Question(
        text=draw(st.sampled_from(TEXTS)),
        category=draw(st.sampled_from(list(QuestionCategory))),
        goals=draw(st.frozensets(st.sampled_from(GOALS[:5]), max_size=3)),
        priority=draw(st.integers(0, 6)) * 10,
        minutes=draw(st.integers(1, 10)) / 2,
        source=draw(st.sampled_from(["bank", "contextual"])),
    )


candidate_lists = st.lists(questions(), max_size=9)
goal_lists = st.lists(st.sampled_from(GOALS), unique=True, max_size=6)
lengths = st.integers(5, 30)
edges = st.sampled_from([0.0, 1.5, 3.0])


def _halves(minutes: float) -> Fraction:
    return Fraction(minutes).limit_denominator(1000)


def _relevant(candidates: list[Question], goals: list[str]) -> list[Question]:
    distinct = list(dict.fromkeys(candidates))
    return [q for q in distinct if not goals or not q.goals or q.goals & set(goals)]


def _covers(subset: tuple[Question, ...], goals: set[str]) -> bool:
    served: set[str] = set()
    for q in subset:
        served |= q.goals
    return goals <= served


def _cheapest_cover(pool: list[Question], goals: set[str]) -> Fraction | None:
    best: Fraction | None = None
    for size in range(len(pool) + 1):
        for subset in itertools.combinations(pool, size):
            if _covers(subset, goals):
                cost = sum((_halves(q.minutes) for q in subset), Fraction(0))
                best = cost if best is None or cost < best else best
    return best


@settings(max_examples=300)
@given(candidate_lists, goal_lists, lengths, edges, edges)
def test_never_over_the_budget(cands, goals, minutes, opening, closing):
    """The chosen questions never take more than the time left after opening and close."""
    plan = plan_agenda(cands, goals, minutes, opening_minutes=opening, closing_minutes=closing)
    budget = max(Fraction(0), minutes - _halves(opening) - _halves(closing))
    assert sum((_halves(q.minutes) for q in plan.questions), Fraction(0)) <= budget
    assert plan.slack_minutes >= 0


@settings(max_examples=300)
@given(candidate_lists, goal_lists, lengths, edges)
def test_every_goal_covered_when_some_choice_allows_it(cands, goals, minutes, edge):
    """If any choice within the budget covers the goals, the plan covers them (brute force)."""
    plan = plan_agenda(cands, goals, minutes, opening_minutes=edge, closing_minutes=edge)
    budget = max(Fraction(0), minutes - 2 * _halves(edge))
    pool = _relevant(cands, goals)
    coverable = {g for g in goals if any(g in q.goals for q in pool)}
    cheapest = _cheapest_cover(pool, coverable)
    assert cheapest is not None
    feasible = cheapest <= budget
    all_feasible = feasible and coverable == set(goals)
    if all_feasible:
        assert plan.uncovered_goals == ()
    if feasible:
        assert set(plan.uncovered_goals) == set(goals) - coverable
    else:
        assert set(plan.uncovered_goals) > set(goals) - coverable
    assert set(plan.uncovered_goals) == {k for k, _ in plan.why_uncovered}
    if coverable:
        assert plan.cover_minutes is not None
        assert _halves(plan.cover_minutes) == cheapest


@settings(max_examples=200)
@given(st.data(), candidate_lists, goal_lists, lengths)
def test_same_plan_for_any_input_order(data, cands, goals, minutes):
    """Shuffling the candidates or the goals changes nothing in the plan."""
    plan = plan_agenda(cands, goals, minutes)
    shuffled = data.draw(st.permutations(cands))
    goals_shuffled = data.draw(st.permutations(goals))
    again = plan_agenda(shuffled, goals_shuffled, minutes)
    assert again.questions == plan.questions
    assert again.left_out == plan.left_out
    assert again.essential == plan.essential
    assert again.spares == plan.spares
    assert set(again.uncovered_goals) == set(plan.uncovered_goals)


@settings(max_examples=300)
@given(candidate_lists, goal_lists, lengths, st.integers(0, 30), edges)
def test_more_time_never_removes_a_chosen_question(cands, goals, minutes, extra, edge):
    """With more minutes every question chosen before is still chosen."""
    short = plan_agenda(cands, goals, minutes, opening_minutes=edge, closing_minutes=edge)
    long = plan_agenda(cands, goals, minutes + extra, opening_minutes=edge, closing_minutes=edge)
    assert set(short.questions) <= set(long.questions)
    assert len(long.uncovered_goals) <= len(short.uncovered_goals)


def _skip_ahead_greedy(cands: list[Question], budget: float) -> set[Question]:
    chosen: set[Question] = set()
    used = 0.0
    for q in sorted(cands, key=lambda q: -q.priority):
        if used + q.minutes <= budget:
            chosen.add(q)
            used += q.minutes
    return chosen


def test_more_time_never_swaps_a_question_for_a_less_important_one():
    """Where a greedy that skips ahead swaps `mid` for the less important `small`, this does not."""
    big = Question(text="What is the big one?", category="insights", priority=90, minutes=4)
    mid = Question(text="What is the middle one?", category="insights", priority=80, minutes=2)
    small = Question(text="What is the small one?", category="insights", priority=60, minutes=1)
    cands = [big, mid, small]
    # the counter-example: with 2 minutes of question time `mid` is in, with 5 it is out
    assert _skip_ahead_greedy(cands, 2) == {mid}
    assert _skip_ahead_greedy(cands, 5) == {big, small}
    short = plan_agenda(cands, [], 8)  # 2 minutes for questions
    long = plan_agenda(cands, [], 11)  # 5 minutes for questions
    assert set(short.questions) <= set(long.questions)
    assert long.questions == (big,)
    assert short.spares == (big, mid, small)
    assert "needs 4 min but only 2 min" in short.left_out[0][1]


@settings(max_examples=200)
@given(candidate_lists, goal_lists, lengths)
def test_every_candidate_is_chosen_or_left_out_with_a_reason(cands, goals, minutes):
    """Chosen and left-out questions partition the distinct candidates; every reason is said."""
    plan = plan_agenda(cands, goals, minutes)
    left = [q for q, _ in plan.left_out]
    assert len(left) == len(set(left))
    assert not set(left) & set(plan.questions)
    assert set(left) | set(plan.questions) == set(cands)
    assert all(reason for _, reason in plan.left_out)
    assert set(plan.essential) <= set(plan.questions)
    assert not set(plan.spares) & set(plan.questions)


@settings(max_examples=200)
@given(candidate_lists, goal_lists, lengths)
def test_questions_follow_the_conversation_then_priority(cands, goals, minutes):
    """Phases never go backwards; within a phase the more important question comes first."""
    plan = plan_agenda(cands, goals, minutes)
    keys = [(conversation_phase(q), -q.priority) for q in plan.questions]
    assert keys == sorted(keys)


def test_phases_put_feedback_late_and_referrals_last():
    """Resume feedback comes after advice; a 'who else' question comes after resources."""
    trend = Question(text="What is changing?", category="trends")
    advice = Question(text="What would you do?", category="advice")
    resume = Question(text="How does my resume read?", category="advice", goals={"feedback"})
    books = Question(text="Which books help?", category="resources")
    who = Question(text="Who else should I ask?", category="insights", goals={"new_contacts"})
    got = [PHASES[conversation_phase(q)] for q in (trend, advice, resume, books, who)]
    assert got == ["trends", "advice", "feedback", "resources", "referrals"]
    plan = plan_agenda([who, books, resume, advice, trend], [], 60)
    assert plan.questions == (trend, advice, resume, books, who)


@settings(max_examples=150)
@given(candidate_lists, goal_lists, lengths, edges, edges)
def test_run_sheet_is_timed_in_order(cands, goals, minutes, opening, closing):
    """Opening at 0, questions back to back, time check and close at the end of question time."""
    plan = plan_agenda(cands, goals, minutes, opening_minutes=opening, closing_minutes=closing)
    sheet = plan.run_sheet
    kinds = [item.kind for item in sheet]
    assert kinds == ["opening"] + ["question"] * len(plan.questions) + [
        "time_check",
        "closing",
        "end",
    ]
    assert sheet[0].start == 0
    for before, after in itertools.pairwise(sheet[: len(plan.questions) + 1]):
        assert after.start == pytest.approx(before.end)
    check, closing_item, end = sheet[-3:]
    assert check.start == plan.time_check_minute == max(opening, minutes - closing)
    assert closing_item.start == check.start
    assert end.start == minutes
    if plan.questions:
        assert sheet[len(plan.questions)].end <= check.start + 1e-9
    assert [i.number for i in sheet if i.kind == "question"] == list(
        range(1, len(plan.questions) + 1)
    )


def test_off_goal_questions_are_left_out_and_general_ones_stay():
    """A question for another goal is left out with the reason; one with no goals is general."""
    other = Question(text="Who are the big names?", category="insights", goals={"key_players"})
    general = Question(text="What surprised you most?", category="insights")
    plan = plan_agenda([other, general], ["role"], 25)
    assert plan.questions == (general,)
    assert plan.left_out == ((other, "serves none of this interview's goals"),)
    assert plan.why_uncovered == (("role", "no candidate question serves this goal"),)


def test_no_time_for_questions_when_the_opening_and_close_take_it_all():
    """A 5-minute call with 3-minute opening and close has no room; the reason says so."""
    question = Question(text="What do you do?", category="insights", goals={"role"})
    plan = plan_agenda([question], ["role"], 5)
    assert plan.questions == ()
    assert plan.budget_minutes == 0
    assert "opening and close take all 5 minutes" in plan.left_out[0][1]
    assert plan.uncovered_goals == ("role",)
    assert "at least 2 min" in plan.why_uncovered[0][1]


def test_cheapest_cover_beats_greedy_by_priority():
    """Two 2-minute questions cover three goals where the top-priority path would need 3."""
    top = Question(text="What is the role?", category="insights", goals={"role"}, priority=99)
    pair_a = Question(text="What does entry take?", category="advice", goals={"role", "entry"})
    pair_b = Question(text="How do I get feedback?", category="advice", goals={"feedback"})
    filler = Question(text="What else?", category="insights", goals={"entry"}, priority=98)
    plan = plan_agenda([top, pair_a, pair_b, filler], ["role", "entry", "feedback"], 10)
    # 4 minutes of question time: only the two-question cover fits and covers all three
    assert set(plan.questions) == {pair_a, pair_b}
    assert plan.uncovered_goals == ()
    assert set(plan.essential) == {pair_a, pair_b}


def test_standard_goals_are_accepted_as_goal_objects():
    """Goal objects and keys plan alike."""
    qs = [
        Question(text=f"What about {g.key}?", category="insights", goals={g.key})
        for g in STANDARD_GOALS
    ]
    by_goal = plan_agenda(qs, STANDARD_GOALS, 40)
    by_key = plan_agenda(qs, [g.key for g in STANDARD_GOALS], 40)
    assert by_goal == by_key
    assert by_goal.uncovered_goals == ()


@pytest.mark.parametrize(
    "kwargs",
    [{"minutes": -1}, {"opening_minutes": -0.5}, {"closing_minutes": float("nan")}],
)
def test_bad_lengths_are_refused(kwargs):
    """Negative or non-finite lengths raise InvalidInputError naming the parameter."""
    with pytest.raises(InvalidInputError, match=next(iter(kwargs))):
        plan_agenda([], [], **kwargs)


def test_a_candidate_that_is_not_a_question_is_refused():
    """A stray string among the candidates is named by its position."""
    with pytest.raises(InvalidInputError, match="candidate #1"):
        plan_agenda([Question(text="What?", category="trends"), "Why?"], [])  # type: ignore[list-item]


def _plain(value: object) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


@settings(max_examples=100)
@given(candidate_lists, goal_lists, lengths)
def test_agenda_context_is_plain_data(cands, goals, minutes):
    """The template context holds only plain values and mirrors the run sheet."""
    plan = plan_agenda(cands, goals, minutes)
    interview = Interview(
        contact_id="c1", at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC), minutes=max(minutes, 5)
    )
    context = agenda_context(plan, interview, goal_titles={"role": "Learn the role"})
    assert _plain(context)
    json.dumps(context)
    assert len(context["run_sheet"]) == len(plan.run_sheet)
    assert context["run_sheet"][0]["clock"] == "00:00"
    assert context["left_out_count"] == len(plan.left_out)
    for goal in context["goals"]:
        assert goal["title"] == ("Learn the role" if goal["key"] == "role" else goal["key"])


def test_clock_shows_minutes_and_seconds():
    """A question starting at 4.5 minutes shows 04:30; the time check sits before the close."""
    a = Question(text="What first?", category="trends", minutes=1.5)
    b = Question(text="What next?", category="insights", minutes=2)
    context = agenda_context(plan_agenda([a, b], [], 25))
    assert [i["clock"] for i in context["run_sheet"]] == [
        "00:00",
        "03:00",
        "04:30",
        "22:00",
        "22:00",
        "25:00",
    ]
    assert context["time_check"] == "22:00"
    assert context["interview"] is None


@settings(max_examples=100)
@given(candidate_lists, goal_lists, st.integers(5, 30))
def test_a_stored_agenda_gives_back_the_same_run_sheet(cands, goals, minutes):
    """Rebuilding the plan from the stored interview keeps questions, order and goal coverage."""
    plan = plan_agenda(cands, goals, minutes)
    interview = Interview(
        contact_id="c1",
        at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
        minutes=minutes,
        goals=goals,
        agenda=plan.questions,
    )
    again = AgendaPlan.from_interview(interview)
    assert again.questions == plan.questions
    assert [i.start for i in again.run_sheet] == [i.start for i in plan.run_sheet]
    assert set(again.uncovered_goals) == set(plan.uncovered_goals)
    served = set().union(*(q.goals for q in plan.questions)) & set(goals)
    assert set().union(*(q.goals for q in again.essential)) & set(goals) == served


def test_beyond_the_exact_limit_a_greedy_cover_still_covers_with_time_to_spare():
    """With more goals than the exact search takes, every goal is still covered given the time."""
    keys = [f"custom_{i}" for i in range(EXACT_COVER_MAX_GOALS + 2)]
    qs = [
        Question(text=f"What about {k}?", category="insights", goals={k, keys[0]}, minutes=1)
        for k in keys
    ]
    plan = plan_agenda(qs, keys, 30)
    assert plan.uncovered_goals == ()
    assert plan.cover_minutes == len(keys) - 1
    assert set(plan.essential) == set(qs[1:])


def test_reprs_leave_out_question_texts():
    """A plan's repr shows its shape, never question texts (they may name the organisation)."""
    secret = Question(text="What is Acme Secret Corp planning?", category="trends", goals={"role"})
    plan = plan_agenda([secret], ["role"], 25)
    assert plan.questions == (secret,)
    assert "Acme" not in repr(plan)
    assert all("Acme" not in repr(item) for item in plan.run_sheet)
