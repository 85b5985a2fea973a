"""The default pack: registered through the hooks, covering every kind and channel, and
passing the method's own checks with realistic data."""

from __future__ import annotations

import re
from datetime import timedelta

import infointerview_messages.plugin as plugin
import pytest
from infointerview_messages import ASK_KINDS, KINDS, default_checks, default_pack

from infointerview import Channel, SeekerProfile, Severity

CASES = [(kind, channel) for kind, mk in KINDS.items() for channel in mk.channels]


def _contact_for(world, kind: str) -> str:
    return {"ask_affiliation": world.cat.id, "ask_cold": world.dan.id}.get(kind, world.ann.id)


def test_hooks_register_renderers_pack_and_checks() -> None:
    """The three hooks return the three formats, the pack 'messages' and every check."""
    assert sorted(r.format for r in plugin.register_renderers()) == ["html", "markdown", "text"]
    assert [p.name for p in plugin.register_template_packs()] == ["messages"]
    names = [c.name for c in plugin.register_message_checks()]
    assert names == [c.name for c in default_checks()]
    assert len(set(names)) == len(names)


def test_workspace_sees_the_plugin(open_ws) -> None:
    """A workspace lists the renderers, the pack and the checks by name."""
    ws = open_ws()
    assert set(ws.renderers()) >= {"text", "markdown", "html"}
    assert "messages" in [p.name for p in ws.template_packs()]
    assert {"word_limit", "linkedin_note_length", "thank_you_timely"} <= set(ws.message_checks())


def test_pack_covers_exactly_the_catalog() -> None:
    """Every kind and channel in KINDS has a template, and the pack holds nothing else."""
    templates = set(default_pack().templates)
    bodies = {f"{kind}.{channel.value}" for kind, channel in CASES}
    subjects = {f"{kind}.email.subject" for kind, ch in CASES if ch is Channel.EMAIL}
    assert templates == bodies | subjects


def test_catalog_uses_the_kind_names_the_core_uses() -> None:
    """The kinds the follow-up reminders and the CLI name are all in the catalog."""
    for kind in ("ask_cold", "follow_up", "thank_you", "keep_in_touch_update", *ASK_KINDS):
        assert kind in KINDS
    assert set(KINDS["elevator_pitch"].channels) == {Channel.PHONE, Channel.IN_PERSON}
    assert KINDS["thank_you_note"].channels == (Channel.CARD,)
    for kind in ASK_KINDS:
        assert set(KINDS[kind].channels) == {
            Channel.EMAIL,
            Channel.LINKEDIN_MESSAGE,
            Channel.LINKEDIN_NOTE,
            Channel.PHONE,
        }


@pytest.mark.parametrize(("kind", "channel"), CASES)
@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_template_follows_the_method(world, kind: str, channel: Channel, fmt: str) -> None:
    """Each default template renders and no check finds anything to warn about."""
    message = world.workspace.draft(
        kind,
        channel,
        _contact_for(world, kind),
        now=world.met + timedelta(hours=3),
        format=fmt,
        extra=world.extra,
        save=False,
    )
    assert message.body.strip()
    assert message.kind == kind
    serious = [f for f in message.findings if f.severity is not Severity.INFO]
    assert serious == [], [f.explanation for f in serious]
    if channel is Channel.EMAIL:
        assert message.subject


@pytest.mark.parametrize("kind", ASK_KINDS)
@pytest.mark.parametrize("channel", ["email", "linkedin_message", "linkedin_note", "phone"])
def test_asks_state_advice_not_a_job_and_twenty_to_thirty_minutes(
    world, kind: str, channel: str
) -> None:
    """Every ask says it is for advice, not a job, and asks for 20 (to 30) minutes."""
    body = world.workspace.draft(
        kind, channel, _contact_for(world, kind), now=world.now, save=False
    ).body
    assert re.search(r"not (?:a|for a|calling about a) job", body)
    assert re.search(r"\b20 (?:to 30 )?minutes\b", body)


def test_referred_and_affiliation_asks_name_the_connection(world) -> None:
    """The referrer's name and the shared affiliation appear in their asks."""
    ws = world.workspace
    for channel in ("email", "linkedin_message", "linkedin_note", "phone"):
        referred = ws.draft("ask_referred", channel, world.ann.id, now=world.now, save=False)
        assert "Bob Lee" in referred.body
        shared = ws.draft("ask_affiliation", channel, world.cat.id, now=world.now, save=False)
        assert "the Leeds physics alumni network" in shared.body


def test_thank_you_names_the_insights_and_referrals(world) -> None:
    """The thank-you quotes the recorded insights, the promise and the referral gained."""
    body = world.workspace.draft(
        "thank_you", "email", world.ann.id, now=world.met + timedelta(hours=2), save=False
    ).body
    assert "long-duration storage is where the growth is" in body
    assert "learn power-systems modelling first" in body
    assert "send you the report I mentioned" in body
    assert "Eve Park" in body


@pytest.mark.parametrize(("kind", "channel"), CASES)
def test_templates_cope_with_an_empty_profile(world, kind: str, channel: Channel) -> None:
    """With no profile details the templates still render, without empty slots."""
    world.workspace.set_profile(SeekerProfile(name="Sam"))
    body = world.workspace.draft(
        kind, channel, _contact_for(world, kind), now=world.now, extra=world.extra, save=False
    ).body
    assert body.strip()
    for line in body.splitlines():
        assert "  " not in line and " ," not in line and " ." not in line, line
