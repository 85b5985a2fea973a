"""The workspace: the one object users call, wired to plugins in one place."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

import attrs
import pluggy

from infointerview.agenda import AgendaPlan, plan_agenda
from infointerview.analytics import Report, build_report
from infointerview.errors import (
    InfoInterviewError,
    InvalidInputError,
    NotFoundError,
    PluginError,
    RenderError,
)
from infointerview.followup import (
    LOSING_TOUCH_STAGES,
    FollowUpPolicy,
    LosingTouch,
    Reminder,
    ReminderReason,
    ask_kind,
    by_urgency,
    losing_touch,
    next_due,
    promise_anchor,
    reminders,
)
from infointerview.goals import GoalCatalog, check_not_a_job_request
from infointerview.model import (
    Channel,
    Contact,
    ContactSource,
    Event,
    EventKind,
    Finding,
    Goal,
    Interview,
    Medium,
    Message,
    Question,
    SeekerProfile,
)
from infointerview.ports import (
    CheckContext,
    ContactExport,
    Exporter,
    Importer,
    ImportResult,
    MessageCheck,
    QuestionGenerator,
    QuestionRequest,
    Relationship,
    Renderer,
    Store,
    StoreFactory,
    TemplatePack,
)
from infointerview.stages import RelationshipState, Stage, fold, step

__all__ = ["Workspace", "open_workspace"]

log = logging.getLogger(__name__)


def open_workspace(
    url: str = "memory://",
    *,
    owner: str,
    policy: FollowUpPolicy | None = None,
    templates: Sequence[TemplatePack] = (),
    disabled_checks: Iterable[str] = (),
    check_options: Mapping[str, Any] | None = None,
    plugin_manager: pluggy.PluginManager | None = None,
) -> Workspace:
    """Open the workspace of ``owner`` in the store named by ``url``.

    The URL's scheme (``memory``, ``sqlite``, ``postgresql``) picks the store
    among those the plugins register.
    """
    from infointerview.plugins import get_plugin_manager, registered

    if not isinstance(owner, str) or not owner.strip():
        raise InvalidInputError("open_workspace needs a non-empty owner (the seeker's id)")
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise InvalidInputError(
            f"store URL {url!r} has no scheme; use e.g. 'memory://' or 'sqlite:///path/to/file.db'"
        )
    pm = plugin_manager or get_plugin_manager()
    factories: dict[str, StoreFactory] = registered("register_stores", _scheme, pm)
    factory = factories.get(scheme.lower())
    if factory is None:
        raise PluginError(
            f"no store is registered for URL scheme {scheme!r}; known schemes: "
            f"{', '.join(sorted(factories)) or 'none'}. Install the plugin that provides it "
            "(e.g. infointerview-sqlite)"
        )
    store = factory.open(url, owner)
    return Workspace(
        store,
        policy=policy,
        plugin_manager=pm,
        templates=templates,
        disabled_checks=disabled_checks,
        check_options=check_options,
    )


def _aware(value: object, name: str) -> None:
    """Refuse anything but a timezone-aware datetime for the time argument ``name``."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidInputError(
            f"{name} must be a timezone-aware datetime (e.g. datetime(..., tzinfo=UTC)), "
            f"got {value!r}"
        )


