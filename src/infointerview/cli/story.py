"""The demo's story: a fixed cast and timeline, written for the walk-through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = [
    "ALUMNI",
    "COLD",
    "FRIEND",
    "GOALS",
    "INSIGHTS",
    "NOTES",
    "PROFILE",
    "PROMISES",
    "REFERRALS",
    "REFERRED",
    "REFUSED_GOAL",
    "STORY_START",
    "at",
]

STORY_START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""A Monday morning: the story's fixed start, so the demo prints the same every time."""


def at(start: datetime, days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
    """A moment of the story, counted from its start."""
    return start + timedelta(days=days, hours=hours, minutes=minutes)


PROFILE: dict[str, Any] = {
    "name": "Maya Lindqvist",
    "email": "maya.lindqvist@example.org",
    "background": "a secondary-school science teacher of eight years",
    "current_field": "secondary education",
    "field": "education technology",
    "target": "learning design",
    "pitch": (
        "I have taught science for eight years and built our school's online course; "
        "I want to learn how people design learning for a product team."
    ),
    "affiliations": ("Lakeside University",),
    "situations": frozenset({"career_changer"}),
}

GOALS = ("entry", "role", "new_contacts", "feedback")
"""What Maya wants from each conversation (keys of the standard catalog)."""

REFUSED_GOAL = ("get_hired", "Get hired at Brightpath")

FRIEND: dict[str, Any] = {
    "name": "Jordan Okoye",
    "organisation": "Riverside High School",
    "role": "Head of Science",
    "source": "own_circle",
    "email": "jordan.okoye@example.org",
    "notes": "former colleague; knows people at Brightpath",
}

REFERRED: dict[str, Any] = {
    "name": "Dana Whitfield",
    "organisation": "Brightpath Learning",
    "role": "Senior Learning Designer",
    "field": "education technology",
    "email": "dana.whitfield@example.com",
}

ALUMNI: dict[str, Any] = {
    "name": "Ravi Menon",
    "organisation": "Tutorly",
    "role": "Product Manager, Courses",
    "field": "education technology",
    "source": "alumni",
    "affiliation": "Lakeside University",
    "linkedin_url": "https://www.linkedin.com/in/example-ravi-menon",
    "email": "ravi.menon@example.net",
}

COLD: dict[str, Any] = {
    "name": "Elena Petrova",
    "organisation": "CourseCraft",
    "role": "Head of Content",
    "field": "education technology",
    "source": "cold",
    "email": "elena.petrova@example.com",
}

NOTES = (
    "Dana moved from classroom teaching to learning design six years ago. "
    "Her team writes storyboards with subject experts and tests them with learners."
)

INSIGHTS = (
    "a portfolio of two or three redesigned lessons matters more than a certificate",
    "learning designers at Brightpath spend half their time with subject experts",
    "the field is moving to short practice tasks with instant feedback",
)

PROMISES = ("send you the storyboard of my redesigned lesson once it is done",)

REFERRALS: tuple[dict[str, Any], ...] = (
    {
        "name": "Tomás Ruiz",
        "organisation": "Brightpath Learning",
        "role": "Instructional Designer",
        "email": "tomas.ruiz@example.com",
    },
    {
        "name": "Aisha Karim",
        "organisation": "LearnLoop",
        "role": "Curriculum Lead",
        "email": "aisha.karim@example.com",
    },
)
