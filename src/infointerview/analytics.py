"""How the search is going: pure analytics over contacts and their event logs.

Plain data in, plain data out: no store and no clock. Everything is "as of"
the ``now`` passed in, so events logged after it are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from infointerview.followup import KEEP_WARM_STAGES, FollowUpPolicy, ReminderReason, reminders
from infointerview.model import Contact, Event, EventKind
from infointerview.stages import RelationshipState, Stage, step

__all__ = [
    "FUNNEL_STEPS",
    "Acceptance",
    "DoorOpener",
    "Funnel",
    "KeptWarm",
    "ReferralStats",
    "ReferralTree",
    "Report",
    "ThankYous",
    "TimeToMeeting",
    "acceptance",
    "build_report",
    "funnel",
    "kept_warm",
    "referral_stats",
    "referral_tree",
    "thank_yous",
    "time_to_meeting",
]

Logs = Mapping[str, Sequence[Event]]
"""Each contact's events, oldest first, by contact id."""

FUNNEL_STEPS = ("found", "asked", "scheduled", "met", "thanked", "in_touch")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _until(events: Iterable[Event], now: datetime) -> list[Event]:
    limit = _utc(now)
    return [e for e in events if _utc(e.at) <= limit]


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# -- the funnel ------------------------------------------------------------


@attrs.frozen
class Funnel:
    """How many contacts reached each step, every earlier step included.

    A step counts a contact only if it also passed every step before it, so
    the counts never grow down the funnel: a meeting with no thank-you stops
    at ``met`` even if touches followed.
    """

    found: int = 0
    asked: int = 0
    scheduled: int = 0
    met: int = 0
    thanked: int = 0
    in_touch: int = 0

    def steps(self) -> tuple[tuple[str, int], ...]:
        """``(step, count)`` from the top of the funnel down."""
        return tuple((name, getattr(self, name)) for name in FUNNEL_STEPS)


def _depth(events: Sequence[Event]) -> int:
    """How many funnel steps after ``found`` one relationship passed, in order."""
    kinds = {e.kind for e in events}
    state = RelationshipState()
    in_touch = False
    for event in events:
        state = step(state, event)
        in_touch = in_touch or state.stage is Stage.IN_TOUCH
    passed = (
        EventKind.ASKED in kinds,
        EventKind.SCHEDULED in kinds,
        EventKind.MET in kinds,
        EventKind.THANKED in kinds,
        in_touch,
    )
    depth = 0
    for ok in passed:
        if not ok:
            break
        depth += 1
    return depth


def funnel(contacts: Sequence[Contact], logs: Logs, *, now: datetime) -> Funnel:
    """The funnel of found, asked, scheduled, met, thanked and in-touch contacts."""
    counts = [0] * len(FUNNEL_STEPS)
    for contact in contacts:
        depth = _depth(_until(logs.get(contact.id, ()), now))
        for level in range(depth + 1):
            counts[level] += 1
    return Funnel(*counts)


# -- acceptance ------------------------------------------------------------


@attrs.frozen
class Acceptance:
    """What became of the asks sent one way (a channel or a source)."""

    key: str
    asked: int = 0
    accepted: int = 0
    declined: int = 0
    no_reply: int = 0

    @property
    def pending(self) -> int:
        """Asks with no outcome yet."""
        return self.asked - self.accepted - self.declined - self.no_reply

    @property
    def rate(self) -> float | None:
        """Accepted asks over all asks, or ``None`` with none sent."""
        return _ratio(self.accepted, self.asked)


def _episodes(events: Sequence[Event]) -> list[tuple[str, str | None]]:
    """Each ask's channel and outcome (accepted, declined, no_reply or ``None``)."""
    found: list[tuple[str, str | None]] = []
    for event in events:
        kind = event.kind
        if kind is EventKind.ASKED:
            channel = "unspecified" if event.channel is None else event.channel.value
            found.append((channel, None))
            continue
        if not found:
            continue
        channel, outcome = found[-1]
        # A late yes or no after giving up replaces "no reply".
        if kind in (EventKind.ACCEPTED, EventKind.SCHEDULED) and outcome in (None, "no_reply"):
            found[-1] = (channel, "accepted")
        elif kind is EventKind.DECLINED and outcome in (None, "no_reply"):
            found[-1] = (channel, "declined")
        elif kind is EventKind.GAVE_UP and outcome is None:
            found[-1] = (channel, "no_reply")
    return found


