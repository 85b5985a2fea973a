"""The agenda planner: pick and order questions for a time budget (pure).

The rules, in the order they apply (docs/questions.md tells the whole story):

1. **Budget.** Questions get the interview's length minus the opening
   (introduction, objective restated) and the close (thanks, may I contact
   you again, who else should I talk to).
2. **Goals first.** Among the candidates that serve the interview's goals,
   the cheapest set in minutes that covers every goal some candidate serves
   is found exactly. If any choice of candidates that fits the budget covers
   those goals, this set fits too, so the plan covers them.
3. **Then priority.** The other candidates follow by priority (then the
   shorter first, then by text). The plan takes the covering set, then the
   ranked rest, and stops at the first question that does not fit: stopping
   instead of skipping ahead is what makes more time only ever add questions.
4. **Conversation order.** Chosen questions are asked trends first, then
   insights, assignments, advice, feedback (the resume comes out late),
   resources, and referrals last; within a phase, the most important first.

Durations are counted in thousandths of a minute, each question's rounded
up, so sums are exact and never depend on the order of addition.
"""

from __future__ import annotations

import heapq
import itertools
import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any

import attrs

from infointerview.errors import InvalidInputError
from infointerview.model import (
    DEFAULT_INTERVIEW_MINUTES,
    Goal,
    Interview,
    Question,
    QuestionCategory,
)

__all__ = [
    "DEFAULT_CLOSING_MINUTES",
    "DEFAULT_OPENING_MINUTES",
    "EXACT_COVER_MAX_GOALS",
    "PHASES",
    "SPARE_COUNT",
    "AgendaPlan",
    "RunSheetItem",
    "agenda_context",
    "conversation_phase",
    "plan_agenda",
]

DEFAULT_OPENING_MINUTES = 3.0
DEFAULT_CLOSING_MINUTES = 3.0

EXACT_COVER_MAX_GOALS = 16
"""Up to this many goals with candidates, the covering set is the cheapest there is.

Beyond it (an unusual interview) a greedy cover is used, which may cost more.
"""

PHASES: tuple[str, ...] = (
    "trends",
    "insights",
    "assignments",
    "advice",
    "feedback",
    "resources",
    "referrals",
)
"""The phases of the conversation, in the order the questions are asked."""

SPARE_COUNT = 3
"""How many of the next questions in line a plan offers as spares."""

_TICKS = 1000
_EPS = 1e-6
_NEVER_FITS = 10**18

_PHASE_OF_CATEGORY = {
    QuestionCategory.TRENDS: 0,
    QuestionCategory.INSIGHTS: 1,
    QuestionCategory.ASSIGNMENTS: 2,
    QuestionCategory.ADVICE: 3,
    QuestionCategory.RESOURCES: 5,
}
_FEEDBACK = 4
_REFERRALS = 6

_BY_MINUTES_TEXT = attrgetter("minutes", "text")
_BY_PRIORITY = attrgetter("priority")
_TEXT = attrgetter("text")
_GOALS = attrgetter("goals")
_MINUTES = attrgetter("minutes")

OPENING_NOTES: tuple[str, ...] = (
    "Thank them for making the time.",
    "Introduce yourself: who you are, your background, what you are aiming for.",
    "Restate the objective: information and advice, not a job.",
    "Confirm the time you agreed.",
)
CLOSING_NOTES: tuple[str, ...] = (
    "Thank them for their time and for what they shared.",
    "Ask whether you may contact them again.",
    "Ask who else you should talk to, and whether you may mention their name.",
)


def conversation_phase(question: Question) -> int:
    """The index in :data:`PHASES` of the point in the conversation ``question`` belongs to.

    Questions serving ``new_contacts`` are referrals (last); questions serving
    ``feedback`` come late, after advice; the rest follow their category.
    """
    if "new_contacts" in question.goals:
        return _REFERRALS
    phase = _PHASE_OF_CATEGORY[question.category]
    if "feedback" in question.goals and phase < _FEEDBACK:
        return _FEEDBACK
    return phase


def _ticks(minutes: float) -> int:
    if not math.isfinite(minutes):
        return _NEVER_FITS
    return max(1, math.ceil(minutes * _TICKS - _EPS))


