"""The ``json`` exporter: a whole workspace as one JSON document.

Every record is written with :func:`infointerview.to_record` (so each carries
its ``type`` and ``schema_version``); the document itself has a top-level
``schema_version`` too. Lists are sorted so that the same data always gives
the same bytes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from infointerview.errors import InvalidInputError
from infointerview.hookspecs import hookimpl
from infointerview.ports import Exporter
from infointerview.serialization import SCHEMA_VERSION, to_record

if TYPE_CHECKING:
    from infointerview.workspace import Workspace

__all__ = ["DOCUMENT_TYPE", "JsonExporter", "register_exporters", "workspace_document"]

DOCUMENT_TYPE: Final = "workspace"
_NEVER: Final = datetime.min.replace(tzinfo=UTC)


def workspace_document(workspace: Workspace, *, now: datetime) -> dict[str, Any]:
    """The export as plain data.

    It holds the profile, custom goals, contacts, relationships, interviews
    and messages. Contacts and relationships are ordered by contact id, interviews by time
    then id, messages by creation time then id.
    """
    if now.utcoffset() is None:
        raise InvalidInputError(
            "export needs a timezone-aware 'now'; pass e.g. datetime(..., tzinfo=timezone.utc)"
        )
    contacts = sorted(workspace.contacts(), key=lambda c: c.id)
    interviews = sorted(workspace.interviews(), key=lambda i: (i.at, i.id))
    messages = sorted(
        workspace.messages(),
        key=lambda m: (m.created_at or _NEVER, m.id),
    )
    custom_goals = [goal for goal in workspace.goals().values() if not goal.standard]
    return {
        "type": DOCUMENT_TYPE,
        "schema_version": SCHEMA_VERSION,
        "exported_at": now.isoformat(),
        "owner": workspace.owner,
        "profile": to_record(workspace.profile),
        "goals": [to_record(goal) for goal in custom_goals],
        "contacts": [to_record(contact) for contact in contacts],
        "relationships": [to_record(workspace.relationship(c.id)) for c in contacts],
        "interviews": [to_record(interview) for interview in interviews],
        "messages": [to_record(message) for message in messages],
    }


class JsonExporter(Exporter):
    """Writes :func:`workspace_document` as UTF-8 JSON (sorted keys, two-space indent)."""

    name = "json"
    media_type = "application/json"

    def export(self, workspace: Workspace, *, now: datetime) -> bytes:
        """The workspace as one JSON document."""
        document = workspace_document(workspace, now=now)
        text = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2)
        return (text + "\n").encode("utf-8")


@hookimpl
def register_exporters() -> list[Exporter]:
    """The built-in ``json`` exporter."""
    return [JsonExporter()]
