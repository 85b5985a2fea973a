"""Merging many generators' questions: near-duplicates, sources, and failing generators."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import infointerview as ii
from infointerview.hookspecs import hookimpl
from infointerview.plugins import load_plugin_manager
from infointerview.questions import (
    is_near_duplicate,
    merge_questions,
    normalise,
    similarity,
    word_set,
)

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def q(text: str, source: str = "user", **kwargs: Any) -> ii.Question:
    """A question in the insights group."""
    return ii.Question(text=text, category="insights", source=source, **kwargs)


def test_normalise_folds_case_accents_punctuation_filler_and_plurals():
    """Only the words that carry meaning are left, in order."""
    assert normalise("What does a Typical DAY look like, for you?") == "what typical day look like"
    assert normalise("Which skills matter?") == normalise("Which skill matters")
    assert normalise("Qu'est-ce que le métier?") == "qu est ce que le metier"
    assert normalise("Is it?") == ""


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (
            "What does a typical day look like for you?",
            "What does your typical day look like?",
            True,
        ),
        ("Which skills matter most in your role?", "which skill matters most in the role", True),
        (
            "What is the biggest challenge facing your industry?",
            "What is the biggest challenge facing your company?",
            False,
        ),
        ("What did you study?", "Where did you study?", False),
        ("What skills matter most?", "What skills matter least?", False),
        ("What would you change?", "What did you change?", False),
    ],
)
def test_near_duplicates_by_example(a, b, same):
    """Rewordings merge; a changed subject, question word or modal keeps both."""
    assert is_near_duplicate(a, b) is same


def test_similarity_is_jaccard_of_word_sets():
    """Shared words over all words; two empty questions are identical."""
    assert similarity("alpha beta gamma?", "alpha beta delta?") == pytest.approx(2 / 4)
    assert similarity("Is it?", "Was it?") == 1.0
    assert word_set("Who else?") == frozenset({"who", "else"})


def test_merge_keeps_the_first_and_its_source():
    """The earlier batch wins a near-duplicate; every kept question is unchanged."""
    first = q("What does a typical day look like for you?", "contextual")
    again = q("What does your typical day look like?", "bank")
    other = q("Who else should I talk to?", "bank")
    merged = merge_questions([[first], [again, other]])
    assert merged == [first, other]
    assert [m.source for m in merged] == ["contextual", "bank"]
    assert merged[0] is first


def test_merge_refuses_a_bad_threshold():
    """A threshold outside (0, 1] is a programming error."""
    with pytest.raises(ValueError, match="threshold"):
        merge_questions([], threshold=0)


WORDS = ["what", "how", "skill", "day", "role", "path", "team", "growth", "tool", "field"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(lambda w: " ".join(w) + "?")


def _pairwise(batches: list[list[ii.Question]], threshold: float) -> list[ii.Question]:
    kept: list[ii.Question] = []
    for question in (x for batch in batches for x in batch):
        if not any(similarity(question.text, k.text) >= threshold for k in kept):
            kept.append(question)
    return kept


@settings(max_examples=300)
@given(
    st.lists(st.lists(texts.map(q), max_size=8), max_size=4),
    st.sampled_from([0.5, 0.6, 0.75, 0.8, 0.9, 1.0]),
)
def test_merge_finds_exactly_what_comparing_every_pair_finds(batches, threshold):
    """The indexed merge equals the slow every-pair merge, for any threshold."""
    assert merge_questions(batches, threshold) == _pairwise(batches, threshold)


class _Gen(ii.QuestionGenerator):
    def __init__(self, name: str, make: Any) -> None:
        self.name = name
        self._make = make

    def generate(self, request: ii.QuestionRequest) -> Iterable[ii.Question]:
        return self._make(request)


def _broken(request: ii.QuestionRequest) -> Iterable[ii.Question]:
    raise RuntimeError("the model is offline")


def _lazy_broken(request: ii.QuestionRequest) -> Iterable[ii.Question]:
    yield q("What do you value?")
    raise ConnectionError("lost half way")


class _Plugin:
    def __init__(self, generators: Sequence[ii.QuestionGenerator]) -> None:
        self.generators = generators

    @hookimpl
    def register_question_generators(self) -> Sequence[ii.QuestionGenerator]:
        return self.generators


class _EchoRenderer(ii.Renderer):
    def __init__(self, format: str) -> None:
        self.format = format
        self.calls: list[tuple[str, Mapping[str, Any]]] = []

    def render(
        self, template: str, context: Mapping[str, Any], packs: Sequence[ii.TemplatePack]
    ) -> str:
        self.calls.append((template, context))
        pack = next(p for p in reversed(packs) if template in p.templates)
        agenda = context["agenda"]
        lines = [pack.templates[template]]
        lines += [f"{i['clock']} {i['title']}" for i in agenda["run_sheet"]]
        return "\n".join(lines)


class _RenderPlugin:
    def __init__(self, renderer: ii.Renderer) -> None:
        self.renderer = renderer

    @hookimpl
    def register_renderers(self) -> Sequence[ii.Renderer]:
        return [self.renderer]

    @hookimpl
    def register_template_packs(self) -> Sequence[ii.TemplatePack]:
        return [ii.TemplatePack(name="test", templates={"agenda.text": "RUN SHEET"})]


def _workspace(*plugins: object) -> ii.Workspace:
    pm = load_plugin_manager(entry_points=False, blocked=())
    for plugin in plugins:
        pm.register(plugin)
    return ii.open_workspace("memory://", owner="merge-tests", plugin_manager=pm)


def test_a_generator_that_raises_is_named_and_the_others_still_contribute():
    """Failures come back by generator name; the working generators' questions are merged."""
    good = _Gen("good", lambda r: [q("What changed this year?"), q("What changed this year")])
    other = _Gen("other", lambda r: [q("Who else should I talk to?", goals={"new_contacts"})])
    plugin = _Plugin([_Gen("broken", _broken), good, _Gen("lazy", _lazy_broken), other])
    with _workspace(plugin) as ws:
        questions, failures = ws.candidate_questions(None, ["new_contacts"])
    assert failures == {
        "broken": "RuntimeError: the model is offline",
        "lazy": "ConnectionError: lost half way",
    }
    assert [x.text for x in questions] == ["What changed this year?", "Who else should I talk to?"]
    assert [x.source for x in questions] == ["good", "other"]


