"""The sandbox refuses known escape payloads and size bombs in user templates,
and still allows what a message template needs."""

from __future__ import annotations

import pytest
from infointerview_messages import HtmlRenderer, MarkdownRenderer, TextRenderer, pack_from_strings

from infointerview import RenderError

CONTEXT = {
    "contact": {"name": "Ann Lee", "first_name": "Ann"},
    "notes": ["one", "two"],
    "extra": {},
}

ESCAPES = {
    "str.format reaching attributes": "{{ '{0.__class__.__mro__}'.format(contact) }}",
    "str.format_map": "{{ '{x.__class__}'.format_map({'x': contact}) }}",
    "format through the attr filter": "{{ ('{0.__class__}'|attr('format'))(contact) }}",
    "format_map through the attr filter": "{{ ('{x}'|attr('format_map'))({'x': 1}) }}",
    "format via subscription": "{{ ''['format']('{0.__class__}', contact) }}",
    "format through map(attribute=)": (
        "{{ (['{0.__class__}']|map(attribute='format')|first)(contact) }}"
    ),
    "dunder class": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "attr filter to dunder": "{{ contact|attr('__class__') }}",
    "function globals": "{{ cycler.__init__.__globals__ }}",
    "joiner globals": "{{ joiner.__init__.__globals__['os'] }}",
    "namespace internals": "{{ namespace.__init__.__globals__ }}",
    "template reference context": "{{ self._TemplateReference__context }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "loop internals": "{% for x in [1] %}{{ loop.__class__ }}{% endfor %}",
    "list mutation": "{% set x = [1] %}{{ x.append(2) }}",
    "dict mutation": "{{ contact.update({'name': 'x'}) }}",
    "dict pop": "{{ contact.pop('name') }}",
    "generator frame": "{{ (notes|map('upper')).gi_frame }}",
    "include a file by path": "{% include '/etc/passwd' %}",
    "include a file outside": "{% include '../../../../etc/passwd' %}",
    "extends a file": "{% extends '/etc/hosts' %}",
    "import a file": "{% import '/etc/hosts' as h %}",
}

BOMBS = {
    "string repetition": "{{ 'x' * 100000000 }}",
    "list repetition": "{{ ([1] * 100000000)|length }}",
    "huge power": "{{ 9 ** 99999999 }}",
    "center filter": "{{ 'x'|center(100000000) }}",
    "indent filter": "{{ ('a\n' * 1000)|indent(100000) }}",
    "printf width": "{{ '%100000000s' % 'x' }}",
    "format filter width": "{{ '%100000000s'|format('x') }}",
    "str.ljust": "{{ 'x'.ljust(100000000) }}",
    "str.zfill": "{{ '1'.zfill(100000000) }}",
    "str.expandtabs": "{{ ('\t' * 1000).expandtabs(100000) }}",
    "str.replace on empty": "{{ 'xx'.replace('', 'y' * 50000) }}",
    "str.translate": "{{ ('a' * 1000).translate({97: 'x' * 1000}) }}",
    "str.join": "{{ ('x' * 5000).join(range(1000)|map('string')) }}",
    "join filter": "{{ range(100000)|join('x' * 5000) }}",
    "wordwrap filter": "{{ ('a ' * 5000)|wordwrap(1, wrapstring='y' * 5000) }}",
    "batch filter": "{{ [1]|batch(100000000, 'x')|list|length }}",
    "slice filter": "{{ [1]|slice(100000000)|list|length }}",
    "doubling with ~": (
        "{% set ns = namespace(s='xx') %}{% for i in range(60) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}"
    ),
    "doubling with +": (
        "{% set ns = namespace(s='xx') %}{% for i in range(60) %}"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}"
    ),
    "tripling urlencode": (
        "{% set ns = namespace(s='%' * 1000) %}{% for i in range(60) %}"
        "{% set ns.s = ns.s|urlencode %}{% endfor %}{{ ns.s|length }}"
    ),
    "long loop output": (
        "{% for i in range(100000) %}{% for j in range(100) %}x{% endfor %}{% endfor %}"
    ),
}


@pytest.mark.parametrize("renderer", [TextRenderer(), HtmlRenderer(), MarkdownRenderer()])
@pytest.mark.parametrize("source", ESCAPES.values(), ids=ESCAPES.keys())
def test_escape_payloads_are_refused(renderer, source: str) -> None:
    """Each known sandbox escape is refused with a RenderError, whatever the format."""
    with pytest.raises(RenderError):
        renderer.render("t", CONTEXT, [pack_from_strings({"t": source})])


@pytest.mark.parametrize("source", BOMBS.values(), ids=BOMBS.keys())
def test_size_bombs_are_refused_before_they_grow(source: str) -> None:
    """Operations that would make a value or the output huge stop at the limit."""
    with pytest.raises(RenderError, match="longer than the limit of 20000 characters"):
        TextRenderer(max_chars=20_000).render("t", CONTEXT, [pack_from_strings({"t": source})])


def test_format_is_refused_even_on_markup() -> None:
    """In HTML, Markup strings have no format either."""
    source = "{{ ('{0.__class__}'|safe).format(contact) }}"
    with pytest.raises(RenderError, match="format"):
        HtmlRenderer().render("t", CONTEXT, [pack_from_strings({"t": source})])


ALLOWED = {
    "{{ 'ab' * 3 }}": "ababab",
    "{{ 2 ** 10 }}": "1024",
    "{{ notes|join(', ') }}": "one, two",
    "{{ ', '.join(notes) }}": "one, two",
    "{{ '%s and %s' % ('a', 'b') }}": "a and b",
    "{{ '%-5s|'|format('a') }}": "a    |",
    "{{ contact.name|upper|replace('ANN', 'Dr') }}": "Dr LEE",
    "{{ contact.first_name ~ '!' }}": "Ann!",
    "{{ contact.name.split()|last }}": "Lee",
    "{{ contact.name.replace(' ', '_') }}": "Ann_Lee",
    "[{{ 'x'.center(5) }}]": "[  x  ]",
    "{% for n in notes %}{{ loop.index }}. {{ n }} {% endfor %}": "1. one 2. two",
    "{% set ns = namespace(n=0) %}{% for x in range(3) %}{% set ns.n = ns.n + 1 %}"
    "{% endfor %}{{ ns.n }}": "3",
    "{{ contact.items()|list|length }}": "2",
    "{{ dict(a=1).a }}": "1",
}


@pytest.mark.parametrize(("source", "expected"), ALLOWED.items())
def test_ordinary_template_code_still_works(source: str, expected: str) -> None:
    """Filters, loops, methods, operators and namespaces of normal size are allowed."""
    out = TextRenderer().render("t", CONTEXT, [pack_from_strings({"t": source})])
    assert out == expected
