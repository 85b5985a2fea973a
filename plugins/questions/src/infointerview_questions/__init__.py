"""Question generators for infointerview.

Installed, this plugin registers two question generators, ``contextual``
(questions written from the contact, the seeker and the interview's goals)
and ``bank`` (over 200 tagged open questions), and the template pack
``questions`` with the agenda run sheet (``agenda.text``, ``agenda.markdown``).
"""

from __future__ import annotations

from infointerview_questions.bank import (
    SITUATIONS,
    BankGenerator,
    default_bank,
    goal_counts,
    load_bank,
    seeker_situations,
)
from infointerview_questions.contextual import TEMPLATES, ContextualGenerator, QuestionTemplate
from infointerview_questions.grammar import check_open, closed_reason, is_open
from infointerview_questions.templates import agenda_pack

__all__ = [
    "SITUATIONS",
    "TEMPLATES",
    "BankGenerator",
    "ContextualGenerator",
    "QuestionTemplate",
    "agenda_pack",
    "check_open",
    "closed_reason",
    "default_bank",
    "goal_counts",
    "is_open",
    "load_bank",
    "seeker_situations",
]
