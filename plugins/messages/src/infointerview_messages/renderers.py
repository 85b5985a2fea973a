"""The renderers: plain text, Markdown and HTML, each a jinja2 sandbox with a compile cache."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jinja2
import jinja2.meta
from jinja2 import nodes
from jinja2.exceptions import SecurityError

from infointerview.errors import RenderError
from infointerview.ports import Renderer, TemplatePack
from infointerview_messages.packs import Resolved, current_packs, resolve, template_label
from infointerview_messages.sandbox import DEFAULT_MAX_CHARS, MessageEnvironment

__all__ = [
    "HtmlRenderer",
    "JinjaRenderer",
    "MarkdownRenderer",
    "TextRenderer",
    "markdown_escape",
]

_CACHE_LIMIT = 1024
# Nodes that can repeat output or run template code: templates with none of them are
# "straight" and skip the streaming size check.
_NOT_STRAIGHT = (
    nodes.For,
    nodes.Call,
    nodes.CallBlock,
    nodes.Macro,
    nodes.FilterBlock,
    nodes.Include,
    nodes.Import,
    nodes.FromImport,
    nodes.Extends,
)
_VARIABLES_HINT = (
    "a template sees seeker, contact, referrer, connection, interview, goals, notes, extra "
    "and message (see the messages docs); test an optional value with 'is defined' or "
    "'{% if ... %}', and pass anything else with draft(..., extra={...})"
)


def _remember(sources: dict[str, str], label: str, source: str) -> None:
    """Keep a template's source for error messages (bounded: only the latest matter)."""
    if len(sources) >= _CACHE_LIMIT:
        sources.clear()
    sources[label] = source


class _PackLoader(jinja2.BaseLoader):
    """Resolves ``{% include %}`` and friends in the packs of the render in progress."""

    def __init__(self, format: str, sources: dict[str, str]) -> None:
        self.format = format
        self.sources = sources

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        found = resolve(template, current_packs.get(), self.format)
        if found is None:
            raise jinja2.TemplateNotFound(template)
        label = template_label(found.pack.name, found.name)
        _remember(self.sources, label, found.source)
        source = found.source

        def uptodate() -> bool:
            again = resolve(template, current_packs.get(), self.format)
            return again is not None and again.source is source

        return source, label, uptodate


class JinjaRenderer(Renderer):
    """Renders templates from packs in a sandboxed :class:`MessageEnvironment`.

    Each template is compiled once per pack and kept; a changed source in the
    pack's mapping is noticed and recompiled.
    """

    format = "text"

    def __init__(self, *, max_chars: int = DEFAULT_MAX_CHARS) -> None:
        self._sources: dict[str, str] = {}
        self.environment = MessageEnvironment(
            max_chars=max_chars,
            loader=_PackLoader(self.format, self._sources),
            **self._environment_options(),
        )
        self._compiled: dict[
            tuple[int, str], tuple[TemplatePack, str, jinja2.Template, bool, bool]
        ] = {}

    def _environment_options(self) -> dict[str, Any]:
        return {"autoescape": False}

    @property
    def max_chars(self) -> int:
        """The most characters a rendered message may have."""
        return self.environment.max_chars

    def has_template(self, template: str, packs: Sequence[TemplatePack]) -> bool:
        """Whether a pack defines ``template`` or its variant for this format."""
        return resolve(template, packs, self.format) is not None

    def render(
        self, template: str, context: Mapping[str, Any], packs: Sequence[TemplatePack]
    ) -> str:
        """Render ``template`` (last pack wins) with ``context``; fails with RenderError."""
        found = resolve(template, packs, self.format)
        if found is None:
            names = ", ".join(repr(p.name) for p in packs) or "none"
            raise RenderError(
                f"no template {template!r} in the template packs ({names}); add it to a pack "
                "or check the message kind and channel"
            )
        try:
            compiled, uses_others, straight = self._compile(found)
            if straight:
                return self._finish(self._render_straight(compiled, context), found)
            if not uses_others:
                return self._finish(compiled.render(context), found)
            token = current_packs.set(tuple(packs))
            try:
                return self._finish(compiled.render(context), found)
            finally:
                current_packs.reset(token)
        except Exception as exc:
            raise self._error(exc, found) from _cause(exc)

    def _render_straight(self, compiled: jinja2.Template, context: Mapping[str, Any]) -> str:
        """Render a template without loops or calls: its pieces are few and each is bounded,
        so the output's length is checked once, after joining."""
        env = self.environment
        variables = context if isinstance(context, dict) else dict(context)
        try:
            text = "".join(compiled.root_render_func(compiled.new_context(variables)))
        except Exception:
            env.handle_exception()  # re-raises with the template's lines in the traceback
        if len(text) > env.max_chars:
            raise env.too_large("the rendered output")
        return text

    def _finish(self, text: str, found: Resolved) -> str:
        return text.strip()

    def _compile(self, found: Resolved) -> tuple[jinja2.Template, bool, bool]:
        """The compiled template; whether it includes, imports or extends others; and
        whether it is straight (no loops, calls, macros or other templates)."""
        key = (id(found.pack), found.name)
        entry = self._compiled.get(key)
        if entry is not None and entry[1] is found.source:
            return entry[2], entry[3], entry[4]
        env = self.environment
        label = template_label(found.pack.name, found.name)
        _remember(self._sources, label, found.source)
        tree = env.parse(found.source, found.name, label)
        uses_others = any(True for _ in jinja2.meta.find_referenced_templates(tree))
        straight = not uses_others and next(tree.find_all(_NOT_STRAIGHT), None) is None
        code = env.compile(tree, found.name, label)
        compiled = env.template_class.from_code(env, code, env.make_globals(None), None)
        if len(self._compiled) >= _CACHE_LIMIT:
            self._compiled.clear()
        self._compiled[key] = (found.pack, found.source, compiled, uses_others, straight)
        return compiled, uses_others, straight

    def _error(self, exc: Exception, found: Resolved) -> RenderError:
        where = template_label(found.pack.name, found.name)[1:-1]
        if isinstance(exc, jinja2.TemplateSyntaxError):
            named = (exc.filename or where).strip("<>")
            return RenderError(f"{named}, line {exc.lineno}: syntax error: {exc.message}")
        label, line = _template_frame(exc)
        if label is not None:
            where = label.strip("<>")
        at = f"{where}, line {line}" if line else where
        if isinstance(exc, jinja2.TemplateNotFound):
            return RenderError(
                f"{at}: it uses the template {exc.name!r}, which no pack defines "
                "(templates can only use templates from the packs, never files)"
            )
        if isinstance(exc, jinja2.UndefinedError):
            source = self._sources.get(label or "", found.source)
            variable = _variable(str(exc), source, line)
            empty = ""
            if str(exc).startswith("'None' has no ") and "." in variable:
                parent = variable.rsplit(".", 1)[0]
                empty = f" ({parent!r} is empty for this message)"
            return RenderError(
                f"{at}: variable {variable!r} is undefined{empty}; {_VARIABLES_HINT}"
            )
        if isinstance(exc, SecurityError):
            return RenderError(f"{at}: refused by the template sandbox: {exc}")
        return RenderError(f"{at}: the template failed with {type(exc).__name__}")


