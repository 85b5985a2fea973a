"""The kit for plugin authors: conformance suites and Hypothesis strategies.

One import gives everything::

    from infointerview.testing import StoreConformance, store_state_machine_test, strategies

Names load on first use, so the pytest plugin registered from this package
(``infointerview.testing.pytest_plugin``) never imports Hypothesis for a
project that does not use the kit.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infointerview.testing import strategies
    from infointerview.testing.conformance import StoreConformance
    from infointerview.testing.statemachine import StoreStateMachine, store_state_machine_test
    from infointerview.testing.strategies import (
        NASTY_TEXTS,
        aware_datetimes,
        contact_exports,
        contacts,
        custom_goals,
        event_histories,
        event_sequences,
        events,
        findings,
        goals,
        interviews,
        messages,
        personal_text,
        questions,
        records,
        relationships,
        seeker_profiles,
    )

_STRATEGIES = "infointerview.testing.strategies"
_LAZY = {
    "StoreConformance": "infointerview.testing.conformance",
    "StoreStateMachine": "infointerview.testing.statemachine",
    "store_state_machine_test": "infointerview.testing.statemachine",
    "NASTY_TEXTS": _STRATEGIES,
    "aware_datetimes": _STRATEGIES,
    "contact_exports": _STRATEGIES,
    "contacts": _STRATEGIES,
    "custom_goals": _STRATEGIES,
    "event_histories": _STRATEGIES,
    "event_sequences": _STRATEGIES,
    "events": _STRATEGIES,
    "findings": _STRATEGIES,
    "goals": _STRATEGIES,
    "interviews": _STRATEGIES,
    "messages": _STRATEGIES,
    "personal_text": _STRATEGIES,
    "questions": _STRATEGIES,
    "records": _STRATEGIES,
    "relationships": _STRATEGIES,
    "seeker_profiles": _STRATEGIES,
}


def __getattr__(name: str) -> Any:
    if name == "strategies":
        value: Any = importlib.import_module(_STRATEGIES)
    else:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'infointerview.testing' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "NASTY_TEXTS",
    "StoreConformance",
    "StoreStateMachine",
    "aware_datetimes",
    "contact_exports",
    "contacts",
    "custom_goals",
    "event_histories",
    "event_sequences",
    "events",
    "findings",
    "goals",
    "interviews",
    "messages",
    "personal_text",
    "questions",
    "records",
    "relationships",
    "seeker_profiles",
    "store_state_machine_test",
    "strategies",
]
