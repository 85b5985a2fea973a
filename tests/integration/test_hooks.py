"""Each hook of the plugin contract, exercised through the public Workspace API.

tests/test_hooks_documented.py requires a test named after every hook: the
tests here are ``test_<hook name>_...``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import pytest

from infointerview import (
    CheckContext,
    Contact,
    Exporter,
    Finding,
    Importer,
    ImportResult,
    Message,
    MessageCheck,
    PluginError,
    Question,
    QuestionGenerator,
    QuestionRequest,
    Renderer,
    StoreFactory,
    TemplatePack,
    Workspace,
    hookimpl,
)
from infointerview.default_plugins.memory_store import MemoryStore

OpenWorkspace = Callable[..., Workspace]


def _source(template: str, packs: Sequence[TemplatePack]) -> str:
    """The template's source from the last pack that defines it."""
    return next(p.templates[template] for p in reversed(packs) if template in p.templates)


class ShoutRenderer(Renderer):
    """Fills ``{name}`` with the contact's first name and shouts the result."""

    format = "shout"

    def render(
        self, template: str, context: Mapping[str, Any], packs: Sequence[TemplatePack]
    ) -> str:
        """Render by plain substitution."""
        contact = context.get("contact") or {}
        return _source(template, packs).replace("{name}", contact.get("first_name", "")).upper()


class ShoutPlugin:
    """Registers the renderer and one template pack."""

    @hookimpl
    def register_renderers(self) -> list[Renderer]:
        """The ``shout`` format."""
        return [ShoutRenderer()]

    @hookimpl
    def register_template_packs(self) -> list[TemplatePack]:
        """A thank-you for email, with a subject."""
        return [
            TemplatePack(
                name="shout-pack",
                templates={
                    "thank_you.email": "Thanks {name}, that helped.",
                    "thank_you.email.subject": "Thank you",
                },
            )
        ]


class SecondPackPlugin:
    """A later pack that overrides the thank-you body by name."""

    @hookimpl
    def register_template_packs(self) -> list[TemplatePack]:
        """The overriding pack."""
        return [TemplatePack(name="second-pack", templates={"thank_you.email": "Cheers {name}"})]


@pytest.fixture
def ada(infointerview_workspace: OpenWorkspace) -> Callable[..., tuple[Workspace, Contact]]:
    """Open a workspace with the given plugins and one contact, Ada."""

    def make(*plugins: object, **options: Any) -> tuple[Workspace, Contact]:
        workspace = infointerview_workspace(plugins=plugins, **options)
        contact = workspace.add_contact(
            Contact(name="Ada Lovelace", organisation="Engines Ltd", email="ada@example.org")
        )
        return workspace, contact

    return make


def test_register_stores_opens_a_workspace_by_url_scheme(
    infointerview_workspace: OpenWorkspace,
) -> None:
    """A registered scheme is opened with the full URL and the owner; unknown schemes are listed."""
    calls: list[tuple[str, str]] = []

    def open_vault(url: str, owner: str) -> MemoryStore:
        calls.append((url, owner))
        return MemoryStore(owner)

    class VaultPlugin:
        @hookimpl
        def register_stores(self) -> list[StoreFactory]:
            return [StoreFactory(scheme="Vault", open=open_vault)]

    workspace = infointerview_workspace("VAULT://shelf/7", plugins=(VaultPlugin(),), owner="sam")
    assert calls == [("VAULT://shelf/7", "sam")]
    assert workspace.owner == "sam"
    with pytest.raises(PluginError, match=r"'nowhere'.*known schemes: memory, vault"):
        infointerview_workspace("nowhere://x", plugins=(VaultPlugin(),))


def test_register_renderers_render_drafts_in_their_format(
    ada: Callable[..., tuple[Workspace, Contact]], infointerview_now: datetime
) -> None:
    """A registered renderer renders body and subject; an unknown format lists the known ones."""
    workspace, contact = ada(ShoutPlugin())
    message = workspace.draft(
        "thank_you", "email", contact.id, now=infointerview_now, format="shout"
    )
    assert (message.body, message.subject) == ("THANKS ADA, THAT HELPED.", "THANK YOU")
    assert message.recipients == ("ada@example.org",)
    assert workspace.messages(contact.id) == [message]
    with pytest.raises(PluginError, match="known formats: shout"):
        workspace.draft("thank_you", "email", contact.id, now=infointerview_now, format="pdf")


def test_register_template_packs_later_packs_override_by_name(
    ada: Callable[..., tuple[Workspace, Contact]], infointerview_now: datetime
) -> None:
    """Packs come in registration order, then the user's; the last definition of a name wins."""
    workspace, contact = ada(ShoutPlugin(), SecondPackPlugin())
    assert [p.name for p in workspace.template_packs()] == ["shout-pack", "second-pack"]
    body = workspace.draft("thank_you", "email", contact.id, now=infointerview_now, format="shout")
    assert body.body == "CHEERS ADA"
    mine = TemplatePack(name="mine", templates={"thank_you.email": "Merci {name}"})
    workspace, contact = ada(ShoutPlugin(), SecondPackPlugin(), templates=[mine])
    assert [p.name for p in workspace.template_packs()][-1] == "mine"
    draft = workspace.draft("thank_you", "email", contact.id, now=infointerview_now, format="shout")
    assert draft.body == "MERCI ADA"