def _tally(rows: Iterable[tuple[str, str | None]]) -> tuple[Acceptance, ...]:
    counts: dict[str, dict[str, int]] = {}
    for key, outcome in rows:
        row = counts.setdefault(key, {"asked": 0, "accepted": 0, "declined": 0, "no_reply": 0})
        row["asked"] += 1
        if outcome is not None:
            row[outcome] += 1
    table = [Acceptance(key, **row) for key, row in counts.items()]
    return tuple(sorted(table, key=lambda a: (-a.asked, a.key)))


def acceptance(
    contacts: Sequence[Contact], logs: Logs, *, now: datetime
) -> tuple[tuple[Acceptance, ...], tuple[Acceptance, ...]]:
    """Acceptance of asks by channel and by source (how the contact was found).

    Every ``asked`` event is one ask; it is accepted when an acceptance or a
    scheduled meeting follows before the next ask.
    """
    by_channel: list[tuple[str, str | None]] = []
    by_source: list[tuple[str, str | None]] = []
    for contact in contacts:
        for channel, outcome in _episodes(_until(logs.get(contact.id, ()), now)):
            by_channel.append((channel, outcome))
            by_source.append((contact.source.value, outcome))
    return _tally(by_channel), _tally(by_source)


# -- time to a meeting -----------------------------------------------------


@attrs.frozen
class TimeToMeeting:
    """Time from a contact's first ask to the first meeting after it."""

    count: int = 0
    median: timedelta | None = None
    mean: timedelta | None = None
    shortest: timedelta | None = None
    longest: timedelta | None = None


def time_to_meeting(contacts: Sequence[Contact], logs: Logs, *, now: datetime) -> TimeToMeeting:
    """How long asks take to turn into meetings."""
    waits: list[timedelta] = []
    for contact in contacts:
        first_ask: datetime | None = None
        for event in _until(logs.get(contact.id, ()), now):
            if event.kind is EventKind.ASKED and first_ask is None:
                first_ask = event.at
            elif event.kind is EventKind.MET and first_ask is not None:
                waits.append(_utc(event.at) - _utc(first_ask))
                break
    if not waits:
        return TimeToMeeting()
    waits.sort()
    middle = len(waits) // 2
    median = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
    return TimeToMeeting(
        count=len(waits),
        median=median,
        mean=sum(waits, timedelta()) / len(waits),
        shortest=waits[0],
        longest=waits[-1],
    )


# -- referrals -------------------------------------------------------------


@attrs.frozen
class ReferralStats:
    """Referrals gained (``referred`` events) against interviews held (``met`` events)."""

    interviews: int = 0
    referrals: int = 0

    @property
    def per_interview(self) -> float | None:
        """Referrals per interview, or ``None`` before the first interview."""
        return _ratio(self.referrals, self.interviews)


def referral_stats(contacts: Sequence[Contact], logs: Logs, *, now: datetime) -> ReferralStats:
    """How many people each interview leads to."""
    interviews = referrals = 0
    for contact in contacts:
        for event in _until(logs.get(contact.id, ()), now):
            interviews += event.kind is EventKind.MET
            referrals += event.kind is EventKind.REFERRED
    return ReferralStats(interviews=interviews, referrals=referrals)


@attrs.frozen
class DoorOpener:
    """A contact who introduced the seeker to others: directly, and down the tree."""

    contact_id: str
    direct: int
    total: int


@attrs.frozen
class ReferralTree:
    """The shape of who-referred-whom.

    ``trees`` counts contacts with no referrer who referred someone;
    ``depth`` is the longest chain of referrals, ``breadth`` the most
    contacts at one level below the roots; ``door_openers`` are ranked by
    everyone reached through them.
    """

    trees: int = 0
    referred: int = 0
    depth: int = 0
    breadth: int = 0
    door_openers: tuple[DoorOpener, ...] = ()