def _budget_ticks(minutes: float) -> int:
    return max(0, math.floor(minutes * _TICKS + _EPS))


def _minutes(ticks: int) -> float:
    return ticks / _TICKS


def _fmt(minutes: float) -> str:
    return f"{minutes:g}"


def _tie_key(question: Question) -> tuple[Any, ...]:
    return (
        question.category.value,
        sorted(question.goals),
        question.source,
        sorted(question.situations),
    )


def _ranked(candidates: Iterable[Question]) -> list[Question]:
    """Distinct candidates by priority, then shorter, then text: the same for any input order."""
    pool = list(candidates)
    for kind in set(map(type, pool)):
        if not issubclass(kind, Question):
            index = next(i for i, q in enumerate(pool) if type(q) is kind)
            raise InvalidInputError(f"candidate #{index} is a {kind.__name__}, not a Question")
    # Stable sorts, least significant key first; C-level keys keep 10,000 fast.
    pool.sort(key=_BY_MINUTES_TEXT)
    pool.sort(key=_BY_PRIORITY, reverse=True)
    texts = list(map(_TEXT, pool))
    if not any(map(operator.eq, texts, texts[1:])):
        return pool
    ranked: list[Question] = []
    start, count = 0, len(pool)
    while start < count:
        first = pool[start]
        end = start + 1
        while (
            end < count
            and pool[end].text == first.text
            and pool[end].priority == first.priority
            and pool[end].minutes == first.minutes
        ):
            end += 1
        if end - start == 1:
            ranked.append(first)
        else:  # rare: same text, priority and length; order by every other field
            previous: Question | None = None
            for question in sorted(pool[start:end], key=_tie_key):
                if question != previous:
                    ranked.append(question)
                previous = question
        start = end
    return ranked


@attrs.frozen
class RunSheetItem:
    """One line of the timed run sheet: a segment, a question or the time check."""

    kind: str
    """``opening``, ``question``, ``time_check``, ``closing`` or ``end``."""
    start: float
    """Minutes from the start of the conversation."""
    minutes: float
    # Question texts may name the contact's organisation or role: kept out of reprs.
    title: str = attrs.field(repr=False)
    notes: tuple[str, ...] = attrs.field(default=(), repr=False)
    question: Question | None = attrs.field(default=None, repr=False)
    number: int = 0
    """The question's number on the sheet (1, 2, ...), 0 for other items."""
    essential: bool = False
    """Whether the question is part of the set that covers the goals."""

    @property
    def end(self) -> float:
        """When the item is expected to end, in minutes from the start."""
        return self.start + self.minutes


