"""What the built-in importers share, and the import service behind ``Workspace.import_contacts``.

The format modules (:mod:`.linkedin_csv`, :mod:`.google_csv`, :mod:`.vcard`)
turn bytes into an :class:`~infointerview.ports.ImportResult`; this module
decodes text, bounds sizes, cleans values, builds contacts, and then picks an
importer, drops duplicates and applies the caller's overrides.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Final

import attrs

from infointerview.errors import InfoInterviewError, InvalidInputError, PluginError
from infointerview.model import Contact, ContactSource
from infointerview.ports import Importer, ImportResult

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_IMPORT_BYTES",
    "MAX_LISTED_ROWS",
    "CsvRecord",
    "ResultBuilder",
    "RowError",
    "check_length",
    "clean_line",
    "clean_text",
    "csv_records",
    "decode_text",
    "drop_duplicates",
    "email_key",
    "field",
    "find_header",
    "header_key",
    "is_linkedin_url",
    "linkedin_key",
    "linkedin_profile_url",
    "make_contact",
    "pick_importer",
    "prepare_import",
    "rejection_error",
    "sniff_text",
    "table_rows",
]

MAX_IMPORT_BYTES: Final = 64 * 1024 * 1024
"""The largest file an importer reads (LinkedIn and Google exports are a few MB)."""
MAX_FIELD_CHARS: Final = 10_000
"""The longest value kept from one field; a longer one rejects its row."""
MAX_LISTED_ROWS: Final = 100
"""How many rejected rows an all-or-nothing error message lists."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")


class RowError(Exception):
    """One row cannot become a contact; ``str()`` is the reason (no personal data)."""


# -- bytes to text ------------------------------------------------------------
def decode_text(data: bytes, expected: str, *, keep_bad_bytes: bool = False) -> str:
    """The text of ``data``: UTF-8 (BOM optional) or UTF-16 with a BOM.

    Raises :class:`InvalidInputError` naming ``expected`` (e.g. "a LinkedIn
    Connections.csv export") for data that is too large, binary or not text.
    ``keep_bad_bytes`` keeps bytes that are not UTF-8 as surrogate escapes
    (for vCard values that declare their own ``CHARSET``).
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InvalidInputError(
            f"expected the bytes of {expected}, got {type(data).__name__}; "
            "read the file in binary mode (open(path, 'rb') or Path.read_bytes())"
        )
    data = bytes(data)
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInputError(
            f"the file is {len(data):,} bytes; the import limit is {MAX_IMPORT_BYTES:,} bytes. "
            f"Expected {expected}; split the file and import the parts"
        )
    if not data.strip():
        raise InvalidInputError(f"the file is empty; expected {expected}")
    if data.startswith(b"PK\x03\x04"):
        raise InvalidInputError(
            f"this is a ZIP archive, not {expected}: unzip it and import the file inside "
            "(LinkedIn's data export puts Connections.csv in the archive)"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InvalidInputError(
                f"the file starts with a UTF-16 mark but is not valid UTF-16 at byte "
                f"{exc.start}; expected {expected}"
            ) from None
    else:
        try:
            text = data.decode("utf-8-sig", "surrogateescape" if keep_bad_bytes else "strict")
        except UnicodeDecodeError as exc:
            if b"\x00" in data:
                raise _binary(expected) from None
            line = data.count(b"\n", 0, exc.start) + 1
            raise InvalidInputError(
                f"the file is not UTF-8 text: byte {exc.start} (line {line}) cannot be decoded. "
                f"Expected {expected}; save it as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet) "
                "and import it again"
            ) from None
    if "\x00" in text:
        raise _binary(expected)
    return text


def _binary(expected: str) -> InvalidInputError:
    return InvalidInputError(
        f"the file looks binary (it contains NUL bytes), not {expected}; "
        "check that you picked the right file"
    )


def sniff_text(data: bytes, limit: int = 64 * 1024) -> str:
    """The decoded start of ``data`` for sniffing, or ``""`` if it is not text."""
    head = bytes(data[:limit])
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if b"\x00" in head:
        return ""
    return head.decode("utf-8-sig", errors="ignore")


# -- values -------------------------------------------------------------------
def clean_line(value: str) -> str:
    """One line of text: control characters dropped, whitespace runs made one space."""
    return " ".join(_CONTROL.sub("", value).split())


def clean_text(value: str) -> str:
    """Multi-line text (notes): ``\\n`` line ends, control characters dropped, ends stripped."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def check_length(label: str, value: str) -> str:
    """``value``, or :class:`RowError` if it is longer than :data:`MAX_FIELD_CHARS`."""
    if len(value) > MAX_FIELD_CHARS:
        raise RowError(
            f"{label} is {len(value):,} characters long; the limit is {MAX_FIELD_CHARS:,}"
        )
    return value


