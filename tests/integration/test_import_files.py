"""Importing sample files into a workspace, and exporting a workspace as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pluggy
import pytest

import infointerview
from infointerview import (
    Contact,
    ContactSource,
    Event,
    Importer,
    ImportResult,
    Interview,
    InvalidInputError,
    Message,
    PluginError,
    SeekerProfile,
    Workspace,
    custom_goal,
    from_record,
    hookimpl,
)
from infointerview.default_plugins.memory_store import MemoryStore
from infointerview.plugins import load_plugin_manager

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class CountingStore(MemoryStore):
    """A memory store that counts ``add_contacts`` calls (one call is one transaction)."""

    def __init__(self, owner: str) -> None:
        super().__init__(owner)
        self.batches: list[int] = []

    def add_contacts(self, contacts: Sequence[Contact]) -> list[Contact]:
        self.batches.append(len(contacts))
        return super().add_contacts(contacts)


@pytest.fixture
def pm() -> pluggy.PluginManager:
    return load_plugin_manager(entry_points=False)


@pytest.fixture
def store() -> CountingStore:
    return CountingStore("seeker-1")


@pytest.fixture
def ws(store: CountingStore, pm: pluggy.PluginManager) -> Iterator[Workspace]:
    with Workspace(store, plugin_manager=pm) as workspace:
        yield workspace


# -- the registered plugins ---------------------------------------------------
def test_default_plugins_register_the_importers_and_the_json_exporter(ws: Workspace) -> None:
    """The three importers and the json exporter come with the core."""
    assert set(ws.importers()) >= {"linkedin", "google_csv", "vcard"}
    assert "json" in ws.exporters()
    assert ws.exporters()["json"].media_type == "application/json"


def test_a_blocked_importer_is_gone_and_its_format_is_not_sniffed(store: CountingStore) -> None:
    """INFOINTERVIEW_DISABLE_PLUGINS=vcard removes the vcard importer only."""
    pm = load_plugin_manager(entry_points=False, blocked=["vcard"])
    ws = Workspace(store, plugin_manager=pm)
    assert "vcard" not in ws.importers() and "linkedin" in ws.importers()
    with pytest.raises(InvalidInputError, match="not recognised"):
        ws.import_contacts(fixture("contacts_v3.vcf"))


# -- importing ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "count", "source"),
    [
        ("linkedin_connections.csv", 8, ContactSource.PROFESSIONAL_NETWORK),
        ("linkedin_connections_old.csv", 2, ContactSource.PROFESSIONAL_NETWORK),
        ("google_contacts_legacy.csv", 2, ContactSource.OWN_CIRCLE),
        ("contacts_v3.vcf", 3, ContactSource.OWN_CIRCLE),
        ("contacts_v4.vcf", 2, ContactSource.OWN_CIRCLE),
        ("contacts_v21.vcf", 2, ContactSource.OWN_CIRCLE),
    ],
)
def test_clean_files_import_whole(
    ws: Workspace, store: CountingStore, name: str, count: int, source: ContactSource
) -> None:
    """Each clean sample is sniffed, stored in one transaction and read back."""
    result = ws.import_contacts(fixture(name))
    assert len(result.contacts) == count
    assert all(c.version == 1 and c.source is source for c in result.contacts)
    assert store.batches == [count]
    assert sorted(c.id for c in ws.contacts()) == sorted(c.id for c in result.contacts)


def test_all_or_nothing_refuses_the_whole_file_and_stores_nothing(
    ws: Workspace, store: CountingStore
) -> None:
    """One bad row aborts the import; the error lists every bad row by line."""
    with pytest.raises(InvalidInputError) as info:
        ws.import_contacts(fixture("linkedin_bad_rows.csv"))
    message = str(info.value)
    assert message.startswith("nothing was imported: 3 row(s) of the linkedin file")
    for line in (6, 7, 8):
        assert f"line {line}: " in message
    assert ws.contacts() == []
    assert store.batches == []


def test_lenient_import_stores_good_rows_in_one_transaction(
    ws: Workspace, store: CountingStore
) -> None:
    """With all_or_nothing=False the good rows go in one batch and the bad come back."""
    result = ws.import_contacts(fixture("linkedin_bad_rows.csv"), all_or_nothing=False)
    assert [c.name for c in result.contacts] == ["Hana Sato", "Kofi Mensah"]
    assert [line for line, _ in result.rejected] == [6, 7, 8]
    assert result.lines == (5, 9)
    assert store.batches == [2]
    assert [c.name for c in ws.contacts()] == ["Hana Sato", "Kofi Mensah"]


def test_a_bad_vcard_names_the_card_line(ws: Workspace) -> None:
    """A card without FN or N is reported by its BEGIN:VCARD line."""
    with pytest.raises(InvalidInputError, match="line 6: the card has no name"):
        ws.import_contacts(fixture("contacts_bad.vcf"))
    assert ws.contacts() == []


def test_hostile_vcard_rejects_card_by_card_and_never_fails_the_import(ws: Workspace) -> None:
    """Leading junk, non-text charsets and a lost END each reject one entry; the rest imports."""
    data = fixture("contacts_hostile.vcf")
    with pytest.raises(InvalidInputError) as info:
        ws.import_contacts(data)
    for line in (1, 3, 7, 11):
        assert f"line {line}: " in str(info.value)
    assert ws.contacts() == []
    result = ws.import_contacts(data, all_or_nothing=False)
    assert [line for line, _ in result.rejected] == [1, 3, 7, 11]
    assert [(c.name, c.linkedin_url) for c in ws.contacts()] == [
        ("Kept Person", "https://www.linkedin.com/in/kept-person")
    ]
    assert result.lines == (14,)


def test_google_email_only_rows_are_rejected_unless_lenient(ws: Workspace) -> None:
    """Google's name-less rows abort a strict import; a lenient one keeps the rest."""
    with pytest.raises(InvalidInputError, match="line 5: the row has no name"):
        ws.import_contacts(fixture("google_contacts.csv"))
    result = ws.import_contacts(fixture("google_contacts.csv"), all_or_nothing=False)
    assert sorted(c.name for c in ws.contacts()) == [
        "Aroha Ngata",
        "Daniel Kim",
        "Sofia Maria Rossi",
    ]
    assert len(result.rejected) == 1


