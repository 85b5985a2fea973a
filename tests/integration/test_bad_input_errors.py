"""Bad input through the public API gets an InvalidInputError that says what to do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import infointerview as ii
from infointerview.goals import check_not_a_job_request

NAIVE = datetime(2026, 3, 2, 9, 0)
AWARE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def ws() -> ii.Workspace:
    """A memory workspace with one contact."""
    workspace = ii.open_workspace("memory://", owner="sam")
    workspace.add_contact(ii.Contact(name="Ann Lee", id="ann"))
    return workspace


@pytest.mark.parametrize(
    "call",
    [
        lambda ws: ws.due(NAIVE),
        lambda ws: ws.upcoming(AWARE, until=NAIVE),
        lambda ws: ws.close_unanswered(NAIVE),
        lambda ws: ws.losing_touch(NAIVE),
        lambda ws: ws.report(NAIVE),
        lambda ws: ws.report_text(NAIVE),
        lambda ws: ws.draft("ask_cold", "email", "ann", now=NAIVE),
        lambda ws: ws.log("ann", "asked", at=NAIVE),
    ],
)
def test_naive_times_are_refused(ws: ii.Workspace, call) -> None:  # type: ignore[no-untyped-def]
    """Every time argument must carry a time zone."""
    with pytest.raises(ii.InvalidInputError, match="timezone-aware"):
        call(ws)


@pytest.mark.parametrize(
    ("call", "valid"),
    [
        (lambda ws: ws.log("ann", "emailed", at=AWARE), "asked"),
        (lambda ws: ws.log("ann", "asked", at=AWARE, channel="fax"), "linkedin_note"),
        (lambda ws: ws.contacts(stage="hired"), "in_touch"),
        (lambda ws: ii.Contact(name="X", source="friend"), "own_circle"),
        (lambda ws: ii.Question(text="Why?", category="gossip"), "trends"),
    ],
)
def test_unknown_names_list_the_valid_ones(ws: ii.Workspace, call, valid: str) -> None:  # type: ignore[no-untyped-def]
    """An unknown event kind, channel, stage, source or category names the valid values."""
    with pytest.raises(ii.InvalidInputError, match=valid):
        call(ws)


def test_wrong_types_for_owner_and_kind_are_refused(ws: ii.Workspace) -> None:
    """A non-string owner or message kind is an input error, not an AttributeError."""
    with pytest.raises(ii.InvalidInputError, match="owner"):
        ii.open_workspace("memory://", owner=123)  # type: ignore[arg-type]
    with pytest.raises(ii.InvalidInputError, match="message kind"):
        ws.draft(None, "email", "ann", now=AWARE)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "ask for a referral for a job",
        "get an interview for the open role",
        "employment at Acme",
        "gethired",
        "land a r-o-l-e",
        "get\u00a0hired",
        "get\u200bhired",
        "I want a job offer from Acme",
    ],
)
def test_disguised_job_requests_are_refused(text: str) -> None:
    """Spacing, hyphens and zero-width characters do not hide a job request."""
    with pytest.raises(ii.JobRequestGoalError, match="never for a job"):
        check_not_a_job_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "Learn about a job title or skill set",
        "understand the interview process in this field",
        "learn how hiring works in clinics",
        "a well-known path into the field",
    ],
)
def test_goals_about_jobs_but_not_asking_for_one_pass(text: str) -> None:
    """Talking about jobs is fine; asking for one is not."""
    check_not_a_job_request(text)
