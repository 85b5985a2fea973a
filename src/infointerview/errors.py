"""The errors a user of the library can cause, all under one base class."""

from __future__ import annotations

__all__ = [
    "ConflictError",
    "DuplicateError",
    "IllegalEventError",
    "InfoInterviewError",
    "InvalidInputError",
    "JobRequestGoalError",
    "NotFoundError",
    "PluginError",
    "RenderError",
    "SchemaVersionError",
    "StoreError",
]


class InfoInterviewError(Exception):
    """Base class of every error the library raises on purpose."""


class InvalidInputError(InfoInterviewError, ValueError):
    """A value given by the caller is malformed; the message names the field and the fix."""


class JobRequestGoalError(InvalidInputError):
    """A goal that amounts to asking for a job."""


class IllegalEventError(InfoInterviewError):
    """An event that the relationship's current stage does not allow."""

    def __init__(self, stage: str, event: str, accepted: tuple[str, ...]) -> None:
        self.stage = stage
        self.event = event
        self.accepted = accepted
        super().__init__(
            f"cannot log {event!r} while the relationship is at stage {stage!r}; "
            f"this stage accepts: {', '.join(accepted) or 'no events'}"
        )


class NotFoundError(InfoInterviewError, LookupError):
    """A record that does not exist in this owner's workspace."""


class DuplicateError(InfoInterviewError):
    """A record or a registered name that already exists."""


class ConflictError(InfoInterviewError):
    """An update based on a stale version: someone else changed the record first."""


class StoreError(InfoInterviewError):
    """A storage backend could not be opened or used."""


class SchemaVersionError(StoreError):
    """The stored schema is newer than this library understands."""


class PluginError(InfoInterviewError):
    """A plugin failed to load or broke the plugin contract."""


class RenderError(InfoInterviewError):
    """A message or agenda could not be rendered."""
