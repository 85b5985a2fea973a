"""Relationship stages as a pure fold over an append-only event log."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from infointerview.errors import IllegalEventError
from infointerview.model import Event, EventKind

__all__ = [
    "TRANSITIONS",
    "RelationshipState",
    "Stage",
    "accepted_events",
    "fold",
    "step",
]


class Stage(enum.StrEnum):
    """Where a relationship stands."""

    IDENTIFIED = "identified"
    ASKED = "asked"
    REPLIED = "replied"
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    MET = "met"
    THANKED = "thanked"
    IN_TOUCH = "in_touch"
    DECLINED = "declined"
    NO_REPLY = "no_reply"


S, E = Stage, EventKind

# A referral can come at any time (even with a refusal), so every stage keeps
# its place on ``referred``; it is added below rather than repeated here.
_MOVES: dict[Stage, dict[EventKind, Stage]] = {
    S.IDENTIFIED: {E.ASKED: S.ASKED, E.TOUCHED: S.IDENTIFIED},
    S.ASKED: {
        E.FOLLOWED_UP: S.ASKED,
        E.REPLIED: S.REPLIED,
        E.ACCEPTED: S.ACCEPTED,
        E.DECLINED: S.DECLINED,
        E.SCHEDULED: S.SCHEDULED,
        E.GAVE_UP: S.NO_REPLY,
    },
    S.REPLIED: {
        E.REPLIED: S.REPLIED,
        E.FOLLOWED_UP: S.REPLIED,
        E.ACCEPTED: S.ACCEPTED,
        E.DECLINED: S.DECLINED,
        E.SCHEDULED: S.SCHEDULED,
        E.GAVE_UP: S.NO_REPLY,
    },
    S.ACCEPTED: {
        E.REPLIED: S.ACCEPTED,
        E.FOLLOWED_UP: S.ACCEPTED,
        E.SCHEDULED: S.SCHEDULED,
        E.DECLINED: S.DECLINED,
    },
    S.SCHEDULED: {
        E.RESCHEDULED: S.SCHEDULED,
        E.CANCELLED: S.ACCEPTED,
        E.MET: S.MET,
        E.DECLINED: S.DECLINED,
    },
    S.MET: {
        E.THANKED: S.THANKED,
        E.TOUCHED: S.IN_TOUCH,
        E.REPLIED: S.MET,
        E.SCHEDULED: S.SCHEDULED,
    },
    S.THANKED: {
        E.THANKED: S.THANKED,
        E.REPLIED: S.THANKED,
        E.TOUCHED: S.IN_TOUCH,
        E.SCHEDULED: S.SCHEDULED,
    },
    S.IN_TOUCH: {
        E.TOUCHED: S.IN_TOUCH,
        E.REPLIED: S.IN_TOUCH,
        E.THANKED: S.IN_TOUCH,
        E.ASKED: S.ASKED,
        E.SCHEDULED: S.SCHEDULED,
    },
    S.DECLINED: {E.ASKED: S.ASKED, E.TOUCHED: S.DECLINED, E.REPLIED: S.DECLINED},
    S.NO_REPLY: {
        E.ASKED: S.ASKED,
        E.REPLIED: S.REPLIED,
        E.ACCEPTED: S.ACCEPTED,
        E.DECLINED: S.DECLINED,
        E.SCHEDULED: S.SCHEDULED,
    },
}

TRANSITIONS: Mapping[Stage, Mapping[EventKind, Stage]] = {
    stage: {**moves, E.REFERRED: stage} for stage, moves in _MOVES.items()
}
"""For each stage, the events it accepts and the stage each leads to."""

del S, E


def accepted_events(stage: Stage) -> tuple[EventKind, ...]:
    """The events that ``stage`` accepts, in declaration order."""
    return tuple(kind for kind in EventKind if kind in TRANSITIONS[stage])


@attrs.frozen
class RelationshipState:
    """The fold of a relationship's events: its stage and the facts reminders need.

    ``nudges`` counts follow-ups since the last ask; ``last_touch_at`` is the
    latest event of any kind (the keep-warm cadence counts from it).
    ``unanswered_nudges`` counts follow-ups since the last ask or answer,
    ``last_reply_at`` is the latest reply, acceptance or refusal, and
    ``touched_at`` the latest ``touched`` event (follow-up rules use them).
    """

    stage: Stage = Stage.IDENTIFIED
    events: int = 0
    asked_at: datetime | None = None
    last_ask_or_nudge_at: datetime | None = None
    nudges: int = 0
    scheduled_for: datetime | None = None
    met_at: datetime | None = None
    thanked_at: datetime | None = None
    last_touch_at: datetime | None = None
    meetings: int = 0
    referrals: int = 0
    last_reply_at: datetime | None = None
    unanswered_nudges: int = 0
    touched_at: datetime | None = None


def step(state: RelationshipState, event: Event) -> RelationshipState:
    """Apply one event, or raise :class:`IllegalEventError` naming what the stage accepts."""
    moves = TRANSITIONS[state.stage]
    try:
        stage = moves[event.kind]
    except KeyError:
        raise IllegalEventError(
            state.stage.value,
            event.kind.value,
            tuple(k.value for k in accepted_events(state.stage)),
        ) from None
    changes: dict[str, object] = {
        "stage": stage,
        "events": state.events + 1,
        "last_touch_at": _latest(state.last_touch_at, event.at),
    }
    kind = event.kind
    if kind is EventKind.ASKED:
        changes.update(
            asked_at=event.at, last_ask_or_nudge_at=event.at, nudges=0, unanswered_nudges=0
        )
    elif kind is EventKind.FOLLOWED_UP:
        changes.update(
            last_ask_or_nudge_at=event.at,
            nudges=state.nudges + 1,
            unanswered_nudges=state.unanswered_nudges + 1,
        )
    elif kind in (EventKind.REPLIED, EventKind.ACCEPTED, EventKind.DECLINED):
        changes.update(last_reply_at=event.at, unanswered_nudges=0)
    elif kind is EventKind.TOUCHED:
        changes["touched_at"] = event.at
    elif kind in (EventKind.SCHEDULED, EventKind.RESCHEDULED):
        changes["scheduled_for"] = event.scheduled_for or event.at
    elif kind is EventKind.CANCELLED:
        changes["scheduled_for"] = None
    elif kind is EventKind.MET:
        changes.update(met_at=event.at, scheduled_for=None, meetings=state.meetings + 1)
    elif kind is EventKind.THANKED:
        changes["thanked_at"] = event.at
    elif kind is EventKind.REFERRED:
        changes["referrals"] = state.referrals + 1
    return attrs.evolve(state, **changes)  # type: ignore[arg-type]


def fold(events: Iterable[Event], start: RelationshipState | None = None) -> RelationshipState:
    """Fold a whole event log, oldest first, into its state."""
    state = start or RelationshipState()
    for event in events:
        state = step(state, event)
    return state


def _latest(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or candidate > current else current
