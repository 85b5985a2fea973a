"""The entry point: registers the ``ics`` exporter."""

from __future__ import annotations

from infointerview.hookspecs import hookimpl
from infointerview.ports import Exporter
from infointerview_calendar.exporter import IcsExporter

__all__ = ["register_exporters"]


@hookimpl
def register_exporters() -> list[Exporter]:
    """The ``ics`` exporter with its defaults (alarms 30 minutes ahead, 60 days of reminders)."""
    return [IcsExporter()]
