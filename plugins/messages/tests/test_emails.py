"""RFC 5322 emails from drafted messages: headers, bodies, .eml bytes and header injection."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infointerview import InvalidInputError, Message, to_email_message, to_eml
from infointerview.testing.strategies import personal_text

WHEN = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)


def _message(**changes: object) -> Message:
    fields: dict[str, object] = {
        "kind": "ask_cold",
        "channel": "email",
        "body": "Dear Zoë,\n\nWould you have 20 minutes?\n\nSam",
        "subject": "Your advice: 20 minutes?",
        "recipients": ("Zoë Núñez <zoe@example.org>",),
        "created_at": WHEN,
    }
    fields.update(changes)
    return Message(**fields)  # type: ignore[arg-type]


def _parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)  # type: ignore[return-value]


def test_email_headers_and_body_round_trip() -> None:
    """From, To, Subject, Date and Message-ID are set; the text body reads back unchanged."""
    message = _message()
    mail = to_email_message(message, sender="Sam Rivera <sam@example.org>")
    parsed = _parse(mail.as_bytes())
    assert parsed["From"] == "Sam Rivera <sam@example.org>"
    assert parsed["To"] == "Zoë Núñez <zoe@example.org>"
    assert parsed["Subject"] == "Your advice: 20 minutes?"
    assert parsed["Date"].datetime == WHEN
    assert parsed["Message-ID"] == f"<{message.id}@example.org>"
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content().replace("\r\n", "\n").rstrip("\n") == message.body


def test_eml_bytes_use_crlf_and_ascii_headers() -> None:
    """The .eml file has CRLF line endings and RFC 2047-encoded non-ASCII headers."""
    data = to_eml(_message(), sender="sam@example.org")
    head = data.split(b"\r\n\r\n", 1)[0]
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    head.decode("ascii")
    assert _parse(data)["To"] == "Zoë Núñez <zoe@example.org>"


def test_html_message_with_a_text_alternative() -> None:
    """An HTML draft becomes text/html, or multipart/alternative with a text part."""
    html = _message(body="<p>Dear Zoë</p>", format="html")
    alone = _parse(to_eml(html, sender="sam@example.org"))
    assert alone.get_content_type() == "text/html"
    both = _parse(to_eml(html, sender="sam@example.org", text_alternative="Dear Zoë"))
    assert both.get_content_type() == "multipart/alternative"
    types = [part.get_content_type() for part in both.iter_parts()]
    assert types == ["text/plain", "text/html"]


def test_cc_bcc_reply_to_and_extra_headers() -> None:
    """Optional mailboxes and X- headers are added; recipients can be overridden."""
    data = to_eml(
        _message(),
        sender="sam@example.org",
        recipients=["a@example.org", "B <b@example.org>"],
        cc=["c@example.org"],
        bcc="d@example.org",
        reply_to="Sam <reply@example.org>",
        headers={"X-Infointerview-Kind": "ask_cold"},
    )
    parsed = _parse(data)
    assert parsed["To"] == "a@example.org, B <b@example.org>"
    assert parsed["Cc"] == "c@example.org"
    assert parsed["Bcc"] == "d@example.org"
    assert parsed["Reply-To"] == "Sam <reply@example.org>"
    assert parsed["X-Infointerview-Kind"] == "ask_cold"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"sender": "sam@example.org\r\nBcc: evil@example.org"}, "line break"),
        ({"sender": "Sam\n <sam@example.org>"}, "line break"),
        ({"sender": "not an address"}, "not an address"),
        ({"sender": "a@b@c"}, "not an address"),
        ({"sender": "s@example.org", "recipients": ["x@example.org\nBcc: y@z"]}, "line break"),
        ({"sender": "s@example.org", "reply_to": "r@example.org\u2028X: y"}, "line break"),
        ({"sender": "s@example.org", "headers": {"X-Note": "a\rb"}}, "line break"),
        ({"sender": "s@example.org", "headers": {"X-Note": "a\x0bb"}}, "line break"),
        ({"sender": "s@example.org", "headers": {"Bad Name": "x"}}, "not valid"),
        ({"sender": "s@example.org", "headers": {"X:Y": "x"}}, "not valid"),
        ({"sender": "s@example.org", "headers": {"Subject": "x"}}, "pass it as a parameter"),
    ],
)
def test_header_injection_and_bad_addresses_are_refused(
    kwargs: dict[str, object], error: str
) -> None:
    """Any line break in any header, a bad address or a reserved header name is refused."""
    with pytest.raises(InvalidInputError, match=error):
        to_eml(_message(), **kwargs)  # type: ignore[arg-type]


def test_only_email_messages_become_emails() -> None:
    """A LinkedIn note is not an email; a message with no date needs one given."""
    with pytest.raises(InvalidInputError, match="not an email"):
        to_eml(_message(channel="linkedin_note", subject=""), sender="s@example.org")
    with pytest.raises(InvalidInputError, match="needs a Date"):
        to_eml(_message(created_at=None), sender="s@example.org")
    assert to_eml(_message(created_at=None), sender="s@example.org", date=WHEN)


SAFE_HEADERS = {"from", "to", "subject", "date", "message-id", "mime-version"}
CONTENT_HEADERS = {"content-type", "content-transfer-encoding"}


@settings(max_examples=150, deadline=None)
@given(
    subject=personal_text(max_size=80),
    display=personal_text(max_size=30),
    note=personal_text(max_size=40),
    body=personal_text(max_size=200),
)
def test_no_data_ever_adds_a_header(subject: str, display: str, note: str, body: str) -> None:
    """Arbitrary subjects, names and header values either are refused or read back
    exactly, and the email has no header beyond the ones set."""
    try:
        message = _message(subject=subject, body=body or "x")
        data = to_eml(
            message,
            sender=f'"{display}" <sam@example.org>' if display else "sam@example.org",
            headers={"X-Note": note},
        )
    except InvalidInputError:
        return
    parsed = _parse(data)
    names = {name.lower() for name in parsed}
    assert names == SAFE_HEADERS | CONTENT_HEADERS | {"x-note"}
    # Decoding drops the blanks between RFC 2047 encoded words and before the value,
    # so the text is compared without its whitespace.
    assert _squeezed(parsed["Subject"]) == _squeezed(subject)
    assert _squeezed(parsed["X-Note"]) == _squeezed(note)


def _squeezed(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=100, deadline=None)
@given(st.text(st.sampled_from("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), min_size=1))
def test_every_kind_of_line_break_is_refused(breaks: str) -> None:
    """CR, LF and every other character that ends a line is refused in a header."""
    with pytest.raises(InvalidInputError):
        to_eml(_message(), sender="sam@example.org", headers={"X-Note": f"a{breaks}b"})


def test_an_international_domain_is_idna_encoded() -> None:
    """A non-ASCII domain in any address is written in its xn-- form, in ASCII bytes."""
    data = to_eml(_message(recipients=("Zoë <zoe@exämple.org>",)), sender="Sam <sam@exämple.org>")
    parsed = _parse(data)
    assert parsed["From"].addresses[0].addr_spec == "sam@xn--exmple-cua.org"
    assert parsed["To"].addresses[0].addr_spec == "zoe@xn--exmple-cua.org"
    assert parsed["Message-ID"].endswith("@xn--exmple-cua.org>")
    data.split(b"\r\n\r\n", 1)[0].decode("ascii")


@pytest.mark.parametrize(
    ("sender", "error"),
    [
        ("jöe@example.org", "non-ASCII"),
        ("sam@" + "ä" * 70 + ".org", "international domain"),
    ],
)
def test_addresses_mail_cannot_carry_are_refused(sender: str, error: str) -> None:
    """A non-ASCII mailbox name or an invalid international domain is an InvalidInputError."""
    with pytest.raises(InvalidInputError, match=error):
        to_eml(_message(), sender=sender)


@pytest.mark.parametrize(
    ("message_id", "expected"),
    [
        ("abc-12_3", "<abc-12_3@example.org>"),
        ("a b<c>", "<a=20b=3Cc=3E@example.org>"),
        ("x\r\nBcc: y@z", "<x=0D=0ABcc=3A=20y=40z@example.org>"),
        ("ä..", "<=C3=A4=2E=2E@example.org>"),
    ],
)
def test_message_id_is_built_only_from_safe_characters(message_id: str, expected: str) -> None:
    """Characters of the id outside A-Z a-z 0-9 _ - are hex-escaped in the Message-ID."""
    data = to_eml(_message(id=message_id), sender="sam@example.org")
    assert f"\r\nMessage-ID: {expected}\r\n".encode() in data
    assert _parse(data)["Message-ID"] == expected


@settings(max_examples=50, deadline=None)
@given(message_id=st.text(min_size=1, max_size=40))
def test_any_message_id_makes_one_header_line(message_id: str) -> None:
    """Whatever the id, the Message-ID header is one msg-id of safe characters."""
    data = to_eml(_message(id=message_id), sender="sam@example.org")
    raw = data.split(b"\r\nMessage-ID:", 1)[1].split(b"\r\nContent-Type:", 1)[0]
    assert re.fullmatch(rb"(?: |\r\n )<[A-Za-z0-9_=-]+@example\.org>", raw)
    assert _parse(data)["Message-ID"].strip() == raw.strip().decode("ascii")