def referral_tree(contacts: Sequence[Contact], *, top: int = 5) -> ReferralTree:
    """Measure the referral forest drawn by ``Contact.referrer_id``.

    A referrer outside ``contacts`` counts as absent; a loop of referrers
    (only possible by editing) is cut where it was first entered.
    """
    ids = sorted(c.id for c in contacts)
    known = set(ids)
    children: dict[str, list[str]] = {}
    has_parent: set[str] = set()
    for contact in sorted(contacts, key=lambda c: c.id):
        parent = contact.referrer_id
        if parent is not None and parent in known and parent != contact.id:
            children.setdefault(parent, []).append(contact.id)
            has_parent.add(contact.id)
    level: dict[str, int] = {}
    order: list[str] = []
    parent_of: dict[str, str] = {}
    for root in [*(i for i in ids if i not in has_parent), *ids]:
        if root in level:
            continue
        level[root] = 0
        stack = [root]
        while stack:
            node = stack.pop()
            order.append(node)
            for child in children.get(node, ()):
                if child not in level:
                    level[child] = level[node] + 1
                    parent_of[child] = node
                    stack.append(child)
    total = dict.fromkeys(ids, 0)
    for node in reversed(order):
        parent = parent_of.get(node)
        if parent is not None:
            total[parent] += total[node] + 1
    widths: dict[int, int] = {}
    for depth in level.values():
        if depth:
            widths[depth] = widths.get(depth, 0) + 1
    openers = [
        DoorOpener(contact_id=i, direct=sum(parent_of.get(c) == i for c in children[i]), total=t)
        for i, t in total.items()
        if t
    ]
    openers.sort(key=lambda d: (-d.total, -d.direct, d.contact_id))
    return ReferralTree(
        trees=sum(1 for i in ids if level[i] == 0 and total[i]),
        referred=len(parent_of),
        depth=max(widths, default=0),
        breadth=max(widths.values(), default=0),
        door_openers=tuple(openers[:top]),
    )


# -- thank-yous and keeping warm -------------------------------------------


@attrs.frozen
class ThankYous:
    """Whether each meeting got its thank-you within the policy's window."""

    meetings: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0

    @property
    def rate(self) -> float | None:
        """On-time thank-yous over meetings whose window has closed."""
        return _ratio(self.on_time, self.on_time + self.late + self.missing)


def thank_yous(
    contacts: Sequence[Contact], logs: Logs, *, policy: FollowUpPolicy, now: datetime
) -> ThankYous:
    """Thank-yous sent on time, late, not at all, or still within their window."""
    window = policy.thank_you_within
    tally = {"meetings": 0, "on_time": 0, "late": 0, "missing": 0, "pending": 0}
    for contact in contacts:
        open_meeting: datetime | None = None
        for event in _until(logs.get(contact.id, ()), now):
            if event.kind is EventKind.MET:
                tally["meetings"] += 1
                if open_meeting is not None:
                    tally["missing"] += 1
                open_meeting = event.at
            elif event.kind is EventKind.THANKED and open_meeting is not None:
                late = _utc(event.at) - _utc(open_meeting) > window
                tally["late" if late else "on_time"] += 1
                open_meeting = None
        if open_meeting is not None:
            closed = _utc(now) - _utc(open_meeting) > window
            tally["missing" if closed else "pending"] += 1
    return ThankYous(**tally)


@attrs.frozen
class KeptWarm:
    """Relationships on a keep-in-touch cadence, by where they stand now."""

    relationships: int = 0
    warm: int = 0
    due: int = 0
    overdue: int = 0

    @property
    def rate(self) -> float | None:
        """Share touched within their ideal interval."""
        return _ratio(self.warm, self.relationships)


def kept_warm(
    contacts: Sequence[Contact], logs: Logs, *, policy: FollowUpPolicy, now: datetime
) -> KeptWarm:
    """How many relationships had a touch within their cadence (see :class:`FollowUpPolicy`)."""
    tally = {"relationships": 0, "warm": 0, "due": 0, "overdue": 0}
    for contact in contacts:
        state = RelationshipState()
        for event in _until(logs.get(contact.id, ()), now):
            state = step(state, event)
        if state.stage not in KEEP_WARM_STAGES or state.last_touch_at is None:
            continue
        for reminder in reminders(state, contact, policy):
            if reminder.reason is ReminderReason.KEEP_WARM:
                tally["relationships"] += 1
                if not reminder.is_due(now):
                    tally["warm"] += 1
                else:
                    tally["overdue" if reminder.is_overdue(now) else "due"] += 1
    return KeptWarm(**tally)


# -- the report ------------------------------------------------------------


