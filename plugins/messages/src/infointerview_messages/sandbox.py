"""The jinja2 environment every template renders in: sandboxed, strict and size-bounded.

On top of :class:`jinja2.sandbox.ImmutableSandboxedEnvironment` with
:class:`jinja2.StrictUndefined`, this environment

* refuses ``str.format`` and ``str.format_map`` outright (the classic route
  from a format string to an object's attributes);
* refuses any value computed inside a template (by an operator, ``~``, a
  method call or a filter) longer than ``max_chars``, checking the operations
  that can multiply a size *before* they allocate: repetition (counting the
  text of a list's elements, not only their number), integer ``*`` and ``**``
  (by bit length), ``%`` and ``|format`` (conversions times the text of the
  arguments, plus widths), ``|tojson`` (indent), and every turn of a list,
  dict or namespace into text (output, ``~``, ``|string``, ``|pprint``, ...);
* materialises a lazy sequence (``map``/``select`` results) for ``|list``,
  ``|join``, ``|sort``, ``str.join`` and their kin only while its items' text
  stays within ``max_chars``;
* stops the output stream as soon as it passes ``max_chars``;
* drops the ``lipsum`` global.
"""

from __future__ import annotations

import re
from collections.abc import Callable, ItemsView, Iterable, KeysView, Mapping, Sized, ValuesView
from itertools import islice
from typing import Any

import jinja2
import markupsafe
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

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
_SEQUENCES = (list, tuple, set, frozenset, KeysView, ValuesView, ItemsView)
_CONTAINERS = (*_SEQUENCES, Mapping, Namespace)
_PLAIN = frozenset({str, int, float, bool, type(None), markupsafe.Markup})
_OTHER_TEXT = 24
"""What the text of a float, None, a bool or an opaque object is counted as."""
# Filters that never turn their (container) value into text; every other filter
# given a list, dict or namespace has the text of it estimated first.
_KEEPS_CONTAINERS = frozenset(
    {
        *("abs", "attr", "batch", "count", "d", "default", "dictsort", "first", "float"),
        *("groupby", "int", "items", "join", "last", "length", "list", "map", "max", "min"),
        *("random", "reject", "rejectattr", "reverse", "round", "select", "selectattr"),
        *("slice", "sort", "sum", "unique"),
    }
)
# Filters that build a list from a lazy iterable they are given.
_MATERIALISES = frozenset(
    {"batch", "groupby", "join", "list", "reverse", "slice", "sort", "sum", "unique"}
)


