"""Unit tests of the built-in importers: decoding, the three formats, duplicates, round trips."""

from __future__ import annotations

import codecs
import csv
import io
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infointerview import Contact, ContactSource, ImportResult, InvalidInputError, PluginError
from infointerview.default_plugins import importers
from infointerview.default_plugins.google_csv import GoogleCsvImporter, labels_to_tags
from infointerview.default_plugins.importers import (
    MAX_FIELD_CHARS,
    clean_line,
    csv_records,
    decode_text,
    drop_duplicates,
    is_linkedin_url,
    linkedin_key,
    linkedin_profile_url,
    pick_importer,
    rejection_error,
)
from infointerview.default_plugins.linkedin_csv import URL_DROPPED, LinkedInImporter, connected_on
from infointerview.default_plugins.vcard import (
    SNIFF_LINES,
    VCardImporter,
    logical_lines,
    parse_property,
    split_value,
    unescape,
)
from infointerview.ports import Importer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
LINKEDIN = LinkedInImporter()
GOOGLE = GoogleCsvImporter()
VCARD = VCardImporter()
BUILT_IN: dict[str, Importer] = {"linkedin": LINKEDIN, "google_csv": GOOGLE, "vcard": VCARD}
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def by_name(result: ImportResult) -> dict[str, Contact]:
    return {c.name: c for c in result.contacts}


def linkedin_file(rows: Sequence[Sequence[str]], *, header: str = LINKEDIN_HEADER) -> bytes:
    """A LinkedIn-style export: notes, a blank line, the header, the rows (BOM, CRLF)."""
    out = io.StringIO(newline="")
    out.write('Notes:\r\n"Emails may be missing, as usual."\r\n\r\n' + header + "\r\n")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


# -- test helpers that write files (used by the round-trip properties) --------
def write_linkedin(people: Sequence[tuple[str, str, str, str]]) -> bytes:
    """``(first, last, organisation, email)`` rows as a LinkedIn Connections.csv."""
    rows = [
        (first, last, f"https://www.linkedin.com/in/p{i}", email, org, "Engineer", "01 Feb 2026")
        for i, (first, last, org, email) in enumerate(people)
    ]
    return linkedin_file(rows)


def vcard_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def fold(line: str, width: int, pad: str) -> str:
    """Fold ``line`` every ``width`` characters with CRLF and ``pad`` (space or tab)."""
    pieces = [line[i : i + width] for i in range(0, len(line), width)] or [""]
    return ("\r\n" + pad).join(pieces)


def write_vcard(
    people: Sequence[tuple[str, str, str, str]], *, version: str = "3.0", width: int = 75
) -> bytes:
    """``(first, last, organisation, email)`` as vCards, folded at ``width`` characters."""
    lines: list[str] = []
    for index, (first, last, org, email) in enumerate(people):
        props = [
            f"VERSION:{version}",
            f"FN:{vcard_escape(first + ' ' + last)}",
            f"N:{vcard_escape(last)};{vcard_escape(first)};;;",
        ]
        if org:
            props.append(f"ORG:{vcard_escape(org)};Some department")
        if email:
            props.append(f"EMAIL;TYPE=work:{vcard_escape(email)}")
        pad = "\t" if index % 2 else " "
        lines += ["BEGIN:VCARD", *(fold(p, width, pad) for p in props), "END:VCARD"]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


AWKWARD = (
    "Zoë",
    "Núñez-García",
    "ليلى",
    "נועה",
    "王芳",
    "👩🏽‍💻",
    "O'Brien",
    'Bo "the Builder"',
    "Smith, Jr.",
    "back\\slash",
    "semi;colon",
    "colon:here",
    "=C3=A9",
    "BEGIN:VCARD",
    "\u202eevil\u202c",
)
text_part = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(
        alphabet=st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    ),
)
names = text_part.map(clean_line).filter(bool)
orgs = st.one_of(st.just(""), names)
emails = st.one_of(st.just(""), st.emails().filter(lambda e: len(e) < 200))
people = st.lists(st.tuples(names, names, orgs, emails), min_size=1, max_size=6)


def expected(person: tuple[str, str, str, str]) -> tuple[str, str, str]:
    first, last, org, email = person
    return (f"{first} {last}", org, email)


def summary(result: ImportResult) -> list[tuple[str, str, str]]:
    return [(c.name, c.organisation, c.email) for c in result.contacts]


# -- decoding -----------------------------------------------------------------
def test_decode_strips_a_utf8_bom() -> None:
    """A UTF-8 byte order mark is not part of the text."""
    assert decode_text(codecs.BOM_UTF8 + b"a,b", "x") == "a,b"


