"""The hook implementations: the two question generators and the run-sheet templates."""

from __future__ import annotations

from collections.abc import Sequence

from infointerview import QuestionGenerator, TemplatePack, hookimpl
from infointerview_questions.bank import BankGenerator
from infointerview_questions.contextual import ContextualGenerator
from infointerview_questions.templates import agenda_pack

__all__ = ["register_question_generators", "register_template_packs"]


@hookimpl
def register_question_generators() -> Sequence[QuestionGenerator]:
    """``contextual`` first (written for this conversation, it wins near-duplicates), ``bank``."""
    contextual = ContextualGenerator()
    return [contextual, BankGenerator(superseded_by=contextual)]


@hookimpl
def register_template_packs() -> Sequence[TemplatePack]:
    """The pack ``questions``: the run sheet as ``agenda.text`` and ``agenda.markdown``."""
    return [agenda_pack()]