def _stage(value: Stage | str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        raise InvalidInputError(
            f"{value!r} is not a stage; use one of: {', '.join(s.value for s in Stage)}"
        ) from None


def _scheme(factory: StoreFactory) -> str:
    return factory.scheme.lower()


def _name(thing: Any) -> str:
    return str(thing.name)


class Workspace:
    """One seeker's contacts, relationships, interviews and messages.

    Use :func:`open_workspace` rather than constructing it. Time is never
    read from the clock: methods that depend on it take ``now`` or ``at``.
    """

    def __init__(
        self,
        store: Store,
        *,
        policy: FollowUpPolicy | None = None,
        plugin_manager: pluggy.PluginManager | None = None,
        templates: Sequence[TemplatePack] = (),
        disabled_checks: Iterable[str] = (),
        check_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.store = store
        self.policy = policy or FollowUpPolicy()
        self._pm = plugin_manager
        self._user_templates = tuple(templates)
        self.disabled_checks = frozenset(disabled_checks)
        self.check_options: Mapping[str, Any] = dict(check_options or {})

    def __repr__(self) -> str:
        return f"<Workspace store={type(self.store).__name__}>"

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    @property
    def owner(self) -> str:
        """The seeker whose workspace this is."""
        return self.store.owner

    # -- plugins --------------------------------------------------------
    @property
    def plugin_manager(self) -> pluggy.PluginManager:
        """The plugin manager this workspace draws renderers, checks and generators from."""
        if self._pm is None:
            from infointerview.plugins import get_plugin_manager

            self._pm = get_plugin_manager()
        return self._pm

    def _registered(self, hook: str) -> dict[str, Any]:
        from infointerview.plugins import registered

        return registered(hook, _name, self.plugin_manager)

    def renderers(self) -> dict[str, Renderer]:
        """Renderers by format."""
        from infointerview.plugins import registered

        return registered("register_renderers", lambda r: str(r.format), self.plugin_manager)

    def template_packs(self) -> tuple[TemplatePack, ...]:
        """Plugin packs by ``priority`` (ties in registration order), then the user's.

        The last pack that defines a template wins.
        """
        packs: dict[str, TemplatePack] = self._registered("register_template_packs")
        by_priority = sorted(packs.values(), key=lambda pack: pack.priority)
        return (*by_priority, *self._user_templates)

    def question_generators(self) -> dict[str, QuestionGenerator]:
        """Question generators by name."""
        return self._registered("register_question_generators")

    def message_checks(self) -> dict[str, MessageCheck]:
        """Message checks by name, including switched-off ones."""
        return self._registered("register_message_checks")

    def importers(self) -> dict[str, Importer]:
        """Importers by name."""
        return self._registered("register_importers")

    def exporters(self) -> dict[str, Exporter]:
        """Exporters by name."""
        return self._registered("register_exporters")

    # -- the seeker -----------------------------------------------------
    @property
    def profile(self) -> SeekerProfile:
        """The seeker's profile."""
        return self.store.get_profile()

    def set_profile(self, profile: SeekerProfile) -> None:
        """Replace the seeker's profile."""
        self.store.save_profile(profile)

    def goals(self) -> GoalCatalog:
        """The 13 standard goals and this workspace's custom ones."""
        return GoalCatalog(self.store.list_goals())

    def add_goal(self, goal: Goal) -> Goal:
        """Add a custom goal (a job request is refused, with the reason)."""
        catalog = self.goals()
        catalog.add(goal)
        self.store.add_goal(goal)
        return goal

    # -- contacts -------------------------------------------------------
    def add_contact(self, contact: Contact) -> Contact:
        """Store a new contact; returns it with its stored version."""
        return self.add_contacts([contact])[0]

    def add_contacts(self, contacts: Iterable[Contact]) -> list[Contact]:
        """Store many contacts in one transaction: all of them or, on any error, none."""
        batch = list(contacts)
        ids = {c.id for c in batch}
        for index, contact in enumerate(batch):
            if contact.version != 0:
                raise InvalidInputError(
                    f"contact #{index} has version {contact.version}; new contacts have version 0"
                )
            if contact.referrer_id is not None and contact.referrer_id not in ids:
                self.contact(contact.referrer_id)
        added = self.store.add_contacts(batch)
        log.info("added %d contacts", len(added))
        return added

    def import_contacts(
        self,
        data: bytes,
        *,
        format: str | None = None,
        source: ContactSource | str | None = None,
        tags: Iterable[str] = (),
        all_or_nothing: bool = True,
        dry_run: bool = False,
    ) -> ImportResult:
        """Add the contacts of a file (LinkedIn CSV, Google CSV, vCard, ...) in one transaction.

        ``format`` names the importer (sniffed from ``data`` when ``None``);
        ``source`` and ``tags`` apply to every contact. A contact repeating an
        email or LinkedIn URL (stored, or earlier in the file) is left out and
        listed in ``skipped``. With ``all_or_nothing`` any rejected row raises
        :class:`InvalidInputError` listing the rows and nothing is stored;
        otherwise the good rows are stored and the others come back in
        ``rejected``. ``dry_run`` stores nothing and never raises for a row.
        Returns the stored contacts with the lines they came from.
        """
        from infointerview.default_plugins.importers import prepare_import, rejection_error

        name, result = prepare_import(
            data, self.importers(), stored=self.contacts(), format=format, source=source, tags=tags
        )
        if dry_run:
            return result
        if result.rejected and all_or_nothing:
            raise rejection_error(name, result.rejected)
        added = self.add_contacts(result.contacts) if result.contacts else []
        log.info(
            "imported %d contacts with %s (%d rejected, %d skipped)",
            len(added),
            name,
            len(result.rejected),
            len(result.skipped),
        )
        return attrs.evolve(result, contacts=tuple(added))

    def contact(self, contact_id: str) -> Contact:
        """One contact, or :class:`NotFoundError`."""
        return self.store.get_contact(contact_id)

    def contacts(
        self,
        *,
        stage: Stage | str | None = None,
        organisation: str | None = None,
        tag: str | None = None,
        referrer_id: str | None = None,
    ) -> list[Contact]:
        """Contacts matching every filter given, by name."""
        return self.store.list_contacts(
            stage=None if stage is None else _stage(stage),
            organisation=organisation,
            tag=tag,
            referrer_id=referrer_id,
        )

    def update_contact(self, contact: Contact) -> Contact:
        """Save a contact read earlier; a concurrent change raises :class:`ConflictError`."""
        if contact.referrer_id is not None:
            self.contact(contact.referrer_id)
        updated = self.store.update_contact(contact)
        self._refresh_due(updated)
        return updated

    def _refresh_due(self, contact: Contact) -> bool:
        """Store the contact's next due time if it changed; whether it did."""
        rel = self.store.get_relationship(contact.id)
        due = self._next_due(fold(rel.events), contact)
        if due == rel.next_due:
            return False
        self.store.set_next_due(contact.id, due)
        return True

    def referral_tree(self, root_id: str | None = None) -> dict[str | None, list[str]]:
        """Who referred whom: referrer id (``None`` for the roots) to referred ids."""
        tree: dict[str | None, list[str]] = {}
        for contact in self.contacts():
            tree.setdefault(contact.referrer_id, []).append(contact.id)
        if root_id is None:
            return tree
        sub: dict[str | None, list[str]] = {}
        pending = [root_id]
        while pending:
            current = pending.pop()
            children = tree.get(current, [])
            if children:
                sub[current] = children
                pending.extend(children)
        return sub

    # -- relationships --------------------------------------------------
    def relationship(self, contact_id: str) -> Relationship:
        """The contact's event log and stage."""
        return self.store.get_relationship(contact_id)

    def stage(self, contact_id: str) -> Stage:
        """The contact's current stage."""
        return self.relationship(contact_id).stage

    def log(
        self,
        contact_id: str,
        kind: EventKind | str,
        *,
        at: datetime,
        channel: Channel | str | None = None,
        note: str = "",
        scheduled_for: datetime | None = None,
        related_contact_id: str | None = None,
    ) -> Relationship:
        """Append an event; an event the stage does not allow raises :class:`IllegalEventError`."""
        event = Event(
            contact_id=contact_id,
            kind=kind,  # the converter refuses unknown kinds with the valid ones
            at=at,
            channel=channel,
            note=note,
            scheduled_for=scheduled_for,
            related_contact_id=related_contact_id,
        )
        return self.append(event)

    def append(self, event: Event) -> Relationship:
        """Append a ready-made :class:`Event` (see :meth:`log`)."""
        contact = self.contact(event.contact_id)
        rel = self.store.get_relationship(event.contact_id)
        if rel.events and event.at < rel.events[-1].at:
            raise InvalidInputError(
                f"event {event.kind.value!r} at {event.at.isoformat()} is earlier than the last "
                f"logged event ({rel.events[-1].at.isoformat()}); events are logged in order"
            )
        state = step(fold(rel.events), event)
        return self.store.append_event(
            event,
            expected_version=rel.version,
            stage=state.stage,
            next_due=self._next_due(state, contact),
        )

    # -- interviews -----------------------------------------------------
    def candidate_questions(
        self, contact_id: str | None, goals: Sequence[str], *, minutes: int = 25
    ) -> tuple[list[Question], dict[str, str]]:
        """Questions from every generator, merged; and the generators that failed, with why.

        Each question's ``source`` becomes its generator's name. A generator
        that raises, or yields something other than a :class:`Question`, is
        reported by name in the second value and the others still contribute.
        """
        from infointerview.questions import merge_questions

        request = QuestionRequest(
            goals=self.goals().resolve(goals),
            contact=None if contact_id is None else self.contact(contact_id),
            profile=self.profile,
            minutes=minutes,
        )
        batches: list[list[Question]] = []
        failures: dict[str, str] = {}
        for name, generator in self.question_generators().items():
            try:
                batch = list(generator.generate(request))
                for index, question in enumerate(batch):
                    if not isinstance(question, Question):
                        raise TypeError(
                            f"item #{index} is a {type(question).__name__}, not a Question"
                        )
            except Exception as exc:  # a broken plugin must not sink the others
                log.warning("question generator %s failed: %s", name, type(exc).__name__)
                failures[name] = f"{type(exc).__name__}: {exc}"
                continue
            batches.append([q if q.source == name else attrs.evolve(q, source=name) for q in batch])
        return merge_questions(batches), failures

    def plan_interview(
        self,
        contact_id: str,
        *,
        at: datetime,
        goals: Sequence[str],
        minutes: int = 25,
        medium: Medium | str = Medium.VIDEO,
        questions: Iterable[Question] = (),
    ) -> tuple[Interview, AgendaPlan]:
        """Plan and store an interview with an agenda drawn from every question generator.

        ``questions`` are the seeker's own; they win over a generator's
        near-duplicate. The plan names the generators that failed in
        ``generator_failures``.
        """
        from infointerview.questions import merge_questions

        resolved = self.goals().resolve(goals)
        candidates, failures = self.candidate_questions(contact_id, goals, minutes=minutes)
        plan = plan_agenda(merge_questions([list(questions), candidates]), resolved, minutes)
        plan = attrs.evolve(plan, generator_failures=tuple(sorted(failures.items())))
        interview = Interview(
            contact_id=contact_id,
            at=at,
            medium=Medium(medium),
            minutes=minutes,
            goals=tuple(g.key for g in resolved),
            agenda=plan.questions,
        )
        return self.store.save_interview(interview), plan

    def render_agenda(
        self, interview_id: str, format: str = "text", *, plan: AgendaPlan | None = None
    ) -> str:
        """The interview's printable run sheet with timings, from the template ``agenda.{format}``.

        Pass the ``plan`` that :meth:`plan_interview` returned to list the spare
        and left-out questions too; without it the stored agenda is used.
        Needs a renderer for ``format`` (``"text"``, ``"markdown"``) and a pack
        defining the template (both come with infointerview-messages and
        infointerview-questions).
        """
        from infointerview.agenda import agenda_context

        interview = self.interview(interview_id)
        if plan is None:
            plan = AgendaPlan.from_interview(interview)
        renderers = self.renderers()
        renderer = renderers.get(format)
        if renderer is None:
            raise PluginError(
                f"no renderer for format {format!r}; known formats: "
                f"{', '.join(sorted(renderers)) or 'none'} (install infointerview-messages)"
            )
        packs = self.template_packs()
        name = f"agenda.{format}"
        if not renderer.has_template(name, packs):
            raise NotFoundError(
                f"no template {name!r} in the template packs "
                f"({', '.join(p.name for p in packs) or 'none'}); install "
                "infointerview-questions or add a pack that defines it"
            )
        context = self.message_context(interview.contact_id, interview_id=interview.id)
        titles = {key: goal.title for key, goal in self.goals().items()}
        context["agenda"] = agenda_context(plan, interview, goal_titles=titles)
        return renderer.render(name, context, packs)

    def interview(self, interview_id: str) -> Interview:
        """One interview, or :class:`NotFoundError`."""
        return self.store.get_interview(interview_id)

    def interviews(self, contact_id: str | None = None) -> list[Interview]:
        """Interviews, of one contact if given, by time."""
        return self.store.list_interviews(contact_id)

    def save_interview(self, interview: Interview) -> Interview:
        """Insert or update an interview (versions checked)."""
        saved = self.store.save_interview(interview)
        if saved.held_at is not None:  # its promised follow-ups move the next due time
            self._refresh_due(self.contact(saved.contact_id))
        return saved

    def record_interview(
        self,
        interview_id: str,
        *,
        held_at: datetime,
        notes: str = "",
        insights: Sequence[str] = (),
        referrals: Sequence[Contact] = (),
        promised_followups: Sequence[str] = (),
    ) -> Interview:
        """Record a held interview: log ``met``, add the referrals, a ``referred`` event each."""
        interview = self.interview(interview_id)
        contact_id = interview.contact_id
        if self.stage(contact_id) is not Stage.MET:
            self.log(contact_id, EventKind.MET, at=held_at, note="interview held")
        new_contacts = [
            attrs.evolve(c, referrer_id=contact_id, source="referral") for c in referrals
        ]
        added = self.add_contacts(new_contacts) if new_contacts else []
        for referred in added:
            self.log(contact_id, EventKind.REFERRED, at=held_at, related_contact_id=referred.id)
        updated = attrs.evolve(
            interview,
            held_at=held_at,
            notes=notes,
            insights=tuple(insights),
            referrals=(*interview.referrals, *(c.id for c in added)),
            promised_followups=tuple(promised_followups),
        )
        saved = self.store.save_interview(updated)
        self._refresh_due(self.contact(contact_id))  # promised follow-ups move the next due
        return saved

    # -- messages -------------------------------------------------------
    def message_context(
        self,
        contact_id: str | None = None,
        *,
        interview_id: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The plain data templates see (see the template variables in the docs).

        Without ``interview_id`` the contact's latest held interview is used,
        if any. An interview of another contact is refused.
        """
        from infointerview.context import build_context

        contact = None if contact_id is None else self.contact(contact_id)
        referrer = None
        if contact is not None and contact.referrer_id is not None:
            referrer = self.contact(contact.referrer_id)
        interview = None if interview_id is None else self.interview(interview_id)
        if interview is not None and contact is not None and interview.contact_id != contact.id:
            raise InvalidInputError(
                f"interview {interview.id} is with another contact, not {contact.id}; "
                "pass that interview's contact or leave interview_id out"
            )
        if interview is None and contact is not None:
            held = [i for i in self.interviews(contact.id) if i.held_at is not None]
            interview = held[-1] if held else None
        referrals: list[Contact] = []
        for referral_id in () if interview is None else interview.referrals:
            try:
                referrals.append(self.contact(referral_id))
            except NotFoundError:  # erased since: nothing to show
                continue
        goal_keys = interview.goals if interview is not None else ()
        return build_context(
            profile=self.profile,
            contact=contact,
            referrer=referrer,
            interview=interview,
            goals=self.goals().resolve(goal_keys),
            extra=extra or {},
            referrals=referrals,
        )

    def draft(
        self,
        kind: str,
        channel: Channel | str,
        contact_id: str | None = None,
        *,
        now: datetime,
        format: str = "text",
        interview_id: str | None = None,
        extra: Mapping[str, Any] | None = None,
        save: bool = True,
    ) -> Message:
        """Render a message of ``kind`` for ``channel`` and run the message checks on it.

        Templates are looked up as ``"{kind}.{channel}"`` (body) and
        ``"{kind}.{channel}.subject"`` (subject, optional; rendered as plain
        text). The kind ``"ask"`` picks the first-ask variant from the data:
        ``ask_referred`` when the contact has a referrer, ``ask_affiliation``
        when it has a shared affiliation, otherwise ``ask_cold`` (see
        :func:`infointerview.choose_ask_kind`); the message records the kind chosen.
        A subject or recipient with a line break is refused with
        :class:`RenderError`.
        """
        _aware(now, "now")
        if not isinstance(kind, str) or not kind:
            raise InvalidInputError(f"message kind must be a non-empty string, got {kind!r}")
        from infointerview.context import choose_ask_kind
        from infointerview.emails import check_header_value

        channel = Channel(channel)
        check_not_a_job_request(kind.replace("_", " "), where="message kind")
        renderers = self.renderers()
        renderer = renderers.get(format)
        if renderer is None:
            raise PluginError(
                f"no renderer for format {format!r}; known formats: "
                f"{', '.join(sorted(renderers)) or 'none'} (install infointerview-messages)"
            )
        context = self.message_context(contact_id, interview_id=interview_id, extra=extra)
        if kind == "ask":
            if contact_id is None:
                raise InvalidInputError("the kind 'ask' needs a contact_id: whom to ask")
            kind = choose_ask_kind(context)
        context["message"] = {"kind": kind, "channel": channel.value, "format": format}
        packs = self.template_packs()
        name = f"{kind}.{channel.value}"
        if not renderer.has_template(name, packs):
            channels = [
                c.value for c in Channel if renderer.has_template(f"{kind}.{c.value}", packs)
            ]
            raise NotFoundError(
                f"no template {name!r} in the template packs ({', '.join(p.name for p in packs)}); "
                + (
                    f"kind {kind!r} has templates for: {', '.join(channels)}"
                    if channels
                    else f"no pack has any template for kind {kind!r}"
                )
            )
        body = renderer.render(name, context, packs)
        subject = ""
        if renderer.has_template(f"{name}.subject", packs):
            plain = renderers.get("text", renderer)
            subject = plain.render(f"{name}.subject", context, packs).strip()
        email = (context.get("contact") or {}).get("email") or ""
        recipients = (email,) if email and channel is Channel.EMAIL else ()
        try:
            check_header_value(subject, "Subject")
            message = Message(
                kind=kind,
                channel=channel,
                body=body,
                subject=subject,
                recipients=recipients,
                contact_id=contact_id,
                format=format,
                created_at=now,
            )
        except InvalidInputError as exc:
            raise RenderError(f"template {name!r} produced an invalid message: {exc}") from exc
        findings = self.check_message(message, context, now=now)
        message = attrs.evolve(message, findings=tuple(findings))
        if save:
            self.store.add_message(message)
        return message

    def check_message(
        self, message: Message, context: Mapping[str, Any], *, now: datetime | None = None
    ) -> list[Finding]:
        """Run every enabled message check; a failing check becomes an error finding."""
        findings: list[Finding] = []
        check_context = CheckContext(context=context, options=self.check_options, now=now)
        for name, check in self.message_checks().items():
            if name in self.disabled_checks:
                continue
            try:
                findings.extend(check.check(message, check_context))
            except InfoInterviewError:
                raise
            except Exception as exc:
                findings.append(
                    Finding(
                        check=name,
                        severity="error",
                        explanation=f"the check itself failed ({type(exc).__name__}); "
                        "switch it off or fix the plugin",
                    )
                )
        return findings

    def messages(self, contact_id: str | None = None) -> list[Message]:
        """Drafted messages, of one contact if given."""
        return self.store.list_messages(contact_id)

    # -- follow-through -------------------------------------------------
    def _promised_at(self, contact_id: str, state: RelationshipState) -> datetime | None:
        """When follow-ups were last promised to the contact (only a met contact has any)."""
        if not state.meetings:
            return None
        return promise_anchor(self.store.list_interviews(contact_id))

    def _next_due(self, state: RelationshipState, contact: Contact) -> datetime | None:
        """What the store indexes: :func:`~infointerview.followup.next_due` with promises."""
        promised_at = self._promised_at(contact.id, state)
        return next_due(state, contact, self.policy, promised_at=promised_at)

    def reminders(self, contact_id: str) -> list[Reminder]:
        """Every reminder one relationship is owed, whatever the time, soonest first."""
        contact = self.contact(contact_id)
        state = fold(self.store.get_relationship(contact_id).events)
        promised_at = self._promised_at(contact_id, state)
        return reminders(state, contact, self.policy, promised_at=promised_at)

    def due(self, now: datetime) -> list[Reminder]:
        """Reminders due by ``now``, most urgent first, served from the stored index.

        Each carries its reason, due time, deadline, ``overdue`` flag, the
        suggested message kind and, for ``approach_another``, the contacts at
        the same organisation not yet asked.
        """
        _aware(now, "now")
        return self.upcoming(now, until=now)

    def upcoming(self, now: datetime, *, until: datetime) -> list[Reminder]:
        """Reminders due by ``until`` (``overdue`` as of ``now``), most urgent first."""
        _aware(now, "now")
        _aware(until, "until")
        if until < now:
            raise InvalidInputError(
                f"upcoming: until ({until.isoformat()}) is before now ({now.isoformat()})"
            )
        found: list[Reminder] = []
        for entry in self.store.due(until):
            contact = self.store.get_contact(entry.contact_id)
            state = fold(self.store.get_relationship(entry.contact_id).events)
            promised_at = self._promised_at(contact.id, state)
            for pending in reminders(state, contact, self.policy, promised_at=promised_at):
                expired = pending.expires_at is not None and pending.expires_at <= now
                if expired or pending.due.astimezone(UTC) > until.astimezone(UTC):
                    continue
                reminder: Reminder | None = pending
                if pending.reason is ReminderReason.APPROACH_ANOTHER:
                    reminder = self._approach_another(pending, contact, state)
                if reminder is not None:
                    found.append(attrs.evolve(reminder, overdue=reminder.is_overdue(now)))
        return by_urgency(found)

    def _approach_another(
        self, reminder: Reminder, contact: Contact, state: RelationshipState
    ) -> Reminder | None:
        """Fill in the colleagues not yet asked; ``None`` once one was asked after this ask."""
        if not contact.organisation or state.asked_at is None:
            return reminder
        asked_at = state.asked_at.astimezone(UTC)
        fresh: list[Contact] = []
        for peer in self.store.list_contacts(organisation=contact.organisation):
            if peer.id == contact.id:
                continue
            rel = self.store.get_relationship(peer.id)
            if rel.stage is Stage.IDENTIFIED:
                fresh.append(peer)
                continue
            peer_asked = fold(rel.events).asked_at
            if peer_asked is not None and peer_asked.astimezone(UTC) >= asked_at:
                return None
        if not fresh:
            return reminder
        return attrs.evolve(
            reminder,
            alternatives=tuple(p.id for p in fresh),
            message_kind=ask_kind(fresh[0]),
        )

    def close_unanswered(self, now: datetime) -> list[str]:
        """Log ``gave_up`` for every ask whose last nudge went unanswered too long.

        The stage fold only moves on events, so the policy's ``give_up``
        reminder says when; this logs the event at ``now``. Returns the ids of
        the contacts moved to ``no_reply``.
        """
        _aware(now, "now")
        closed: list[str] = []
        for reminder in self.due(now):
            if reminder.reason is not ReminderReason.GIVE_UP:
                continue
            events = self.store.get_relationship(reminder.contact_id).events
            if events and events[-1].at > now:
                continue  # something was logged after ``now``: leave it to the seeker
            self.log(reminder.contact_id, EventKind.GAVE_UP, at=now)
            closed.append(reminder.contact_id)
        log.info("closed %d unanswered asks", len(closed))
        return closed

    def losing_touch(self, now: datetime, *, after: timedelta | None = None) -> list[LosingTouch]:
        """Who has had no touch for longer than ``after`` (default: the policy's), longest first.

        Unlike :meth:`due` this reads every relationship at the stages it
        looks at, whatever their cadence.
        """
        _aware(now, "now")
        limit = self.policy.losing_touch_after if after is None else after
        found: list[LosingTouch] = []
        for stage in sorted(LOSING_TOUCH_STAGES):
            for contact in self.store.list_contacts(stage=stage):
                state = fold(self.store.get_relationship(contact.id).events)
                entry = losing_touch(state, contact.id, now=now, after=limit)
                if entry is not None:
                    found.append(entry)
        return sorted(found, key=lambda e: (-e.silent_for, e.contact_id))

    def report(self, now: datetime) -> Report:
        """How the search is going as of ``now``: funnel, rates, referral tree, thank-yous."""
        _aware(now, "now")
        contacts = self.contacts()
        logs = {c.id: self.store.get_relationship(c.id).events for c in contacts}
        return build_report(contacts, logs, policy=self.policy, now=now)

    def report_text(self, now: datetime) -> str:
        """:meth:`report` as text, with the contacts' names."""
        _aware(now, "now")
        return self.report(now).to_text(names={c.id: c.name for c in self.contacts()})

    def refresh_due(self) -> int:
        """Recompute every stored next due time (after changing the policy); returns changes."""
        return sum(self._refresh_due(contact) for contact in self.contacts())

    # -- data rights ----------------------------------------------------
    def export_contact(self, contact_id: str) -> ContactExport:
        """Everything stored about one contact (GDPR article 20)."""
        return self.store.export_contact(contact_id)

    def export_contact_json(self, contact_id: str) -> str:
        """:meth:`export_contact` as a JSON document."""
        from infointerview.serialization import dumps

        return dumps(self.export_contact(contact_id))

    def erase_contact(self, contact_id: str) -> None:
        """Erase one contact and every reference to them (GDPR article 17)."""
        self.store.erase_contact(contact_id)
        log.info("erased contact %s", contact_id)