@attrs.frozen
class AgendaPlan:
    """Chosen questions in conversation order, and what was left out and why."""

    minutes: int
    opening_minutes: float
    closing_minutes: float
    # Question texts may name the contact's organisation or role: kept out of reprs.
    questions: tuple[Question, ...] = attrs.field(repr=False)
    left_out: tuple[tuple[Question, str], ...] = attrs.field(default=(), repr=False)
    """Every candidate not chosen, with the reason, most important first."""
    uncovered_goals: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    essential: tuple[Question, ...] = attrs.field(default=(), repr=False)
    """The chosen questions that together cover the goals (the cheapest such set)."""
    spares: tuple[Question, ...] = attrs.field(default=(), repr=False)
    """The next questions in line, for when the contact invites you to go on."""
    why_uncovered: tuple[tuple[str, str], ...] = ()
    """``(goal key, reason)`` for each uncovered goal."""
    cover_minutes: float | None = None
    """The time the cheapest full cover of the coverable goals needs (``None``: no goal)."""
    generator_failures: tuple[tuple[str, str], ...] = attrs.field(default=(), repr=False)
    """``(generator name, error)`` for question generators that raised."""

    @property
    def budget_minutes(self) -> float:
        """The time left for questions after the opening and the close."""
        return max(0.0, self.minutes - self.opening_minutes - self.closing_minutes)

    @property
    def question_minutes(self) -> float:
        """Time the chosen questions are expected to take."""
        return _minutes(sum(_ticks(q.minutes) for q in self.questions))

    @property
    def slack_minutes(self) -> float:
        """Question time not used by the chosen questions (negative when over)."""
        return self.budget_minutes - self.question_minutes

    @property
    def time_check_minute(self) -> float:
        """When to check the time: the agreed end of the questions, before the close."""
        return max(self.opening_minutes, self.minutes - self.closing_minutes)

    @property
    def run_sheet(self) -> tuple[RunSheetItem, ...]:
        """The timed run sheet: opening, each question, the time check, the close, the end."""
        essential = set(self.essential)
        items = [
            RunSheetItem(
                kind="opening",
                start=0.0,
                minutes=self.opening_minutes,
                title="Opening",
                notes=OPENING_NOTES,
            )
        ]
        at = self.opening_minutes
        for number, question in enumerate(self.questions, start=1):
            items.append(
                RunSheetItem(
                    kind="question",
                    start=at,
                    minutes=question.minutes,
                    title=question.text,
                    question=question,
                    number=number,
                    essential=question in essential,
                )
            )
            at += question.minutes
        check = self.time_check_minute
        items.append(
            RunSheetItem(
                kind="time_check",
                start=check,
                minutes=0.0,
                title="Time check",
                notes=(
                    f"The agreed {self.minutes} minutes are nearly up: offer to stop here.",
                    "Go on with a spare question only if they invite you to.",
                ),
            )
        )
        items.append(
            RunSheetItem(
                kind="closing",
                start=check,
                minutes=self.closing_minutes,
                title="Close",
                notes=CLOSING_NOTES,
            )
        )
        items.append(
            RunSheetItem(kind="end", start=float(self.minutes), minutes=0.0, title="Agreed end")
        )
        return tuple(items)

    @classmethod
    def from_interview(
        cls,
        interview: Interview,
        *,
        opening_minutes: float = DEFAULT_OPENING_MINUTES,
        closing_minutes: float = DEFAULT_CLOSING_MINUTES,
    ) -> AgendaPlan:
        """The plan of a stored interview: its agenda as stored, in the stored order."""
        goals = tuple(dict.fromkeys(interview.goals))
        bits = {key: 1 << i for i, key in enumerate(sorted(goals))}
        options: dict[int, tuple[int, int, int]] = {}
        union = 0
        for position, question in enumerate(interview.agenda):
            mask = _mask(question.goals, bits)
            union |= mask
            option = (_ticks(question.minutes), _weight(question), position)
            if mask and (mask not in options or option < options[mask]):
                options[mask] = option
        cover, _cost = _cheapest_cover(options, union)
        return cls(
            minutes=interview.minutes,
            opening_minutes=opening_minutes,
            closing_minutes=closing_minutes,
            questions=interview.agenda,
            uncovered_goals=tuple(k for k in goals if not bits[k] & union),
            goals=goals,
            essential=tuple(interview.agenda[p] for p in sorted(cover)),
            why_uncovered=tuple(
                (k, "no question on the agenda serves it") for k in goals if not bits[k] & union
            ),
        )


def _weight(question: Question) -> int:
    """How far below the top priority a question is (0-100): the cover's tie-breaker."""
    return 100 - min(100, max(0, question.priority))


def _mask(goals: frozenset[str], bits: Mapping[str, int]) -> int:
    mask = 0
    for key in goals:
        mask |= bits.get(key, 0)
    return mask