class OutputTooLarge(SecurityError):
    """A template tried to produce more than the environment's ``max_chars``."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, _SIZED) else 0


def _text_size(value: Any, limit: int, indent: int = 0) -> int:
    """About ``len(str(value))`` (or of its JSON with ``indent``), counted only up past ``limit``.

    Containers are walked without recursion and every element costs at least
    its separator, so the walk stops after at most about ``limit`` elements
    even for a list holding itself many times over.
    """
    if isinstance(value, str):
        return len(value)
    total = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        total += indent * depth
        if isinstance(item, str):
            total += len(item) + 2
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() * 10 // 33 + 2
        elif isinstance(item, bytes):
            total += 4 * len(item) + 3
        elif isinstance(item, _CONTAINERS):
            if isinstance(item, Namespace):
                item = object.__getattribute__(item, "_Namespace__attrs")
            # the separators are counted before the elements are pushed
            total += 2 + (2 + indent * (depth + 1)) * len(item)
            if total > limit:
                return total
            if isinstance(item, Mapping):
                for key, val in item.items():
                    stack += ((key, 0), (val, depth + 1))
            else:
                stack.extend((x, depth + 1) for x in item)
        else:
            total += _OTHER_TEXT
        if total > limit:
            return total
    return total


def _printf_estimate(fmt: str, args: Any, limit: int) -> int:
    """An upper bound (up to the growth of ``repr`` and escaping) of ``len(fmt % args)``."""
    specs = _PRINTF_SPEC.findall(fmt)
    total = len(fmt)
    for width, precision in specs:
        for number in (width, precision):
            if number == "*":
                return limit + 1
            if number:
                total += int(number)
    if isinstance(args, Mapping):
        largest = max((_text_size(v, limit) for v in args.values()), default=0)
        return total + len(specs) * largest
    if isinstance(args, tuple):
        return total + sum(_text_size(a, limit) for a in args)
    return total + len(specs) * _text_size(args, limit)


def _int_arg(args: tuple[Any, ...], kwargs: Mapping[str, Any], index: int, key: str) -> int:
    value = args[index] if len(args) > index else kwargs.get(key, 0)
    return value if isinstance(value, int) else 0


def _str_method_estimate(
    text: str | bytes, method: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> int:
    """An upper bound of the length ``text.method(*args)`` would have (0 when not an amplifier)."""
    if method in ("center", "ljust", "rjust", "zfill"):
        return max(len(text), _int_arg(args, kwargs, 0, "width"))
    if method == "expandtabs":
        tabsize = _int_arg(args, kwargs, 0, "tabsize") if (args or kwargs) else 8
        tabs = text.count("\t") if isinstance(text, str) else text.count(b"\t")
        return len(text) + tabs * max(tabsize, 0)
    if method == "replace" and len(args) >= 2 and isinstance(args[0], type(text)):
        old: Any = args[0]
        new: Any = args[1]
        if not isinstance(new, type(text)):
            return 0
        hits = len(text) + 1 if len(old) == 0 else text.count(old)
        count = args[2] if len(args) > 2 and isinstance(args[2], int) else kwargs.get("count", -1)
        if isinstance(count, int) and count >= 0:
            hits = min(hits, count)
        return len(text) + hits * max(len(new) - len(old), 0)
    if method == "translate" and args and isinstance(args[0], Mapping):
        longest = max((_size(v) for v in args[0].values()), default=1)
        return len(text) * max(longest, 1)
    return 0


class _GuardedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` so that the operands' text and the joined length are checked."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"environment.checked({join}((")
        for arg in node.nodes:
            self.write("environment.sized_text(")
            self.visit(arg, frame)
            self.write("), ")
        self.write(")))")


class MessageEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox for message templates; see the module docstring for what it adds."""

    code_generator_class = _GuardedCodeGenerator
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, *, max_chars: int = DEFAULT_MAX_CHARS, **options: Any) -> None:
        options.setdefault("undefined", jinja2.StrictUndefined)
        options.setdefault("trim_blocks", True)
        options.setdefault("lstrip_blocks", True)
        options.setdefault("finalize", self.sized_text)
        super().__init__(**options)
        if max_chars <= 0:
            raise ValueError("max_chars must be positive")
        self.max_chars = max_chars
        self.max_int_bits = max(_MAX_POWER_BITS, max_chars * 10 // 3)
        """The most bits an integer computed in a template may have (about ``max_chars`` digits)."""
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

    def sized_text(self, value: Any) -> Any:
        """``value``, after checking that a list, dict or namespace would not turn into
        more than ``max_chars`` of text (used on every output and ``~`` operand)."""
        if value.__class__ in _PLAIN:
            return value
        if isinstance(value, _CONTAINERS) and _text_size(value, self.max_chars) > self.max_chars:
            raise self.too_large("the text of a list, dict or namespace")
        return value

    def bounded_list(self, items: Iterable[Any], what: str) -> list[Any]:
        """``list(items)``, stopped as soon as the items' text passes ``max_chars``."""
        limit = self.max_chars
        out: list[Any] = []
        total = 0
        for item in items:
            total += 1 + (len(item) if isinstance(item, str) else _text_size(item, limit))
            if total > limit:
                raise self.too_large(what)
            out.append(item)
        return out

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

        keeps = name in _KEEPS_CONTAINERS
        materialises = name in _MATERIALISES

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if len(args) > skip:
                value = args[skip]
                if materialises and not isinstance(value, Sized):
                    # know the items (and their size) before the filter keeps them
                    value = env.bounded_list(value, f"the items given to the filter {name!r}")
                    args = (*args[:skip], value, *args[skip + 1 :])
                elif not keeps:
                    env.sized_text(value)
            if (
                estimate is not None
                and estimate(args[skip:], kwargs, env.max_chars) > env.max_chars
            ):
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
        if isinstance(owner, int) and getattr(__obj, "__name__", "") == "to_bytes":
            if _int_arg(args, kwargs, 0, "length") > __self.max_chars:
                raise __self.too_large("int.to_bytes")
        elif isinstance(owner, str | bytes):
            method = getattr(__obj, "__name__", "")
            if method == "join" and args:
                items = __self.bounded_list(args[0], f"{type(owner).__name__}.join")
                length = sum(_size(i) for i in items) + len(owner) * max(len(items) - 1, 0)
                if length > __self.max_chars:
                    raise __self.too_large("str.join")
                args = (items, *args[1:])
            elif _str_method_estimate(owner, method, args, kwargs) > __self.max_chars:
                raise __self.too_large(f"{type(owner).__name__}.{method}")
        return __self.checked(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``*``, ``**``, ``%`` checked before they run, ``+`` after."""
        limit = self.max_chars
        if operator == "*":
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and left.bit_length() + right.bit_length() > self.max_int_bits
            ):
                raise self.too_large("a product (*) of integers")
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, _SIZED) and isinstance(times, int) and times > 0:
                    each = len(seq) if isinstance(seq, str) else _text_size(seq, limit)
                    if max(each, len(seq)) * times > limit:
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
            and _printf_estimate(left, right, limit) > limit
        ):
            raise self.too_large("a %-format")
        return self.checked(super().call_binop(context, operator, left, right))


Estimate = Callable[[tuple[Any, ...], Mapping[str, Any], int], int]


def _join_estimate(args: tuple[Any, ...], kwargs: Mapping[str, Any], limit: int) -> int:
    value = args[0] if args else None
    sep = args[1] if len(args) > 1 else kwargs.get("d", "")
    if not isinstance(sep, str):
        return 0
    if isinstance(value, Mapping):
        value = list(value)
    if not isinstance(value, list | tuple | set | frozenset):
        return len(sep)
    total = len(sep) * max(len(value) - 1, 0)
    # With ``attribute=``, the whole item's text bounds the attribute's (a dict's
    # value, a namespace's attribute, an element of a list).
    for item in value:
        total += _text_size(item, limit)
        if total > limit:
            break
    return total


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
    if not isinstance(fmt, str):
        return 0
    return _printf_estimate(fmt, dict(kwargs) if kwargs else tuple(args[1:]), limit)


def _tojson_estimate(args: tuple[Any, ...], kwargs: Mapping[str, Any], limit: int) -> int:
    indent = args[1] if len(args) > 1 else kwargs.get("indent")
    width = indent if isinstance(indent, int) else _size(indent)
    # json.dumps builds the indent string before anything else
    return max(width, _text_size(args[0] if args else None, limit, max(width, 0)))


def _pprint_estimate(args: tuple[Any, ...], kwargs: Mapping[str, Any], limit: int) -> int:
    return _text_size(args[0] if args else None, limit, 1)


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
    "tojson": _tojson_estimate,
    "pprint": _pprint_estimate,
    "center": _center_estimate,
    "indent": _indent_estimate,
    "format": _format_estimate,
    "replace": _replace_estimate,
    "join": _join_estimate,
    "wordwrap": _wordwrap_estimate,
    "batch": _count_estimate(1, "linecount"),
    "slice": _count_estimate(1, "slices"),
}
