"""Erasure leaves no trace of the contact in the files; export gives all of it as JSON."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from infointerview_sqlite import SqliteStore, database_url, open_sqlite_store

from infointerview import open_workspace
from infointerview.model import Contact, Event, Interview, Message, Question
from infointerview.stages import Stage

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)

SECRETS = (
    "x-erased-id-0042",
    "Zephyrine Quillfeather",
    "Quillfeather Dynamics",
    "zephyrine@quill.example",
    "old-notes-3319",
    "new-notes-6620",
    "quilltag-5150",
    "event-note-4410",
    "interview-notes-9921",
    "agenda-question-7007",
    "message-body-5532",
    "message-subject-8118",
)
KEPT = "keep-this-text-1234"


def _file_bytes(db_path: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in sorted(db_path.parent.iterdir()) if p.name.startswith(db_path.name)
    )


def _traces(db_path: Path) -> list[str]:
    data = _file_bytes(db_path)
    return [s for s in SECRETS if s.encode() in data]


def _populate(store: SqliteStore) -> None:
    others = [Contact(name=f"Other {n} {KEPT}", id=f"o{n}", tags={"t"}) for n in range(300)]
    store.add_contacts(others[:150])
    (x,) = store.add_contacts(
        [
            Contact(
                name="Zephyrine Quillfeather",
                organisation="Quillfeather Dynamics",
                email="zephyrine@quill.example",
                notes="old-notes-3319",
                tags={"quilltag-5150"},
                referrer_id="o1",
                id="x-erased-id-0042",
            )
        ]
    )
    store.add_contacts(others[150:])
    store.update_contact(attrs.evolve(x, notes="new-notes-6620"))
    store.add_contacts([Contact(name="Quinn", referrer_id=x.id, id="q")])
    store.append_event(
        Event(contact_id=x.id, kind="asked", at=T0, note="event-note-4410"),
        expected_version=0,
        stage=Stage.ASKED,
        next_due=T0 + timedelta(days=3),
    )
    store.append_event(
        Event(contact_id="o1", kind="referred", at=T0, related_contact_id=x.id),
        expected_version=0,
        stage=Stage.IDENTIFIED,
        next_due=None,
    )
    agenda = (Question(text="agenda-question-7007", category="advice"),)
    store.save_interview(
        Interview(contact_id=x.id, at=T0, notes="interview-notes-9921", agenda=agenda)
    )
    store.save_interview(Interview(contact_id="o1", at=T0, referrals=(x.id, "o2")))
    store.add_message(
        Message(
            kind="ask",
            channel="email",
            body="message-body-5532",
            subject="message-subject-8118",
            recipients=("zephyrine@quill.example",),
            contact_id=x.id,
        )
    )


def test_an_erased_contact_leaves_no_text_in_the_database_files(
    store: SqliteStore, db_path: Path
) -> None:
    """Every string of the erased contact is gone from the file, WAL and shm; others stay."""
    _populate(store)
    assert _traces(db_path) == list(SECRETS)
    store.erase_contact("x-erased-id-0042")
    assert _traces(db_path) == []
    assert KEPT.encode() in _file_bytes(db_path)
    store.close()
    assert _traces(db_path) == []
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_erasure_with_a_reader_open_finishes_when_the_reader_leaves(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A reader blocks the checkpoint (a warning says so); the text goes once it closes."""
    store = open_sqlite_store(database_url(db_path, busy_timeout=50), "sam")
    _populate(store)
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM contacts").fetchone()
    with caplog.at_level(logging.WARNING, logger="infointerview_sqlite.store"):
        store.erase_contact("x-erased-id-0042")
    assert "still in its WAL" in caplog.text
    assert not any(s in caplog.text for s in SECRETS)
    reader.execute("COMMIT")
    reader.close()
    store.close()
    assert _traces(db_path) == []


def test_erasure_clears_the_references_in_the_stored_rows(
    store: SqliteStore, db_path: Path
) -> None:
    """No row of any table names the erased id afterwards."""
    _populate(store)
    store.erase_contact("x-erased-id-0042")
    conn = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table}"):
                assert not any("x-erased-id-0042" in str(value) for value in row), table
    finally:
        conn.close()
    assert store.get_contact("q").referrer_id is None
    assert store.get_relationship("o1").events[0].related_contact_id is None


def test_export_returns_everything_about_a_contact_as_json(url: str) -> None:
    """The workspace's JSON export holds the contact, its events, interviews and messages."""
    with open_workspace(url, owner="sam") as ws:
        _populate(ws.store)  # type: ignore[arg-type]
        document = json.loads(ws.export_contact_json("x-erased-id-0042"))
    assert document["type"] == "contact_export"
    assert document["contact"]["name"] == "Zephyrine Quillfeather"
    assert document["contact"]["notes"] == "new-notes-6620"
    assert document["contact"]["tags"] == ["quilltag-5150"]
    assert [e["note"] for e in document["relationship"]["events"]] == ["event-note-4410"]
    assert document["relationship"]["stage"] == "asked"
    [interview] = document["interviews"]
    assert interview["notes"] == "interview-notes-9921"
    assert interview["agenda"][0]["text"] == "agenda-question-7007"
    [message] = document["messages"]
    assert (message["body"], message["subject"]) == ("message-body-5532", "message-subject-8118")
    text = json.dumps(document)
    assert all(secret in text for secret in SECRETS if secret != "old-notes-3319")


def test_export_of_another_owners_contact_is_not_found(url: str) -> None:
    """An owner cannot export a contact that only another owner has."""
    theirs = open_sqlite_store(url, "kim")
    mine = open_sqlite_store(url, "sam")
    try:
        theirs.add_contacts([Contact(name="Kim's contact", id="k1")])
        with pytest.raises(LookupError):
            mine.export_contact("k1")
    finally:
        theirs.close()
        mine.close()
