"""Size bombs that multiply a value without a long string in sight are refused before they
allocate: integer products, list and namespace text, %-formats, tojson and lazy sequences."""

from __future__ import annotations

import tracemalloc

import pytest
from infointerview_messages import HtmlRenderer, TextRenderer, pack_from_strings

from infointerview import RenderError

BIG = "{% set s = 'x' * 99999 %}"
DOUBLED = (
    BIG + "{% set n = namespace(a=s) %}{% set ns = namespace(t=(s,), l=[s], n=[n]) %}"
    "{% for i in range(11) %}{% set ns.t = ns.t + ns.t %}{% set ns.l = ns.l + ns.l %}"
    "{% set ns.n = ns.n + ns.n %}{% endfor %}"
)
"""2048 references to one long string (tuple, list) and to a namespace holding it, made
with ``+``, which only checks a container's number of items."""
NESTED = (
    "{% set ns = namespace(l=['x' * 1000]) %}"
    "{% for i in range(60) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}"
)
"""A list of two items whose text has 2**60 thousand characters."""
LAZY = "range(2000)|map('string')|map('center', 99999)"

BOMBS = {
    "integer squaring": (
        "{% set ns = namespace(n=2**2000) %}{% for i in range(24) %}"
        "{% set ns.n = ns.n * ns.n %}{% endfor %}"
    ),
    "integer to_bytes": "{{ (1).to_bytes(1000000000, 'big')|length }}",
    "bytes center": "{{ 'x'.encode().center(1000000000)|length }}",
    "tojson indent": "{{ [1, 2, 3]|tojson(indent=1000000000) }}",
    "tojson indent of nothing": "{{ []|tojson(indent=1000000000) }}",
    "tojson of nested lists": NESTED + "{{ ns.l|tojson }}",
    "% with a repeated tuple": BIG + "{{ ('%s' * 50000) % ((s,) * 50000) }}",
    "% with a mapping": BIG + "{{ ('%(a)s' * 20000) % {'a': s} }}",
    "% with a doubled tuple": DOUBLED + "{{ ('%s' * 2048) % ns.t }}",
    "% widths adding up": "{{ ('%99999s' * 1000) % (('x',) * 1000) }}",
    "% of a list": DOUBLED + "{{ '%s' % (ns.l,) }}",
    "format filter with a mapping": BIG + "{{ ('%(a)s' * 2000)|format(a=s) }}",
    "format filter with positions": DOUBLED + "{{ ('%s' * 2048)|format(*ns.t) }}",
    "list repetition counted by text": BIG + "{{ [s] * 2000 }}",
    "list repetition to string": BIG + "{{ ([s] * 2000)|string }}",
    "list repetition to pprint": BIG + "{{ ([s] * 2000)|pprint }}",
    "output of a doubled list": DOUBLED + "{{ ns.l }}",
    "string filter of a doubled list": DOUBLED + "{{ ns.l|string }}",
    "pprint of a doubled list": DOUBLED + "{{ ns.l|pprint }}",
    "upper of a doubled list": DOUBLED + "{{ ns.l|upper }}",
    "concat of a doubled list": DOUBLED + "{{ 'a' ~ ns.l }}",
    "join attribute of namespaces": DOUBLED + "{{ ns.n|join(attribute='a') }}",
    "join attribute of dicts": BIG + "{{ ([{'a': s}] * 2000)|join(attribute='a') }}",
    "join of nested lists": NESTED + "{{ [ns.l]|join }}",
    "output of nested lists": NESTED + "{{ ns.l }}",
    "concat of nested lists": NESTED + "{{ 'a' ~ ns.l }}",
    "namespaces in a literal list": BIG + "{% set n = namespace(a=s) %}{{ [n, n, n] }}",
    "lazy sequence to list": "{{ (" + LAZY + "|list)|length }}",
    "lazy sequence to join": "{{ " + LAZY + "|join }}",
    "lazy sequence to sort": "{{ (" + LAZY + "|sort)|length }}",
    "lazy sequence to str.join": "{{ ''.join(" + LAZY + ") }}",
}

PEAK_BYTES = 50_000_000


@pytest.mark.parametrize("source", BOMBS.values(), ids=BOMBS.keys())
def test_bombs_are_refused_with_little_memory(source: str) -> None:
    """Each payload raises the too-large RenderError having allocated under 50 MB."""
    renderer = TextRenderer()
    pack = pack_from_strings({"t": source})
    tracemalloc.start()
    try:
        with pytest.raises(RenderError, match="longer than the limit of 100000 characters"):
            renderer.render("t", {}, [pack])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES


def test_html_output_of_a_doubled_list_is_refused() -> None:
    """The autoescaping renderer checks a list's text before escaping it too."""
    with pytest.raises(RenderError, match="longer than the limit"):
        HtmlRenderer().render("t", {}, [pack_from_strings({"t": DOUBLED + "{{ ns.l }}"})])


ALLOWED = {
    "{{ [1, 'a'] }}": "[1, 'a']",
    "{{ 'n=' ~ [1, 2] }}": "n=[1, 2]",
    "{{ 6 * 7 }}": "42",
    "{{ (2 ** 64) * (2 ** 64) }}": str(2**128),
    "{{ [0] * 3 }}": "[0, 0, 0]",
    "{{ ('ab',) * 2 }}": "('ab', 'ab')",
    "{{ {'a': [1]}|tojson(indent=2) }}": '{\n  "a": [\n    1\n  ]\n}',
    "{{ '%s-%s' % ('a', 'b') }}": "a-b",
    "{{ '%(x)s%(x)s' % {'x': 'y'} }}": "yy",
    "{{ '%s'|format([1]) }}": "[1]",
    "{{ notes|map('upper')|join(', ') }}": "ONE, TWO",
    "{{ ', '.join(notes|map('title')) }}": "One, Two",
    "{{ notes|map('upper')|list }}": "['ONE', 'TWO']",
    "{{ notes|pprint }}": "['one', 'two']",
    "{{ [{'a': 'x'}, {'a': 'y'}]|join('+', attribute='a') }}": "x+y",
    "{% set n = namespace(a=1) %}{{ [n]|length }}": "1",
    "{{ 'x'.encode().center(3)|length }}": "3",
    "{{ (5).to_bytes(2, 'big')|length }}": "2",
}


@pytest.mark.parametrize(("source", "expected"), ALLOWED.items())
def test_ordinary_values_still_render(source: str, expected: str) -> None:
    """Lists, products, formats, JSON and lazy sequences of normal size still work."""
    context = {"notes": ["one", "two"]}
    out = TextRenderer().render("t", context, [pack_from_strings({"t": source})])
    assert out == expected
