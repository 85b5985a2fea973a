"""The renderers: formats, escaping, overriding by name, the compile cache and error messages."""

from __future__ import annotations

import pytest
from infointerview_messages import (
    HtmlRenderer,
    MarkdownRenderer,
    TextRenderer,
    markdown_escape,
    pack_from_strings,
)
from infointerview_messages.renderers import paragraphs_to_html

from infointerview import RenderError, TemplatePack

CONTEXT = {
    "contact": {"name": "Ann <b>O'Neil</b> & Co", "first_name": "Ann"},
    "referrer": None,
    "notes": ["first point", "second point"],
    "extra": {},
}


def _pack(**templates: str) -> TemplatePack:
    return TemplatePack("user", templates)


def test_text_is_not_escaped() -> None:
    """Plain text keeps data exactly as given."""
    out = TextRenderer().render("t", CONTEXT, [_pack(t="Hi {{ contact.name }}")])
    assert out == "Hi Ann <b>O'Neil</b> & Co"


def test_html_escapes_data_and_makes_paragraphs() -> None:
    """HTML escapes every value and turns blank-line paragraphs into <p>, lines into <br>."""
    pack = _pack(t="Hi {{ contact.name }},\n\nline one\nline two")
    out = HtmlRenderer().render("t", CONTEXT, [pack])
    assert out == (
        "<p>Hi Ann &lt;b&gt;O&#39;Neil&lt;/b&gt; &amp; Co,</p>\n<p>line one<br>\nline two</p>"
    )


def test_html_variant_is_used_as_written() -> None:
    """A template named '<name>.html' wins for HTML and is not wrapped in paragraphs."""
    pack = _pack(t="plain {{ contact.first_name }}", **{"t.html": "<em>{{ contact.name }}</em>"})
    assert HtmlRenderer().render("t", CONTEXT, [pack]) == (
        "<em>Ann &lt;b&gt;O&#39;Neil&lt;/b&gt; &amp; Co</em>"
    )
    assert TextRenderer().render("t", CONTEXT, [pack]) == "plain Ann"


def test_markdown_escapes_values_but_not_the_template() -> None:
    """Markdown keeps the template's own markup and escapes what data brings in."""
    context = {"contact": {"name": "*bold* [link](http://x) # h"}}
    out = MarkdownRenderer().render("t", context, [_pack(t="**{{ contact.name }}**")])
    assert out == r"**\*bold\* \[link\](http://x) \# h**"


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain words", "plain words"),
        ("a_b*c`d", r"a\_b\*c\`d"),
        ("<i>&", r"\<i\>\&"),
        ("- item\n1. one\n+ two", "\\- item\n1\\. one\n\\+ two"),
        ("Mary-Ann 3.5", "Mary-Ann 3.5"),
    ],
)
def test_markdown_escape(raw: str, escaped: str) -> None:
    """Markdown's punctuation and list markers at a line start are escaped, nothing else."""
    assert markdown_escape(raw) == escaped


def test_paragraphs_to_html_skips_empty_text() -> None:
    """Whitespace alone gives an empty body, not an empty paragraph."""
    assert paragraphs_to_html(" \n\n ") == ""


def test_later_pack_overrides_by_name() -> None:
    """The last pack holding a name wins; earlier packs fill in the rest."""
    base = TemplatePack("base", {"a": "base a", "b": "base b"})
    user = TemplatePack("user", {"a": "user a"})
    renderer = TextRenderer()
    assert renderer.render("a", {}, [base, user]) == "user a"
    assert renderer.render("b", {}, [base, user]) == "base b"
    assert renderer.render("a", {}, [user, base]) == "base a"


def test_a_generic_override_beats_an_earlier_packs_variant() -> None:
    """A user's plain template overrides the plugin's HTML variant of the same name."""
    base = TemplatePack("base", {"t.html": "<b>base</b>"})
    user = TemplatePack("user", {"t": "user"})
    assert HtmlRenderer().render("t", {}, [base, user]) == "<p>user</p>"


def test_includes_resolve_in_the_packs_last_wins() -> None:
    """{% include %} finds partials in the packs, and a later pack's partial wins."""
    base = TemplatePack("base", {"t": "[{% include 'sig' %}]", "sig": "base sig"})
    user = TemplatePack("user", {"sig": "{{ contact.first_name }}'s sig"})
    renderer = TextRenderer()
    assert renderer.render("t", CONTEXT, [base]) == "[base sig]"
    assert renderer.render("t", CONTEXT, [base, user]) == "[Ann's sig]"
    assert renderer.render("t", CONTEXT, [base]) == "[base sig]"


def test_macros_import_from_another_template() -> None:
    """{% import %} of a macro file in a pack works in the sandbox."""
    pack = _pack(
        t="{% import 'macros' as m %}{{ m.greet(contact.first_name) }}",
        macros="{% macro greet(name) %}Hello {{ name }}{% endmacro %}",
    )
    assert TextRenderer().render("t", CONTEXT, [pack]) == "Hello Ann"


