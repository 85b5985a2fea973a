"""One seeker's whole cycle through the public API on ``memory://``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

import infointerview as ii

MONDAY = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def test_referral_ask_meet_thank_export_and_erase(
    infointerview_workspace: Callable[..., ii.Workspace],
) -> None:
    """Referral, ask, meeting with new referrals, thank-you reminder, export and erasure."""
    ws = infointerview_workspace("memory://", owner="sam")
    ws.set_profile(ii.SeekerProfile(name="Sam Rivera", field="education", target="UX research"))

    pat = ws.add_contact(ii.Contact(name="Pat Okafor", source="own_circle"))
    xia = ws.add_contact(
        ii.Contact(
            name="Xia Chen",
            organisation="Health Labs",
            role="UX researcher",
            source="referral",
            referrer_id=pat.id,
            email="xia@example.org",
        )
    )
    assert ws.contacts(referrer_id=pat.id) == [xia]
    ws.log(pat.id, "referred", at=MONDAY, related_contact_id=xia.id)

    meeting = MONDAY + timedelta(days=3)
    ws.log(xia.id, "asked", at=MONDAY + timedelta(hours=1), channel="email")
    ws.log(xia.id, "accepted", at=MONDAY + timedelta(days=1))
    ws.log(xia.id, "scheduled", at=MONDAY + timedelta(days=1, hours=1), scheduled_for=meeting)
    assert ws.stage(xia.id) is ii.Stage.SCHEDULED

    question = ii.Question(
        text="What would you do in my position?", category="advice", goals={"entry"}
    )
    interview, plan = ws.plan_interview(
        xia.id, at=meeting, goals=["entry", "new_contacts"], minutes=25, questions=[question]
    )
    assert interview.version == 1
    assert question in interview.agenda
    assert plan.minutes == 25

    held = ws.record_interview(
        interview.id,
        held_at=meeting + timedelta(minutes=30),
        notes="Research ops is growing.",
        insights=["Portfolio matters more than certificates"],
        referrals=[ii.Contact(name="Quinn Adeyemi", organisation="Health Labs")],
    )
    (quinn,) = ws.contacts(referrer_id=xia.id)
    assert held.referrals == (quinn.id,)
    assert quinn.source is ii.ContactSource.REFERRAL
    assert ws.stage(xia.id) is ii.Stage.MET
    assert [e.kind for e in ws.relationship(xia.id).events][-2:] == [
        ii.EventKind.MET,
        ii.EventKind.REFERRED,
    ]
    assert ws.referral_tree() == {None: [pat.id], pat.id: [xia.id], xia.id: [quinn.id]}

    next_day = meeting + timedelta(hours=25)
    owed = [r for r in ws.due(next_day) if r.contact_id == xia.id]
    assert [r.reason for r in owed] == [ii.ReminderReason.THANK_YOU]
    ws.log(xia.id, "thanked", at=next_day, channel="email")
    assert ws.stage(xia.id) is ii.Stage.THANKED
    assert all(r.reason is not ii.ReminderReason.THANK_YOU for r in ws.due(next_day))

    export = ws.export_contact(xia.id)
    assert export.contact == ws.contact(xia.id)
    assert export.interviews == (ws.interview(interview.id),)
    assert ii.loads(ws.export_contact_json(xia.id), ii.ContactExport) == export

    ws.erase_contact(xia.id)
    with pytest.raises(ii.NotFoundError):
        ws.contact(xia.id)
    assert ws.contact(quinn.id).referrer_id is None
    assert ws.relationship(pat.id).events[0].related_contact_id is None
    assert ws.interviews() == []
    assert all(r.contact_id != xia.id for r in ws.due(next_day + timedelta(days=365)))
    assert [c.name for c in ws.contacts()] == ["Pat Okafor", "Quinn Adeyemi"]


def test_two_seekers_on_one_named_space_never_meet(
    infointerview_workspace: Callable[..., ii.Workspace],
) -> None:
    """Two owners on the same ``memory://name`` space see only their own contacts."""
    sam = infointerview_workspace("memory://e2e-shared-space", owner="sam")
    kim = infointerview_workspace("memory://e2e-shared-space", owner="kim")
    contact = sam.add_contact(ii.Contact(name="Ada Lovelace", id="same-id"))
    kim.add_contact(ii.Contact(name="Bob Byte", id="same-id"))
    assert sam.contact("same-id") == contact
    assert [c.name for c in kim.contacts()] == ["Bob Byte"]
    kim.erase_contact("same-id")
    assert sam.contacts() == [contact]


def test_an_illegal_event_is_refused_and_nothing_is_logged(
    infointerview_workspace: Callable[..., ii.Workspace],
) -> None:
    """Logging ``met`` before asking raises IllegalEventError naming what is allowed."""
    ws = infointerview_workspace()
    ada = ws.add_contact(ii.Contact(name="Ada Lovelace"))
    with pytest.raises(ii.IllegalEventError, match="asked, touched, referred"):
        ws.log(ada.id, "met", at=MONDAY)
    assert ws.relationship(ada.id).events == ()
    assert ws.stage(ada.id) is ii.Stage.IDENTIFIED
