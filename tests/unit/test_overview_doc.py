"""The stage table in docs/overview.md must equal the code's TRANSITIONS."""

from __future__ import annotations

import re
from pathlib import Path

from infointerview import TRANSITIONS, Stage, accepted_events

OVERVIEW = Path(__file__).resolve().parents[2] / "docs" / "overview.md"


def test_stage_table_matches_transitions() -> None:
    """Every stage row lists exactly the events the fold accepts, in order."""
    rows = re.findall(r"^\| (\w+) \| ([\w, ]+) \|$", OVERVIEW.read_text(), re.MULTILINE)
    table = {stage: [e.strip() for e in events.split(",")] for stage, events in rows}
    table.pop("stage", None)
    expected = {s.value: [e.value for e in accepted_events(s)] for s in Stage}
    assert table == expected
    assert set(TRANSITIONS) == set(Stage)
