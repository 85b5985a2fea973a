"""The ``vcard`` importer: vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350) files.

Lines are unfolded (a line break followed by a space or tab continues the
line), ``QUOTED-PRINTABLE`` values and ``CHARSET`` parameters of 2.1/3.0
files are decoded, and text escapes (``\\n``, ``\\,``, ``\\;``, ``\\\\``) are
undone. A file may hold many cards; each is reported by the line of its
``BEGIN:VCARD``.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re
from collections.abc import Iterator, Sequence
from typing import Final

import attrs

from infointerview.default_plugins.importers import (
    ResultBuilder,
    RowError,
    check_length,
    clean_line,
    clean_text,
    decode_text,
    linkedin_profile_url,
    make_contact,
    sniff_text,
)
from infointerview.errors import InvalidInputError
from infointerview.hookspecs import hookimpl
from infointerview.model import Contact, ContactSource
from infointerview.ports import Importer, ImportResult

__all__ = [
    "Property",
    "VCardImporter",
    "logical_lines",
    "parse_property",
    "register_importers",
    "split_value",
    "unescape",
]

EXPECTED: Final = "a vCard file (.vcf)"
_LINE_BREAK: Final = re.compile(r"\r\n|\n|\r")
_ENCODINGS: Final = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
_ESCAPES: Final = {"n": "\n", "N": "\n", "\\": "\\", ",": ",", ";": ";", ":": ":"}
_NOT_PEOPLE: Final = {
    "group": "a contact group (KIND:group)",
    "org": "an organisation (KIND:org)",
    "location": "a place (KIND:location)",
}
NAME_FROM: Final = "FN and N"
SNIFF_LINES: Final = 20
"""How far into the file sniffing looks for the first ``BEGIN:VCARD``."""


@attrs.frozen
class Property:
    """One unfolded content line: ``[group.]NAME;PARAM=VALUE:value``."""

    line: int
    name: str
    params: tuple[tuple[str, str], ...] = ()
    value: str = ""

    def param(self, key: str) -> list[str]:
        """Every value of parameter ``key`` (comma lists split), upper-case keys."""
        found: list[str] = []
        for name, value in self.params:
            if name == key:
                found.extend(v.strip() for v in value.split(",") if v.strip())
        return found

    @property
    def types(self) -> frozenset[str]:
        """The ``TYPE`` values, upper-cased (2.1's bare parameters count as types)."""
        return frozenset(t.upper() for t in self.param("TYPE"))

    @property
    def preference(self) -> int:
        """Lower is preferred: ``PREF=n`` (4.0) gives n, ``TYPE=pref`` 1, none 101."""
        for value in self.param("PREF"):
            if value.isdigit():
                return int(value)
        return 1 if "PREF" in self.types else 101


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfolded lines with the number of the physical line each starts on.

    A line starting with a space or tab continues the previous one; a
    quoted-printable value ending in ``=`` continues on the next line.
    """
    start = 0
    parts: list[str] = []
    quoted_printable = False
    for number, physical in enumerate(_LINE_BREAK.split(text), start=1):
        if parts and quoted_printable and parts[-1].endswith("="):
            parts[-1] = parts[-1][:-1]
            parts.append(physical)
            continue
        if parts and physical[:1] in (" ", "\t"):
            parts.append(physical[1:])
            continue
        if parts:
            yield start, "".join(parts)
        start, parts = number, [physical]
        head = physical.split(":", 1)[0].upper()
        quoted_printable = ":" in physical and "QUOTED-PRINTABLE" in head
    if parts:
        yield start, "".join(parts)


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return pieces


def parse_property(line: int, text: str) -> Property | None:
    """The property of one logical line, or ``None`` if it has no ``name:value`` shape."""
    colon = _colon_outside_quotes(text)
    if colon < 0:
        return None
    head, value = text[:colon], text[colon + 1 :]
    tokens = _split_outside_quotes(head, ";")
    name = tokens[0].strip().rsplit(".", 1)[-1].upper()
    if not name:
        return None
    params: list[tuple[str, str]] = []
    for token in tokens[1:]:
        key, equals, raw = token.partition("=")
        key = key.strip().upper()
        if not equals:  # vCard 2.1 bare parameters: "WORK", "PREF", "QUOTED-PRINTABLE"
            params.append(("ENCODING" if key in _ENCODINGS else "TYPE", key))
            continue
        params.append((key, raw.strip().replace('"', "")))
    return Property(line=line, name=name, params=tuple(params), value=value)


def _colon_outside_quotes(text: str) -> int:
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return index
    return -1


def split_value(value: str, separator: str) -> list[str]:
    """Split ``value`` at ``separator`` where it is not escaped by a backslash (kept escaped)."""
    pieces: list[str] = []
    current: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    pieces.append("".join(current))
    return pieces


def unescape(value: str) -> str:
    """Undo vCard text escapes: ``\\n`` is a line break, ``\\,`` ``\\;`` ``\\\\`` themselves."""
    out: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            out.append(_ESCAPES.get(char, "\\" + char))
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    if escaped:
        out.append("\\")
    return "".join(out)


def _decoded(prop: Property) -> str:
    """The property's value as text: transfer encoding and charset undone, not yet unescaped."""
    encodings = {e.upper() for e in prop.param("ENCODING")}
    charsets = prop.param("CHARSET")
    charset = charsets[0] if charsets else ""
    if charset:
        try:
            known = codecs.lookup(charset)
        except (LookupError, ValueError, TypeError):
            raise RowError(f"{prop.name} on line {prop.line} declares an unknown CHARSET") from None
        # rot13, zlib_codec, base64_codec, ... are codecs but not text encodings
        if not getattr(known, "_is_text_encoding", True):
            raise RowError(
                f"{prop.name} on line {prop.line} declares a CHARSET that is not a text encoding"
            )
    raw = prop.value.encode("utf-8", "surrogateescape")
    if "QUOTED-PRINTABLE" in encodings:
        raw = quopri.decodestring(raw)
    elif encodings & {"B", "BASE64"}:
        try:
            raw = base64.b64decode(raw, validate=False)
        except (binascii.Error, ValueError):
            raise RowError(f"{prop.name} on line {prop.line} is not valid base64") from None
    elif not charset:
        try:
            return prop.value.encode("utf-8").decode("utf-8")
        except UnicodeEncodeError:
            raise RowError(
                f"{prop.name} on line {prop.line} is not UTF-8 text; declare its CHARSET or "
                "save the file as UTF-8"
            ) from None
    try:
        return raw.decode(charset or "utf-8")
    except (ValueError, LookupError, TypeError):  # UnicodeError is a ValueError
        raise RowError(
            f"{prop.name} on line {prop.line} is not valid {charset or 'UTF-8'} text"
        ) from None


def _text(prop: Property) -> str:
    return unescape(_decoded(prop))


def _line_value(prop: Property) -> str:
    return clean_line(check_length(prop.name, _text(prop)))


class VCardImporter(Importer):
    """Reads vCard 2.1/3.0/4.0; every contact's source is ``own_circle`` (your address book)."""

    name = "vcard"
    suffixes = (".vcf", ".vcard")

    def sniff(self, data: bytes) -> bool:
        """A ``BEGIN:VCARD`` line within the first :data:`SNIFF_LINES` lines."""
        lines = _LINE_BREAK.split(sniff_text(data), maxsplit=SNIFF_LINES)[:SNIFF_LINES]
        return any(line.strip().upper() == "BEGIN:VCARD" for line in lines)

    def parse(self, data: bytes) -> ImportResult:
        """One contact per card; a card without FN or N is rejected by its BEGIN line."""
        text = decode_text(data, EXPECTED, keep_bad_bytes=True).replace("\x1a", "")
        if "BEGIN:VCARD" not in text.upper():
            raise InvalidInputError(
                f"this is not {EXPECTED}: it has no BEGIN:VCARD line. Export the address "
                "book as vCard (.vcf) and import that file"
            )
        builder = ResultBuilder()
        for begin, props, problem in _cards(logical_lines(text)):
            if problem:
                builder.reject(begin, problem)
                continue
            try:
                kind = _kind(props)
                if kind:
                    builder.skip(begin, f"the card is {kind}, not a person")
                    continue
                builder.add(begin, _contact(props))
            except RowError as exc:
                builder.reject(begin, str(exc))
        return builder.result()


def _cards(lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, list[Property], str]]:
    """``(BEGIN line, properties, problem)`` per card; stray text comes as a problem.

    A ``BEGIN:VCARD`` inside a card is only allowed right after a 2.1
    ``AGENT:`` line (the agent's card is not a contact of its own); anywhere
    else the open card is rejected (it most likely lost its ``END:VCARD``)
    and a new card starts there.
    """
    begin = 0
    depth = 0
    props: list[Property] = []
    stray: int | None = None
    after_agent = False
    for number, text in lines:
        upper = text.strip().upper()
        if begin and upper == "BEGIN:VCARD" and not after_agent:
            yield begin, [], _unclosed(number)
            begin = 0
        if not begin:
            if upper == "BEGIN:VCARD":
                if stray is not None:
                    yield stray, [], _stray(stray, number - 1)
                    stray = None
                begin, depth, props, after_agent = number, 0, [], False
            elif upper and stray is None:
                stray = number
            continue
        if not upper:
            continue
        prop = parse_property(number, text)
        after_agent = prop is not None and prop.name == "AGENT" and not prop.value.strip()
        if upper == "BEGIN:VCARD":
            depth += 1  # a card nested in a 2.1 AGENT property: not a contact of its own
        elif upper == "END:VCARD":
            if depth == 0:
                yield begin, props, ""
                begin = 0
            else:
                depth -= 1
        elif depth == 0:
            if prop is not None:
                props.append(prop)
            elif props:  # a raw line break inside a value: keep it as part of that value
                last = props[-1]
                props[-1] = attrs.evolve(last, value=last.value + "\\n" + text)
    if begin:
        yield begin, [], "the card has no END:VCARD (the file may be cut short)"
    elif stray is not None:
        yield stray, [], _stray(stray, None)


