"""Plan, hold and follow up informational interviews.

Importing this package is cheap: it loads the pure domain only. The plugin
machinery, the workspace and serialization load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from infointerview.errors import (
    ConflictError,
    DuplicateError,
    IllegalEventError,
    InfoInterviewError,
    InvalidInputError,
    JobRequestGoalError,
    NotFoundError,
    PluginError,
    RenderError,
    SchemaVersionError,
    StoreError,
)
from infointerview.goals import STANDARD_GOALS, GoalCatalog, custom_goal
from infointerview.model import (
    Channel,
    Contact,
    ContactSource,
    Event,
    EventKind,
    Finding,
    Goal,
    Interview,
    Medium,
    Message,
    Question,
    QuestionCategory,
    SeekerProfile,
    Severity,
)
from infointerview.stages import TRANSITIONS, RelationshipState, Stage, accepted_events, fold

if TYPE_CHECKING:
    from infointerview.agenda import AgendaPlan, plan_agenda
    from infointerview.analytics import Report
    from infointerview.context import choose_ask_kind
    from infointerview.emails import to_email_message, to_eml
    from infointerview.followup import (
        BusinessCalendar,
        Cadence,
        FollowUpPolicy,
        LosingTouch,
        Reminder,
        ReminderReason,
        add_business_days,
    )
    from infointerview.hookspecs import hookimpl
    from infointerview.ports import (
        CheckContext,
        ContactExport,
        DueEntry,
        Exporter,
        Importer,
        ImportResult,
        MessageCheck,
        QuestionGenerator,
        QuestionRequest,
        Relationship,
        Renderer,
        Store,
        StoreFactory,
        TemplatePack,
    )
    from infointerview.serialization import dumps, from_record, loads, to_record
    from infointerview.workspace import Workspace, open_workspace

__version__ = "0.1.0"

_LAZY = {
    "AgendaPlan": "infointerview.agenda",
    "plan_agenda": "infointerview.agenda",
    "BusinessCalendar": "infointerview.followup",
    "Cadence": "infointerview.followup",
    "FollowUpPolicy": "infointerview.followup",
    "LosingTouch": "infointerview.followup",
    "Reminder": "infointerview.followup",
    "ReminderReason": "infointerview.followup",
    "add_business_days": "infointerview.followup",
    "CheckContext": "infointerview.ports",
    "ContactExport": "infointerview.ports",
    "DueEntry": "infointerview.ports",
    "Exporter": "infointerview.ports",
    "Importer": "infointerview.ports",
    "ImportResult": "infointerview.ports",
    "MessageCheck": "infointerview.ports",
    "QuestionGenerator": "infointerview.ports",
    "QuestionRequest": "infointerview.ports",
    "Relationship": "infointerview.ports",
    "Renderer": "infointerview.ports",
    "Store": "infointerview.ports",
    "StoreFactory": "infointerview.ports",
    "TemplatePack": "infointerview.ports",
    "hookimpl": "infointerview.hookspecs",
    "Workspace": "infointerview.workspace",
    "open_workspace": "infointerview.workspace",
    "dumps": "infointerview.serialization",
    "loads": "infointerview.serialization",
    "to_record": "infointerview.serialization",
    "from_record": "infointerview.serialization",
    "choose_ask_kind": "infointerview.context",
    "Report": "infointerview.analytics",
    "to_email_message": "infointerview.emails",
    "to_eml": "infointerview.emails",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'infointerview' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "STANDARD_GOALS",
    "TRANSITIONS",
    "AgendaPlan",
    "BusinessCalendar",
    "Cadence",
    "Channel",
    "CheckContext",
    "ConflictError",
    "Contact",
    "ContactExport",
    "ContactSource",
    "DueEntry",
    "DuplicateError",
    "Event",
    "EventKind",
    "Exporter",
    "Finding",
    "FollowUpPolicy",
    "Goal",
    "GoalCatalog",
    "IllegalEventError",
    "ImportResult",
    "Importer",
    "InfoInterviewError",
    "Interview",
    "InvalidInputError",
    "JobRequestGoalError",
    "LosingTouch",
    "Medium",
    "Message",
    "MessageCheck",
    "NotFoundError",
    "PluginError",
    "Question",
    "QuestionCategory",
    "QuestionGenerator",
    "QuestionRequest",
    "Relationship",
    "RelationshipState",
    "Reminder",
    "ReminderReason",
    "RenderError",
    "Renderer",
    "Report",
    "SchemaVersionError",
    "SeekerProfile",
    "Severity",
    "Stage",
    "Store",
    "StoreError",
    "StoreFactory",
    "TemplatePack",
    "Workspace",
    "__version__",
    "accepted_events",
    "add_business_days",
    "choose_ask_kind",
    "custom_goal",
    "dumps",
    "fold",
    "from_record",
    "hookimpl",
    "loads",
    "open_workspace",
    "plan_agenda",
    "to_email_message",
    "to_eml",
    "to_record",
]
