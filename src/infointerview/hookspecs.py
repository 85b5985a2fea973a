"""The plugin contract: one hook per kind of thing a plugin can register.

Every hook returns a list of named things; the core merges the lists and
refuses a name registered twice, naming both plugins.
"""

from __future__ import annotations

from collections.abc import Sequence

import pluggy

from infointerview.ports import (
    Exporter,
    Importer,
    MessageCheck,
    QuestionGenerator,
    Renderer,
    StoreFactory,
    TemplatePack,
)

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("infointerview")
hookimpl = pluggy.HookimplMarker("infointerview")


@hookspec
def register_stores() -> Sequence[StoreFactory]:
    """Storage backends, one per URL scheme.

    :return: factories whose ``scheme`` (``"sqlite"``) selects them in
        :func:`infointerview.open_workspace`.
    """


@hookspec
def register_renderers() -> Sequence[Renderer]:
    """Renderers, one per output format (``"text"``, ``"markdown"``, ``"html"``).

    :return: renderers whose ``format`` names them.
    """


@hookspec
def register_template_packs() -> Sequence[TemplatePack]:
    """Template packs; a pack registered later overrides templates by name.

    :return: packs whose ``name`` identifies them.
    """


@hookspec
def register_question_generators() -> Sequence[QuestionGenerator]:
    """Sources of candidate interview questions.

    :return: generators whose ``name`` becomes each question's ``source``.
    """


@hookspec
def register_message_checks() -> Sequence[MessageCheck]:
    """Checks run on every drafted message (a user can switch each off by name).

    :return: checks whose ``name`` identifies them.
    """


@hookspec
def register_importers() -> Sequence[Importer]:
    """Readers of contact files.

    :return: importers whose ``name`` (``"linkedin"``) selects them.
    """


@hookspec
def register_exporters() -> Sequence[Exporter]:
    """Writers of workspace data.

    :return: exporters whose ``name`` (``"ics"``) selects them.
    """