def test_decode_reads_utf16_with_bom() -> None:
    """UTF-16 with a BOM (some spreadsheet exports) decodes."""
    assert decode_text("Zoë,b".encode("utf-16"), "x") == "Zoë,b"


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (b"  \r\n", "empty"),
        (b"PK\x03\x04rest-of-a-zip", "ZIP archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"GIF89a\x01\x00\x01\x00\x00\xff\x00", "binary"),
        (b"First,Last\nJos\xe9,X\n", "line 2"),
    ],
)
def test_decode_refuses_what_is_not_text_and_names_the_format(data: bytes, needle: str) -> None:
    """Empty, zipped, binary and non-UTF-8 data get an error naming the expected format."""
    with pytest.raises(InvalidInputError, match=needle) as info:
        decode_text(data, "a LinkedIn Connections.csv export")
    assert "LinkedIn Connections.csv" in str(info.value)


def test_decode_refuses_a_file_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file larger than the import limit is refused with both sizes."""
    monkeypatch.setattr(importers, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(InvalidInputError, match="101 bytes; the import limit is 100"):
        decode_text(b"x" * 101, "a vCard file")


def test_decode_refuses_str() -> None:
    """Text instead of bytes is refused with the fix (binary mode)."""
    with pytest.raises(InvalidInputError, match="binary mode"):
        decode_text("First Name", "x")  # type: ignore[arg-type]


def test_clean_line_collapses_whitespace_and_drops_controls() -> None:
    """Line breaks, tabs, NBSP and control characters do not survive in one-line fields."""
    assert clean_line("  Ada\r\n\tLove\u00a0lace\x07 ") == "Ada Love lace"


def test_csv_records_number_the_first_line_of_each_record() -> None:
    """A quoted field spanning lines does not shift the numbers of later records."""
    records = list(csv_records('a,b\r\n"x\ny",2\r\n\r\nc,d\r\n'))
    assert [(r.line, r.cells) for r in records] == [
        (1, ("a", "b")),
        (2, ("x\ny", "2")),
        (4, ()),
        (5, ("c", "d")),
    ]


# -- LinkedIn -----------------------------------------------------------------
def test_linkedin_export_with_notes_bom_crlf_and_quoted_fields() -> None:
    """The current export parses: notes skipped, quotes, commas, line breaks, scripts."""
    result = LINKEDIN.parse(fixture("linkedin_connections.csv"))
    assert result.rejected == ()
    assert result.lines == (5, 6, 7, 8, 9, 10, 12, 13)
    people = by_name(result)
    zoe = people["Zoë Núñez-García"]
    assert (zoe.organisation, zoe.role, zoe.email) == ("Lumen Health, Inc.", "Product Manager", "")
    assert zoe.linkedin_url == "https://www.linkedin.com/in/zoe-nunez-garcia"
    assert zoe.source is ContactSource.PROFESSIONAL_NETWORK
    assert people['Björn "Bo" Lindqvist'].role == "Head of Platform, Europe"
    assert people["Priya 🌱 Raman"].role == "Sustainability Lead (EMEA & APAC)"
    assert people["ليلى حداد"].organisation == "مؤسسة النور"
    assert people["王 芳"].organisation == ""
    assert people["Amara Okafor"].notes == "Connected on LinkedIn: 2026-11-25"


def test_linkedin_older_export_without_url_or_notes() -> None:
    """An export without the URL column and the notes still parses."""
    result = LINKEDIN.parse(fixture("linkedin_connections_old.csv"))
    assert [(c.name, c.email, c.linkedin_url) for c in result.contacts] == [
        ("Tomasz Wiśniewski", "tomasz.w@example.com", ""),
        ("Grace Adeyemi", "", ""),
    ]
    assert result.lines == (2, 3)


def test_linkedin_bad_rows_are_reported_by_line_and_the_rest_kept() -> None:
    """No name, an extra field and a malformed email reject their rows only."""
    result = LINKEDIN.parse(fixture("linkedin_bad_rows.csv"))
    assert [c.name for c in result.contacts] == ["Hana Sato", "Kofi Mensah"]
    assert [line for line, _ in result.rejected] == [6, 7, 8]
    reasons = dict(result.rejected)
    assert "no name" in reasons[6]
    assert "8 fields but the header has 7" in reasons[7]
    assert "name@domain" in reasons[8]


def test_linkedin_reasons_carry_no_personal_data() -> None:
    """Rejection reasons name fields and lines, never the values."""
    rows = [["Ines", "Moreau", "", "ines-at-example", "Atelier", "Founder", "01 Mar 2026"]]
    result = LINKEDIN.parse(linkedin_file(rows))
    ((line, reason),) = result.rejected
    assert line == 5
    assert "ines" not in reason.lower() and "Atelier" not in reason


def test_linkedin_over_long_field_rejects_the_row() -> None:
    """A field longer than the limit rejects its row, saying which field and the limit."""
    rows = [
        ["Ok", "Row", "", "", "Acme", "Engineer", "01 Mar 2026"],
        ["Long", "Role", "", "", "Acme", "x" * (MAX_FIELD_CHARS + 1), "01 Mar 2026"],
    ]
    result = LINKEDIN.parse(linkedin_file(rows))
    assert [c.name for c in result.contacts] == ["Ok Row"]
    assert result.rejected == (
        (6, f"Position is {MAX_FIELD_CHARS + 1:,} characters long; the limit is 10,000"),
    )


def test_linkedin_giant_field_stops_reading_with_a_clear_reason() -> None:
    """A field beyond the csv module's limit ends the reading and is reported, not raised."""
    good = f"{LINKEDIN_HEADER}\r\nA,B,,,C,D,01 Mar 2026\r\n"
    data = (good + 'E,F,,,"' + "y" * 200_000 + '",G,01 Mar 2026\r\nH,I,,,J,K,\r\n').encode()
    result = LINKEDIN.parse(data)
    assert [c.name for c in result.contacts] == ["A B"]
    ((line, reason),) = result.rejected
    assert line == 3
    assert "cannot be read from here on" in reason