def plan_agenda(
    candidates: Iterable[Question],
    goals: Sequence[Goal | str],
    minutes: int = DEFAULT_INTERVIEW_MINUTES,
    *,
    opening_minutes: float = DEFAULT_OPENING_MINUTES,
    closing_minutes: float = DEFAULT_CLOSING_MINUTES,
) -> AgendaPlan:
    """Choose and order questions for an interview of ``minutes`` serving ``goals``.

    Candidates serving none of ``goals`` are left out (questions with no goals
    at all are general and stay eligible). See the module docstring for the
    rules; the result is the same for any order of ``candidates``.
    """
    for name, value in (
        ("minutes", minutes),
        ("opening_minutes", opening_minutes),
        ("closing_minutes", closing_minutes),
    ):
        if not math.isfinite(value) or value < 0:
            raise InvalidInputError(
                f"plan_agenda: {name} must be a finite number of minutes >= 0, got {value!r}"
            )
    goal_keys = tuple(dict.fromkeys(g.key if isinstance(g, Goal) else str(g) for g in goals))
    bits = {key: 1 << i for i, key in enumerate(sorted(goal_keys))}
    budget = max(0.0, minutes - opening_minutes - closing_minutes)
    budget_ticks = _budget_ticks(budget)

    ranked = _ranked(candidates)
    served = list(map(_GOALS, ranked))
    mask_of = {goals_: _mask(goals_, bits) for goals_ in set(served)}
    if goal_keys:
        # Questions with goals, none of them the interview's, are left out.
        off_of = {g: not m and bool(g) for g, m in mask_of.items()}
        keep = [not off for off in map(off_of.__getitem__, served)]
        off_goal = list(itertools.compress(ranked, map(operator.not_, keep)))
        pool = list(itertools.compress(ranked, keep))
        served = list(itertools.compress(served, keep))
    else:
        off_goal, pool = [], ranked
    pool_masks = list(map(mask_of.__getitem__, served))
    lengths = list(map(_MINUTES, pool))
    ticks_of = {m: _ticks(m) for m in set(lengths)}
    pool_ticks = list(map(ticks_of.__getitem__, lengths))
    # The first position of each (goals, time) pair in rank order, then per
    # goal set the quickest: what the covering search chooses from.
    pairs = zip(pool_masks[::-1], pool_ticks[::-1], strict=True)
    first_at = dict(zip(pairs, range(len(pool) - 1, -1, -1), strict=True))
    cheapest: dict[int, tuple[int, int, int]] = {}  # goal mask -> (ticks, weight, position)
    for (mask, ticks), position in sorted(first_at.items()):
        if mask and mask not in cheapest:
            cheapest[mask] = (ticks, _weight(pool[position]), position)
    union = 0
    for mask in cheapest:
        union |= mask

    cover, cover_ticks = _cheapest_cover(cheapest, union)
    in_cover = set(cover)
    line = sorted(cover) + list(itertools.filterfalse(in_cover.__contains__, range(len(pool))))

    chosen: list[int] = []
    used = 0
    stop = len(line)
    for index, position in enumerate(line):
        ticks = pool_ticks[position]
        if used + ticks > budget_ticks:
            stop = index
            break
        used += ticks
        chosen.append(position)

    left_out: list[tuple[Question, str]] = []
    if stop < len(line):
        remaining = _fmt(_minutes(budget_ticks - used))
        if budget_ticks == 0:
            first = rest = (
                f"no time for questions: the opening and close take all {_fmt(minutes)} minutes"
            )
        else:
            first = (
                f"needs {_fmt(pool[line[stop]].minutes)} min but only {remaining} min "
                "of question time were left"
            )
            rest = (
                "no time left: the plan stopped at a more important question that did not "
                f"fit in the {remaining} min left"
            )
        left_out.append((pool[line[stop]], first))
        left_out.extend(zip(map(pool.__getitem__, line[stop + 1 :]), itertools.repeat(rest)))
    off_reason = "serves none of this interview's goals"
    left_out.extend(zip(off_goal, itertools.repeat(off_reason)))

    covered = 0
    for position in chosen:
        covered |= pool_masks[position]
    why_uncovered: list[tuple[str, str]] = []
    for key in goal_keys:
        if covered & bits[key]:
            continue
        if not union & bits[key]:
            why_uncovered.append((key, "no candidate question serves this goal"))
        else:
            why_uncovered.append(
                (
                    key,
                    f"covering the goals takes at least {_fmt(_minutes(cover_ticks))} min of "
                    f"questions; only {_fmt(_minutes(budget_ticks))} min are available",
                )
            )

    ordered = sorted(chosen, key=lambda p: (conversation_phase(pool[p]), p))
    chosen_set = set(chosen)
    return AgendaPlan(
        minutes=minutes,
        opening_minutes=opening_minutes,
        closing_minutes=closing_minutes,
        questions=tuple(pool[p] for p in ordered),
        left_out=tuple(left_out),
        uncovered_goals=tuple(key for key, _ in why_uncovered),
        goals=goal_keys,
        essential=tuple(pool[p] for p in sorted(cover) if p in chosen_set),
        spares=tuple(pool[p] for p in line[stop : stop + SPARE_COUNT]),
        why_uncovered=tuple(why_uncovered),
        cover_minutes=_minutes(cover_ticks) if union else None,
    )