def _cause(exc: Exception) -> Exception | None:
    # jinja2's own messages carry names, never data; other errors may quote data.
    if isinstance(exc, jinja2.TemplateError | SecurityError):
        return exc
    return None


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template frame of ``exc``'s traceback: its label and line."""
    label: str | None = None
    line: int | None = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith("<template "):
            label, line = frame.filename, frame.lineno
    return label, line


_UNDEFINED_NAME = re.compile(
    r"has no attribute '(?P<attr>[^']+)'"
    r"|^'(?P<name>[^']+)' is undefined"
    r"|has no element (?P<item>.+)$"
)


def _variable(message: str, source: str, line: int | None) -> str:
    """The dotted variable a StrictUndefined message is about, as written in the template."""
    match = _UNDEFINED_NAME.search(message)
    if match is None:
        return message
    name = match.group("attr") or match.group("name") or (match.group("item") or "").strip("'\"")
    if line is not None and match.group("name") is None:
        lines = source.splitlines()
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        dotted = re.search(
            rf"[A-Za-z_]\w*(?:\.\w+|\[[^\]]*\])*(?:\.{re.escape(name)}\b|\[['\"]?{re.escape(name)}['\"]?\])",
            text,
        )
        if dotted is not None:
            return dotted.group(0)
    return name


class TextRenderer(JinjaRenderer):
    """Plain text: nothing is escaped."""

    format = "text"


_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>#|!~&])")
_MD_LINE_START = re.compile(r"^([ \t]*)(?:([-+=])|(\d+)([.)]))", re.MULTILINE)


def markdown_escape(text: str) -> str:
    """``text`` with the characters Markdown would read as markup backslash-escaped."""
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(
        lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"),
        text,
    )


def _markdown_finalize(value: Any) -> Any:
    return markdown_escape(value) if isinstance(value, str) else value


class MarkdownRenderer(JinjaRenderer):
    """Markdown: every ``{{ value }}`` is escaped so that data never becomes markup."""

    format = "markdown"

    def _environment_options(self) -> dict[str, Any]:
        return {"autoescape": False, "finalize": _markdown_finalize}


_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


def paragraphs_to_html(markup: str) -> str:
    """Escaped text to HTML: paragraphs become ``<p>``, line breaks ``<br>``."""
    text = markup.replace("\r\n", "\n").strip()
    if not text:
        return ""
    blocks = (block.strip("\n") for block in _BLANK_LINES.split(text))
    return "\n".join(
        f"<p>{block.replace(chr(10), '<br>' + chr(10))}</p>" for block in blocks if block
    )


class HtmlRenderer(JinjaRenderer):
    """HTML, autoescaped.

    A template written for HTML (``name.html``) is returned as rendered; a
    plain template is turned into paragraphs, so one template serves both.
    """

    format = "html"

    def _environment_options(self) -> dict[str, Any]:
        return {"autoescape": True}

    def _finish(self, text: str, found: Resolved) -> str:
        if found.variant:
            return text.strip()
        return paragraphs_to_html(text)