def test_reimporting_a_file_adds_no_twins(ws: Workspace, store: CountingStore) -> None:
    """A second import of the same export skips every row, by email or LinkedIn URL."""
    first = ws.import_contacts(fixture("linkedin_connections.csv"))
    again = ws.import_contacts(fixture("linkedin_connections.csv"))
    assert again.contacts == ()
    assert len(again.skipped) == len(first.contacts)
    assert all(reason.startswith("same ") for _, reason in again.skipped)
    assert store.batches == [8]
    assert len(ws.contacts()) == 8


def test_duplicates_within_a_file_and_against_other_sources(ws: Workspace) -> None:
    """Twins inside a file are skipped, and so is a vCard person already known by email."""
    result = ws.import_contacts(fixture("linkedin_duplicates.csv"))
    assert [c.name for c in result.contacts] == ["Eva Novak", "Jan Horak"]
    assert [line for line, _ in result.skipped] == [6, 7]
    card = b"BEGIN:VCARD\r\nFN:Eva N.\r\nEMAIL:Eva.Novak@Example.com\r\nEND:VCARD\r\n"
    again = ws.import_contacts(card)
    assert again.contacts == ()
    ((line, reason),) = again.skipped
    stored_id = next(c.id for c in ws.contacts() if c.name == "Eva Novak")
    assert (line, reason) == (1, f"same email address as stored contact {stored_id}")


def test_source_and_tags_apply_to_every_contact(ws: Workspace) -> None:
    """``source`` replaces the importer's choice and ``tags`` are added to each contact's own."""
    result = ws.import_contacts(
        fixture("contacts_v4.vcf"), source="event", tags=["civic-meetup-2026"]
    )
    assert {c.source for c in result.contacts} == {ContactSource.EVENT}
    adaeze = next(c for c in result.contacts if c.name == "Adaeze Nwosu")
    assert adaeze.tags == {"Civic tech", "Referral", "civic-meetup-2026"}
    assert len(ws.contacts(tag="civic-meetup-2026")) == 2


