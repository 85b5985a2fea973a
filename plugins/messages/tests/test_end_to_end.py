"""End to end through infointerview.open_workspace with the installed plugin: asks,
follow-ups, thank-yous, user templates, switching checks off, and a check from a plugin."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import infointerview_messages.plugin
import pytest
from infointerview_messages import load_template_dir, pack_from_strings

import infointerview
from infointerview import (
    CheckContext,
    Contact,
    Finding,
    InvalidInputError,
    JobRequestGoalError,
    Message,
    MessageCheck,
    NotFoundError,
    RenderError,
    SeekerProfile,
    Severity,
    TemplatePack,
)

NOW = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
PROFILE = SeekerProfile(
    name="Sam Rivera",
    email="sam@example.org",
    background="a physics graduate",
    field="renewable energy",
    target="grid-scale storage",
)


def _open(**options):  # type: ignore[no-untyped-def]
    ws = infointerview.open_workspace("memory://", owner="sam", **options)
    ws.set_profile(PROFILE)
    return ws


def _cast(ws):  # type: ignore[no-untyped-def]
    bob = ws.add_contact(Contact(name="Bob Lee"))
    ann = ws.add_contact(
        Contact(name="Ann Okafor", organisation="GridCo", referrer_id=bob.id, email="ann@x.org")
    )
    cat = ws.add_contact(Contact(name="Cat Ng", affiliation="the Leeds physics society"))
    dan = ws.add_contact(Contact(name="Dan Roe", organisation="Sunny"))
    return bob, ann, cat, dan


def test_the_plugin_is_discovered_through_its_entry_point() -> None:
    """open_workspace finds the renderers, the pack and the checks without being told."""
    with _open() as ws:
        assert {"text", "markdown", "html"} <= set(ws.renderers())
        assert "messages" in [p.name for p in ws.template_packs()]
        assert "no_job_request" in ws.message_checks()


def test_a_whole_relationship_in_messages() -> None:
    """Ask (variant chosen from the data), nudge, thank within a day citing notes, keep in
    touch; every draft is kept and checked, and the thank-you becomes an .eml file."""
    with _open() as ws:
        _bob, ann, cat, dan = _cast(ws)
        asks = {c.id: ws.draft("ask", "email", c.id, now=NOW) for c in (ann, cat, dan)}
        assert [asks[c.id].kind for c in (ann, cat, dan)] == [
            "ask_referred",
            "ask_affiliation",
            "ask_cold",
        ]
        assert all(m.findings == () for m in asks.values())
        assert asks[ann.id].recipients == ("ann@x.org",)
        ws.log(ann.id, "asked", at=NOW, channel="email")

        nudge = ws.draft("follow_up", "linkedin_message", ann.id, now=NOW + timedelta(days=9))
        assert "Bob Lee" in nudge.body and nudge.findings == ()
        ws.log(ann.id, "accepted", at=NOW + timedelta(days=10))
        met = NOW + timedelta(days=12)
        ws.log(ann.id, "scheduled", at=NOW + timedelta(days=10), scheduled_for=met)
        interview, _ = ws.plan_interview(ann.id, at=met, goals=["entry", "new_contacts"])
        ws.record_interview(
            interview.id,
            held_at=met + timedelta(minutes=25),
            insights=["start with a modelling course", "utilities hire through graduate schemes"],
            referrals=[Contact(name="Eve Park")],
        )

        thanks = ws.draft("thank_you", "email", ann.id, now=met + timedelta(hours=5))
        assert thanks.findings == ()
        assert "start with a modelling course" in thanks.body
        card = ws.draft("thank_you_note", "card", ann.id, now=met + timedelta(days=1))
        assert card.findings == ()
        intro = ws.draft("ask_introduction", "email", ann.id, now=met + timedelta(days=2))
        assert "Eve Park" in intro.body
        update = ws.draft(
            "keep_in_touch_update",
            "email",
            ann.id,
            now=met + timedelta(days=40),
            extra={"progress": "I started the modelling course"},
        )
        assert "I started the modelling course" in update.body

        kept = ws.messages(ann.id)
        assert [m.kind for m in kept] == [
            "ask_referred",
            "follow_up",
            "thank_you",
            "thank_you_note",
            "ask_introduction",
            "keep_in_touch_update",
        ]
        eml = infointerview.to_eml(thanks, sender="Sam Rivera <sam@example.org>")
        parsed = email.message_from_bytes(eml, policy=email.policy.default)
        assert parsed["To"] == "ann@x.org"
        assert parsed["Subject"] == thanks.subject


def test_a_late_vague_thank_you_is_flagged() -> None:
    """Two days late and without the interview's insights: both thank-you checks speak."""
    with _open() as ws:
        _bob, ann, _cat, _dan = _cast(ws)
        ws.log(ann.id, "asked", at=NOW)
        ws.log(ann.id, "scheduled", at=NOW, scheduled_for=NOW + timedelta(days=1))
        interview, _ = ws.plan_interview(ann.id, at=NOW + timedelta(days=1), goals=["insight"])
        ws.record_interview(interview.id, held_at=NOW + timedelta(days=1))
        late = ws.draft("thank_you", "email", ann.id, now=NOW + timedelta(days=3), save=False)
        assert {f.check for f in late.findings} == {"thank_you_timely", "thank_you_specific"}
        assert late.ok  # warnings, not errors


