"""The relationship stage is a pure fold of the event log: properties and examples."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infointerview import (
    TRANSITIONS,
    Event,
    EventKind,
    IllegalEventError,
    RelationshipState,
    Stage,
    accepted_events,
    fold,
)
from infointerview.stages import step
from infointerview.testing.strategies import event_histories, event_sequences

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def _log(*kinds: str, **fields: object) -> list[Event]:
    return [
        Event(contact_id="c1", kind=kind, at=T0 + timedelta(hours=n), **fields)  # type: ignore[arg-type]
        for n, kind in enumerate(kinds)
    ]


def _walk(events: tuple[Event, ...]) -> tuple[Stage, int | None]:
    """The table's answer: the stage reached and the index of the first refused event."""
    stage = Stage.IDENTIFIED
    for index, event in enumerate(events):
        following = TRANSITIONS[stage].get(event.kind)
        if following is None:
            return stage, index
        stage = following
    return stage, None


@settings(max_examples=200)
@given(event_sequences(max_size=14))
def test_every_sequence_folds_or_is_refused_at_its_first_illegal_event(
    events: tuple[Event, ...],
) -> None:
    """Any log either folds to the table's stage or fails exactly at its first illegal event."""
    stage, refused_at = _walk(events)
    if refused_at is None:
        assert fold(events).stage is stage
        return
    with pytest.raises(IllegalEventError) as refused:
        fold(events)
    error = refused.value
    accepted = tuple(kind.value for kind in accepted_events(stage))
    assert (error.stage, error.event, error.accepted) == (
        stage.value,
        events[refused_at].kind.value,
        accepted,
    )
    message = str(error)
    assert f"'{stage.value}'" in message
    assert all(kind in message for kind in accepted)
    assert fold(events[:refused_at]).stage is stage


@given(event_histories(max_size=15))
def test_fold_is_deterministic(events: tuple[Event, ...]) -> None:
    """Folding the same log twice, as a tuple, list or generator, gives the same state."""
    state = fold(events)
    assert fold(list(events)) == state
    assert fold(e for e in events) == state
    assert fold(events) == state


@given(event_histories(max_size=15), st.data())
def test_the_stage_at_any_point_is_the_fold_of_the_prefix(
    events: tuple[Event, ...], data: st.DataObject
) -> None:
    """Stepping event by event visits exactly the folds of the prefixes; a fold can resume."""
    state = RelationshipState()
    for count, event in enumerate(events, start=1):
        state = step(state, event)
        assert state == fold(events[:count])
    cut = data.draw(st.integers(0, len(events)))
    assert fold(events[cut:], start=fold(events[:cut])) == fold(events)


@given(event_histories(max_size=15))
def test_the_fold_counts_what_happened(events: tuple[Event, ...]) -> None:
    """Events, meetings, referrals and the latest touch are counted from the log."""
    state = fold(events)
    kinds = [e.kind for e in events]
    assert state.events == len(events)
    assert state.meetings == kinds.count(EventKind.MET)
    assert state.referrals == kinds.count(EventKind.REFERRED)
    assert state.last_touch_at == max((e.at for e in events), default=None)
    since_ask = (
        kinds[len(kinds) - kinds[::-1].index(EventKind.ASKED) :]
        if EventKind.ASKED in kinds
        else kinds
    )
    assert state.nudges == since_ask.count(EventKind.FOLLOWED_UP)


def test_every_stage_is_reachable_and_every_target_is_a_stage() -> None:
    """The transition table is closed and every stage can be reached from ``identified``."""
    assert set(TRANSITIONS) == set(Stage)
    seen = {Stage.IDENTIFIED}
    queue = deque([Stage.IDENTIFIED])
    while queue:
        for target in TRANSITIONS[queue.popleft()].values():
            assert isinstance(target, Stage)
            if target not in seen:
                seen.add(target)
                queue.append(target)
    assert seen == set(Stage)


def test_a_referral_is_accepted_at_every_stage_and_keeps_it() -> None:
    """``referred`` can come at any time and never moves the stage."""
    for stage in Stage:
        assert TRANSITIONS[stage][EventKind.REFERRED] is stage
        assert EventKind.REFERRED in accepted_events(stage)


def test_accepted_events_follow_the_declaration_order() -> None:
    """``accepted_events`` lists a stage's events in EventKind order."""
    for stage in Stage:
        accepted = accepted_events(stage)
        assert set(accepted) == set(TRANSITIONS[stage])
        assert list(accepted) == [k for k in EventKind if k in accepted]


def test_the_usual_path_from_ask_to_keeping_in_touch() -> None:
    """Ask, accept, schedule, meet, thank and touch lead to ``in_touch``."""
    events = _log("asked", "accepted", "scheduled", "met", "thanked", "touched")
    stages = [fold(events[: n + 1]).stage for n in range(len(events))]
    assert stages == [
        Stage.ASKED,
        Stage.ACCEPTED,
        Stage.SCHEDULED,
        Stage.MET,
        Stage.THANKED,
        Stage.IN_TOUCH,
    ]


def test_a_declined_contact_can_be_asked_again() -> None:
    """After a refusal the seeker may ask again later."""
    assert fold(_log("asked", "declined", "asked")).stage is Stage.ASKED


def test_silence_ends_in_no_reply_and_a_late_answer_still_counts() -> None:
    """Giving up moves to ``no_reply``; a late reply reopens the conversation."""
    assert fold(_log("asked", "followed_up", "gave_up")).stage is Stage.NO_REPLY
    assert fold(_log("asked", "gave_up", "replied")).stage is Stage.REPLIED


def test_scheduling_remembers_the_meeting_time_and_cancelling_forgets_it() -> None:
    """``scheduled_for`` comes from the event (or its time) and is cleared by cancel or meet."""
    meeting = T0 + timedelta(days=5)
    state = fold([*_log("asked"), *_log("scheduled", scheduled_for=meeting)[0:1]])
    assert (state.stage, state.scheduled_for) == (Stage.SCHEDULED, meeting)
    cancelled = fold(_log("asked", "scheduled", "cancelled"))
    assert (cancelled.stage, cancelled.scheduled_for) == (Stage.ACCEPTED, None)
    met = fold(_log("asked", "scheduled", "met"))
    assert (met.scheduled_for, met.met_at, met.meetings) == (None, T0 + timedelta(hours=2), 1)


def test_meeting_someone_never_asked_is_refused_with_what_is_allowed() -> None:
    """Logging ``met`` at ``identified`` names the stage and the events it accepts."""
    with pytest.raises(IllegalEventError) as refused:
        fold(_log("met"))
    assert refused.value.stage == "identified"
    assert refused.value.accepted == ("asked", "touched", "referred")
    assert "'met'" in str(refused.value) and "asked, touched, referred" in str(refused.value)