def test_bad_source_and_tags_are_refused(ws: Workspace) -> None:
    """An unknown source or an empty tag is refused before anything is parsed."""
    with pytest.raises(InvalidInputError, match="not a contact source"):
        ws.import_contacts(fixture("contacts_v4.vcf"), source="friend-of-a-friend")
    with pytest.raises(InvalidInputError, match="non-empty strings"):
        ws.import_contacts(fixture("contacts_v4.vcf"), tags=[" "])
    assert ws.contacts() == []


def test_dry_run_reports_without_storing_or_raising(ws: Workspace, store: CountingStore) -> None:
    """A dry run returns what would happen, raises for no row, and stores nothing."""
    preview = ws.import_contacts(fixture("linkedin_bad_rows.csv"), dry_run=True)
    assert len(preview.contacts) == 2 and len(preview.rejected) == 3
    assert all(c.version == 0 for c in preview.contacts)
    assert store.batches == [] and ws.contacts() == []


def test_named_format_is_used_even_when_sniffing_would_differ(ws: Workspace) -> None:
    """format='google_csv' on a LinkedIn file is refused by the Google importer."""
    with pytest.raises(InvalidInputError, match="not a Google Contacts CSV export"):
        ws.import_contacts(fixture("linkedin_connections.csv"), format="google_csv")
    result = ws.import_contacts(fixture("linkedin_connections.csv"), format="linkedin")
    assert len(result.contacts) == 8