def test_a_generator_yielding_junk_is_reported_and_sources_are_its_name():
    """A non-Question item fails its generator; a question's source becomes the generator name."""
    junk = _Gen("junk", lambda r: [q("What is fine?"), "not a question"])
    named = _Gen("named", lambda r: [q("What is the hardest part?", source="whatever")])
    with _workspace(_Plugin([junk, named])) as ws:
        questions, failures = ws.candidate_questions(None, [])
    assert failures == {"junk": "TypeError: item #1 is a str, not a Question"}
    assert [(x.text, x.source) for x in questions] == [("What is the hardest part?", "named")]


def test_plan_interview_reports_failures_and_prefers_the_seekers_own_wording():
    """The plan names failed generators; the seeker's wording beats a generator's near-duplicate."""
    theirs = q("What does a typical day look like for you?", goals={"role"}, priority=90)
    gen = _Gen("bank", lambda r: [theirs])
    with _workspace(_Plugin([gen, _Gen("broken", _broken)])) as ws:
        contact = ws.add_contact(ii.Contact(name="Ada Example", role="analyst"))
        mine = q("What does your typical day look like?", goals={"role"})
        interview, plan = ws.plan_interview(contact.id, at=AT, goals=["role"], questions=[mine])
    assert plan.generator_failures == (("broken", "RuntimeError: the model is offline"),)
    assert interview.agenda == (mine,)
    assert plan.uncovered_goals == ()


def test_render_agenda_uses_the_format_renderer_and_the_packs():
    """The run sheet renders through the renderer for the format with the agenda context."""
    renderer = _EchoRenderer("text")
    gen = _Gen("bank", lambda r: [q("What is your path?", goals={"insight"}, minutes=2)])
    with _workspace(_Plugin([gen]), _RenderPlugin(renderer)) as ws:
        contact = ws.add_contact(ii.Contact(name="Ada Example"))
        interview, plan = ws.plan_interview(contact.id, at=AT, goals=["insight"])
        sheet = ws.render_agenda(interview.id)
        with_plan = ws.render_agenda(interview.id, plan=plan)
        with pytest.raises(ii.PluginError, match="no renderer for format 'html'"):
            ws.render_agenda(interview.id, format="html")
    assert sheet.splitlines() == [
        "RUN SHEET",
        "00:00 Opening",
        "03:00 What is your path?",
        "22:00 Time check",
        "22:00 Close",
        "25:00 Agreed end",
    ]
    assert with_plan == sheet
    template, context = renderer.calls[0]
    assert template == "agenda.text"
    assert context["agenda"]["goals"] == [
        {"key": "insight", "title": "Gain insight and expertise", "covered": True}
    ]
    assert context["contact"]["name"] == "Ada Example"


def test_render_agenda_without_a_template_names_the_packs():
    """A renderer without an agenda template gives NotFoundError listing the packs."""

    class _Bare(_RenderPlugin):
        @hookimpl
        def register_template_packs(self) -> Sequence[ii.TemplatePack]:
            return [ii.TemplatePack(name="empty", templates={})]

    with _workspace(_Bare(_EchoRenderer("markdown"))) as ws:
        contact = ws.add_contact(ii.Contact(name="Ada Example"))
        interview, _ = ws.plan_interview(contact.id, at=AT, goals=["insight"])
        with pytest.raises(ii.NotFoundError, match=r"agenda\.markdown.*empty"):
            ws.render_agenda(interview.id, format="markdown")
