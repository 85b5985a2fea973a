"""The goal catalog: 13 standard goals, custom goals, and job requests refused with a reason."""

from __future__ import annotations

import pytest
from hypothesis import given

from infointerview import (
    STANDARD_GOALS,
    Goal,
    GoalCatalog,
    InvalidInputError,
    JobRequestGoalError,
    NotFoundError,
    custom_goal,
)
from infointerview.testing.strategies import custom_goals

STANDARD_KEYS = [
    "insight",
    "industry_state",
    "role",
    "entry",
    "key_players",
    "challenges",
    "my_skills_fit",
    "help_them",
    "help_me",
    "share_value",
    "feedback",
    "new_contacts",
    "impression",
]

JOB_REQUESTS = [
    "get a job",
    "Get a job at Acme",
    "land a position",
    "Secure an offer",
    "be hired",
    "getting hired by them",
    "hire me",
    "a job offer",
    "ask for a role on their team",
    "job",
]


def test_there_are_thirteen_standard_goals_in_catalog_order() -> None:
    """The standard catalog holds the 13 goals of the domain, in order, all marked standard."""
    assert [g.key for g in STANDARD_GOALS] == STANDARD_KEYS
    assert all(g.standard and g.title.strip() and g.description.strip() for g in STANDARD_GOALS)
    assert len({g.title for g in STANDARD_GOALS}) == 13


def test_a_new_catalog_resolves_every_standard_goal() -> None:
    """``GoalCatalog()`` maps each standard key to its goal."""
    catalog = GoalCatalog()
    assert len(catalog) == 13
    assert list(catalog) == STANDARD_KEYS
    assert catalog.resolve(["entry", "insight"]) == (catalog["entry"], catalog["insight"])


def test_an_unknown_goal_is_refused_listing_the_known_ones() -> None:
    """Resolving an unknown key raises NotFoundError that lists every known key."""
    with pytest.raises(NotFoundError) as refused:
        GoalCatalog().resolve(["insight", "world_peace"])
    assert "'world_peace'" in str(refused.value)
    assert all(key in str(refused.value) for key in STANDARD_KEYS)


@pytest.mark.parametrize("text", JOB_REQUESTS)
def test_a_job_request_is_refused_with_an_explanation(text: str) -> None:
    """A custom goal asking for a job raises JobRequestGoalError explaining why."""
    with pytest.raises(JobRequestGoalError) as refused:
        custom_goal("custom", text)
    message = str(refused.value)
    assert text in message
    assert "never for a job" in message
    assert "'entry'" in message
    assert isinstance(refused.value, InvalidInputError)


@pytest.mark.parametrize("key", ["get_a_job", "be_hired", "job_offer"])
def test_a_job_request_key_is_refused_everywhere(key: str) -> None:
    """A job-request key is refused by ``custom_goal``, ``add`` and ``resolve`` alike."""
    catalog = GoalCatalog()
    with pytest.raises(JobRequestGoalError):
        custom_goal(key, "Some title")
    with pytest.raises(JobRequestGoalError):
        catalog.add(Goal(key=key, title="Some title"))
    with pytest.raises(JobRequestGoalError):
        catalog.resolve([key])
    assert len(catalog) == 13


@pytest.mark.parametrize(
    "title",
    ["Learn about a job title", "Find out what the role involves", "Ask how hiring works here"],
)
def test_talking_about_jobs_is_not_asking_for_one(title: str) -> None:
    """Goals that mention jobs without requesting one are accepted."""
    assert custom_goal("learn_more", title).title == title


@pytest.mark.parametrize("key", ["Learn Tools", "1tools", "tools!", "", "_tools"])
def test_a_malformed_custom_key_is_refused(key: str) -> None:
    """Custom goal keys are lower-case words joined by underscores, starting with a letter."""
    with pytest.raises(InvalidInputError, match="goal key"):
        custom_goal(key, "Learn the tools")


@given(custom_goals())
def test_custom_goals_join_the_catalog_once(goal: Goal) -> None:
    """A custom goal is added beside the 13 and resolves; adding its key again is refused."""
    catalog = GoalCatalog([goal])
    assert len(catalog) == 14
    assert catalog.resolve([goal.key]) == (goal,)
    assert not catalog[goal.key].standard
    with pytest.raises(InvalidInputError, match="already in the catalog"):
        catalog.add(goal)


def test_a_custom_goal_cannot_take_a_standard_key() -> None:
    """A custom goal reusing a standard key is refused."""
    with pytest.raises(InvalidInputError, match="already in the catalog"):
        GoalCatalog([Goal(key="insight", title="Another insight")])