def test_linkedin_without_header_names_the_expected_file() -> None:
    """A CSV without the LinkedIn header is refused with where to get the real file."""
    with pytest.raises(InvalidInputError, match=r"not a LinkedIn Connections\.csv export"):
        LINKEDIN.parse(b"Name,Phone\nAda,123\n")


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("25 Nov 2026", "2026-11-25"),
        ("03 October 2026", "2026-10-03"),
        ("Nov 25, 2026", "2026-11-25"),
        ("2026-11-25", "2026-11-25"),
        ("11/25/26", "2026-11-25"),
        ("  25 Nov 2026 ", "2026-11-25"),
        ("25 nov. 2026", "25 nov. 2026"),
    ],
)
def test_connected_on_becomes_iso_or_stays_as_written(raw: str, iso: str) -> None:
    """Known date shapes become ISO dates; anything else is kept as written."""
    assert connected_on(raw) == iso


# -- Google Contacts ----------------------------------------------------------
def test_google_current_export() -> None:
    """Current headers: names joined, primary email chosen, labels to tags, notes kept."""
    result = GOOGLE.parse(fixture("google_contacts.csv"))
    people = by_name(result)
    sofia = people["Sofia Maria Rossi"]
    assert (sofia.organisation, sofia.role) == ("Ospedale San Marco", "Cardiologist")
    assert sofia.email == "s.rossi@hospital.example.it"
    assert sofia.phone == "+39 333 555 0101"
    assert sofia.linkedin_url == "https://www.linkedin.com/in/sofia-rossi-md"
    assert sofia.tags == {"Alumni", "Medicine"}
    assert sofia.source is ContactSource.OWN_CIRCLE
    daniel = people["Daniel Kim"]
    assert daniel.notes == "Former manager at my first internship.\nPrefers texts over email."
    assert daniel.tags == {"starred", "Former colleagues"}
    assert people["Aroha Ngata"].email == "aroha@example.nz"
    assert people["Aroha Ngata"].linkedin_url == ""
    assert result.rejected == ((5, result.rejected[0][1]),)
    assert "no name" in result.rejected[0][1]


def test_google_legacy_export() -> None:
    """Older headers (Name, Group Membership, Organization 1 - Name) map the same way."""
    result = GOOGLE.parse(fixture("google_contacts_legacy.csv"))
    helen, oscar = result.contacts
    assert (helen.name, helen.organisation, helen.role) == (
        "Helen Achterberg",
        "Delta Water Board",
        "Hydrologist",
    )
    assert helen.tags == {"Mentors"}
    assert helen.linkedin_url == "https://nl.linkedin.com/in/helen-achterberg"
    assert (oscar.name, oscar.phone, oscar.tags) == (
        "Oscar Lindahl",
        "+46 70 555 01 23",
        frozenset(),
    )


def test_google_labels_drop_my_contacts() -> None:
    """``* myContacts`` is dropped, other system groups lose their star, repeats collapse."""
    assert labels_to_tags("* myContacts ::: * starred ::: Alumni ::: Alumni") == [
        "starred",
        "Alumni",
    ]


def test_google_refuses_a_linkedin_file() -> None:
    """A LinkedIn export named as Google CSV is refused with the export hint."""
    with pytest.raises(InvalidInputError, match="Google CSV"):
        GOOGLE.parse(fixture("linkedin_connections.csv"))