def test_user_templates_override_and_the_checks_still_apply(tmp_path: Path) -> None:
    """A directory of the user's templates replaces the default by name; a job request
    in it is an error finding, and the draft is not ok."""
    (tmp_path / "ask_cold.email.j2").write_text(
        "Hi {{ contact.first_name }}, are you hiring? I have attached my CV. {{ seeker.name }}",
        encoding="utf-8",
    )
    with _open(templates=[load_template_dir(tmp_path)]) as ws:
        dan = ws.add_contact(Contact(name="Dan Roe"))
        message = ws.draft("ask_cold", "email", dan.id, now=NOW, save=False)
        assert message.body == "Hi Dan, are you hiring? I have attached my CV. Sam Rivera"
        checks = {f.check: f.severity for f in message.findings}
        assert checks["no_job_request"] is Severity.ERROR
        assert checks["no_attachment"] is Severity.WARNING
        assert checks["explicit_ask"] is Severity.WARNING
        assert not message.ok
        # the default subject template still applies: only the body was overridden
        assert message.subject.startswith("Your advice on renewable energy")


def test_checks_can_be_switched_off_and_configured() -> None:
    """disabled_checks silences a check by name; check_options set presets and limits."""
    long_ask = "Hi {{ contact.first_name }}. " + "word " * 80 + "Would you have 20 minutes?"
    pack = pack_from_strings({"ask_cold.email": long_ask, "ask_cold.email.subject": "Hi"})
    with _open(templates=[pack]) as ws:
        dan = ws.add_contact(Contact(name="Dan Roe"))
        default = ws.draft("ask_cold", "email", dan.id, now=NOW, save=False)
        assert "word_limit" not in {f.check for f in default.findings}  # 84 <= 100
    with _open(templates=[pack], check_options={"word_limit": {"preset": "6-point"}}) as ws:
        dan = ws.add_contact(Contact(name="Dan Roe"))
        strict = ws.draft("ask_cold", "email", dan.id, now=NOW, save=False)
        assert "word_limit" in {f.check for f in strict.findings}
    with _open(
        templates=[pack],
        check_options={"word_limit": {"preset": "6-point"}},
        disabled_checks=["word_limit"],
    ) as ws:
        dan = ws.add_contact(Contact(name="Dan Roe"))
        off = ws.draft("ask_cold", "email", dan.id, now=NOW, save=False)
        assert "word_limit" not in {f.check for f in off.findings}


def test_a_bad_check_option_is_an_error_naming_it() -> None:
    """A misspelt option fails the draft with the check's name and its real options."""
    with _open(check_options={"linkedin_note_length": {"max_char": 200}}) as ws:
        _bob, ann, _cat, _dan = _cast(ws)
        with pytest.raises(InvalidInputError, match="has no option 'max_char'"):
            ws.draft("ask", "linkedin_note", ann.id, now=NOW)


def test_html_drafts_escape_contact_data() -> None:
    """A contact whose name is HTML appears escaped in an HTML draft."""
    with _open() as ws:
        evil = ws.add_contact(Contact(name="<script>alert(1)</script> Lee", organisation="A&B"))
        message = ws.draft("ask_cold", "email", evil.id, now=NOW, format="html", save=False)
        assert "<script>" not in message.body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in message.body
        assert "A&amp;B" in message.body