def test_register_question_generators_feed_candidate_questions(
    ada: Callable[..., tuple[Workspace, Contact]],
) -> None:
    """Generators see the request; their questions are merged; a failing one is named."""
    seen: list[QuestionRequest] = []

    class Tailored(QuestionGenerator):
        name = "tailored"

        def generate(self, request: QuestionRequest) -> Iterable[Question]:
            seen.append(request)
            return [
                Question(
                    text="What does a typical week look like in your team?",
                    category="insights",
                    goals={"role"},
                    source=self.name,
                )
            ]

    class Broken(QuestionGenerator):
        name = "broken"

        def generate(self, request: QuestionRequest) -> Iterable[Question]:
            raise RuntimeError("model unavailable")

    class GeneratorPlugin:
        @hookimpl
        def register_question_generators(self) -> list[QuestionGenerator]:
            return [Broken(), Tailored()]

    workspace, contact = ada(GeneratorPlugin())
    questions, failures = workspace.candidate_questions(contact.id, ["role", "entry"], minutes=20)
    by_text = {q.text: q for q in questions}
    assert by_text["What does a typical week look like in your team?"].source == "tailored"
    assert failures == {"broken": "RuntimeError: model unavailable"}
    (request,) = seen
    assert [g.key for g in request.goals] == ["role", "entry"]
    assert request.contact == contact
    assert request.minutes == 20


def test_register_message_checks_run_on_every_draft(
    ada: Callable[..., tuple[Workspace, Contact]], infointerview_now: datetime
) -> None:
    """Checks add findings, can be switched off by name, and a crashing check becomes an error."""

    class Exclaims(MessageCheck):
        name = "exclaims"

        def check(self, message: Message, context: CheckContext) -> Iterable[Finding]:
            assert context.now == infointerview_now
            if "!" not in message.body:
                yield Finding(check=self.name, severity="warning", explanation="no enthusiasm")

    class Crashes(MessageCheck):
        name = "crashes"

        def check(self, message: Message, context: CheckContext) -> Iterable[Finding]:
            raise ValueError("oops")

    class CheckPlugin:
        @hookimpl
        def register_message_checks(self) -> list[MessageCheck]:
            return [Exclaims(), Crashes()]

    workspace, contact = ada(ShoutPlugin(), CheckPlugin())
    message = workspace.draft(
        "thank_you", "email", contact.id, now=infointerview_now, format="shout"
    )
    by_check = {f.check: f for f in message.findings}
    assert by_check["exclaims"].severity == "warning"
    assert by_check["crashes"].severity == "error"
    assert "ValueError" in by_check["crashes"].explanation
    assert not message.ok
    quiet, contact = ada(ShoutPlugin(), CheckPlugin(), disabled_checks=["crashes"])
    message = quiet.draft("thank_you", "email", contact.id, now=infointerview_now, format="shout")
    assert [f.check for f in message.findings] == ["exclaims"]
    assert message.ok


class LinesImporter(Importer):
    """One contact name a line; a blank line is a rejected row."""

    name = "fake-lines"
    suffixes = (".lines",)

    def parse(self, data: bytes) -> ImportResult:
        """Read names, refusing blank lines."""
        contacts, rejected = [], []
        for number, line in enumerate(data.decode().splitlines(), start=1):
            if line.strip():
                contacts.append(Contact(name=line.strip()))
            else:
                rejected.append((number, "blank line"))
        return ImportResult(contacts=tuple(contacts), rejected=tuple(rejected))


def test_register_importers_are_offered_by_name(infointerview_workspace: OpenWorkspace) -> None:
    """A registered importer is listed by name and feeds ``import_contacts``."""

    class ImporterPlugin:
        @hookimpl
        def register_importers(self) -> list[Importer]:
            return [LinesImporter()]

    workspace = infointerview_workspace(plugins=(ImporterPlugin(),))
    assert isinstance(workspace.importers()["fake-lines"], LinesImporter)
    result = workspace.import_contacts(b"Grace Hopper\nAlan Turing\n", format="fake-lines")
    assert [c.name for c in result.contacts] == ["Grace Hopper", "Alan Turing"]
    assert [c.name for c in workspace.contacts()] == ["Alan Turing", "Grace Hopper"]


def test_register_exporters_write_through_the_workspace(
    ada: Callable[..., tuple[Workspace, Contact]], infointerview_now: datetime
) -> None:
    """A registered exporter is listed by name and reads the workspace it is given."""

    class CountExporter(Exporter):
        name = "fake-count"
        media_type = "text/plain"

        def export(self, workspace: Workspace, *, now: datetime) -> bytes:
            return f"{len(workspace.contacts())} contacts at {now:%Y-%m-%d}".encode()

    class ExporterPlugin:
        @hookimpl
        def register_exporters(self) -> list[Exporter]:
            return [CountExporter()]

    workspace, _contact = ada(ExporterPlugin())
    exporter = workspace.exporters()["fake-count"]
    assert exporter.export(workspace, now=infointerview_now) == b"1 contacts at 2024-03-04"


def test_register_template_packs_priority_beats_registration_order() -> None:
    """A base-priority pack registered last is still overridden by a normal pack."""
    import infointerview as ii
    from infointerview.plugins import load_plugin_manager
    from infointerview.ports import BASE_PACK_PRIORITY

    class Overrider:
        @ii.hookimpl
        def register_template_packs(self) -> list[ii.TemplatePack]:
            return [ii.TemplatePack(name="mine", templates={"greet.email": "mine"})]

    class Base:
        @ii.hookimpl
        def register_template_packs(self) -> list[ii.TemplatePack]:
            return [
                ii.TemplatePack(
                    name="base", templates={"greet.email": "base"}, priority=BASE_PACK_PRIORITY
                )
            ]

    pm = load_plugin_manager(entry_points=False)
    pm.register(Overrider(), name="overrider")
    pm.register(Base(), name="base")
    with ii.open_workspace("memory://", owner="sam", plugin_manager=pm) as ws:
        names = [pack.name for pack in ws.template_packs()]
    assert names.index("base") < names.index("mine")