def _unclosed(next_begin: int) -> str:
    return (
        f"the card has no END:VCARD before the BEGIN:VCARD on line {next_begin} "
        "(a card inside a card is only allowed in a vCard 2.1 AGENT property)"
    )


def _stray(first: int, last: int | None) -> str:
    where = "to the end of the file" if last is None else f"up to line {last}"
    return f"text outside BEGIN:VCARD ... END:VCARD, from here {where}"


def _kind(props: Sequence[Property]) -> str:
    for prop in props:
        if prop.name == "KIND":
            return _NOT_PEOPLE.get(_text(prop).strip().casefold(), "")
    return ""


def _first(props: Sequence[Property], name: str) -> Property | None:
    return next((p for p in props if p.name == name), None)


def _preferred(props: Sequence[Property], name: str) -> Property | None:
    chosen = [p for p in props if p.name == name and p.value.strip()]
    return min(chosen, key=lambda p: p.preference) if chosen else None


def _name(props: Sequence[Property]) -> str:
    fn = _first(props, "FN")
    if fn is not None and (name := _line_value(fn)):
        return name
    n = _first(props, "N")
    if n is None:
        return ""
    check_length("N", n.value)
    parts = [unescape(" ".join(split_value(c, ","))) for c in split_value(_decoded(n), ";")]
    family, given, additional = [*parts, "", "", ""][:3]
    return clean_line(" ".join((given, additional, family)))