# -- the covering set ---------------------------------------------------------


def _cheapest_cover(
    options: Mapping[int, tuple[int, int, int]], universe: int
) -> tuple[list[int], int]:
    """Positions of the cheapest set of options whose masks cover ``universe``, and its time.

    ``options`` maps a goal mask to ``(ticks, weight, position)``. Cheapest
    means the least time; among equally short sets, the least total weight
    (the most important questions); then the search's fixed order. Exact up
    to :data:`EXACT_COVER_MAX_GOALS` goals (a best-first search over the
    goals still to cover), greedy beyond.
    """
    if not universe:
        return [], 0
    goal_bits = [1 << i for i in range(universe.bit_length()) if universe >> i & 1]
    goals = len(goal_bits)
    if goals > EXACT_COVER_MAX_GOALS:
        return _greedy_cover(_undominated(options, 1), universe)
    # Time and weight in one integer: a cover needs at most one question per
    # goal, so the weights (0-100 each) can never outweigh one tick.
    scale_time = 101 * goals + 1
    kept = _undominated(options, scale_time)
    # The goal with the fewest options gets the lowest bit: the search always
    # branches on the lowest uncovered goal, so its choices stay few.
    degree = {b: sum(1 for m, _c, _t, _p in kept if m & b) for b in goal_bits}
    order = sorted(goal_bits, key=lambda b: (degree[b], b))
    remap = {b: 1 << i for i, b in enumerate(order)}
    by_goal: list[list[tuple[int, int, int, int]]] = [[] for _ in range(goals)]
    for mask, cost, ticks, position in kept:
        new = 0
        for b in order:
            if mask & b:
                new |= remap[b]
        for i in range(goals):
            if new >> i & 1:
                by_goal[i].append((new, cost, ticks, position))
    scale = math.lcm(*range(1, goals + 1))
    share = [min(c * scale // m.bit_count() for m, c, _t, _p in opts) for opts in by_goal]
    widest = max(m.bit_count() for m, _c, _t, _p in kept)
    least = min(c for _m, c, _t, _p in kept)

    def estimate(state: int) -> int:
        # Two lower bounds on the cost to cover ``state``: each goal's cheapest
        # share of a question, and the fewest questions times the cheapest one.
        total = 0
        rest = state
        while rest:
            low = rest & -rest
            total += share[low.bit_length() - 1]
            rest ^= low
        return max(-(-total // scale), -(-state.bit_count() // widest) * least)

    full = (1 << goals) - 1
    best: dict[int, int] = {full: 0}
    came_from: dict[int, tuple[int, int, int]] = {}
    done: set[int] = set()
    first = estimate(full)
    heap = [(first, first, 0, full)]
    pushed = 0
    while heap:
        _f, _h, _n, state = heapq.heappop(heap)
        if state in done:
            continue
        if not state:
            break
        done.add(state)
        spent = best[state]
        lowest = (state & -state).bit_length() - 1
        for mask, step, ticks, position in by_goal[lowest]:
            after = state & ~mask
            total = spent + step
            known = best.get(after)
            if known is None or total < known:
                best[after] = total
                came_from[after] = (state, position, ticks)
                guess = estimate(after)
                pushed += 1
                heapq.heappush(heap, (total + guess, guess, pushed, after))
    positions: list[int] = []
    time = 0
    state = 0
    while state != full:
        state, position, ticks = came_from[state]
        positions.append(position)
        time += ticks
    return sorted(positions), time


def _undominated(
    options: Mapping[int, tuple[int, int, int]], scale_time: int
) -> list[tuple[int, int, int, int]]:
    """``(mask, cost, ticks, position)`` of the options no other beats.

    An option is beaten when another covers a superset of its goals for no
    more cost (time times ``scale_time``, plus weight).
    """
    ranked = sorted(
        (t * scale_time + w, -m.bit_count(), p, m, t) for m, (t, w, p) in options.items()
    )
    kept: list[tuple[int, int, int, int]] = []
    beaten: set[int] = set()
    wide: list[int] = []
    for cost, _width, position, mask, ticks in ranked:
        if mask in beaten or any(w & mask == mask for w in wide):
            continue
        kept.append((mask, cost, ticks, position))
        if mask.bit_count() <= 6:
            sub = mask
            while sub:
                beaten.add(sub)
                sub = (sub - 1) & mask
        else:
            wide.append(mask)
    return kept


def _greedy_cover(kept: list[tuple[int, int, int, int]], universe: int) -> tuple[list[int], int]:
    left = universe
    positions: list[int] = []
    total = 0
    while left:
        mask, _cost, ticks, position = max(
            (o for o in kept if o[0] & left),
            key=lambda o: ((o[0] & left).bit_count() / o[2], -o[3]),
        )
        positions.append(position)
        total += ticks
        left &= ~mask
    return sorted(positions), total


# -- the plain-data context for the run sheet templates ----------------------


def _clock(minutes: float) -> str:
    seconds = round(minutes * 60)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _question_data(question: Question) -> dict[str, Any]:
    return {
        "text": question.text,
        "category": question.category.value,
        "phase": PHASES[conversation_phase(question)],
        "goals": sorted(question.goals),
        "minutes": question.minutes,
        "length": _fmt(question.minutes),
        "priority": question.priority,
        "source": question.source,
    }


def agenda_context(
    plan: AgendaPlan,
    interview: Interview | None = None,
    *,
    goal_titles: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The run sheet as plain data (str, numbers, lists, dicts) for a template.

    Keys: ``minutes``, ``budget_minutes``, ``question_minutes``,
    ``slack_minutes`` (numbers), ``budget_length`` and ``question_length``
    (the same as text, ``"19"`` or ``"2.5"``), ``time_check`` (a clock such
    as ``"22:00"``), ``goals`` (``key``/``title``/``covered``), ``run_sheet`` (the
    run sheet: ``kind``, ``clock``, ``start``, ``end``, ``minutes``,
    ``length``, ``title``, ``notes``, ``number``, ``essential``,
    ``question``), ``questions`` and ``spares`` (``text``, ``category``,
    ``phase``, ``goals``, ``minutes``, ``length``, ``priority``, ``source``),
    ``left_out`` (``text``/``reason``/``source``), ``left_out_count``,
    ``uncovered`` (``key``/``title``/``reason``), ``generator_failures``
    (``name``/``error``) and ``interview`` (``at``, ``date``, ``medium``,
    ``minutes``; ``None`` without an interview).
    """
    titles = dict(goal_titles or {})
    uncovered = dict(plan.why_uncovered)
    items = []
    for item in plan.run_sheet:
        entry: dict[str, Any] = {
            "kind": item.kind,
            "start": item.start,
            "end": item.end,
            "clock": _clock(item.start),
            "minutes": item.minutes,
            "length": _fmt(item.minutes),
            "title": item.title,
            "notes": list(item.notes),
            "number": item.number,
            "essential": item.essential,
            "question": None if item.question is None else _question_data(item.question),
        }
        items.append(entry)
    return {
        "minutes": plan.minutes,
        "opening_minutes": plan.opening_minutes,
        "closing_minutes": plan.closing_minutes,
        "budget_minutes": plan.budget_minutes,
        "question_minutes": plan.question_minutes,
        "slack_minutes": plan.slack_minutes,
        "budget_length": _fmt(plan.budget_minutes),
        "question_length": _fmt(plan.question_minutes),
        "time_check": _clock(plan.time_check_minute),
        "goals": [
            {"key": k, "title": titles.get(k, k), "covered": k not in uncovered} for k in plan.goals
        ],
        "run_sheet": items,
        "questions": [_question_data(q) for q in plan.questions],
        "spares": [_question_data(q) for q in plan.spares],
        "left_out": [
            {"text": q.text, "reason": why, "source": q.source} for q, why in plan.left_out
        ],
        "left_out_count": len(plan.left_out),
        "uncovered": [
            {"key": k, "title": titles.get(k, k), "reason": why} for k, why in plan.why_uncovered
        ],
        "generator_failures": [
            {"name": name, "error": error} for name, error in plan.generator_failures
        ],
        "interview": None
        if interview is None
        else {
            "at": interview.at.isoformat(),
            "date": interview.at.strftime("%A %d %B %Y, %H:%M"),
            "medium": interview.medium.value,
            "minutes": interview.minutes,
        },
    }
