"""Rendering asks with infointerview-messages beside bare jinja2, in one run.

Usage: ``python bench/bench_render.py [--quick]``.

What is measured, on the same template source and the same 10,000 contexts
(one per contact, names and organisations all different):

* ``ours``: ``Renderer.render("ask_cold.email", context, packs)`` of the
  plugin's ``text`` renderer, as ``Workspace.draft`` calls it: template
  resolution in the packs, the sandbox (ImmutableSandboxedEnvironment,
  StrictUndefined, size guards) and the compile cache.
* ``limit``: ``jinja2.Template(source, trim_blocks=True,
  lstrip_blocks=True).render(context)``, compiled once: bare jinja2 with no
  sandbox.

The goal is a ratio of at most 1.3. Two more rows are for information only:
the HTML renderer beside a bare autoescaping jinja2 template, and the whole
``Workspace.draft(..., save=False)`` (store look-ups, context building, subject,
every message check) beside the bare render.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import jinja2

import infointerview
from infointerview import Contact, SeekerProfile

GOAL_RATIO = 1.3
TEMPLATE = "ask_cold.email"


def _best_of(runs: int, work: dict[str, Callable[[], None]]) -> dict[str, float]:
    """The fastest of ``runs`` timings of each piece of work, interleaved."""
    best = dict.fromkeys(work, float("inf"))
    for _ in range(runs):
        for name, run in work.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def _loop(render: Callable[[Any], Any], contexts: Sequence[Any]) -> Callable[[], None]:
    def run() -> None:
        for context in contexts:
            render(context)

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (CI)")
    args = parser.parse_args()
    count = 10_000
    runs = 5 if args.quick else 15
    drafts = 300 if args.quick else 2_000

    ws = infointerview.open_workspace("memory://", owner="bench")
    ws.set_profile(
        SeekerProfile(
            name="Sam Rivera",
            background="a physics graduate",
            field="renewable energy",
            target="grid-scale storage",
        )
    )
    people = ws.add_contacts(
        Contact(name=f"Person{i} Example", organisation=f"Org {i}", role="engineer")
        for i in range(count)
    )
    contexts = [ws.message_context(p.id) for p in people]
    for context in contexts:
        context["message"] = {"kind": "ask_cold", "channel": "email", "format": "text"}
    packs = ws.template_packs()
    renderers = ws.renderers()
    text, html = renderers["text"], renderers["html"]
    source = next(p.templates[TEMPLATE] for p in reversed(packs) if TEMPLATE in p.templates)
    bare = jinja2.Template(source, trim_blocks=True, lstrip_blocks=True)
    bare_html = jinja2.Template(source, trim_blocks=True, lstrip_blocks=True, autoescape=True)
    if text.render(TEMPLATE, contexts[0], packs) != bare.render(contexts[0]).strip():
        print("the renderer and bare jinja2 disagree on the output", file=sys.stderr)
        return 1

    now = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
    some = [p.id for p in people[:drafts]]

    def draft_all() -> None:
        for contact_id in some:
            ws.draft("ask_cold", "email", contact_id, now=now, save=False)

    best = _best_of(
        runs,
        {
            "ours": _loop(lambda c: text.render(TEMPLATE, c, packs), contexts),
            "bare": _loop(bare.render, contexts),
            "ours_html": _loop(lambda c: html.render(TEMPLATE, c, packs), contexts),
            "bare_html": _loop(bare_html.render, contexts),
            "draft": draft_all,
        },
    )
    ratio = best["ours"] / best["bare"]
    html_ratio = best["ours_html"] / best["bare_html"]
    per_draft = best["draft"] / drafts
    per_bare = best["bare"] / count
    print(f"{'figure':<44}{'ours':>10}{'limit':>10}{'ratio':>8}{'goal':>8}")
    print(
        f"{f'render {count:,} asks, text (s)':<44}{best['ours']:>10.4f}"
        f"{best['bare']:>10.4f}{ratio:>8.2f}{GOAL_RATIO:>8.1f}"
    )
    print(
        f"{f'render {count:,} asks, html (s)':<44}{best['ours_html']:>10.4f}"
        f"{best['bare_html']:>10.4f}{html_ratio:>8.2f}{'info':>8}"
    )
    print(
        f"{'Workspace.draft per ask, no save (ms)':<44}{per_draft * 1e3:>10.4f}"
        f"{per_bare * 1e3:>10.4f}{per_draft / per_bare:>8.1f}{'info':>8}"
    )
    print(
        f"limit = bare jinja2 Template.render of the same source and contexts; best of {runs} "
        f"interleaved runs; bare jinja2: {count / best['bare']:,.0f} asks/s; "
        f"goal met: {ratio <= GOAL_RATIO}"
    )
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