# -- vCard --------------------------------------------------------------------
def test_logical_lines_unfold_space_tab_and_quoted_printable() -> None:
    """Folding with a space or tab and QP soft breaks join lines; numbers are of the first."""
    text = "A:one\r\n two\r\n\tthree\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\r\nb=\r\n=C3=A9\r\nB:x"
    assert list(logical_lines(text)) == [
        (1, "A:onetwothree"),
        (4, "NOTE;ENCODING=QUOTED-PRINTABLE:ab=C3=A9"),
        (7, "B:x"),
    ]


def test_parse_property_handles_groups_quotes_and_bare_parameters() -> None:
    """``item1.`` groups go, quoted values may hold ``;`` and ``:``, 2.1 bare params are types."""
    prop = parse_property(3, 'item1.TEL;TYPE="voice,cell";X-L="a;b:c";PREF=1:tel:+1')
    assert prop is not None
    assert (prop.name, prop.value, prop.types, prop.preference) == (
        "TEL",
        "tel:+1",
        frozenset({"VOICE", "CELL"}),
        1,
    )
    bare = parse_property(4, "EMAIL;INTERNET;PREF;QUOTED-PRINTABLE:x")
    assert bare is not None
    assert bare.types == {"INTERNET", "PREF"} and bare.param("ENCODING") == ["QUOTED-PRINTABLE"]
    assert parse_property(5, "no colon here") is None


def test_unescape_and_split_value() -> None:
    """Escapes undo after splitting at unescaped separators only."""
    assert unescape(r"a\nb\, c\; d\\e\N") == "a\nb, c; d\\e\n"
    parts = split_value(r"Acme\; Co;Dept\\;", ";")
    assert [unescape(p) for p in parts] == ["Acme; Co", "Dept\\", ""]


def test_vcard_30_file() -> None:
    """vCard 3.0: pref email, ORG's first part, ROLE as fallback, LinkedIn URL, escapes."""
    result = VCARD.parse(fixture("contacts_v3.vcf"))
    assert result.rejected == () and result.lines == (1, 16, 28)
    lucia, wanjiru, kai = result.contacts
    assert lucia.name == "Lucía Fernández"
    assert (lucia.organisation, lucia.role) == ("Solaria Renewables", "Power Systems Engineer")
    assert lucia.email == "lucia.fernandez@solaria.example.es"
    assert lucia.linkedin_url == "https://www.linkedin.com/in/lucia-fernandez-grid"
    assert lucia.tags == {"Energy", "Alumni, Madrid", "Warm intro"}
    assert lucia.notes == (
        "Introduced by Marta at the energy meetup.\n"
        "Ask about grid storage projects in Spain; she leads two."
    )
    assert (wanjiru.name, wanjiru.organisation, wanjiru.role) == (
        "Wanjiru Mwangi",
        "Savanna Water, Ltd",
        "Field Operations",
    )
    assert wanjiru.linkedin_url == "https://www.linkedin.com/in/wanjiru-mwangi"
    assert (kai.name, kai.organisation, kai.role) == (
        "Kai Nakamura-Björk 🎧",
        "Sound\\Wave Studios",
        "Audio Director, Games",
    )


def test_vcard_40_file() -> None:
    """vCard 4.0: PREF=1 wins, tel: URIs lose the scheme, a KIND:group card is skipped."""
    result = VCARD.parse(fixture("contacts_v4.vcf"))
    adaeze, mateus = result.contacts
    assert adaeze.email == "adaeze.nwosu@example.com"
    assert adaeze.phone == "+234-800-555-0199"
    assert adaeze.linkedin_url == "https://ng.linkedin.com/in/adaeze-nwosu"
    assert adaeze.tags == {"Civic tech", "Referral"}
    assert (mateus.name, mateus.organisation) == ("Mateus Silva", "Ipê Design")
    assert result.skipped == ((14, "the card is a contact group (KIND:group), not a person"),)
    assert result.rejected == ()


def test_vcard_21_quoted_printable_and_charsets() -> None:
    """vCard 2.1: QP in UTF-8 and Latin-1, raw Latin-1 bytes, soft breaks, N-only cards."""
    result = VCARD.parse(fixture("contacts_v21.vcf"))
    assert result.rejected == ()
    juergen, renee = result.contacts
    assert juergen.name == "Jürgen Müller"
    assert juergen.organisation == "Bäckerei Größe GmbH"
    assert juergen.phone == "+49 30 5550100"
    assert juergen.notes == "Kennt viele Leute in der Branche, fragt nach dem Café-Projekt."
    assert renee.name == "Renée Dupré"
    assert result.lines == (1, 13)


