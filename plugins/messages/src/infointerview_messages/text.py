"""What the checks read: a message's words, whatever format it was rendered in."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from infointerview.model import Message

__all__ = ["normalise", "plain_text", "word_count", "words"]

_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WORD = re.compile(r"\S*\w\S*")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "div", "li"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(message: Message) -> str:
    """The body as a reader sees it: tags dropped for HTML, escapes undone for Markdown."""
    body = message.body
    if message.format == "html":
        parser = _TextExtractor()
        parser.feed(body)
        parser.close()
        return "".join(parser.parts).strip()
    if message.format == "markdown":
        return _MD_ESCAPE.sub(r"\1", body).strip()
    return body.strip()


def words(text: str) -> list[str]:
    """Whitespace-separated tokens holding at least one letter or digit."""
    return _WORD.findall(text)


def word_count(text: str) -> int:
    """How many words ``text`` has (see :func:`words`)."""
    return len(words(text))


_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Case-folded words separated by single spaces: for matching names and notes."""
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())
