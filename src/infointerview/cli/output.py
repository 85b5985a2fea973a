"""Printing: JSON for scripts, aligned tables and times for people, progress on a terminal."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, TextIO

__all__ = [
    "Progress",
    "emit_json",
    "fmt_time",
    "record",
    "short_id",
    "table",
    "write_private",
]


def emit_json(data: Any, stream: TextIO | None = None) -> None:
    """Print ``data`` as indented, key-sorted JSON."""
    out = stream or sys.stdout
    json.dump(data, out, indent=2, sort_keys=True, ensure_ascii=False, default=_default)
    out.write("\n")


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def record(obj: object) -> dict[str, Any]:
    """A domain record as the library serializes it (tagged, with its schema version)."""
    from infointerview.serialization import to_record

    return to_record(obj)


def short_id(identifier: str) -> str:
    """The first 8 characters of an id: enough to name a contact on the command line."""
    return identifier[:8]


def fmt_time(value: datetime | None) -> str:
    """A readable time such as ``Thu 06 Mar 2025 15:00``; ``-`` for none."""
    if value is None:
        return "-"
    return value.strftime("%a %d %b %Y %H:%M")


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], stream: TextIO | None = None
) -> None:
    """Print rows in columns, the last column unpadded."""
    out = stream or sys.stdout
    body = [[str(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in body:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    for row in [list(headers), *body]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        out.write("  ".join([*cells, row[-1]]).rstrip() + "\n")


class Progress:
    """``[3/10] label`` on one line of stderr while a long task runs, only on a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.active = self.stream.isatty()
        self.done = 0
        self._width = 0

    def __enter__(self) -> Progress:
        return self

    def step(self, label: str) -> None:
        """Count one more unit of work and show it."""
        self.done += 1
        if not self.active:
            return
        line = f"[{self.done}/{self.total}] {label}"
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.active and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


def write_private(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by the owner only (0600); ``-`` is stdout."""
    if path == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(data)


# C0 and C1 controls (ESC among them) would let a contact's name or notes
# drive the terminal; tab and newline are layout, everything else is shown.
_CONTROL = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
for _kept in ("\t", "\n"):
    del _CONTROL[ord(_kept)]


def visible(text: str) -> str:
    """``text`` with control characters (except tab and newline) written as ``\\xNN``."""
    return text.translate(_CONTROL)


class TerminalSafeWriter:
    """Wraps a text stream so that everything written to it passes :func:`visible`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(visible(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
