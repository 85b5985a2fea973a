"""Arbitrary contact data (unicode, right-to-left, emoji, quotes, HTML, template syntax)
renders as data: never evaluated, always escaped in HTML, never a new email header."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from html.parser import HTMLParser

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from infointerview_messages import (
    KINDS,
    HtmlRenderer,
    MarkdownRenderer,
    TextRenderer,
    default_pack,
    markdown_escape,
)

from infointerview import Channel, Contact, InvalidInputError, RenderError, to_eml
from infointerview.testing.strategies import contacts, names, personal_text

TOKEN_NAME = "\U000f0001NAME\U000f0001"
TOKEN_ORG = "\U000f0002ORG\U000f0002"
TEMPLATES = sorted(default_pack().templates)
PACKS = [default_pack()]


def _context(first_name: str, organisation: str) -> dict[str, object]:
    person = {
        "name": f"{first_name} Lee",
        "first_name": first_name,
        "organisation": organisation,
        "role": "engineer",
        "affiliation": "the Leeds alumni network",
        "field": "energy",
        "source": "event",
        "email": "",
        "phone": "",
        "linkedin_url": "",
        "tags": [],
    }
    return {
        "seeker": {
            "name": "Sam Rivera",
            "first_name": "Sam",
            "email": "",
            "phone": "",
            "background": "a physics graduate",
            "field": "energy",
            "target": "storage",
            "pitch": "",
            "affiliations": [],
        },
        "contact": person,
        "referrer": {**person, "name": "Bob Lee", "first_name": "Bob"},
        "connection": {"kind": "referral", "referrer": "Bob Lee", "affiliation": ""},
        "interview": {
            "weekday": "Thursday",
            "promised_followups": [],
            "referrals": [{"name": "Eve Park"}],
        },
        "goals": [],
        "notes": ["storage is growing"],
        "extra": {
            "person": "Eve Park",
            "article_title": "A title",
            "progress": "I took a course",
            "event": "a summit",
        },
    }


text_values = personal_text(min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(first_name=text_values, organisation=text_values, template=st.sampled_from(TEMPLATES))
def test_text_inserts_data_verbatim(first_name: str, organisation: str, template: str) -> None:
    """Plain text: rendering with any data equals rendering with placeholders and putting
    the data in their place, so nothing in the data is ever evaluated."""
    assume(TOKEN_NAME not in first_name + organisation and TOKEN_ORG not in first_name)
    renderer = TextRenderer()
    shape = renderer.render(template, _context(TOKEN_NAME, TOKEN_ORG), PACKS)
    filled = renderer.render(template, _context(first_name, organisation), PACKS)
    expected = shape.replace(TOKEN_NAME, first_name).replace(TOKEN_ORG, organisation)
    assert filled == expected.strip()


@settings(max_examples=60, deadline=None)
@given(first_name=text_values, organisation=text_values, template=st.sampled_from(TEMPLATES))
def test_markdown_escapes_data(first_name: str, organisation: str, template: str) -> None:
    """Markdown: the data appears escaped, exactly where the placeholders were."""
    assume(TOKEN_NAME not in first_name + organisation and TOKEN_ORG not in first_name)
    renderer = MarkdownRenderer()
    shape = renderer.render(template, _context(TOKEN_NAME, TOKEN_ORG), PACKS)
    filled = renderer.render(template, _context(first_name, organisation), PACKS)
    expected = shape.replace(TOKEN_NAME, markdown_escape(first_name)).replace(
        TOKEN_ORG, markdown_escape(organisation)
    )
    assert filled == expected.strip()


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.tags.add(tag)
        self.text.append(" ")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _words(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=60, deadline=None)
@given(first_name=text_values, organisation=text_values, template=st.sampled_from(TEMPLATES))
def test_html_escapes_data(first_name: str, organisation: str, template: str) -> None:
    """HTML: whatever the data, the only tags are the renderer's <p> and <br>, and a
    browser shows the data as written."""
    html = HtmlRenderer().render(template, _context(first_name, organisation), PACKS)
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert reader.tags <= {"p", "br"}
    shown = _words("".join(reader.text))
    if template.endswith("subject"):
        return
    if "{{ contact.first_name }}" in default_pack().templates[template]:
        assert _words(first_name) in shown


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    contact=contacts(ids=st.uuids().map(lambda u: u.hex)),
    referrer_name=names(),
    kind=st.sampled_from(["ask", "follow_up", "thank_you"]),
)
def test_drafts_and_emails_never_carry_injected_headers(
    open_ws, contact: Contact, referrer_name: str, kind: str
) -> None:
    """Through the workspace: an arbitrary contact's draft either renders (text as data,
    a one-line subject, an email with only its own headers) or is refused with a
    RenderError because a value would break the subject line."""
    ws = open_ws()
    referrer = ws.add_contact(Contact(name=referrer_name, id=f"r{contact.id}"))
    stored = ws.add_contact(attrs.evolve(contact, referrer_id=referrer.id, email=""))
    try:
        message = ws.draft(kind, "email", stored.id, now=_NOW, save=False)
    except RenderError as exc:
        assert "line" in str(exc)
        return
    assert "\n" not in message.subject and "\r" not in message.subject
    assert stored.first_name in message.body
    try:
        data = to_eml(message, sender="sam@example.org", recipients=["to@example.org"])
    except InvalidInputError:
        return
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert {name.lower() for name in parsed} == {
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
    }
    assert "".join(parsed["Subject"].split()) == "".join(message.subject.split())


_NOW = datetime(2024, 3, 4, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "channel"), [(k, c) for k, m in KINDS.items() for c in m.channels]
)
def test_template_syntax_in_every_field_stays_literal(world, kind: str, channel: Channel) -> None:
    """A seeker and contact whose fields hold template code get it printed, not run:
    wherever a plain marker would appear, the code appears unchanged."""
    ws = world.workspace
    ann = ws.contact(world.ann.id)

    def draft_with(value: str) -> str:
        ws.set_profile(attrs.evolve(world.profile, background=value, field=value, target=value))
        current = ws.contact(ann.id)
        ws.update_contact(attrs.evolve(current, organisation=value, role=value))
        return ws.draft(kind, channel, ann.id, now=world.met, extra=world.extra, save=False).body

    marked = draft_with("MARKER")
    code = "{{ 7*7 }}{% if true %}X{% endif %}"
    body = draft_with(code)
    assert "49" not in body
    assert body.count(code) == marked.count("MARKER")
    assert body.replace(code, "MARKER") == marked
