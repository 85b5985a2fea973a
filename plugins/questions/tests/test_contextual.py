"""The contextual generator: questions written from the contact, the seeker and the goals."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from infointerview_questions import BankGenerator, ContextualGenerator, closed_reason, default_bank
from infointerview_questions.contextual import MAX_SLOT_CHARS, TEMPLATES, slots

from infointerview import STANDARD_GOALS, Contact, QuestionRequest, SeekerProfile
from infointerview.testing import strategies as iis

BY_KEY = {g.key: g for g in STANDARD_GOALS}


def _texts(request: QuestionRequest) -> list[str]:
    return [q.text for q in ContextualGenerator().generate(request)]


def test_a_career_changer_gets_the_path_between_the_two_fields():
    """Seeker and contact in different fields: questions about carrying the background across."""
    request = QuestionRequest(
        goals=(BY_KEY["my_skills_fit"], BY_KEY["entry"]),
        contact=Contact(
            name="Lee Park", organisation="Kite Labs", role="UX researcher", field="user research"
        ),
        profile=SeekerProfile(current_field="nursing", target="UX research"),
    )
    questions = list(ContextualGenerator().generate(request))
    texts = [q.text for q in questions]
    assert (
        "Which parts of a background in nursing carry over into user research, "
        "and which gaps show first?" in texts
    )
    assert (
        "If you were aiming for UX research from where I stand, what would you do first?" in texts
    )
    assert all(q.source == "contextual" for q in questions)
    assert all(q.goals & {"my_skills_fit", "entry"} for q in questions)
    path = next(q for q in questions if "carry over" in q.text)
    assert path.situations == frozenset({"career_changer"})


def test_the_contact_role_and_organisation_are_named():
    """A role and organisation give the typical-week question and the organisation's challenge."""
    request = QuestionRequest(
        goals=(),
        contact=Contact(name="Ada", organisation="Northwind", role="data engineer"),
    )
    texts = _texts(request)
    assert "What does a typical week look like in your role as data engineer at Northwind?" in texts
    assert "What is Northwind working hardest on this year, and what stands in its way?" in texts
    assert (
        "Who else at Northwind or elsewhere in your field would you suggest I talk to next?"
        in texts
    )


def test_same_field_and_situations_pick_their_own_questions():
    """Same field gives the how-do-you-differ question; owners and graduates get theirs."""
    contact = Contact(name="Ada", organisation="Northwind", role="analyst", field="Logistics")
    same = _texts(
        QuestionRequest(goals=(), contact=contact, profile=SeekerProfile(current_field="logistics"))
    )
    assert any("differ from what most teams" in t for t in same)
    assert not any("carry over" in t for t in same)
    owner = _texts(
        QuestionRequest(
            goals=(), contact=contact, profile=SeekerProfile(situations={"business_owner"})
        )
    )
    assert any(t.startswith("What do customers in Logistics") for t in owner)
    graduate = _texts(
        QuestionRequest(
            goals=(), contact=contact, profile=SeekerProfile(situations={"new_graduate"})
        )
    )
    assert "Which first jobs most often lead to a role as analyst?" in graduate
    assert not any("customers in" in t for t in graduate)


def test_without_details_only_the_general_questions_remain():
    """No contact and an empty profile: only templates that need nothing apply."""
    texts = _texts(QuestionRequest(goals=()))
    assert len(texts) == sum(
        1 for t in TEMPLATES if not t.needs and not t.fields and not t.situation
    )
    assert all("your field" in t for t in texts)


def test_slot_values_are_cleaned_to_one_short_line():
    """Line breaks, control characters and closing punctuation go; long values are cut."""
    contact = Contact(name="Ada", organisation="Acme\r\nCorp\x00 Ltd.?", role="x" * 200)
    values = slots(QuestionRequest(goals=(), contact=contact))
    assert values["org"] == "Acme Corp Ltd"
    assert values["role"] == "x" * MAX_SLOT_CHARS


@settings(max_examples=150)
@given(
    iis.contacts(),
    iis.seeker_profiles(),
    st.lists(st.sampled_from(STANDARD_GOALS), unique=True, max_size=4),
)
def test_any_contact_and_seeker_give_open_single_line_questions(contact, profile, goals):
    """Whatever the data (unicode, template syntax, newlines), every question is open and clean."""
    request = QuestionRequest(goals=tuple(goals), contact=contact, profile=profile)
    questions = list(ContextualGenerator().generate(request))
    wanted = {g.key for g in goals}
    for question in questions:
        assert closed_reason(question.text) is None, question.text
        assert "\n" not in question.text and "\r" not in question.text
        assert question.source == "contextual"
        assert not wanted or question.goals & wanted
    assert len({q.text for q in questions}) == len(questions)


def test_every_replaced_text_is_a_bank_question():
    """A template can only stand in for a question the built-in bank really has."""
    bank = {q.text for q in default_bank()}
    replaced = {text for template in TEMPLATES for text in template.replaces}
    assert replaced and replaced <= bank


def test_the_bank_leaves_a_general_question_to_its_tailored_version():
    """With the role known, the bank drops its general typical-week question; without, keeps it."""
    contextual = ContextualGenerator()
    bank = BankGenerator(superseded_by=contextual)
    general = "What does a typical week look like for you?"
    known = QuestionRequest(goals=(BY_KEY["role"],), contact=Contact(name="Ada", role="analyst"))
    unknown = QuestionRequest(goals=(BY_KEY["role"],), contact=Contact(name="Ada"))
    assert general not in {q.text for q in bank.generate(known)}
    assert any("in your role as analyst" in q.text for q in contextual.generate(known))
    assert general in {q.text for q in bank.generate(unknown)}
    assert general in {q.text for q in BankGenerator().generate(known)}
