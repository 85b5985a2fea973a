"""The ``google_csv`` importer: the "Google CSV" export of Google Contacts.

Both header styles are read: the current one (``First Name``, ``Middle Name``,
``Last Name``, ``Organization Name``, ``Organization Title``, ``Labels``) and
the older one (``Name``, ``Given Name``, ``Family Name``, ``Group Membership``,
``Organization 1 - Name``, ``Organization 1 - Title``). Numbered columns
(``E-mail 1 - Value``, ``Phone 2 - Value``, ...) may hold several values
joined by ``:::``; a label starting with ``*`` marks the primary one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from infointerview.default_plugins.importers import (
    ResultBuilder,
    RowError,
    check_length,
    clean_line,
    clean_text,
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

__all__ = ["GoogleCsvImporter", "labels_to_tags", "register_importers"]

EXPECTED: Final = "a Google Contacts CSV export"
_NAME_COLUMNS: Final = frozenset({"first name", "given name", "name"})
_GOOGLE_COLUMNS: Final = frozenset(
    {
        "e-mail 1 - value",
        "labels",
        "group membership",
        "organization name",
        "organization 1 - name",
    }
)
_SEPARATOR: Final = ":::"
_DROPPED_LABEL: Final = "* mycontacts"
NAME_FROM: Final = "First Name, Middle Name, Last Name (or Name), Nickname and File As"


def _is_header(keys: list[str]) -> bool:
    columns = set(keys)
    return bool(columns & _NAME_COLUMNS) and bool(columns & _GOOGLE_COLUMNS)


def labels_to_tags(raw: str) -> list[str]:
    """Tags from a ``Labels`` or ``Group Membership`` cell (``* myContacts`` dropped)."""
    tags = []
    for part in raw.split(_SEPARATOR):
        label = clean_line(part)
        if not label or label.casefold() == _DROPPED_LABEL:
            continue
        tag = clean_line(label.removeprefix("*"))
        if tag and tag not in tags:
            tags.append(check_length("a label", tag))
    return tags


class GoogleCsvImporter(Importer):
    """Reads Google Contacts CSV; every contact's source is ``own_circle`` (your address book)."""

    name = "google_csv"
    suffixes = (".csv",)

    def sniff(self, data: bytes) -> bool:
        """A Google Contacts header as the first row."""
        head = sniff_text(data)
        return bool(head) and find_header(csv_records(head), _is_header, 2) is not None

    def parse(self, data: bytes) -> ImportResult:
        """Contacts from the rows after the header; a row without any name is rejected."""
        text = decode_text(data, EXPECTED)
        records = csv_records(text)
        header = find_header(records, _is_header, 2)
        if header is None:
            raise InvalidInputError(
                f"this is not {EXPECTED}: the first row is not a Google Contacts header "
                "(it needs First Name or Name, and E-mail 1 - Value, Labels or Organization "
                "Name). Export again from Google Contacts choosing 'Google CSV'"
            )
        builder = ResultBuilder()
        for line, row in table_rows(header.cells, records, builder):
            try:
                builder.add(line, _contact(row))
            except RowError as exc:
                builder.reject(line, str(exc))
        return builder.result()


def _contact(row: Mapping[str, str]) -> Contact:
    name = field(row, "Name")
    if not name:
        parts = (
            field(row, "First Name", "Given Name"),
            field(row, "Middle Name", "Additional Name"),
            field(row, "Last Name", "Family Name"),
        )
        name = " ".join(p for p in parts if p)
    name = name or field(row, "Nickname") or field(row, "File As")
    websites = _values(row, "website")
    notes = row.get("notes", "")
    return make_contact(
        name=name,
        name_from=NAME_FROM,
        source=ContactSource.OWN_CIRCLE,
        organisation=field(row, "Organization Name", "Organization 1 - Name"),
        role=field(row, "Organization Title", "Organization 1 - Title"),
        email=_preferred(_values(row, "e-mail")),
        phone=_preferred(_values(row, "phone")),
        linkedin_url=next((u for _, w in websites if (u := linkedin_profile_url(w))), ""),
        tags=labels_to_tags(row.get("labels", "") or row.get("group membership", "")),
        notes=clean_text(check_length("Notes", notes)),
    )


def _values(row: Mapping[str, str], kind: str) -> list[tuple[bool, str]]:
    """``(primary, value)`` from the numbered columns of ``kind`` (``e-mail``, ``phone``, ...)."""
    found: list[tuple[bool, str]] = []
    number = 1
    while f"{kind} {number} - value" in row:
        raw = row[f"{kind} {number} - value"]
        label = row.get(f"{kind} {number} - label") or row.get(f"{kind} {number} - type") or ""
        primary = label.strip().startswith("*")
        for part in raw.split(_SEPARATOR):
            value = clean_line(check_length(f"{kind.capitalize()} {number} - Value", part))
            if value:
                found.append((primary, value))
        number += 1
    return found


def _preferred(values: list[tuple[bool, str]]) -> str:
    """The primary value if one is marked, else the first."""
    for primary, value in values:
        if primary:
            return value
    return values[0][1] if values else ""


@hookimpl
def register_importers() -> list[Importer]:
    """The built-in ``google_csv`` importer."""
    return [GoogleCsvImporter()]
