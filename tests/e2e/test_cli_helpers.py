"""The command line's pieces, in process: URLs, times, referrals, and `log` as a property."""

from __future__ import annotations

import contextlib
import io
import itertools
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infointerview import EventKind, accepted_events, fold
from infointerview.cli import main
from infointerview.cli.commands.log import parse_referral
from infointerview.cli.config import normalise_url, sqlite_path, sqlite_url
from infointerview.cli.options import datetime_arg


@pytest.fixture(scope="module", autouse=True)
def private_home(tmp_path_factory):
    """Keep the in-process runs away from the real home and data directory."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_DATA_HOME", str(home / "data"))
        patch.delenv("INFOINTERVIEW_DB", raising=False)
        patch.delenv("INFOINTERVIEW_OWNER", raising=False)
        yield


path_parts = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\?#%"),
    min_size=1,
    max_size=12,
).filter(lambda p: p not in (".", "..") and p.strip() == p and not p.startswith("~"))


@given(st.lists(path_parts, min_size=1, max_size=4))
def test_sqlite_url_round_trips_any_path(parts):
    """The URL made for a path names that same path, and matches the SQLite plugin's reading."""
    path = Path("/", *parts)
    url = sqlite_url(path)
    assert sqlite_path(url) == path
    assert normalise_url(url) == url
    sqlite = pytest.importorskip("infointerview_sqlite")
    assert sqlite.parse_url(url).path == path


def test_relative_and_other_urls():
    """A relative sqlite path is made absolute; other schemes pass through untouched."""
    assert sqlite_path("sqlite:///rel.db") == Path.cwd() / "rel.db"
    assert sqlite_path("sqlite:////abs/x.db?synchronous=normal") == Path("/abs/x.db")
    assert normalise_url("sqlite:///rel.db?synchronous=normal").endswith(
        "rel.db?synchronous=normal"
    )
    for url in ("memory://", "memory://x", "postgresql://u@h/db"):
        assert sqlite_path(url) is None and normalise_url(url) == url


@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.builds(timezone, st.timedeltas(timedelta(hours=-12), timedelta(hours=14))),
    )
)
def test_datetime_arg_reads_back_any_aware_time(moment):
    """An aware time written in ISO 8601 is read back equal, offset and all."""
    assert datetime_arg(moment.isoformat()) == moment
    assert datetime_arg(moment.isoformat()).utcoffset() == moment.utcoffset()


def test_datetime_arg_without_offset_is_local_time():
    """A time without an offset gets the local time zone's."""
    parsed = datetime_arg("2026-03-02T09:00")
    assert parsed.utcoffset() is not None
    assert parsed.replace(tzinfo=None) == datetime(2026, 3, 2, 9, 0)


field = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=";"),
    max_size=20,
).map(str.strip)


@given(field.filter(bool), field, field)
def test_parse_referral_reads_each_part(name, organisation, role):
    """NAME;ORG;ROLE becomes a referred contact with those fields."""
    contact = parse_referral(f"{name};{organisation};{role}")
    assert (contact.name, contact.organisation, contact.role) == (name, organisation, role)
    assert contact.source.value == "referral"


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exc:
            status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


_counter = itertools.count()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([k.value for k in EventKind if k != "referred"]), max_size=8))
def test_log_accepts_exactly_what_the_stage_allows(kinds):
    """`log` succeeds when the stage accepts the event, else exits 1 and changes nothing."""
    from infointerview import open_workspace

    url = f"memory://cli-log-{next(_counter)}"
    db = ["--db", url, "--owner", "seeker"]
    status, out, _err = _run("contact", "add", "Dana Whitfield", "--quiet", *db)
    assert status == 0
    contact_id = out.strip()
    workspace = open_workspace(url, owner="seeker")
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for step, kind in enumerate(kinds):
        before = workspace.relationship(contact_id)
        at = (start + timedelta(hours=step)).isoformat()
        extra = ["--for", at] if kind in ("scheduled", "rescheduled") else []
        status, _out, err = _run("log", kind, contact_id, "--at", at, *extra, *db)
        allowed = EventKind(kind) in accepted_events(fold(before.events).stage)
        assert status == (0 if allowed else 1), err
        after = workspace.relationship(contact_id)
        if allowed:
            assert after.events[-1].kind.value == kind
        else:
            assert after.events == before.events and "Traceback" not in err
            assert err.startswith("infointerview: error: cannot log")


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty", [True, False])
def test_progress_shows_only_on_a_terminal(tty):
    """Progress writes counted steps to a terminal, then clears its line; elsewhere nothing."""
    from infointerview.cli.output import Progress

    stream = _Stream(tty)
    with Progress(2, stream) as progress:
        progress.step("reading")
        progress.step("importing")
    written = stream.getvalue()
    if tty:
        assert "[1/2] reading" in written and "[2/2] importing" in written
        assert written.endswith("\r")
    else:
        assert written == ""
