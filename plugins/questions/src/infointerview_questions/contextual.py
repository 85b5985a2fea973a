"""Questions written for one conversation: the contact's organisation, role and field,
the seeker's own field and target, and the interview's goals."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

import attrs

from infointerview import Question, QuestionCategory, QuestionGenerator, QuestionRequest
from infointerview_questions.bank import seeker_situations

__all__ = ["TEMPLATES", "ContextualGenerator", "QuestionTemplate", "slots"]

MAX_SLOT_CHARS = 60


def _frozen(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


@attrs.frozen
class QuestionTemplate:
    """A question with slots such as ``{role}``, and when it applies.

    ``needs``: slots that must have a value; ``unless``: slots that must be
    empty; ``fields``: ``"differ"`` (seeker and contact work in different
    fields), ``"same"`` or ``""`` (either); ``situation``: a seeker situation
    the question is for, or ``""``.
    """

    text: str
    category: QuestionCategory = attrs.field(converter=QuestionCategory)
    goals: frozenset[str] = attrs.field(converter=_frozen)
    minutes: float = 2.0
    priority: int = 60
    needs: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    unless: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    fields: str = ""
    situation: str = ""
    replaces: tuple[str, ...] = ()
    """Texts of general questions (in the bank) this one makes redundant when it applies."""


def _t(
    text: str,
    category: str,
    goals: tuple[str, ...],
    minutes: float,
    priority: int,
    needs: tuple[str, ...] = (),
    *,
    replaces: tuple[str, ...] = (),
    **when: str | tuple[str, ...],
) -> QuestionTemplate:
    return QuestionTemplate(
        text=text,
        category=QuestionCategory(category),
        goals=goals,
        minutes=minutes,
        priority=priority,
        needs=needs,
        unless=when.get("unless", ()),
        fields=str(when.get("fields", "")),
        situation=str(when.get("situation", "")),
        replaces=replaces,
    )


# fmt: off
TEMPLATES: tuple[QuestionTemplate, ...] = (
    # text, category, goals, minutes, priority, slots needed, conditions
    _t("What does a typical week look like in your role as {role}{at_org}?",
       "insights", ("role", "insight"), 3, 88, ("role",),
       replaces=("What does a typical week look like for you?",)),
    _t("Which skills does your role as {role} lean on most, and which are hardest to find?",
       "insights", ("role", "my_skills_fit"), 2.5, 82, ("role",),
       replaces=("Which skills do you rely on most in your role?",)),
    _t("How did you come into your role as {role}, and which step along the way mattered most?",
       "insights", ("insight", "entry"), 3, 84, ("role",),
       replaces=("How did you come to be doing this work?",)),
    _t("What is {org} working hardest on this year, and what stands in its way?",
       "trends", ("challenges", "industry_state"), 2.5, 80, ("org",),
       replaces=("What is the biggest challenge your organisation faces this year?",)),
    _t("Which changes in {field} will matter most over the next few years?",
       "trends", ("industry_state",), 2.5, 78, ("field",),
       replaces=("Where do you see this industry heading over the next five years?",)),
    _t("Who are the people and organisations shaping {field} right now?",
       "trends", ("key_players",), 2, 72, ("field",),
       replaces=("Whose opinions carry the most weight in this field, and why?",)),
    _t("Which organisations does {org} watch most closely, and why?",
       "trends", ("key_players", "industry_state"), 2, 65, ("org",)),
    _t("Which parts of a background in {my_field} carry over into {field}, "
       "and which gaps show first?",
       "advice", ("my_skills_fit", "entry", "feedback"), 3, 86, ("my_field", "field"),
       fields="differ"),
    _t("What have you seen help people who moved into {field} from {my_field} "
       "or something like it?",
       "advice", ("entry", "help_me"), 2.5, 80, ("my_field", "field"), fields="differ"),
    _t("What kind of project would show whether someone coming from {my_field} "
       "can do the work{at_org}?",
       "assignments", ("entry", "my_skills_fit"), 2.5, 64, ("my_field",), fields="differ"),
    _t("How does the way {place} approaches {field} differ from what most teams in the field do?",
       "insights", ("insight", "key_players"), 2.5, 70, ("field",), fields="same"),
    _t("If you were aiming for {target} from where I stand, what would you do first?",
       "advice", ("help_me", "entry"), 2.5, 85, ("target",),
       replaces=("If you were in my position, what would you do next?",)),
    _t("What does someone aiming for {target} most often underestimate?",
       "advice", ("entry", "insight"), 2, 70, ("target",)),
    _t("How would you describe the culture at {org} to someone who has never worked there?",
       "insights", ("insight",), 2, 65, ("org",),
       replaces=("How does your organisation's culture show in everyday work?",)),
    _t("How did {org} get through the hardest challenge it has faced recently?",
       "insights", ("challenges", "insight"), 2.5, 60, ("org",)),
    _t("Who else at {org} or elsewhere in {area} would you suggest I talk to next?",
       "resources", ("new_contacts",), 2, 75, ("org",),
       replaces=("Who else would you suggest I talk to?",)),
    _t("Who else in {field} would you suggest I talk to next?",
       "resources", ("new_contacts",), 2, 75, ("field",), unless=("org",),
       replaces=("Who else would you suggest I talk to?",)),
    _t("What could someone with a background in {my_field} offer people in {area} "
       "that they might not expect?",
       "advice", ("share_value", "my_skills_fit", "help_them"), 2.5, 68, ("my_field",),
       fields="differ"),
    _t("Which problems at {org} could someone with my background in {my_field} "
       "help think through?",
       "assignments", ("help_them", "my_skills_fit", "share_value"), 2.5, 62,
       ("org", "my_field")),
    _t("From where you sit as {role}, how does the way I describe my experience come across?",
       "advice", ("feedback", "share_value"), 2.5, 66, ("role",)),
    _t("Which newsletters, groups or events do people in {field} actually use to keep up?",
       "resources", ("help_me", "new_contacts", "industry_state"), 2, 62, ("field",),
       replaces=(
           "Which publications, newsletters or podcasts do people in this field really follow?",
       )),
    _t("What kind of news or introductions in {area} would be useful to you, "
       "so that I can pass them on when I come across them?",
       "resources", ("help_them", "impression"), 1.5, 60,
       replaces=("What kind of articles or news would you be glad to have passed on to you?",)),
    _t("What would be the best way to keep you posted on how my next steps in {area} go?",
       "resources", ("impression",), 1.5, 55,
       replaces=("What is the best way for me to let you know how things turn out?",)),
    _t("What do customers in {field} find hardest to get from the suppliers they use now?",
       "trends", ("challenges", "industry_state"), 2.5, 80, ("field",),
       situation="business_owner",
       replaces=("What do customers in this market complain about most?",)),
    _t("Which first jobs most often lead to a role as {role}?",
       "advice", ("entry", "role"), 2, 80, ("role",), situation="new_graduate",
       replaces=("Which entry-level roles give the best start in this field?",)),
)
# fmt: on
"""The contextual generator's questions, most of them needing some detail to apply."""


