"""The built-in bank: size, goal coverage, tags, open questions; loading and generating."""

from __future__ import annotations

import os
from collections import Counter

import pytest
from infointerview_questions import (
    SITUATIONS,
    BankGenerator,
    closed_reason,
    default_bank,
    goal_counts,
    load_bank,
)

from infointerview import (
    STANDARD_GOALS,
    Contact,
    InvalidInputError,
    QuestionCategory,
    QuestionRequest,
    SeekerProfile,
)
from infointerview.questions import merge_questions

STANDARD = {goal.key for goal in STANDARD_GOALS}


def test_the_bank_has_at_least_200_questions():
    """Over 200 questions, each text once."""
    bank = default_bank()
    assert len(bank) >= 200
    assert len({q.text.casefold() for q in bank}) == len(bank)


def test_every_standard_goal_has_at_least_8_questions():
    """Each of the 13 standard goals is served by 8 questions or more; no other goal appears."""
    counts = goal_counts(default_bank())
    assert set(counts) == STANDARD
    assert min(counts.values()) >= 8, counts


def test_no_question_in_the_bank_is_closed():
    """Every question passes the open-question grammar rule."""
    closed = {q.text: closed_reason(q.text) for q in default_bank() if closed_reason(q.text)}
    assert closed == {}


def test_tags_are_known_and_sensible():
    """Categories are TIARA groups, situations come from the list, minutes and priority in range."""
    bank = default_bank()
    assert {q.category for q in bank} == set(QuestionCategory)
    assert set().union(*(q.situations for q in bank)) == set(SITUATIONS)
    for question in bank:
        assert 1 <= question.minutes <= 5, question.text
        assert 1 <= question.priority <= 100, question.text
        assert question.source == "bank"
        assert "\n" not in question.text


def test_every_situation_has_questions_of_its_own():
    """Each situation tags at least five questions."""
    counts = Counter(s for q in default_bank() for s in q.situations)
    assert min(counts[s] for s in SITUATIONS) >= 5, counts


def test_the_bank_has_no_near_duplicates():
    """Merging the bank with itself keeps every question: no two say nearly the same thing."""
    bank = list(default_bank())
    assert merge_questions([bank]) == bank


GOOD = """
version = 1
[[group]]
category = "advice"
questions = [
  { text = "What would you do next?", goals = ["help_me"], minutes = 2, priority = 70 },
]
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("What would you do next?", "Would you do it again?"), "not an open question"),
        (('goals = ["help_me"]', 'goals = ["Help Me"]'), "lower-case"),
        (('goals = ["help_me"]', "goals = []"), "at least one goal"),
        (("priority = 70", "priority = 700"), "priority"),
        (("minutes = 2", "minutes = 0"), "minutes"),
        (("minutes = 2", "mins = 2"), "unknown field"),
        (('category = "advice"', 'category = "gossip"'), "category 'gossip'"),
        (("version = 1", "version = 2"), "version 2"),
        (("questions = [", "questions = [[["), "not valid TOML"),
    ],
)
def test_a_bad_bank_is_refused_naming_where(change, message):
    """Each problem raises InvalidInputError naming the file, group and question."""
    with pytest.raises(InvalidInputError, match=message) as info:
        load_bank(GOOD.replace(*change), where="coach.toml")
    assert "coach.toml" in str(info.value)


def test_a_repeated_question_is_refused():
    """The same text twice names both places."""
    doubled = GOOD.replace(
        "},\n]", '},\n  { text = "what would you do next?", goals = ["entry"] },\n]'
    )
    with pytest.raises(
        InvalidInputError, match=r"question 2: repeats the question at .*question 1"
    ):
        load_bank(doubled, where="coach.toml")


def test_a_coachs_own_bank_loads_from_a_file(tmp_path):
    """A bank file of one's own becomes a generator whose name is every question's source."""
    path = tmp_path / "coach.toml"
    path.write_text(GOOD, encoding="utf-8")
    os.chmod(path, 0o600)
    generator = BankGenerator.from_file(path, name="coach")
    questions = list(generator.generate(QuestionRequest(goals=())))
    assert [(q.text, q.source, q.priority) for q in questions] == [
        ("What would you do next?", "coach", 70)
    ]


def _request(
    *goals: str, situations: frozenset[str] = frozenset(), **contact: str
) -> QuestionRequest:
    by_key = {g.key: g for g in STANDARD_GOALS}
    return QuestionRequest(
        goals=tuple(by_key[g] for g in goals),
        contact=Contact(name="Ada Example", **contact) if contact else None,
        profile=SeekerProfile(situations=situations, current_field="nursing"),
    )


def test_the_generator_keeps_to_the_goals():
    """Only questions serving one of the interview's goals come out; all of them without goals."""
    generator = BankGenerator()
    out = list(generator.generate(_request("feedback", "impression")))
    assert out and all(q.goals & {"feedback", "impression"} for q in out)
    assert len(list(generator.generate(_request()))) == len(default_bank())


def test_situations_filter_and_boost():
    """A seeker's situation keeps its questions (priority raised) and drops other situations'."""
    generator = BankGenerator()
    mine = {q.text: q for q in generator.generate(_request(situations=frozenset({"new_graduate"})))}
    base = {q.text: q for q in default_bank()}
    for text, question in mine.items():
        tags = base[text].situations
        assert not tags or "new_graduate" in tags
        assert question.priority == base[text].priority + (10 if tags else 0)
    assert any(base[t].situations for t in mine)
    everyone = list(generator.generate(_request()))
    assert len(everyone) == len(default_bank())


def test_same_field_is_inferred_from_the_fields():
    """When seeker and contact share a field, same-field questions come out boosted."""
    generator = BankGenerator()
    out = list(generator.generate(_request(situations=frozenset({"returner"}), field=" Nursing ")))
    tags = {s for q in out for s in default_bank_situations(q.text)}
    assert tags <= {"returner", "same_field"}
    assert "same_field" in tags


def default_bank_situations(text: str) -> frozenset[str]:
    """The situations the built-in bank gives ``text``."""
    return next(q.situations for q in default_bank() if q.text == text)
