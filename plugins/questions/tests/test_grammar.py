"""The open-question rule: what it accepts and what it refuses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from infointerview_questions.grammar import AUXILIARIES, check_open, closed_reason, is_open

from infointerview import InvalidInputError


@pytest.mark.parametrize(
    "text",
    [
        "What does a typical week look like?",
        "How did you start?",
        "Which skills matter, and why?",
        "Looking back, what would you change?",
        "If you were in my position, what would you do next?",
        "In what ways has the field changed?",
        "To what extent does a degree matter?",
        "Who else should I talk to?",
        "  Why?  ",
    ],
)
def test_open_questions_pass(text):
    """Questions asked with a question word, at the start or after an opening clause, pass."""
    assert closed_reason(text) is None
    check_open(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Do you like your job?", "starts with 'do'"),
        ("Is there anyone else I should meet?", "starts with 'is'"),
        ("Would you do it again?", "starts with 'would'"),
        ("Didn't you study law?", 'starts with "didn\'t"'),
        ("Can I send you my resume?", "starts with 'can'"),
        ("What do you think", "question mark"),
        ("Tell me about your day.", "question mark"),
        ("You enjoy it?", "does not ask"),
        ("So, you enjoy it?", "does not ask"),
        ("What about it, whether or not?", "or not"),
        ("?", "no words"),
    ],
)
def test_closed_questions_fail_with_the_reason(text, why):
    """Yes/no openings, statements and missing question words are refused, saying why."""
    reason = closed_reason(text)
    assert reason is not None and why in reason
    assert not is_open(text)
    with pytest.raises(InvalidInputError, match="not an open question"):
        check_open(text, where="bank question 3")


@given(st.sampled_from(sorted(AUXILIARIES)), st.text(max_size=40))
def test_any_question_opening_with_an_auxiliary_is_closed(aux, rest):
    """Whatever follows, a question whose first word is an auxiliary verb is closed."""
    assert not is_open(f"{aux.capitalize()} {rest} what?")


@given(st.text(max_size=60).filter(lambda t: not t.strip().endswith("?")))
def test_anything_not_ending_with_a_question_mark_is_closed(text):
    """No question mark, no question."""
    assert not is_open(text)