def test_vcard_bad_cards_are_rejected_by_begin_line() -> None:
    """A card without FN/N and one without END:VCARD are rejected; the good card stays."""
    result = VCARD.parse(fixture("contacts_bad.vcf"))
    assert [c.name for c in result.contacts] == ["Ok Person"]
    assert result.rejected == (
        (6, "the card has no name: FN and N are empty"),
        (11, "the card has no END:VCARD (the file may be cut short)"),
    )


def test_vcard_undeclared_non_utf8_bytes_reject_the_card() -> None:
    """Latin-1 bytes without a CHARSET reject their card with the fix."""
    data = b"BEGIN:VCARD\r\nFN:Ren\xe9e\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Ok\r\nEND:VCARD\r\n"
    result = VCARD.parse(data)
    assert [c.name for c in result.contacts] == ["Ok"]
    assert result.rejected == (
        (1, "FN on line 2 is not UTF-8 text; declare its CHARSET or save the file as UTF-8"),
    )


def test_vcard_unknown_charset_rejects_the_card() -> None:
    """A CHARSET Python does not know rejects the card, naming the property."""
    result = VCARD.parse(b"BEGIN:VCARD\nFN;CHARSET=X-MADE-UP:A\nEND:VCARD\n")
    assert result.rejected == ((1, "FN on line 2 declares an unknown CHARSET"),)


def test_vcard_stray_text_nested_agent_and_raw_line_breaks() -> None:
    """Text between cards is reported; a nested AGENT card and raw breaks in NOTE are handled."""
    data = (
        b"junk before\n"
        b"more junk\n"
        b"BEGIN:VCARD\n"
        b"FN:Outer Person\n"
        b"AGENT:\n"
        b"BEGIN:VCARD\n"
        b"FN:Assistant\n"
        b"END:VCARD\n"
        b"NOTE:first line\n"
        b"second line without a fold\n"
        b"END:VCARD\n"
    )
    result = VCARD.parse(data)
    (outer,) = result.contacts
    assert outer.name == "Outer Person"
    assert outer.notes == "first line\nsecond line without a fold"
    assert result.rejected == (
        (1, "text outside BEGIN:VCARD ... END:VCARD, from here up to line 2"),
    )


def test_vcard_large_photo_is_ignored_but_a_large_note_rejects() -> None:
    """Only the properties kept are bounded: a big PHOTO passes, a big NOTE rejects its card."""
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "A" * 50_000
    note = "NOTE:" + "n" * (MAX_FIELD_CHARS + 1)
    data = (
        f"BEGIN:VCARD\nFN:Pic\n{photo}\nEND:VCARD\nBEGIN:VCARD\nFN:Talker\n{note}\nEND:VCARD\n"
    ).encode()
    result = VCARD.parse(data)
    assert [c.name for c in result.contacts] == ["Pic"]
    assert result.rejected == (
        (5, f"NOTE is {MAX_FIELD_CHARS + 1:,} characters long; the limit is 10,000"),
    )


def test_vcard_mailto_and_no_begin() -> None:
    """``mailto:`` is dropped from EMAIL; a file without BEGIN:VCARD is not a vCard."""
    result = VCARD.parse(b"BEGIN:VCARD\nFN:M\nEMAIL:mailto:m@example.com\nEND:VCARD\n")
    assert result.contacts[0].email == "m@example.com"
    with pytest.raises(InvalidInputError, match=r"not a vCard file \(.vcf\)"):
        VCARD.parse(b"FN:nobody\n")


# -- round trips --------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(people)
def test_linkedin_round_trip(people: list[tuple[str, str, str, str]]) -> None:
    """Contacts written as a LinkedIn CSV parse back to the same names, organisations, emails."""
    result = LINKEDIN.parse(write_linkedin(people))
    assert result.rejected == ()
    assert summary(result) == [expected(p) for p in people]


@settings(max_examples=60, deadline=None)
@given(people, st.sampled_from(["2.1", "3.0", "4.0"]), st.integers(min_value=1, max_value=75))
def test_vcard_round_trip(
    people: list[tuple[str, str, str, str]], version: str, width: int
) -> None:
    """Contacts written as folded vCards parse back to the same names, organisations, emails."""
    result = VCARD.parse(write_vcard(people, version=version, width=width))
    assert result.rejected == ()
    assert summary(result) == [expected(p) for p in people]


@settings(max_examples=30, deadline=None)
@given(people)
def test_sniffing_recognises_written_files(people: list[tuple[str, str, str, str]]) -> None:
    """Files written by the helpers are recognised as their own format."""
    assert pick_importer(BUILT_IN, write_linkedin(people), None) is LINKEDIN
    assert pick_importer(BUILT_IN, write_vcard(people), None) is VCARD