def test_templates_are_compiled_once_and_recompiled_on_change() -> None:
    """The cache hands back the same compiled template until the pack's source changes."""
    renderer = TextRenderer()
    templates = {"t": "one"}
    pack = TemplatePack("user", templates)
    assert renderer.render("t", {}, [pack]) == "one"
    first = renderer._compile(renderer_resolve(pack))[0]
    renderer.render("t", {}, [pack])
    assert renderer._compile(renderer_resolve(pack))[0] is first
    templates["t"] = "two"
    assert renderer.render("t", {}, [pack]) == "two"
    assert renderer._compile(renderer_resolve(pack))[0] is not first


def renderer_resolve(pack: TemplatePack):  # type: ignore[no-untyped-def]
    """Where 't' resolves in ``pack`` for the text format."""
    from infointerview_messages.packs import resolve

    return resolve("t", [pack], "text")


def test_has_template_sees_variants() -> None:
    """has_template answers for the name or its variant of the renderer's format."""
    pack = _pack(**{"t.html": "x"})
    assert HtmlRenderer().has_template("t", [pack])
    assert not TextRenderer().has_template("t", [pack])


def test_missing_variable_names_template_line_and_variable() -> None:
    """StrictUndefined: the error names the template, the line and the dotted variable."""
    pack = _pack(t="Hello\n\n{{ contact.nickname }}")
    with pytest.raises(RenderError) as info:
        TextRenderer().render("t", CONTEXT, [pack])
    message = str(info.value)
    assert "template 't' in pack 'user', line 3" in message
    assert "'contact.nickname' is undefined" in message


def test_missing_top_level_variable() -> None:
    """An unknown top-level name is reported by its name."""
    with pytest.raises(RenderError, match=r"line 2: variable 'sender' is undefined"):
        TextRenderer().render("t", CONTEXT, [_pack(t="x\n{{ sender }}")])


def test_attribute_of_an_empty_value_says_it_is_empty() -> None:
    """Using referrer.name when there is no referrer says that referrer is empty."""
    with pytest.raises(RenderError, match=r"'referrer.name' is undefined \('referrer' is empty"):
        TextRenderer().render("t", CONTEXT, [_pack(t="{{ referrer.name }}")])


def test_error_in_an_included_template_names_that_template() -> None:
    """The innermost template frame is reported: the partial and its line."""
    pack = _pack(t="a\n{% include 'part' %}", part="x\ny\n{{ contact.missing }}")
    with pytest.raises(RenderError, match=r"template 'part' in pack 'user', line 3"):
        TextRenderer().render("t", CONTEXT, [pack])


def test_syntax_error_names_template_and_line() -> None:
    """A template that does not parse is reported with its line."""
    pack = _pack(t="fine\n{% if %}")
    with pytest.raises(RenderError, match=r"template 't' in pack 'user', line 2: syntax error"):
        TextRenderer().render("t", CONTEXT, [pack])


def test_unknown_template() -> None:
    """Rendering a name no pack holds is a RenderError listing the packs."""
    with pytest.raises(RenderError, match=r"no template 'nope' in the template packs \('user'\)"):
        TextRenderer().render("nope", {}, [_pack(t="x")])


def test_include_of_unknown_template() -> None:
    """Including a name no pack holds names it and says files are never read."""
    with pytest.raises(RenderError, match=r"'missing', which no pack defines"):
        TextRenderer().render("t", {}, [_pack(t="{% include 'missing' %}")])


def test_other_failures_report_their_type_only() -> None:
    """An error raised inside a template reports its type and line; its text (which may
    quote data) is neither shown nor chained."""
    pack = _pack(t="\n{{ 1 // (contact.first_name|length - 6) }}")
    with pytest.raises(RenderError) as info:
        TextRenderer().render("t", {"contact": {"first_name": "Secret"}}, [pack])
    assert "line 2: the template failed with ZeroDivisionError" in str(info.value)
    assert "Secret" not in str(info.value)
    assert info.value.__cause__ is None


def test_output_limit() -> None:
    """Output over max_chars is refused; the limit is per renderer."""
    pack = _pack(t="{% for i in range(50) %}0123456789{% endfor %}")
    assert len(TextRenderer(max_chars=500).render("t", {}, [pack])) == 500
    with pytest.raises(RenderError, match="longer than the limit of 499 characters"):
        TextRenderer(max_chars=499).render("t", {}, [pack])


def test_data_over_the_limit_is_refused_too() -> None:
    """A value from the data that would overflow the output is refused as well."""
    with pytest.raises(RenderError, match="limit of 100 characters"):
        TextRenderer(max_chars=100).render("t", {"x": "y" * 101}, [_pack(t="{{ x }}")])


def test_pack_from_strings_checks_syntax_up_front() -> None:
    """A broken template is refused when the pack is made, with its line."""
    with pytest.raises(RenderError, match=r"template 'b' in pack 'mine', line 1: syntax error"):
        pack_from_strings({"a": "fine", "b": "{{ oops"}, name="mine")