@attrs.frozen
class Report:
    """Every measure of the search as of ``now``: plain data (ids, counts, durations)."""

    now: datetime
    funnel: Funnel
    by_channel: tuple[Acceptance, ...]
    by_source: tuple[Acceptance, ...]
    ask_to_meeting: TimeToMeeting
    referrals: ReferralStats
    tree: ReferralTree
    thank_yous: ThankYous
    kept_warm: KeptWarm

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: datetimes as ISO text, durations as seconds, rates added."""

        def plain(value: Any) -> Any:
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, timedelta):
                return value.total_seconds()
            if isinstance(value, Mapping):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        data = plain(attrs.asdict(self, recurse=True))
        for key, rows in (("by_channel", self.by_channel), ("by_source", self.by_source)):
            for row, acc in zip(data[key], rows, strict=True):
                row.update(pending=acc.pending, rate=acc.rate)
        data["referrals"]["per_interview"] = self.referrals.per_interview
        data["thank_yous"]["rate"] = self.thank_yous.rate
        data["kept_warm"]["rate"] = self.kept_warm.rate
        return data  # type: ignore[no-any-return]

    def to_text(self, names: Mapping[str, str] | None = None) -> str:
        """A readable report; ``names`` (id to name) labels the door openers."""
        return _render(self, names or {})


def build_report(
    contacts: Sequence[Contact], logs: Logs, *, policy: FollowUpPolicy, now: datetime
) -> Report:
    """Every measure at once (see :class:`Report`)."""
    by_channel, by_source = acceptance(contacts, logs, now=now)
    return Report(
        now=now,
        funnel=funnel(contacts, logs, now=now),
        by_channel=by_channel,
        by_source=by_source,
        ask_to_meeting=time_to_meeting(contacts, logs, now=now),
        referrals=referral_stats(contacts, logs, now=now),
        tree=referral_tree(contacts),
        thank_yous=thank_yous(contacts, logs, policy=policy, now=now),
        kept_warm=kept_warm(contacts, logs, policy=policy, now=now),
    )


# -- the text --------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "-"
    hours = round(value.total_seconds() / 3600)
    days, hours = divmod(hours, 24)
    if days and hours:
        return f"{days} d {hours} h"
    return f"{days} d" if days else f"{hours} h"


def _acceptance_table(title: str, rows: Sequence[Acceptance]) -> list[str]:
    lines = [f"{title:<26}{'asked':>7}{'yes':>6}{'no':>6}{'silent':>8}{'waiting':>9}{'rate':>7}"]
    if not rows:
        lines.append("  (no asks yet)")
    for row in rows:
        label = row.key.replace("_", " ")
        lines.append(
            f"  {label:<24}{row.asked:>7}{row.accepted:>6}{row.declined:>6}{row.no_reply:>8}"
            f"{row.pending:>9}{_percent(row.rate):>7}"
        )
    return lines


def _render(report: Report, names: Mapping[str, str]) -> str:
    lines = [f"How the search is going, as of {report.now.isoformat(timespec='minutes')}", ""]
    lines.append("Funnel")
    previous: int | None = None
    for name, count in report.funnel.steps():
        share = (
            "" if previous is None else f"{_percent(_ratio(count, previous)):>6} of the step above"
        )
        lines.append(f"  {name.replace('_', ' '):<12}{count:>6}{share}")
        previous = count
    lines += ["", *_acceptance_table("Acceptance by channel", report.by_channel)]
    lines += ["", *_acceptance_table("Acceptance by source", report.by_source)]
    wait = report.ask_to_meeting
    lines += [
        "",
        f"First ask to meeting: {wait.count} meeting(s); median {_duration(wait.median)}, "
        f"mean {_duration(wait.mean)}, shortest {_duration(wait.shortest)}, "
        f"longest {_duration(wait.longest)}",
    ]
    refs = report.referrals
    per = "-" if refs.per_interview is None else f"{refs.per_interview:.1f}"
    lines.append(
        f"Referrals: {refs.referrals} gained in {refs.interviews} interview(s) "
        f"({per} per interview)"
    )
    tree = report.tree
    lines.append(
        f"Referral tree: {tree.trees} tree(s), {tree.referred} referred, depth {tree.depth}, "
        f"widest level {tree.breadth}"
    )
    if tree.door_openers:
        lines.append("  Opened the most doors:")
        for opener in tree.door_openers:
            label = names.get(opener.contact_id, opener.contact_id[:8])
            lines.append(f"    {label:<30} {opener.total} reached ({opener.direct} directly)")
    thanks = report.thank_yous
    lines.append(
        f"Thank-yous: {thanks.on_time} of {thanks.meetings} on time "
        f"({_percent(thanks.rate)}); {thanks.late} late, {thanks.missing} missing, "
        f"{thanks.pending} still within the window"
    )
    warm = report.kept_warm
    lines.append(
        f"Kept warm: {warm.warm} of {warm.relationships} within their cadence "
        f"({_percent(warm.rate)}); {warm.due} due, {warm.overdue} overdue"
    )
    return "\n".join(lines) + "\n"
