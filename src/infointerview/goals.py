"""The goal catalog: the 13 standard goals, custom goals, and the one goal refused."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

from infointerview.errors import InvalidInputError, JobRequestGoalError, NotFoundError
from infointerview.model import Goal

__all__ = ["STANDARD_GOALS", "GoalCatalog", "check_not_a_job_request", "custom_goal"]


def _standard(key: str, title: str, description: str) -> Goal:
    return Goal(key=key, title=title, description=description, standard=True)


STANDARD_GOALS: tuple[Goal, ...] = (
    _standard(
        "insight", "Gain insight and expertise", "Learn from someone who does the work every day."
    ),
    _standard(
        "industry_state",
        "Learn the state of an industry or company",
        "Where the field stands now and where it is heading.",
    ),
    _standard(
        "role",
        "Learn about a job title or skill set",
        "What a role involves and how a set of skills is put to use.",
    ),
    _standard(
        "entry", "Learn what it takes to get in", "The path into a field, company or kind of job."
    ),
    _standard("key_players", "Get to know key players", "Who matters in this field and why."),
    _standard(
        "challenges",
        "Understand issues and challenges",
        "The problems the industry or organisation is wrestling with.",
    ),
    _standard(
        "my_skills_fit",
        "Explore how my skills could help",
        "Where the seeker's abilities meet those challenges.",
    ),
    _standard(
        "help_them", "Find ways to help the contact", "Something the seeker can offer in return."
    ),
    _standard(
        "help_me",
        "Find ways the contact can help",
        "Advice, introductions or resources the contact could share.",
    ),
    _standard(
        "share_value",
        "Share who I am and what I offer",
        "Let the contact know the seeker's story and strengths.",
    ),
    _standard(
        "feedback", "Get feedback", "On the search, the resume, the target field or the target job."
    ),
    _standard(
        "new_contacts", "Gain new contacts", "Introductions to other people worth talking to."
    ),
    _standard(
        "impression",
        "Leave a lasting impression",
        "Be remembered well, so the contact keeps the seeker in mind.",
    ),
)

# Patterns for a goal that asks for a job rather than for knowledge. They
# look for the request itself ("get a job", "be hired"), not the word "job":
# "learn about a job title" is a standard goal.
_JOB_REQUEST = re.compile(
    r"\b(?:get|land|obtain|secure|find|ask\s+for|request|win)\s+(?:a|an|the|this|that|their|your|my)?\s*"
    r"(?:new\s+|open\s+)?(?:job|position|role|offer|employment|opening|vacancy)\b"
    r"|\b(?:be|get|getting|being)\s*hired\b"
    r"|\bhire\s*me\b"
    r"|\bjob\s+offer\b"
    r"|\b(?:give|offer)\s+me\s+(?:a|an)\s+(?:job|position|role)\b"
    r"|\b(?:employment|a\s+job|a\s+position)\s+(?:at|with|in)\b"
    r"|\breferral\s+(?:for|to)\s+(?:a|an|the|this|that)?\s*(?:open\s+)?(?:job|position|role|opening)\b"
    r"|\b(?:job\s+)?interview\s+for\s+(?:a|an|the|this|that)?\s*(?:open\s+)?(?:job|position|role|opening)\b"
    r"|^\s*(?:a\s+)?(?:job|employment|job\s+offer)\s*$",
    re.IGNORECASE,
)

_WHY_NOT = (
    "an informational interview asks for knowledge and advice, never for a job: the contact "
    "agreed to share what they know, and a job request breaks that trust and usually ends the "
    "conversation. Job leads come later, through the relationship and the people the contact "
    "introduces. Choose a goal such as 'entry' (learn what it takes to get in) or "
    "'new_contacts' instead"
)


def _plain_words(text: str) -> str:
    """Text as the job-request rule reads it: compatibility forms folded, and the
    invisible or joining characters people use to dodge filters ("r-o-l-e",
    zero-width spaces) taken out of words."""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"[\u00ad\u200b-\u200f\u2060\ufeff]", "", folded)
    return re.sub(r"(?<=\w)[-._·](?=\w)", "", folded)


def check_not_a_job_request(text: str, *, where: str = "goal") -> None:
    """Raise :class:`JobRequestGoalError` if ``text`` asks for a job."""
    if _JOB_REQUEST.search(_plain_words(text)):
        raise JobRequestGoalError(f"{where} {text!r} is refused: {_WHY_NOT}")


def custom_goal(key: str, title: str, description: str = "") -> Goal:
    """Make a custom goal after checking it is not a job request."""
    for text in (key.replace("_", " "), title, description):
        check_not_a_job_request(text, where=f"custom goal {key!r}:")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
        raise InvalidInputError(
            f"goal key {key!r} must be lower-case letters, digits and underscores, "
            "starting with a letter (e.g. 'learn_tools')"
        )
    return Goal(key=key, title=title, description=description, standard=False)


class GoalCatalog(Mapping[str, Goal]):
    """The standard goals plus any custom ones, looked up by key."""

    def __init__(self, extra: Iterable[Goal] = ()) -> None:
        self._goals: dict[str, Goal] = {goal.key: goal for goal in STANDARD_GOALS}
        for goal in extra:
            self.add(goal)

    def add(self, goal: Goal) -> None:
        """Add a custom goal; a job request or a taken key is refused."""
        for text in (goal.key.replace("_", " "), goal.title, goal.description):
            check_not_a_job_request(text, where=f"goal {goal.key!r}:")
        if goal.key in self._goals:
            raise InvalidInputError(f"goal key {goal.key!r} is already in the catalog")
        self._goals[goal.key] = goal

    def resolve(self, keys: Iterable[str]) -> tuple[Goal, ...]:
        """Goals for ``keys``, refusing unknown keys with the list of known ones."""
        resolved = []
        for key in keys:
            check_not_a_job_request(key.replace("_", " "))
            try:
                resolved.append(self._goals[key])
            except KeyError:
                raise NotFoundError(
                    f"unknown goal {key!r}; known goals: {', '.join(self._goals)}"
                ) from None
        return tuple(resolved)

    def __getitem__(self, key: str) -> Goal:
        return self.resolve([key])[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._goals)

    def __len__(self) -> int:
        return len(self._goals)