# -- picking an importer ------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "importer"),
    [
        ("linkedin_connections.csv", LINKEDIN),
        ("linkedin_connections_old.csv", LINKEDIN),
        ("google_contacts.csv", GOOGLE),
        ("google_contacts_legacy.csv", GOOGLE),
        ("contacts_v3.vcf", VCARD),
        ("contacts_v4.vcf", VCARD),
        ("contacts_v21.vcf", VCARD),
    ],
)
def test_every_fixture_is_sniffed_as_its_format(name: str, importer: Importer) -> None:
    """Each sample export is recognised without naming its format."""
    assert pick_importer(BUILT_IN, fixture(name), None) is importer


def test_pick_by_name_and_unknown_names() -> None:
    """A named format wins over sniffing; an unknown name lists the known ones."""
    assert pick_importer(BUILT_IN, b"anything", "VCard") is VCARD
    with pytest.raises(InvalidInputError, match=r"known formats: google_csv \(.csv\); linkedin"):
        pick_importer(BUILT_IN, b"x", "outlook")


def test_unrecognised_text_lists_the_formats() -> None:
    """Text in no known format is refused with the formats expected."""
    with pytest.raises(InvalidInputError, match="not recognised; expected one of: google_csv"):
        pick_importer(BUILT_IN, b"just some notes\n", None)


class GreedyImporter(Importer):
    """A plugin importer that claims every file."""

    name = "greedy"

    def sniff(self, data: bytes) -> bool:
        return True

    def parse(self, data: bytes) -> ImportResult:
        return ImportResult()


class BrokenSniffer(GreedyImporter):
    name = "broken"

    def sniff(self, data: bytes) -> bool:
        raise RuntimeError("boom")


def test_built_in_importers_are_sniffed_before_plugins() -> None:
    """A plugin that claims everything does not take a vCard away from the vcard importer."""
    found = pick_importer(
        {"greedy": GreedyImporter(), **BUILT_IN}, fixture("contacts_v4.vcf"), None
    )
    assert found is VCARD
    assert pick_importer({"greedy": GreedyImporter(), **BUILT_IN}, b"plain", None).name == "greedy"


def test_a_failing_sniff_is_a_plugin_error() -> None:
    """A plugin whose sniff raises is reported by name."""
    with pytest.raises(PluginError, match="'broken'"):
        pick_importer({"broken": BrokenSniffer()}, b"plain", None)


# -- duplicates ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.linkedin.com/in/eva-novak/", "http://linkedin.com/in/EVA-NOVAK"),
        ("linkedin.com/in/eva-novak?trk=x", "https://uk.linkedin.com/in/eva-novak#top"),
        ("https://www.linkedin.com/in/j%C3%BCrgen", "https://www.linkedin.com/in/jürgen"),
    ],
)
def test_linkedin_key_ignores_scheme_host_case_and_query(a: str, b: str) -> None:
    """Two spellings of one profile compare equal."""
    assert linkedin_key(a) == linkedin_key(b) != ""


def test_linkedin_key_of_other_sites_is_empty() -> None:
    """Only linkedin.com URLs have a key."""
    assert linkedin_key("https://example.com/in/eva") == ""
    assert linkedin_key("https://notlinkedin.com/in/eva") == ""


def test_drop_duplicates_within_the_file_and_against_stored() -> None:
    """Repeats of an email or LinkedIn URL are skipped with what they repeat."""
    result = LINKEDIN.parse(fixture("linkedin_duplicates.csv"))
    stored = Contact(name="Jan H.", linkedin_url="www.linkedin.com/in/JAN-HORAK", id="c1")
    kept = drop_duplicates(result, [stored])
    assert [c.name for c in kept.contacts] == ["Eva Novak"]
    assert kept.lines == (5,)
    assert kept.skipped == (
        (6, "same email address as line 5"),
        (7, "same LinkedIn profile URL as line 5"),
        (8, "same LinkedIn profile URL as stored contact c1"),
    )


def test_drop_duplicates_without_lines_counts_entries() -> None:
    """An importer that gives no lines gets entries numbered from 1."""
    twins = (Contact(name="A", email="a@example.com"), Contact(name="B", email="A@example.com"))
    kept = drop_duplicates(ImportResult(contacts=twins), [])
    assert kept.skipped == ((0, "same email address as entry 1"),)
    assert kept.lines == ()


# -- the all-or-nothing error -------------------------------------------------
def test_rejection_error_lists_rows_and_caps_the_list() -> None:
    """The error names each row's line and reason, and stops listing after the cap."""
    rows = [(n, "the row has no name") for n in range(1, 131)]
    message = str(rejection_error("linkedin", rows))
    assert message.startswith("nothing was imported: 130 row(s) of the linkedin file")
    assert "  line 100: the row has no name" in message
    assert "line 101" not in message
    assert "... and 30 more" in message
    assert "all_or_nothing=False" in message


