"""A drafted email as an RFC 5322 message (``email.message.EmailMessage``) and ``.eml`` bytes.

Standard library only. Every header value is checked before it is set: a
carriage return, line feed or any other line break is refused with
:class:`~infointerview.errors.InvalidInputError`, so contact data can never
add a header.

Addresses are written in ASCII, as mail without the SMTPUTF8 extension needs:
a domain with other letters (``exämple.org``) is encoded with the ``idna``
codec (``xn--exmple-cua.org``), and a mailbox name before the ``@`` with other
letters is refused. The Message-ID is ``<id@domain>`` with every character of
the message's id outside ``A-Z a-z 0-9 _ -`` written as ``=XX`` (its UTF-8
bytes in hex), so no id can break the header.
"""

from __future__ import annotations

import email.policy
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from infointerview.errors import InvalidInputError
from infointerview.model import Channel, Message

__all__ = ["check_header_value", "to_email_message", "to_eml"]

# Characters that end a line for str.splitlines() or for some mail software.
_LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_FIELD_NAME = re.compile(r"[!-9;-~]+")
_ANGLE_ADDRESS = re.compile(r"(?P<name>[^<>]*?)\s*<(?P<addr>[^<>\s]+)>")
_BARE_ADDRESS = re.compile(r"[^<>\s\"(),:;@]+@[^<>\s\"(),:;@]+")
_ID_SAFE = re.compile(r"[A-Za-z0-9_-]")
_HOST_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
_OWN_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "bcc",
        "reply-to",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
    }
)


def check_header_value(value: str, field: str) -> str:
    """``value`` if it is one line of text, else :class:`InvalidInputError` naming ``field``."""
    if not isinstance(value, str):
        raise InvalidInputError(f"email header {field} must be text, got {type(value).__name__}")
    if any(ch in _LINE_BREAKS for ch in value) or "\x00" in value:
        raise InvalidInputError(
            f"email header {field} contains a carriage return, line feed or other line break; "
            "header injection is refused: put the value on one line"
        )
    return value


def _address(value: str, field: str) -> Address:
    """One mailbox: ``addr@example.org`` or ``Display Name <addr@example.org>``."""
    text = check_header_value(value, field).strip()
    display = ""
    angle = _ANGLE_ADDRESS.fullmatch(text)
    if angle is not None:
        display = angle.group("name").strip()
        if len(display) >= 2 and display[0] == display[-1] == '"':
            display = display[1:-1]
        spec = angle.group("addr")
    else:
        spec = text
    if not _BARE_ADDRESS.fullmatch(spec):
        raise InvalidInputError(
            f"email header {field}: {spec!r} is not an address like name@example.org"
        )
    username, _, domain = spec.rpartition("@")
    if not username.isascii():
        raise InvalidInputError(
            f"email header {field}: the mailbox name before '@' has non-ASCII letters, which "
            "mail without SMTPUTF8 cannot carry; use an ASCII address"
        )
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise InvalidInputError(
                f"email header {field}: the domain is not a valid international domain name; "
                "check its spelling or give its xn-- form"
            ) from None
    try:
        return Address(display_name=display, username=username, domain=domain)
    except Exception as exc:  # the email package raises several types for bad parts
        raise InvalidInputError(
            f"email header {field}: the address is not valid ({type(exc).__name__}); "
            "use the form name@example.org"
        ) from None


def _message_id(message_id: str, domain: str) -> str:
    """``<id@domain>`` with the id's unsafe characters hex-escaped and a plain host name."""
    if not isinstance(message_id, str) or not message_id:
        raise InvalidInputError("the message has no id to make its Message-ID from")
    local = "".join(
        ch
        if _ID_SAFE.fullmatch(ch)
        else "".join(f"={b:02X}" for b in ch.encode("utf-8", "replace"))
        for ch in message_id
    )
    host = domain if _HOST_NAME.fullmatch(domain) else "infointerview.invalid"
    return f"<{local}@{host}>"


def _addresses(values: Iterable[str], field: str) -> tuple[Address, ...]:
    if isinstance(values, str):
        values = (values,)
    return tuple(_address(v, field) for v in values)


def to_email_message(
    message: Message,
    *,
    sender: str,
    recipients: Iterable[str] | None = None,
    cc: Iterable[str] = (),
    bcc: Iterable[str] = (),
    reply_to: str | None = None,
    date: datetime | None = None,
    text_alternative: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """Build an RFC 5322 email from a drafted message of channel ``email``.

    :param sender: the From mailbox, ``"Sam Doe <sam@example.org>"`` or a bare address.
    :param recipients: the To mailboxes; by default the message's own recipients.
    :param date: the Date header; by default the message's ``created_at``.
    :param text_alternative: for an HTML message, a plain-text version to send beside it.
    :param headers: further headers (``X-...``); the ones set above cannot be given here.
    :raises InvalidInputError: a header with a line break, a malformed address (or one
        with a non-ASCII mailbox name; a non-ASCII domain is IDNA-encoded), a message of
        another channel, or no date.
    """
    if message.channel is not Channel.EMAIL:
        raise InvalidInputError(
            f"a {message.channel.value} message is not an email; draft it for channel 'email'"
        )
    when = date or message.created_at
    if when is None:
        raise InvalidInputError("the email needs a Date: pass date=... (timezone-aware)")
    if when.utcoffset() is None:
        raise InvalidInputError("the email's date must be timezone-aware")
    from_ = _address(sender, "From")
    to = _addresses(message.recipients if recipients is None else recipients, "To")
    copies = _addresses(cc, "Cc")
    blind = _addresses(bcc, "Bcc")
    reply = None if reply_to is None else _address(reply_to, "Reply-To")
    subject = check_header_value(message.subject, "Subject")
    extra: list[tuple[str, str]] = []
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
            raise InvalidInputError(
                f"email header name {name!r} is not valid: printable ASCII without ':' or spaces"
            )
        if name.lower() in _OWN_HEADERS:
            raise InvalidInputError(
                f"email header {name} is set from the message and the parameters; "
                "pass it as a parameter instead"
            )
        extra.append((name, check_header_value(value, name)))

    mail = EmailMessage(policy=email.policy.SMTP)
    mail["From"] = from_
    if to:
        mail["To"] = to
    if copies:
        mail["Cc"] = copies
    if blind:
        mail["Bcc"] = blind
    if reply is not None:
        mail["Reply-To"] = reply
    mail["Subject"] = subject
    mail["Date"] = format_datetime(when)
    mail["Message-ID"] = _message_id(message.id, from_.domain)
    for name, value in extra:
        mail[name] = value
    if message.format == "html":
        if text_alternative is not None:
            mail.set_content(text_alternative)
            mail.add_alternative(message.body, subtype="html")
        else:
            mail.set_content(message.body, subtype="html")
    else:
        mail.set_content(message.body)
    return mail


def to_eml(
    message: Message,
    *,
    sender: str,
    recipients: Iterable[str] | None = None,
    cc: Iterable[str] = (),
    bcc: Iterable[str] = (),
    reply_to: str | None = None,
    date: datetime | None = None,
    text_alternative: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> bytes:
    """:func:`to_email_message` as ``.eml`` bytes, with the CRLF line endings of RFC 5322."""
    return to_email_message(
        message,
        sender=sender,
        recipients=recipients,
        cc=cc,
        bcc=bcc,
        reply_to=reply_to,
        date=date,
        text_alternative=text_alternative,
        headers=headers,
    ).as_bytes()
