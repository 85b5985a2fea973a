"""The run-sheet templates: rendered in a strict sandbox, and through the messages renderers."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import infointerview_questions.plugin as plugin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from infointerview_questions import agenda_pack, default_bank

import infointerview as ii
from infointerview.agenda import agenda_context

jinja2 = pytest.importorskip("jinja2")
from jinja2.sandbox import ImmutableSandboxedEnvironment  # noqa: E402

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _render(name: str, context: dict[str, object]) -> str:
    """Render like the messages renderers do: sandboxed, strict, trimmed blocks."""
    env = ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    return env.from_string(agenda_pack().templates[name]).render(context).strip()


def _plan(minutes: int = 25) -> tuple[ii.AgendaPlan, ii.Interview]:
    bank = [q for q in default_bank() if q.goals & {"role", "entry"}]
    plan = ii.plan_agenda(bank, ["role", "entry", "help_them", "unknown_goal"], minutes)
    interview = ii.Interview(contact_id="c1", at=AT, minutes=minutes, agenda=plan.questions)
    return plan, interview


def test_text_run_sheet_has_timings_the_time_check_and_the_close():
    """Every question on its own numbered line with its start time; then the check and close."""
    plan, interview = _plan()
    context = {
        "agenda": agenda_context(plan, interview, goal_titles={"role": "The role"}),
        "contact": {"name": "Ada Example", "organisation": "Northwind"},
    }
    text = _render("agenda.text", context)
    lines = text.splitlines()
    assert lines[0] == "RUN SHEET: conversation with Ada Example, Northwind"
    assert lines[1] == "Monday 02 March 2026, 15:00, 25 minutes by video"
    assert lines[2] == "Goals: The role; entry; help_them; unknown_goal (not covered)"
    for item in plan.run_sheet:
        if item.kind == "question":
            minutes, seconds = divmod(round(item.start * 60), 60)
            assert f"{minutes:02d}:{seconds:02d}  {item.number}. {item.title}" in text
    assert "22:00  Time check" in lines
    assert "22:00  Close (3 min)" in lines
    assert "25:00  Agreed end" in lines
    assert "Spare questions, if they invite you to go on:" in lines
    assert "       - Ask whether you may contact them again." in lines
    assert "  - unknown_goal: no candidate question serves this goal" in lines


def test_markdown_run_sheet_lists_the_same_items():
    """A heading, a bullet per item with its clock in bold, and the sections after."""
    plan, interview = _plan()
    text = _render("agenda.markdown", {"agenda": agenda_context(plan, interview), "contact": None})
    assert text.startswith("# Run sheet\n")
    bullets = [line for line in text.splitlines() if re.match(r"- \*\*\d\d:\d\d\*\* ", line)]
    assert len(bullets) == len(plan.run_sheet)
    assert "## Spare questions" in text
    assert "## Goals no question covers" in text


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(default_bank()), max_size=12),
    st.lists(st.sampled_from([g.key for g in ii.STANDARD_GOALS]), unique=True, max_size=4),
    st.integers(5, 60),
    st.booleans(),
)
def test_any_plan_renders_in_both_formats(questions, goals, minutes, with_interview):
    """No plan (empty, overfull, uncovered, without an interview) trips a strict template."""
    plan = ii.plan_agenda(questions, goals, minutes)
    plan = ii.AgendaPlan(**{**_fields(plan), "generator_failures": (("llm", "TimeoutError"),)})
    interview = ii.Interview(contact_id="c", at=AT, minutes=minutes) if with_interview else None
    context = {"agenda": agenda_context(plan, interview)}
    for name, failure in (("agenda.text", "llm: TimeoutError"), ("agenda.markdown", "**llm:**")):
        out = _render(name, context)
        assert failure in out
        assert out.count("Time check") == 1


def _fields(plan: ii.AgendaPlan) -> dict[str, object]:
    import attrs

    return attrs.asdict(plan, recurse=False)


def test_through_the_messages_renderers(infointerview_workspace):
    """With infointerview-messages installed, render_agenda prints both formats; data stays data."""
    messages = pytest.importorskip("infointerview_messages.plugin")
    ws = infointerview_workspace(plugins=(plugin, messages))
    contact = ws.add_contact(
        ii.Contact(name="Ada {{ 7*7 }} *Example*", organisation="North_wind", role="analyst")
    )
    interview, plan = ws.plan_interview(contact.id, at=AT, goals=["role", "new_contacts"])
    text = ws.render_agenda(interview.id, plan=plan)
    assert text.startswith("RUN SHEET: conversation with Ada {{ 7*7 }} *Example*, North_wind")
    assert "22:00  Time check" in text
    markdown = ws.render_agenda(interview.id, format="markdown")
    assert markdown.startswith(r"# Run sheet: conversation with Ada \{\{ 7\*7 \}\} \*Example\*")
    assert "- **22:00** **Time check**" in markdown
    assert "Spare questions" not in markdown  # the stored agenda alone has no spares
