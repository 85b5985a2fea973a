"""Reading ``sqlite://`` URLs and the default database location."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from infointerview_sqlite import SqliteOptions, database_url, default_database_path, parse_url

from infointerview.errors import InvalidInputError


def test_three_slashes_name_a_path_relative_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sqlite:///relative.db`` is a file in the current directory."""
    monkeypatch.chdir(tmp_path)
    assert parse_url("sqlite:///relative.db").path == tmp_path / "relative.db"
    assert parse_url("sqlite:///sub/dir/file.db").path == tmp_path / "sub" / "dir" / "file.db"


def test_four_slashes_name_an_absolute_path() -> None:
    """``sqlite:////abs/file.db`` is the absolute path ``/abs/file.db``."""
    assert parse_url("sqlite:////srv/data/file.db").path == Path("/srv/data/file.db")


def test_defaults_are_full_synchronous_and_a_five_second_wait() -> None:
    """With no query the options are synchronous=full and busy_timeout 5000 ms."""
    assert parse_url("sqlite:////x.db") == SqliteOptions(Path("/x.db"), "full", 5000)


def test_query_options_are_read() -> None:
    """``synchronous`` (any case) and ``busy_timeout`` come from the query string."""
    options = parse_url("sqlite:////x.db?synchronous=NORMAL&busy_timeout=250")
    assert (options.synchronous, options.busy_timeout_ms) == ("normal", 250)


def test_percent_escapes_and_home_are_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    """``%20`` decodes to a space and a leading ``~`` to the home directory."""
    monkeypatch.setenv("HOME", "/home/tester")
    assert parse_url("sqlite:///~/my%20files/w.db").path == Path("/home/tester/my files/w.db")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://x", "must start with 'sqlite://'"),
        ("sqlite://host/x.db", "names no host"),
        ("sqlite://", "names no database file"),
        ("sqlite:///", "names no database file"),
        ("sqlite:///:memory:", "not supported"),
        ("sqlite:////x.db?synchronous=off", "synchronous='off'"),
        ("sqlite:////x.db?synchronous=extra", "use one of full, normal"),
        ("sqlite:////x.db?busy_timeout=soon", "busy_timeout='soon'"),
        ("sqlite:////x.db?busy_timeout=-5", "busy_timeout='-5'"),
        ("sqlite:////x.db?journal_mode=delete", "unknown sqlite option 'journal_mode'"),
        ("sqlite:////x.db?synchronous=full&synchronous=normal", "twice"),
        ("sqlite:////x.db?novalue", "malformed"),
    ],
)
def test_bad_urls_are_refused_with_the_fix(url: str, words: str) -> None:
    """Each malformed URL raises InvalidInputError saying what is wrong."""
    with pytest.raises(InvalidInputError) as caught:
        parse_url(url)
    assert words in str(caught.value)


def test_database_url_round_trips_through_parse_url(tmp_path: Path) -> None:
    """``database_url`` gives a URL that names the same file and options."""
    path = tmp_path / "odd name #1%.db"
    url = database_url(path, synchronous="normal", busy_timeout=10)
    assert url.startswith("sqlite:////")
    assert parse_url(url) == SqliteOptions(path, "normal", 10)


def test_database_url_makes_relative_paths_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative path is anchored at the current directory when the URL is made."""
    monkeypatch.chdir(tmp_path)
    assert parse_url(database_url("w.db")).path == tmp_path / "w.db"


def test_default_path_follows_xdg_data_home(monkeypatch: pytest.MonkeyPatch) -> None:
    """``$XDG_DATA_HOME/infointerview/workspace.db`` when the variable is absolute."""
    monkeypatch.setenv("XDG_DATA_HOME", "/data/xdg")
    assert default_database_path() == Path("/data/xdg/infointerview/workspace.db")


@pytest.mark.parametrize("value", [None, "", "relative/dir"])
def test_default_path_falls_back_to_local_share(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    """Unset, empty or relative ``XDG_DATA_HOME`` means ``~/.local/share``."""
    monkeypatch.setenv("HOME", "/home/tester")
    if value is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", value)
    expected = Path("/home/tester/.local/share/infointerview/workspace.db")
    assert default_database_path() == expected
    assert not os.path.exists(expected.parent)


@pytest.mark.parametrize(
    ("synchronous", "busy"), [("off; DROP TABLE contacts", 1), ("full", -1), ("full", True)]
)
def test_options_built_by_hand_are_checked_too(synchronous: str, busy: int) -> None:
    """SqliteOptions refuses values the URL parser would refuse (they reach PRAGMA text)."""
    with pytest.raises(InvalidInputError):
        SqliteOptions(Path("/x.db"), synchronous, busy)
