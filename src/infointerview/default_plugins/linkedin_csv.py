"""The ``linkedin`` importer: the ``Connections.csv`` file of LinkedIn's data export.

The file opens with a few lines of notes and a blank line, then the header
``First Name,Last Name,URL,Email Address,Company,Position,Connected On``
(older exports have no ``URL``). The connection date goes into the
contact's notes as ``Connected on LinkedIn: YYYY-MM-DD``.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Final

from infointerview.default_plugins.importers import (
    ResultBuilder,
    RowError,
    check_length,
    clean_line,
    csv_records,
    decode_text,
    field,
    find_header,
    linkedin_profile_url,
    make_contact,
    sniff_text,
    table_rows,
)
from infointerview.errors import InvalidInputError
from infointerview.hookspecs import hookimpl
from infointerview.model import Contact, ContactSource
from infointerview.ports import Importer, ImportResult

__all__ = ["LinkedInImporter", "connected_on", "register_importers"]

EXPECTED: Final = "a LinkedIn Connections.csv export"
HEADER_WITHIN: Final = 30
"""How many records the notes before the header may take."""
_REQUIRED: Final = frozenset({"first name", "last name", "company", "position"})
_DATE_FORMATS: Final = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%Y-%m-%d", "%m/%d/%y")
NOTE_PREFIX: Final = "Connected on LinkedIn: "


def _is_header(keys: list[str]) -> bool:
    return set(keys) >= _REQUIRED


def connected_on(raw: str) -> str:
    """LinkedIn's "Connected On" value as an ISO date, or the cleaned text if it is not a date."""
    return _iso_date(clean_line(raw))


@functools.lru_cache(maxsize=4096)  # an export repeats the same few thousand dates
def _iso_date(text: str) -> str:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return text


class LinkedInImporter(Importer):
    """Reads LinkedIn's ``Connections.csv``; every contact's source is ``professional_network``."""

    name = "linkedin"
    suffixes = (".csv",)

    def sniff(self, data: bytes) -> bool:
        """A LinkedIn header row within the first lines."""
        head = sniff_text(data)
        return bool(head) and find_header(csv_records(head), _is_header, HEADER_WITHIN) is not None

    def parse(self, data: bytes) -> ImportResult:
        """Contacts from the rows after the header; a row without a name is rejected."""
        text = decode_text(data, EXPECTED)
        records = csv_records(text)
        header = find_header(records, _is_header, HEADER_WITHIN)
        if header is None:
            raise _not_linkedin()
        builder = ResultBuilder()
        for line, row in table_rows(header.cells, records, builder):
            try:
                contact, url_dropped = _contact(row)
            except RowError as exc:
                builder.reject(line, str(exc))
                continue
            builder.add(line, contact)
            if url_dropped:
                builder.skip(line, URL_DROPPED)
        return builder.result()


URL_DROPPED: Final = (
    "the URL field was left out: it is not an http(s) URL on linkedin.com; "
    "the rest of the row was imported"
)


def _contact(row: dict[str, str]) -> tuple[Contact, bool]:
    """The row's contact, and whether a URL was given but left out."""
    name = " ".join(p for p in (field(row, "First Name"), field(row, "Last Name")) if p)
    since = row.get("connected on", "")
    notes = NOTE_PREFIX + connected_on(check_length("Connected On", since)) if since.strip() else ""
    given_url = field(row, "URL", "Profile URL")
    url = linkedin_profile_url(given_url)
    contact = make_contact(
        name=name,
        name_from="First Name and Last Name",
        source=ContactSource.PROFESSIONAL_NETWORK,
        organisation=field(row, "Company"),
        role=field(row, "Position"),
        email=field(row, "Email Address"),
        linkedin_url=url,
        notes=notes,
    )
    return contact, bool(given_url) and not url


def _not_linkedin() -> InvalidInputError:
    return InvalidInputError(
        f"this is not {EXPECTED}: no header row with First Name, Last Name, Company and "
        f"Position in its first {HEADER_WITHIN} lines. Import Connections.csv from the "
        "archive LinkedIn sends (Settings > Data privacy > Get a copy of your data)"
    )


@hookimpl
def register_importers() -> list[Importer]:
    """The built-in ``linkedin`` importer."""
    return [LinkedInImporter()]
