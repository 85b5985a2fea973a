"""Shared fixtures: a seeker, three contacts (referred, alumni, cold) and a held interview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import infointerview_messages.plugin
import pytest

from infointerview import Contact, SeekerProfile, Workspace

NOW = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
MET = NOW + timedelta(days=3)

PROFILE = SeekerProfile(
    name="Sam Rivera",
    email="sam@example.org",
    background="a physics graduate",
    field="renewable energy",
    target="grid-scale storage",
)

EXTRA = {
    "person": "Eve Park",
    "article_title": "Batteries at scale",
    "article_url": "https://example.org/batteries",
    "progress": "I started a power-systems course",
    "event": "the Storage Summit",
    "event_date": "12 May",
}


@attrs.frozen
class World:
    """A workspace with a seeker, a referrer, three contacts and Ann's held interview."""

    workspace: Workspace
    bob: Contact
    ann: Contact
    cat: Contact
    dan: Contact
    interview_id: str
    now: datetime = NOW
    """Before the interview: when asks are drafted."""
    met: datetime = MET
    """When the interview with Ann started (it was recorded as held 30 minutes later)."""
    extra: dict[str, str] = attrs.Factory(lambda: dict(EXTRA))
    profile: SeekerProfile = PROFILE


@pytest.fixture
def open_ws(
    infointerview_workspace: Callable[..., Workspace],
) -> Callable[..., Workspace]:
    """A factory: a fresh memory workspace with only this plugin beside the defaults."""

    def make(**options: Any) -> Workspace:
        return infointerview_workspace(plugins=(infointerview_messages.plugin,), **options)

    return make


def populate(workspace: Workspace) -> World:
    """Fill ``workspace`` with the shared cast."""
    workspace.set_profile(PROFILE)
    bob = workspace.add_contact(Contact(name="Bob Lee", organisation="Acme"))
    ann = workspace.add_contact(
        Contact(
            name="Ann Okafor",
            organisation="GridCo",
            role="battery engineer",
            referrer_id=bob.id,
            source="referral",
            email="ann@gridco.example",
        )
    )
    cat = workspace.add_contact(
        Contact(
            name="Cat Ng",
            organisation="Volt",
            role="analyst",
            source="alumni",
            affiliation="the Leeds physics alumni network",
        )
    )
    dan = workspace.add_contact(Contact(name="Dan Roe", organisation="Sunny", role="CTO"))
    workspace.log(ann.id, "asked", at=NOW - timedelta(days=5))
    workspace.log(ann.id, "accepted", at=NOW - timedelta(days=4))
    workspace.log(ann.id, "scheduled", at=NOW - timedelta(days=4), scheduled_for=MET)
    interview, _plan = workspace.plan_interview(ann.id, at=MET, goals=["insight"])
    workspace.record_interview(
        interview.id,
        held_at=MET + timedelta(minutes=30),
        insights=[
            "long-duration storage is where the growth is",
            "learn power-systems modelling first",
        ],
        promised_followups=["send you the report I mentioned"],
        referrals=[Contact(name="Eve Park", role="grid planner")],
    )
    return World(workspace, bob, ann, cat, dan, interview.id)


@pytest.fixture
def make_world(open_ws: Callable[..., Workspace]) -> Callable[..., World]:
    """A factory: the shared cast in a fresh workspace opened with ``options``."""

    def make(**options: Any) -> World:
        return populate(open_ws(**options))

    return make


@pytest.fixture
def world(make_world: Callable[..., World]) -> World:
    """The shared cast in a fresh workspace with default options."""
    return make_world()