def _contact(props: Sequence[Property]) -> Contact:
    org = _first(props, "ORG")
    organisation = ""
    if org is not None:
        organisation = clean_line(check_length("ORG", unescape(split_value(_decoded(org), ";")[0])))
    role_prop = _first(props, "TITLE") or _first(props, "ROLE")
    email_prop = _preferred(props, "EMAIL")
    tel_prop = _preferred(props, "TEL")
    email = _line_value(email_prop) if email_prop is not None else ""
    phone = _line_value(tel_prop) if tel_prop is not None else ""
    urls = (_line_value(p) for p in props if p.name in ("URL", "X-SOCIALPROFILE"))
    tags: list[str] = []
    for prop in props:
        if prop.name == "CATEGORIES":
            check_length("CATEGORIES", prop.value)
            tags.extend(clean_line(unescape(c)) for c in split_value(_decoded(prop), ","))
    notes = "\n\n".join(
        clean_text(check_length("NOTE", _text(p))) for p in props if p.name == "NOTE"
    )
    return make_contact(
        name=_name(props),
        what="the card",
        name_from=NAME_FROM,
        source=ContactSource.OWN_CIRCLE,
        organisation=organisation,
        role=_line_value(role_prop) if role_prop is not None else "",
        email=_strip_scheme(email, "mailto:"),
        phone=_strip_scheme(phone, "tel:"),
        linkedin_url=next((p for u in urls if (p := linkedin_profile_url(u))), ""),
        tags=tags,
        notes=check_length("NOTE", notes.strip()),
    )


def _strip_scheme(value: str, scheme: str) -> str:
    return value[len(scheme) :] if value.casefold().startswith(scheme) else value


@hookimpl
def register_importers() -> list[Importer]:
    """The built-in ``vcard`` importer."""
    return [VCardImporter()]