def make_contact(
    *,
    name: str,
    source: ContactSource,
    what: str = "the row",
    name_from: str = "the name fields",
    organisation: str = "",
    role: str = "",
    email: str = "",
    phone: str = "",
    linkedin_url: str = "",
    tags: Iterable[str] = (),
    notes: str = "",
) -> Contact:
    """A new contact from cleaned values, or :class:`RowError` saying what is wrong."""
    if not name:
        raise RowError(f"{what} has no name: {name_from} are empty")
    if email and not _EMAIL.fullmatch(email):
        raise RowError(f"{what} has an email address without the form name@domain")
    if linkedin_url:
        url = linkedin_profile_url(linkedin_url)
        if not url:
            raise RowError(f"{what} has a profile URL that is not an http(s) URL on linkedin.com")
        linkedin_url = url
    try:
        return Contact(
            name=name,
            organisation=organisation,
            role=role,
            email=email,
            phone=phone,
            linkedin_url=linkedin_url,
            tags=frozenset(t for t in tags if t),
            notes=notes,
            source=source,
        )
    except InvalidInputError as exc:
        raise RowError(str(exc)) from None


@attrs.define
class ResultBuilder:
    """Collects contacts (with their lines), rejections and skips into an ImportResult."""

    contacts: list[Contact] = attrs.Factory(list)
    lines: list[int] = attrs.Factory(list)
    rejected: list[tuple[int, str]] = attrs.Factory(list)
    skipped: list[tuple[int, str]] = attrs.Factory(list)

    def add(self, line: int, contact: Contact) -> None:
        """Keep ``contact``, read from ``line``."""
        self.contacts.append(contact)
        self.lines.append(line)

    def reject(self, line: int, reason: str) -> None:
        """Refuse the row at ``line``."""
        self.rejected.append((line, reason))

    def skip(self, line: int, reason: str) -> None:
        """Leave out the row at ``line`` on purpose."""
        self.skipped.append((line, reason))

    def result(self) -> ImportResult:
        """The frozen result."""
        return ImportResult(
            contacts=tuple(self.contacts),
            rejected=tuple(self.rejected),
            lines=tuple(self.lines),
            skipped=tuple(self.skipped),
        )


# -- CSV ----------------------------------------------------------------------
@attrs.frozen
class CsvRecord:
    """One CSV record and the line it starts on; ``error`` is set if reading stopped there."""

    line: int
    cells: tuple[str, ...] = ()
    error: str = ""