def test_header_injection_through_contact_data_is_refused() -> None:
    """A referrer name with a line break cannot reach the subject: the draft is refused."""
    with _open() as ws:
        bob = ws.add_contact(Contact(name="Bob\r\nBcc: everyone@example.org"))
        ann = ws.add_contact(Contact(name="Ann", referrer_id=bob.id))
        with pytest.raises(RenderError, match=r"single line|line break"):
            ws.draft("ask", "email", ann.id, now=NOW)
        assert ws.messages(ann.id) == []


def test_drafting_errors_say_what_to_do() -> None:
    """Unknown channel for a kind, 'ask' without a contact, another contact's interview
    and a kind that asks for a job are each refused with a clear error."""
    with _open() as ws:
        _bob, ann, _cat, dan = _cast(ws)
        with pytest.raises(NotFoundError, match="kind 'thank_you_note' has templates for: card"):
            ws.draft("thank_you_note", "email", ann.id, now=NOW)
        with pytest.raises(NotFoundError, match="no pack has any template for kind 'haiku'"):
            ws.draft("haiku", "email", ann.id, now=NOW)
        with pytest.raises(InvalidInputError, match="needs a contact_id"):
            ws.draft("ask", "email", now=NOW)
        ws.log(ann.id, "asked", at=NOW)
        ws.log(ann.id, "scheduled", at=NOW, scheduled_for=NOW + timedelta(days=1))
        interview, _ = ws.plan_interview(ann.id, at=NOW + timedelta(days=1), goals=["insight"])
        with pytest.raises(InvalidInputError, match="with another contact"):
            ws.draft("thank_you", "email", dan.id, now=NOW, interview_id=interview.id)
        with pytest.raises(JobRequestGoalError):
            ws.draft("get_a_job", "email", ann.id, now=NOW)
        with pytest.raises(RenderError, match=r"'extra.article_title' is undefined"):
            ws.draft("keep_in_touch_article", "email", ann.id, now=NOW)


class NoExclamations(MessageCheck):
    """The check written in the docs: at most one exclamation mark."""

    name = "no_exclamations"

    def check(self, message: Message, context: CheckContext) -> Iterable[Finding]:
        """One finding when the body shouts more than ``max`` times."""
        limit = context.options.get(self.name, {}).get("max", 1)
        if message.body.count("!") > limit:
            yield Finding(
                check=self.name,
                severity="info",
                explanation=f"more than {limit} exclamation mark(s) reads as shouting",
            )


class ShoutingPlugin:
    """A plugin adding a check and a pack that overrides one template by name."""

    @infointerview.hookimpl
    def register_message_checks(self) -> list[MessageCheck]:
        """The extra check."""
        return [NoExclamations()]

    @infointerview.hookimpl
    def register_template_packs(self) -> list[TemplatePack]:
        """A louder cold ask by email."""
        return [
            TemplatePack(
                "loud",
                {"ask_cold.email": "Hi {{ contact.first_name }}!! 20 minutes? Advice, not a job!"},
            )
        ]


def test_a_plugin_adds_a_check_and_a_pack(infointerview_workspace) -> None:
    """Another plugin's check runs beside ours and can be switched off; its pack
    overrides ours by name, and the user's templates override both."""
    plugins = (infointerview_messages.plugin, ShoutingPlugin())
    ws = infointerview_workspace(plugins=plugins)
    dan = ws.add_contact(Contact(name="Dan Roe"))
    loud = ws.draft("ask_cold", "email", dan.id, now=NOW, save=False)
    assert loud.body == "Hi Dan!! 20 minutes? Advice, not a job!"
    assert "no_exclamations" in {f.check for f in loud.findings}
    quiet = infointerview_workspace(plugins=plugins, disabled_checks=["no_exclamations"])
    dan = quiet.add_contact(Contact(name="Dan Roe"))
    assert "no_exclamations" not in {
        f.check for f in quiet.draft("ask_cold", "email", dan.id, now=NOW, save=False).findings
    }
    user = pack_from_strings({"ask_cold.email": "Dear {{ contact.first_name }}."})
    mine = infointerview_workspace(plugins=plugins, templates=[user])
    dan = mine.add_contact(Contact(name="Dan Roe"))
    assert mine.draft("ask_cold", "email", dan.id, now=NOW, save=False).body == "Dear Dan."
