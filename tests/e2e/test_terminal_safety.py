"""Contact data cannot drive the terminal: control characters are shown, not sent."""

from __future__ import annotations

import io
import sys

from infointerview.cli.output import TerminalSafeWriter, visible


def test_visible_escapes_controls_but_keeps_layout() -> None:
    """ESC, CR, BEL and C1 controls become \\xNN; tab and newline stay."""
    assert visible("a\x1b]0;pwned\x07b\rc\x9bd\te\nf") == "a\\x1b]0;pwned\\x07b\\x0dc\\x9bd\te\nf"


def test_writer_wraps_every_write() -> None:
    """Everything printed through the wrapper is made visible."""
    buffer = io.StringIO()
    writer = TerminalSafeWriter(buffer)
    print("Ann\x1b[31m Lee", file=writer)  # type: ignore[arg-type]
    assert buffer.getvalue() == "Ann\\x1b[31m Lee\n"


def test_cli_show_prints_escape_sequences_visibly(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """`contact add` then `contact show` never emits a raw ESC to stdout."""
    from infointerview.cli.app import main

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = f"sqlite:///{tmp_path / 'ws.db'}"
    assert main(["init", "--db", db, "--owner", "sam", "--name", "Sam"]) == 0
    name = "Eve\x1b]0;owned\x07 Smith"
    assert main(["contact", "add", name, "--db", db, "--owner", "sam"]) == 0
    capsys.readouterr()
    assert main(["contact", "list", "--db", db, "--owner", "sam"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b" in out
    assert sys.stdout is not None