@pytest.mark.parametrize(
    ("data", "format", "needle"),
    [
        (b"\x00\x01\x02\x03garbage\xff\xfe", None, "binary"),
        (b"PK\x03\x04\x14\x00\x00\x00", "linkedin", "ZIP archive, not a LinkedIn"),
        (b"\x00\x01\x02\x03", "vcard", r"binary \(it contains NUL bytes\), not a vCard file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "google_csv", "not a Google Contacts CSV export"),
        (b"Subject: hello\r\n\r\nplain mail", None, "expected one of: google_csv"),
        ("First Name,Last Name", None, "binary mode"),
    ],
)
def test_garbage_gets_a_clear_error_naming_the_expected_format(
    ws: Workspace, data: bytes, format: str | None, needle: str
) -> None:
    """Binary, zipped or unrecognised data is refused, naming what was expected."""
    with pytest.raises(InvalidInputError, match=needle):
        ws.import_contacts(data, format=format)
    assert ws.contacts() == []


def test_utf16_spreadsheet_save_imports(ws: Workspace) -> None:
    """A LinkedIn file re-saved as UTF-16 (with BOM) imports like the original."""
    text = fixture("linkedin_connections.csv").decode("utf-8-sig")
    result = ws.import_contacts(text.encode("utf-16"))
    assert len(result.contacts) == 8


# -- plugin importers ---------------------------------------------------------
class ExplodingImporter(Importer):
    name = "exploding"

    def parse(self, data: bytes) -> ImportResult:
        raise RuntimeError("bug in a plugin")


class LinelessImporter(Importer):
    name = "lineless"

    def parse(self, data: bytes) -> ImportResult:
        return ImportResult(
            contacts=(
                Contact(name="A", email="a@example.com"),
                Contact(name="B", email="a@example.com"),
            )
        )


class ImporterPlugin:
    @hookimpl
    def register_importers(self) -> list[Importer]:
        return [ExplodingImporter(), LinelessImporter()]


def test_plugin_importers_are_used_by_name_and_failures_are_plugin_errors(
    store: CountingStore,
) -> None:
    """A plugin importer runs when named; one that crashes is a PluginError naming it."""
    pm = load_plugin_manager(entry_points=False)
    pm.register(ImporterPlugin(), name="test-importers")
    ws = Workspace(store, plugin_manager=pm)
    with pytest.raises(PluginError, match="'exploding'"):
        ws.import_contacts(b"x", format="exploding")
    result = ws.import_contacts(b"x", format="lineless")
    assert [c.name for c in result.contacts] == ["A"]
    assert result.skipped == ((0, "same email address as entry 1"),)


# -- the JSON exporter ----------------------------------------------------------
def fill(ws: Workspace, *, reverse: bool = False) -> None:
    """Profile, one custom goal, two contacts with events, an interview and a message."""
    ws.set_profile(SeekerProfile(name="Rin Sato", field="data engineering"))
    ws.add_goal(custom_goal("learn_tools", "Learn which tools the team uses"))
    contacts = [
        Contact(name="Ada Obi", organisation="Ledger Labs", email="ada@example.com", id="c-ada"),
        Contact(name="Ben Ito", organisation="Ledger Labs", tags={"alumni", "b"}, id="c-ben"),
    ]
    ws.add_contacts(reversed(contacts) if reverse else contacts)
    ws.append(
        Event(
            contact_id="c-ada", kind="asked", at=NOW - timedelta(days=3), channel="email", id="e-1"
        )
    )
    ws.save_interview(Interview(contact_id="c-ada", at=NOW + timedelta(days=2), id="i-1"))
    ws.store.add_message(
        Message(
            kind="ask",
            channel="email",
            body="Hello",
            subject="A question",
            contact_id="c-ada",
            created_at=NOW - timedelta(days=3),
            id="m-1",
        )
    )


def test_json_export_holds_the_whole_workspace(ws: Workspace) -> None:
    """Every part is present, typed by to_record, and reads back with from_record."""
    fill(ws)
    document = json.loads(ws.exporters()["json"].export(ws, now=NOW))
    assert document["schema_version"] == 1
    assert document["type"] == "workspace"
    assert document["exported_at"] == "2026-11-25T09:30:00+00:00"
    assert document["owner"] == "seeker-1"
    assert from_record(document["profile"], SeekerProfile).name == "Rin Sato"
    assert [g["key"] for g in document["goals"]] == ["learn_tools"]
    assert [c["id"] for c in document["contacts"]] == ["c-ada", "c-ben"]
    ada = from_record(document["contacts"][0], Contact)
    assert ada == ws.contact("c-ada")
    relationship = from_record(document["relationships"][0], infointerview.Relationship)
    assert relationship == ws.relationship("c-ada")
    assert [e["kind"] for e in document["relationships"][0]["events"]] == ["asked"]
    assert from_record(document["interviews"][0], Interview) == ws.interview("i-1")
    assert from_record(document["messages"][0], Message).subject == "A question"


def test_json_export_is_deterministic(pm: pluggy.PluginManager) -> None:
    """The same data gives the same bytes, whatever order it was added in."""
    first = Workspace(MemoryStore("seeker-1"), plugin_manager=pm)
    second = Workspace(MemoryStore("seeker-1"), plugin_manager=pm)
    fill(first)
    fill(second, reverse=True)
    exporter = first.exporters()["json"]
    one = exporter.export(first, now=NOW)
    assert one == exporter.export(second, now=NOW)
    assert one == exporter.export(first, now=NOW)
    assert one.endswith(b"\n") and '"Ada Obi"' in one.decode("utf-8")


def test_json_export_of_imported_unicode_is_utf8(ws: Workspace) -> None:
    """Imported names in any script come out as readable UTF-8, not escapes."""
    ws.import_contacts(fixture("linkedin_connections.csv"))
    data = ws.exporters()["json"].export(ws, now=NOW)
    assert "ليلى حداد".encode() in data
    assert len(json.loads(data)["contacts"]) == 8


def test_json_export_needs_an_aware_now(ws: Workspace) -> None:
    """A naive ``now`` is refused."""
    with pytest.raises(InvalidInputError, match="timezone-aware"):
        ws.exporters()["json"].export(ws, now=datetime(2026, 11, 25))
