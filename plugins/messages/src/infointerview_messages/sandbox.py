"""The jinja2 environment every template renders in: sandboxed, strict and size-bounded.

On top of :class:`jinja2.sandbox.ImmutableSandboxedEnvironment` with
:class:`jinja2.StrictUndefined`, this environment

* refuses ``str.format`` and ``str.format_map`` outright (the classic route
  from a format string to an object's attributes);
* refuses any value computed inside a template (by an operator, ``~``, a
  method call or a filter) longer than ``max_chars``, checking the operations
  that can multiply a size *before* they allocate;
* stops the output stream as soon as it passes ``max_chars``;
* drops the ``lipsum`` global.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from itertools import islice
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = [
    "DEFAULT_MAX_CHARS",
    "MessageEnvironment",
    "OutputTooLarge",
]

DEFAULT_MAX_CHARS = 100_000
"""The most characters a rendered message, or any value computed on the way, may have."""

_MAX_POWER_BITS = 4096
_JOIN_CHUNK = 64
_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?")
_SIZED = (str, list, tuple, dict, set, frozenset, bytes)


class OutputTooLarge(SecurityError):
    """A template tried to produce more than the environment's ``max_chars``."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, _SIZED) else 0


def _printf_widths_ok(fmt: str, limit: int) -> bool:
    for width, precision in _PRINTF_SPEC.findall(fmt):
        for number in (width, precision):
            if number == "*" or (number and int(number) > limit):
                return False
    return True


def _int_arg(args: tuple[Any, ...], kwargs: Mapping[str, Any], index: int, key: str) -> int:
    value = args[index] if len(args) > index else kwargs.get(key, 0)
    return value if isinstance(value, int) else 0