def _clean(value: str) -> str:
    """One line, no control characters, no closing punctuation, at most 60 characters."""
    visible = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    text = " ".join(visible.split()).strip(" .,;:!?")
    if len(text) > MAX_SLOT_CHARS:
        cut = text[:MAX_SLOT_CHARS]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" .,;:!?")
    return text


def slots(request: QuestionRequest) -> dict[str, str]:
    """The values the templates can use ('' when unknown), cleaned to fit in a sentence."""
    contact = request.contact
    org = _clean(contact.organisation) if contact else ""
    role = _clean(contact.role) if contact else ""
    field = _clean(contact.field) if contact else ""
    return {
        "org": org,
        "role": role,
        "field": field,
        "my_field": _clean(request.profile.current_field),
        "target": _clean(request.profile.target),
        "at_org": f" at {org}" if org else "",
        "area": field or "your field",
        "place": org or "your team",
    }


@attrs.define
class ContextualGenerator(QuestionGenerator):
    """Writes questions from the contact, the seeker and the goals of one interview."""

    name: str = "contextual"
    templates: tuple[QuestionTemplate, ...] = TEMPLATES

    def applicable(self, request: QuestionRequest) -> Iterator[tuple[QuestionTemplate, str]]:
        """The templates that apply to ``request``, each with its filled-in text."""
        wanted = frozenset(goal.key for goal in request.goals)
        values = slots(request)
        situations = seeker_situations(request)
        mine, theirs = values["my_field"].casefold(), values["field"].casefold()
        seen: set[str] = set()
        for template in self.templates:
            if wanted and not template.goals & wanted:
                continue
            if any(not values[s] for s in template.needs) or any(
                values[s] for s in template.unless
            ):
                continue
            if template.fields == "differ" and (not mine or not theirs or mine == theirs):
                continue
            if template.fields == "same" and (not mine or mine != theirs):
                continue
            if template.situation and template.situation not in situations:
                continue
            text = template.text.format_map(values)
            if text not in seen:
                seen.add(text)
                yield template, text

    def replaced(self, request: QuestionRequest) -> frozenset[str]:
        """Texts of general questions that this generator's questions make redundant."""
        return frozenset(t for template, _ in self.applicable(request) for t in template.replaces)

    def generate(self, request: QuestionRequest) -> Iterator[Question]:
        """The templates that apply, filled in; only those serving the request's goals."""
        for template, text in self.applicable(request):
            tags = {template.situation} if template.situation else set()
            if template.fields == "differ":
                tags.add("career_changer")
            elif template.fields == "same":
                tags.add("same_field")
            yield Question(
                text=text,
                category=template.category,
                goals=template.goals,
                priority=template.priority,
                minutes=template.minutes,
                source=self.name,
                situations=frozenset(tags),
            )
