"""iCalendar (RFC 5545) export for infointerview: interviews and reminders as events."""

from __future__ import annotations

from infointerview_calendar.exporter import IcsExporter

__all__ = ["IcsExporter", "__version__"]

__version__ = "0.1.0"