def test_import_result_defaults_keep_old_importers_working() -> None:
    """An ImportResult built with only contacts and rejected still works."""
    result = ImportResult(contacts=(Contact(name="A"),), rejected=((3, "bad"),))
    assert (result.lines, result.skipped) == ((), ())
    assert attrs.evolve(result, skipped=((4, "twin"),)).skipped == ((4, "twin"),)


def test_trailing_empty_cells_are_not_extra_fields() -> None:
    """Empty cells past the header (a spreadsheet's trailing commas) do not reject the row."""
    rows = [["Ada", "Obi", "", "", "Acme", "Engineer", "01 Mar 2026", "", " "]]
    result = LINKEDIN.parse(linkedin_file(rows))
    assert result.rejected == ()
    assert [c.name for c in result.contacts] == ["Ada Obi"]


# -- hostile input ------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("https://www.linkedin.com/in/eva", "https://www.linkedin.com/in/eva"),
        ("http://linkedin.com/in/eva?trk=x#top", "https://linkedin.com/in/eva?trk=x"),
        ("HTTPS://UK.LinkedIn.com/in/Eva", "https://uk.linkedin.com/in/Eva"),
        ("www.linkedin.com/in/eva", "https://www.linkedin.com/in/eva"),
        ("javascript://x%0Aalert(1)", ""),
        ("javascript:alert(1)", ""),
        ("http://evil.com/in/x", ""),
        ("https://evil-linkedin.com/in/x", ""),
        ("https://linkedin.com.evil.com/in/x", ""),
        ("https://linkedin.com@evil.com/in/x", ""),
        ("https://evil@linkedin.com/in/x", ""),
        ("mailto:x@linkedin.com", ""),
        ("https://linkedin.com\\@evil.com/in/x", ""),
        ("https://www.linkedin.com:8080/in/x", ""),
        ("ftp://www.linkedin.com/in/x", ""),
        ("https://www.linkedin.com/in/a b", ""),
        ("https://www.linkedin.com/in/a\nb", ""),
    ],
)
def test_linkedin_profile_url_keeps_only_http_urls_on_linkedin(raw: str, url: str) -> None:
    """The shared rule: http(s) on linkedin.com or a subdomain, made https; else nothing."""
    assert linkedin_profile_url(raw) == url
    assert is_linkedin_url(raw) is bool(url)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_linkedin_profile_url_is_https_on_linkedin_or_empty(raw: str) -> None:
    """Whatever goes in, the result is empty or an https URL on linkedin.com that is stable."""
    url = linkedin_profile_url(raw)
    if url:
        host = urllib.parse.urlsplit(url).hostname or ""
        assert url.startswith("https://")
        assert host == "linkedin.com" or host.endswith(".linkedin.com")
        assert linkedin_profile_url(url) == url


def test_linkedin_bad_urls_are_dropped_and_reported_but_the_row_imports() -> None:
    """A URL that is not http(s) on linkedin.com is left out; the contact is kept and noted."""
    rows = [
        ["A", "One", "javascript://x%0Aalert(1)", "", "Acme", "Dev", ""],
        ["B", "Two", "javascript:alert(1)", "", "Acme", "Dev", ""],
        ["C", "Three", "http://evil.com/in/x", "", "Acme", "Dev", ""],
        ["D", "Four", "http://www.linkedin.com/in/d-four", "", "Acme", "Dev", ""],
    ]
    result = LINKEDIN.parse(linkedin_file(rows))
    assert result.rejected == ()
    assert [(c.name, c.linkedin_url) for c in result.contacts] == [
        ("A One", ""),
        ("B Two", ""),
        ("C Three", ""),
        ("D Four", "https://www.linkedin.com/in/d-four"),
    ]
    assert result.skipped == tuple((line, URL_DROPPED) for line in (5, 6, 7))


def test_google_and_vcard_use_the_same_url_rule() -> None:
    """Google websites and vCard URLs: only linkedin.com over http(s) counts, made https."""
    google = (
        b"First Name,Last Name,E-mail 1 - Value,Website 1 - Value,Website 2 - Value\n"
        b"Ada,Obi,ada@example.com,https://evil@linkedin.com/in/x ::: javascript:alert(1),"
        b"http://www.linkedin.com/in/ada-obi\n"
    )
    (ada,) = GOOGLE.parse(google).contacts
    assert ada.linkedin_url == "https://www.linkedin.com/in/ada-obi"
    card = (
        b"BEGIN:VCARD\nFN:Bo\nURL:javascript:alert(1)\nX-SOCIALPROFILE:http://evil.com/in/bo\n"
        b"URL:http://linkedin.com/in/bo\nEND:VCARD\n"
    )
    (bo,) = VCARD.parse(card).contacts
    assert bo.linkedin_url == "https://linkedin.com/in/bo"


