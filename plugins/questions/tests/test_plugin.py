"""The plugin as installed: entry point, hooks, and planning a whole interview through them."""

from __future__ import annotations

import importlib.metadata
from datetime import UTC, datetime

import infointerview_questions.plugin as plugin

import infointerview as ii

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def test_the_entry_point_names_the_plugin_module():
    """The distribution registers `questions = "infointerview_questions.plugin"`."""
    found = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="infointerview")}
    assert found["questions"] == "infointerview_questions.plugin"


def test_the_hooks_register_two_generators_and_the_agenda_pack(infointerview_workspace):
    """`contextual` then `bank`, and the pack `questions` with both run-sheet templates."""
    ws = infointerview_workspace(plugins=(plugin,))
    assert list(ws.question_generators()) == ["contextual", "bank"]
    pack = next(p for p in ws.template_packs() if p.name == "questions")
    assert set(pack.templates) == {"agenda.text", "agenda.markdown"}


def test_a_planned_interview_covers_its_goals_from_both_generators(infointerview_workspace):
    """All 13 standard goals in 45 minutes: covered, within time, questions from both sources."""
    ws = infointerview_workspace(plugins=(plugin,))
    ws.set_profile(
        ii.SeekerProfile(
            field="teaching", target="instructional design", situations={"career_changer"}
        )
    )
    contact = ws.add_contact(
        ii.Contact(
            name="Ada Example",
            organisation="Northwind",
            role="learning designer",
            field="e-learning",
        )
    )
    keys = [g.key for g in ii.STANDARD_GOALS]
    interview, plan = ws.plan_interview(contact.id, at=AT, goals=keys, minutes=45)
    assert plan.uncovered_goals == ()
    assert plan.generator_failures == ()
    assert plan.question_minutes <= plan.budget_minutes
    assert {q.source for q in interview.agenda} == {"contextual", "bank"}
    assert interview.agenda == plan.questions
    served = set().union(*(q.goals for q in plan.essential))
    assert served == set(keys)


def test_candidates_keep_their_sources_and_lose_near_duplicates(infointerview_workspace):
    """The merged candidates hold each text once, with the generator that wrote it."""
    ws = infointerview_workspace(plugins=(plugin,))
    contact = ws.add_contact(ii.Contact(name="Ada Example", role="analyst"))
    questions, failures = ws.candidate_questions(contact.id, ["role", "insight"])
    assert failures == {}
    assert len({q.text for q in questions}) == len(questions)
    assert {q.source for q in questions} == {"contextual", "bank"}