def csv_records(text: str) -> Iterator[CsvRecord]:
    """Records of ``text`` with their first line numbers; blank lines come as empty records.

    Quoted fields may hold commas and line breaks. A field too large for the
    csv module, or a quote never closed (it would swallow the rest of the
    file), ends the reading with an ``error`` record: what follows it cannot
    be trusted.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    previous = 0
    pending: CsvRecord | None = None
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if pending is not None:
                yield pending
            yield CsvRecord(
                line=previous + 1,
                error=f"the CSV cannot be read from here on ({exc}); "
                "the file is damaged or is not a CSV export",
            )
            return
        if pending is not None:
            yield pending
        pending = CsvRecord(line=previous + 1, cells=tuple(cells))
        previous = reader.line_num
    if pending is not None:
        if _open_quote_at_end(text, pending.line):
            yield CsvRecord(
                line=pending.line,
                error="a quote opened in this row is never closed, so the row would run to "
                "the end of the file; close the quote (or double a quote inside a value)",
            )
            return
        yield pending


def _open_quote_at_end(text: str, line: int) -> bool:
    """Whether the record starting on ``line`` (the last one) ends inside a quoted field."""
    # Only the strict reader notices the end of the data inside quotes; it is run on the
    # last record alone, as it also refuses text after a closing quote that the lenient
    # reader keeps.
    tail = "".join(io.StringIO(text, newline="").readlines()[line - 1 :])
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def header_key(cell: str) -> str:
    """A header cell as compared: BOM, quotes and outer spaces dropped, case folded."""
    return cell.replace("\ufeff", "").strip().strip('"').strip().casefold()


def find_header(
    records: Iterator[CsvRecord], accept: Callable[[list[str]], bool], within: int
) -> CsvRecord | None:
    """The first of the first ``within`` records whose header keys ``accept`` likes."""
    for count, record in enumerate(records):
        if count >= within or record.error:
            return None
        if accept([header_key(c) for c in record.cells]):
            return record
    return None


def table_rows(
    header: Sequence[str], records: Iterator[CsvRecord], builder: ResultBuilder
) -> Iterator[tuple[int, dict[str, str]]]:
    """Data rows as ``{header key: cell}``; rows with too many or too few fields go to ``builder``.

    Blank rows are passed over, and so are empty cells beyond the header's
    width (spreadsheets add trailing commas). The exports read here write
    every column in every row, so a shorter row would shift values into the
    wrong fields.
    """
    keys = [header_key(c) for c in header]
    width = max((i + 1 for i, key in enumerate(keys) if key), default=0)
    for record in records:
        if record.error:
            builder.reject(record.line, record.error)
            return
        if not any(c.strip() for c in record.cells):
            continue
        if any(c.strip() for c in record.cells[len(keys) :]):
            builder.reject(
                record.line,
                f"the row has {len(record.cells)} fields but the header has {len(keys)}; "
                "a value probably holds an unquoted comma",
            )
            continue
        if len(record.cells) < width:
            builder.reject(
                record.line,
                f"the row has {len(record.cells)} fields but the header has {width}; "
                "a value or comma is missing, so the fields cannot be matched to columns",
            )
            continue
        row: dict[str, str] = {}
        for key, cell in zip(keys, record.cells, strict=False):
            if key and key not in row:
                row[key] = cell
        yield record.line, row


def field(row: Mapping[str, str], *names: str) -> str:
    """The first non-empty of ``names`` in ``row``, as one clean line (length checked)."""
    for name in names:
        raw = row.get(name.casefold(), "")
        if raw.strip():
            return clean_line(check_length(name, raw))
    return ""


# -- identity -----------------------------------------------------------------
def email_key(email: str) -> str:
    """An email address as compared for duplicates."""
    return email.strip().casefold()


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_HOST = re.compile(r"[a-z0-9.-]+")


def linkedin_profile_url(url: str) -> str:
    """``url`` as ``https://`` on linkedin.com (or a subdomain), or ``""`` if it is anything else.

    The one rule every importer and the duplicate check use: the scheme must be
    ``http`` or ``https`` (or absent, as in ``linkedin.com/in/x``), and the
    address may carry no user name, password, port, whitespace or control
    characters. The fragment is dropped.
    """
    text = url.strip()
    if not text or any(c.isspace() or not c.isprintable() for c in text):
        return ""
    if not _SCHEME.match(text):
        text = "https://" + text
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:
        return ""
    host = parts.netloc.casefold()
    if parts.scheme.casefold() not in ("http", "https") or not _HOST.fullmatch(host):
        return ""  # also refuses "user@host", "host:port" and "host\@other"
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return ""
    return urllib.parse.urlunsplit(("https", host, parts.path, parts.query, ""))


def is_linkedin_url(url: str) -> bool:
    """Whether ``url`` passes :func:`linkedin_profile_url`."""
    return bool(linkedin_profile_url(url))


def linkedin_key(url: str) -> str:
    """A LinkedIn profile URL as compared for duplicates (scheme, host, query, case ignored)."""
    normal = linkedin_profile_url(url)
    if not normal:
        return ""
    path = urllib.parse.urlsplit(normal).path
    return "linkedin.com" + urllib.parse.unquote(path).rstrip("/").casefold()


# -- the import service -------------------------------------------------------
def pick_importer(importers: Mapping[str, Importer], data: bytes, format: str | None) -> Importer:
    """The importer named ``format``, else the first whose ``sniff`` accepts ``data``.

    The built-in importers are asked first (their formats do not overlap), so
    a plugin that sniffs broadly cannot take over a format by accident; a
    plugin's importer is always used when ``format`` names it.
    """
    if format is not None:
        importer = importers.get(format) or importers.get(format.strip().lower())
        if importer is None:
            raise InvalidInputError(
                f"no importer is named {format!r}; known formats: {_known(importers)}"
            )
        return importer
    decode_text(data, "a contact file: " + _known(importers), keep_bad_bytes=True)
    ordered = sorted(importers.items(), key=lambda item: (not _builtin(item[1]), item[0]))
    for name, importer in ordered:
        try:
            if importer.sniff(data):
                return importer
        except Exception as exc:  # a broken plugin must not hide the others
            raise PluginError(
                f"importer {name!r} failed while sniffing the file: {type(exc).__name__}; "
                "name the format with format=... or disable the plugin"
            ) from exc
    raise InvalidInputError(
        "the file's format was not recognised; expected one of: "
        f"{_known(importers)}. Name the format with format=... if you know it"
    )


def _builtin(importer: Importer) -> bool:
    return type(importer).__module__.startswith("infointerview.default_plugins.")


def _known(importers: Mapping[str, Importer]) -> str:
    described = []
    for name, importer in sorted(importers.items()):
        suffixes = ", ".join(importer.suffixes)
        described.append(f"{name} ({suffixes})" if suffixes else name)
    return "; ".join(described) or "none (install an importer plugin)"


def drop_duplicates(result: ImportResult, stored: Iterable[Contact]) -> ImportResult:
    """``result`` without the contacts that repeat an email or LinkedIn URL.

    A contact is a duplicate if its email or LinkedIn profile URL matches a
    stored contact's or an earlier one's in the same file; it moves to
    ``skipped`` with the line or stored id it repeats.
    """
    seen_email: dict[str, str] = {}
    seen_url: dict[str, str] = {}
    for contact in stored:
        if contact.email:
            seen_email.setdefault(email_key(contact.email), f"stored contact {contact.id}")
        if key := linkedin_key(contact.linkedin_url):
            seen_url.setdefault(key, f"stored contact {contact.id}")
    known_lines = len(result.lines) == len(result.contacts)
    kept: list[Contact] = []
    kept_lines: list[int] = []
    skipped = list(result.skipped)
    for index, contact in enumerate(result.contacts):
        line = result.lines[index] if known_lines else 0
        here = f"line {line}" if line else f"entry {index + 1}"
        email = email_key(contact.email) if contact.email else ""
        url = linkedin_key(contact.linkedin_url)
        if email and email in seen_email:
            skipped.append((line, f"same email address as {seen_email[email]}"))
            continue
        if url and url in seen_url:
            skipped.append((line, f"same LinkedIn profile URL as {seen_url[url]}"))
            continue
        if email:
            seen_email[email] = here
        if url:
            seen_url[url] = here
        kept.append(contact)
        kept_lines.append(line)
    return attrs.evolve(
        result,
        contacts=tuple(kept),
        lines=tuple(kept_lines) if known_lines else (),
        skipped=tuple(sorted(skipped, key=lambda s: s[0])),
    )


def prepare_import(
    data: bytes,
    importers: Mapping[str, Importer],
    *,
    stored: Iterable[Contact],
    format: str | None = None,
    source: ContactSource | str | None = None,
    tags: Iterable[str] = (),
) -> tuple[str, ImportResult]:
    """Parse ``data`` and settle what would be added: ``(importer name, result)``.

    Applies ``source`` and ``tags`` to every contact and drops duplicates;
    nothing is stored.
    """
    chosen_source = _source(source)
    extra_tags = _tags(tags)
    importer = pick_importer(importers, data, format)
    try:
        parsed = importer.parse(data)
    except InfoInterviewError:
        raise
    except Exception as exc:
        raise PluginError(
            f"importer {importer.name!r} failed on the file: {type(exc).__name__}; "
            "fix or disable the plugin that provides it"
        ) from exc
    if not isinstance(parsed, ImportResult):
        raise PluginError(
            f"importer {importer.name!r} returned {type(parsed).__name__}, not an ImportResult"
        )
    if chosen_source is not None or extra_tags:
        contacts = tuple(
            attrs.evolve(
                c,
                source=c.source if chosen_source is None else chosen_source,
                tags=c.tags | extra_tags,
            )
            for c in parsed.contacts
        )
        parsed = attrs.evolve(parsed, contacts=contacts)
    return importer.name, drop_duplicates(parsed, stored)


def _source(source: ContactSource | str | None) -> ContactSource | None:
    if source is None:
        return None
    try:
        return ContactSource(source)
    except ValueError:
        raise InvalidInputError(
            f"source {source!r} is not a contact source; use one of "
            f"{', '.join(s.value for s in ContactSource)}"
        ) from None


def _tags(tags: Iterable[str]) -> frozenset[str]:
    if isinstance(tags, str):
        tags = (tags,)
    cleaned = set()
    for tag in tags:
        if not isinstance(tag, str) or not clean_line(tag):
            raise InvalidInputError(f"import tags must be non-empty strings, got {tag!r}")
        cleaned.add(clean_line(tag))
    return frozenset(cleaned)


def rejection_error(format_name: str, rejected: Sequence[tuple[int, str]]) -> InvalidInputError:
    """The all-or-nothing error: the rejected rows (up to :data:`MAX_LISTED_ROWS`), with reasons."""
    listed = [f"  line {line}: {reason}" for line, reason in rejected[:MAX_LISTED_ROWS]]
    more = len(rejected) - len(listed)
    if more:
        listed.append(f"  ... and {more} more")
    return InvalidInputError(
        f"nothing was imported: {len(rejected)} row(s) of the {format_name} file could not be "
        "read:\n" + "\n".join(listed) + "\nFix these rows, or import with all_or_nothing=False "
        "to add the other rows and get these back in the result's 'rejected'"
    )