def test_csv_unclosed_quote_rejects_its_row_instead_of_swallowing_the_file() -> None:
    """A quote never closed stops the reading at its row, named by line, in both CSV formats."""
    data = f'{LINKEDIN_HEADER}\nOk,Row,,,Acme,Dev,\nA,"B,,,,,\nC,D,,,,,\nE,F,,,,,\n'.encode()
    result = LINKEDIN.parse(data)
    assert [c.name for c in result.contacts] == ["Ok Row"]
    ((line, reason),) = result.rejected
    assert line == 3
    assert "never closed" in reason
    google = b'First Name,Last Name,Labels\nAda,Obi,x\nBo,"Unclosed,y\nCy,Dee,z'
    result = GOOGLE.parse(google)
    assert [c.name for c in result.contacts] == ["Ada Obi"]
    assert [line for line, _ in result.rejected] == [3]


def test_csv_quoted_line_breaks_that_close_are_still_fine() -> None:
    """A quote that closes, even after line breaks, or in the last row, is read as before."""
    data = f'{LINKEDIN_HEADER}\nA,B,,,"Acme\nLabs",Dev,\nC,D,,,Acme,Dev,"1 Mar 2026"'.encode()
    result = LINKEDIN.parse(data)
    assert result.rejected == ()
    assert [(c.name, c.organisation) for c in result.contacts] == [
        ("A B", "Acme Labs"),
        ("C D", "Acme"),
    ]


def test_csv_short_rows_are_rejected_not_shifted() -> None:
    """A row with fewer fields than the header is rejected by line in both CSV formats."""
    data = f"{LINKEDIN_HEADER}\nA,B,C\nOk,Row,,,Acme,Dev,\n".encode()
    result = LINKEDIN.parse(data)
    assert [c.name for c in result.contacts] == ["Ok Row"]
    assert result.rejected == (
        (
            2,
            "the row has 3 fields but the header has 7; a value or comma is missing, "
            "so the fields cannot be matched to columns",
        ),
    )
    google = b"First Name,Last Name,E-mail 1 - Value,Labels\nAda,Obi\nBo,Li,bo@example.com,x\n"
    result = GOOGLE.parse(google)
    assert [c.name for c in result.contacts] == ["Bo Li"]
    assert [line for line, _ in result.rejected] == [2]


def test_vcard_nested_begin_outside_agent_rejects_the_open_card() -> None:
    """A BEGIN:VCARD inside a card (not after AGENT:) rejects that card; the next is read."""
    data = (
        b"BEGIN:VCARD\nFN:Lost End\n"
        b"BEGIN:VCARD\nFN:Next Person\nEND:VCARD\n"
        b"BEGIN:VCARD\nFN:Third\nEND:VCARD\n"
    )
    result = VCARD.parse(data)
    assert [c.name for c in result.contacts] == ["Next Person", "Third"]
    assert result.lines == (3, 6)
    assert result.rejected == (
        (
            1,
            "the card has no END:VCARD before the BEGIN:VCARD on line 3 "
            "(a card inside a card is only allowed in a vCard 2.1 AGENT property)",
        ),
    )


@pytest.mark.parametrize("charset", ["rot13", "zlib_codec", "base64_codec", "hex"])
def test_vcard_non_text_charset_rejects_only_its_card(charset: str) -> None:
    """A CHARSET that names a codec but not a text encoding rejects its card, nothing more."""
    data = f"BEGIN:VCARD\nFN;CHARSET={charset}:x\nEND:VCARD\nBEGIN:VCARD\nFN:Ok\nEND:VCARD\n"
    result = VCARD.parse(data.encode())
    assert [c.name for c in result.contacts] == ["Ok"]
    assert result.rejected == ((1, "FN on line 2 declares a CHARSET that is not a text encoding"),)


def test_vcard_leading_text_is_sniffed_and_rejected_as_one_entry() -> None:
    """Junk before the first card is still a vCard file; the junk is one rejected entry."""
    data = b"Exported by PhoneSync\n\nBEGIN:VCARD\nFN:Ada\nEND:VCARD\n"
    assert pick_importer(BUILT_IN, data, None) is VCARD
    result = VCARD.parse(data)
    assert [c.name for c in result.contacts] == ["Ada"]
    assert result.rejected == (
        (1, "text outside BEGIN:VCARD ... END:VCARD, from here up to line 2"),
    )
    late = b"x\n" * SNIFF_LINES + b"BEGIN:VCARD\nFN:Ada\nEND:VCARD\n"
    assert not VCARD.sniff(late)
