"""User template packs: a directory read once and confined to itself, or strings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from infointerview_messages import TextRenderer, load_template_dir, pack_from_strings
from infointerview_messages.packs import MAX_TEMPLATE_BYTES

from infointerview import InvalidInputError, RenderError, TemplatePack


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def test_directory_names_drop_suffixes_and_keep_folders(tmp_path: Path) -> None:
    """'ask_cold.email.j2' becomes 'ask_cold.email'; folders join with '/'."""
    _write(tmp_path / "ask_cold.email.j2", "Hi {{ contact.first_name }}")
    _write(tmp_path / "thank_you.email.html.jinja", "<p>thanks</p>")
    _write(tmp_path / "partials" / "sign.jinja2", "Sam")
    _write(tmp_path / "plain", "no suffix")
    _write(tmp_path / ".hidden.j2", "skipped")
    _write(tmp_path / ".git" / "config", "skipped too")
    pack = load_template_dir(tmp_path, name="mine")
    assert pack.name == "mine"
    assert dict(pack.templates) == {
        "ask_cold.email": "Hi {{ contact.first_name }}",
        "thank_you.email.html": "<p>thanks</p>",
        "partials/sign": "Sam",
        "plain": "no suffix",
    }


def test_default_pack_name_comes_from_the_folder(tmp_path: Path) -> None:
    """Without a name the pack is called 'dir:<folder>'."""
    folder = tmp_path / "my-templates"
    _write(folder / "a.j2", "a")
    assert load_template_dir(folder).name == "dir:my-templates"


def test_directory_pack_renders_with_includes(tmp_path: Path) -> None:
    """A directory pack's templates include each other by name."""
    _write(tmp_path / "t.j2", "Hello{% include 'partials/sign' %}")
    _write(tmp_path / "partials" / "sign.j2", ", Sam")
    pack = load_template_dir(tmp_path)
    assert TextRenderer().render("t", {}, [pack]) == "Hello, Sam"


def test_a_link_to_a_file_outside_is_refused(tmp_path: Path) -> None:
    """A symlink that resolves outside the directory is refused, naming the file."""
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    folder = tmp_path / "pack"
    _write(folder / "ok.j2", "ok")
    os.symlink(secret, folder / "leak.j2")
    with pytest.raises(InvalidInputError, match=r"'leak.j2'.*outside the directory"):
        load_template_dir(folder)


def test_a_link_inside_the_directory_is_read(tmp_path: Path) -> None:
    """A symlink to another file of the same pack is fine."""
    _write(tmp_path / "a.j2", "same")
    os.symlink(tmp_path / "a.j2", tmp_path / "b.j2")
    assert load_template_dir(tmp_path).templates["b"] == "same"


def test_linked_folders_are_not_followed(tmp_path: Path) -> None:
    """A symlinked folder is skipped: a pack is one real directory tree."""
    outside = tmp_path / "outside"
    _write(outside / "x.j2", "outside")
    folder = tmp_path / "pack"
    _write(folder / "a.j2", "a")
    os.symlink(outside, folder / "linked")
    assert set(load_template_dir(folder).templates) == {"a"}


def test_the_directory_is_read_once(tmp_path: Path) -> None:
    """Changing a file after loading does not change the pack: nothing is read on render."""
    _write(tmp_path / "t.j2", "before")
    pack = load_template_dir(tmp_path)
    _write(tmp_path / "t.j2", "after")
    (tmp_path / "new.j2").write_text("new")
    assert TextRenderer().render("t", {}, [pack]) == "before"
    assert "new" not in pack.templates


@pytest.mark.parametrize(
    ("files", "error"),
    [
        ({"bad.j2": b"\xff\xfe\x00"}, "not UTF-8"),
        ({"big.j2": b"x" * (MAX_TEMPLATE_BYTES + 1)}, "larger than"),
        ({"a.j2": b"1", "a.jinja": b"2"}, "both make the template 'a'"),
        ({"has space.j2": b"x"}, "not allowed"),
    ],
)
def test_bad_files_are_refused(tmp_path: Path, files: dict[str, bytes], error: str) -> None:
    """Undecodable, oversized, clashing or badly named files are refused with the reason."""
    for name, data in files.items():
        _write(tmp_path / name, data)
    with pytest.raises(InvalidInputError, match=error):
        load_template_dir(tmp_path)


def test_a_syntax_error_in_a_file_names_it(tmp_path: Path) -> None:
    """A file that does not parse is refused at load time, with its line."""
    _write(tmp_path / "t.j2", "ok\n{% for %}")
    with pytest.raises(RenderError, match=r"template 't' in pack 'x', line 2: syntax error"):
        load_template_dir(tmp_path, name="x")


def test_missing_directory(tmp_path: Path) -> None:
    """A directory that is not there is reported as such."""
    with pytest.raises(InvalidInputError, match="does not exist"):
        load_template_dir(tmp_path / "nope")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InvalidInputError, match="not a directory"):
        load_template_dir(tmp_path / "file")


@pytest.mark.parametrize("name", ["../up", "/abs", "a//b", "a/../b", "", "a\\b", "x\x00"])
def test_pack_from_strings_refuses_path_like_names(name: str) -> None:
    """Names cannot climb out, start at the root or hold odd characters."""
    with pytest.raises(InvalidInputError, match="not allowed"):
        pack_from_strings({name: "x"})


def test_pack_from_strings_refuses_non_text() -> None:
    """A template source must be a string."""
    with pytest.raises(InvalidInputError, match="must be a string"):
        pack_from_strings({"t": b"bytes"})  # type: ignore[dict-item]


def test_a_pack_root_is_read_once_and_confined(tmp_path: Path) -> None:
    """Another plugin's pack with a root gets its files; the mapping wins over a file."""
    _write(tmp_path / "root" / "sig.j2", "from file")
    _write(tmp_path / "root" / "t.j2", "file t")
    pack = TemplatePack("other", {"t": "[{% include 'sig' %}]"}, root=str(tmp_path / "root"))
    renderer = TextRenderer()
    assert renderer.render("t", {}, [pack]) == "[from file]"
    assert renderer.has_template("sig", [pack])


def test_a_hard_link_to_a_file_outside_is_refused(tmp_path: Path) -> None:
    """A hard link (which resolves inside) to a file outside is refused, naming the file."""
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    folder = tmp_path / "pack"
    _write(folder / "ok.j2", "ok")
    os.link(secret, folder / "leak.j2")
    with pytest.raises(InvalidInputError, match=r"'leak.j2'.*more than one hard link"):
        load_template_dir(folder)


def test_a_file_with_one_link_is_read(tmp_path: Path) -> None:
    """Once the extra hard link is gone the same file is read."""
    secret = tmp_path / "other.txt"
    secret.write_text("shared")
    folder = tmp_path / "pack"
    folder.mkdir()
    os.link(secret, folder / "t.j2")
    secret.unlink()
    assert load_template_dir(folder).templates["t"] == "shared"