def _str_method_estimate(
    text: str, method: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> int:
    """An upper bound of the length ``text.method(*args)`` would have (0 when not an amplifier)."""
    if method in ("center", "ljust", "rjust", "zfill"):
        return max(len(text), _int_arg(args, kwargs, 0, "width"))
    if method == "expandtabs":
        tabsize = _int_arg(args, kwargs, 0, "tabsize") if (args or kwargs) else 8
        return len(text) + text.count("\t") * max(tabsize, 0)
    if method == "replace" and len(args) >= 2 and isinstance(args[0], str):
        old, new = args[0], args[1]
        if not isinstance(new, str):
            return 0
        hits = len(text) + 1 if old == "" else text.count(old)
        count = args[2] if len(args) > 2 and isinstance(args[2], int) else kwargs.get("count", -1)
        if isinstance(count, int) and count >= 0:
            hits = min(hits, count)
        return len(text) + hits * max(len(new) - len(old), 0)
    if method == "translate" and args and isinstance(args[0], Mapping):
        longest = max((_size(v) for v in args[0].values()), default=1)
        return len(text) * max(longest, 1)
    return 0


class _GuardedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` so that the joined string's length is checked."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked(")
        super().visit_Concat(node, frame)
        self.write(")")


class MessageEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox for message templates; see the module docstring for what it adds."""

    code_generator_class = _GuardedCodeGenerator
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, *, max_chars: int = DEFAULT_MAX_CHARS, **options: Any) -> None:
        options.setdefault("undefined", jinja2.StrictUndefined)
        options.setdefault("trim_blocks", True)
        options.setdefault("lstrip_blocks", True)
        super().__init__(**options)
        if max_chars <= 0:
            raise ValueError("max_chars must be positive")
        self.max_chars = max_chars
        self.globals.pop("lipsum", None)
        self.filters = {name: self._guard_filter(name, f) for name, f in self.filters.items()}
        # ``concat`` joins every rendered stream (templates, blocks, macros).
        self.concat = self._bounded_join  # type: ignore[method-assign]

    # -- the size bound -------------------------------------------------
    def too_large(self, what: str) -> OutputTooLarge:
        """The error for ``what`` passing ``max_chars``."""
        return OutputTooLarge(
            f"{what} would be longer than the limit of {self.max_chars} characters"
        )

    def checked(self, value: Any) -> Any:
        """``value`` if its length is within ``max_chars``, else :class:`OutputTooLarge`."""
        if isinstance(value, _SIZED) and len(value) > self.max_chars:
            raise self.too_large("a value computed in the template")
        return value

    def _bounded_join(self, pieces: Iterable[str]) -> str:
        # Pieces are counted a chunk at a time so that the counting stays in C;
        # a message is usually one chunk.
        limit = self.max_chars
        stream = iter(pieces)
        chunk = list(islice(stream, _JOIN_CHUNK))
        total = sum(map(len, chunk))
        if total > limit:
            raise self.too_large("the rendered output")
        if len(chunk) < _JOIN_CHUNK:
            return "".join(chunk)
        out = chunk
        while chunk := list(islice(stream, _JOIN_CHUNK)):
            total += sum(map(len, chunk))
            if total > limit:
                raise self.too_large("the rendered output")
            out += chunk
        return "".join(out)

    def _guard_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        pass_arg = getattr(func, "jinja_pass_arg", None)
        skip = 0 if pass_arg is None else 1
        estimate = _FILTER_ESTIMATES.get(name)
        env = self

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if estimate is not None:
                if (
                    name == "join"
                    and len(args) > skip
                    and not isinstance(args[skip], str | Mapping)
                ):
                    # materialise the items so that their number is known before joining
                    args = (*args[:skip], list(args[skip]), *args[skip + 1 :])
                if estimate(args[skip:], kwargs, env.max_chars) > env.max_chars:
                    raise env.too_large(f"the filter {name!r}")
            return env.checked(func(*args, **kwargs))

        guarded.__name__ = getattr(func, "__name__", name)
        guarded.__doc__ = func.__doc__
        if pass_arg is not None:
            guarded.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
        return guarded

    # -- attribute access ------------------------------------------------
    def wrap_str_format(self, value: Any) -> None:
        """Never hand out a (sandboxed) ``str.format``: :meth:`is_safe_attribute` refuses it."""
        return None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """The immutable sandbox's rule, and no ``format``/``format_map`` on strings."""
        if isinstance(obj, str) and attr in ("format", "format_map"):
            return False
        return super().is_safe_attribute(obj, attr, value)

    # -- calls and operators ----------------------------------------------
    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Call from a template: refuse amplifying string methods before they run."""
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            method = getattr(__obj, "__name__", "")
            if method == "join" and args:
                items = list(args[0])
                length = sum(_size(i) for i in items) + len(owner) * max(len(items) - 1, 0)
                if length > __self.max_chars:
                    raise __self.too_large("str.join")
                args = (items, *args[1:])
            elif _str_method_estimate(owner, method, args, kwargs) > __self.max_chars:
                raise __self.too_large(f"str.{method}")
        return __self.checked(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``*``, ``**``, ``%`` checked before they run, ``+`` after."""
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, _SIZED)
                    and isinstance(times, int)
                    and len(seq) * max(times, 0) > self.max_chars
                ):
                    raise self.too_large("a repetition (*)")
        elif operator == "**":
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and right > 0
                and abs(left) > 1
                and abs(left).bit_length() * right > _MAX_POWER_BITS
            ):
                raise self.too_large("a power (**)")
        elif (
            operator == "%"
            and isinstance(left, str)
            and not _printf_widths_ok(left, self.max_chars)
        ):
            raise self.too_large("a %-format width")
        return self.checked(super().call_binop(context, operator, left, right))


Estimate = Callable[[tuple[Any, ...], Mapping[str, Any], int], int]


def _join_estimate(args: tuple[Any, ...], kwargs: Mapping[str, Any], limit: int) -> int:
    value = args[0] if args else None
    sep = args[1] if len(args) > 1 else kwargs.get("d", "")
    if not isinstance(sep, str):
        return 0
    if isinstance(value, list | tuple):
        return sum(_size(i) for i in value) + len(sep) * max(len(value) - 1, 0)
    return len(sep)


def _wordwrap_estimate(args: tuple[Any, ...], kwargs: Mapping[str, Any], limit: int) -> int:
    text = args[0] if args else ""
    wrap = args[3] if len(args) > 3 else kwargs.get("wrapstring") or "\n"
    if not isinstance(text, str) or not isinstance(wrap, str):
        return 0
    return len(text) * (1 + len(wrap))


def _indent_estimate(args: tuple[Any, ...], kwargs: Mapping[str, Any], limit: int) -> int:
    text = args[0] if args else ""
    width = args[1] if len(args) > 1 else kwargs.get("width", 4)
    width_len = width if isinstance(width, int) else _size(width)
    lines = text.count("\n") + 1 if isinstance(text, str) else 1
    return _size(text) + lines * max(width_len, 0)


def _format_estimate(args: tuple[Any, ...], kwargs: Mapping[str, Any], limit: int) -> int:
    fmt = args[0] if args else ""
    if isinstance(fmt, str) and not _printf_widths_ok(fmt, limit):
        return limit + 1
    return 0


def _center_estimate(args: tuple[Any, ...], kwargs: Mapping[str, Any], limit: int) -> int:
    width = args[1] if len(args) > 1 else kwargs.get("width", 80)
    return width if isinstance(width, int) else 0


def _replace_estimate(args: tuple[Any, ...], kwargs: Mapping[str, Any], limit: int) -> int:
    text = args[0] if args else ""
    if not isinstance(text, str) or len(args) < 3:
        return 0
    return _str_method_estimate(str(text), "replace", tuple(args[1:]), kwargs)


def _count_estimate(index: int, key: str) -> Estimate:
    def estimate(args: tuple[Any, ...], kwargs: Mapping[str, Any], limit: int) -> int:
        count = args[index] if len(args) > index else kwargs.get(key, 0)
        return count if isinstance(count, int) else 0

    return estimate


_FILTER_ESTIMATES: dict[str, Estimate] = {
    "center": _center_estimate,
    "indent": _indent_estimate,
    "format": _format_estimate,
    "replace": _replace_estimate,
    "join": _join_estimate,
    "wordwrap": _wordwrap_estimate,
    "batch": _count_estimate(1, "linecount"),
    "slice": _count_estimate(1, "slices"),
}
