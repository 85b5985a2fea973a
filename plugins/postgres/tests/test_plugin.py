"""The entry point registers the URL schemes; a workspace opened by URL works end to end."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from infointerview_postgres import PostgresStore
from infointerview_postgres.plugin import register_stores

from infointerview import open_workspace
from infointerview.model import Contact, EventKind
from infointerview.plugins import load_plugin_manager, registered
from infointerview.ports import StoreFactory
from infointerview.stages import Stage

NOW = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def test_the_entry_point_names_the_plugin_module() -> None:
    """The distribution declares ``postgresql = infointerview_postgres.plugin``."""
    found = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="infointerview")}
    assert found.get("postgresql") == "infointerview_postgres.plugin"


def test_both_schemes_are_registered() -> None:
    """The hook registers ``postgresql`` and ``postgres``, both opening the same store."""
    assert [f.scheme for f in register_stores()] == ["postgresql", "postgres"]
    assert all(isinstance(f, StoreFactory) for f in register_stores())
    factories = registered("register_stores", lambda f: f.scheme, load_plugin_manager())
    assert {"postgresql", "postgres"} <= set(factories)


@pytest.mark.postgres
@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_workspace_opened_by_url_works_and_closes_its_pool(
    app_url: str, owner: str, scheme: str
) -> None:
    """open_workspace on the URL stores contacts, folds events, reports what is due, then closes."""
    url = app_url.replace("postgresql://", f"{scheme}://", 1)
    with open_workspace(url, owner=owner) as workspace:
        store = workspace.store
        assert isinstance(store, PostgresStore)
        workspace.add_contact(Contact(name="Ada Lovelace", id="ada", email="ada@example.org"))
        workspace.log("ada", EventKind.ASKED, at=NOW, channel="email")
        assert workspace.stage("ada") is Stage.ASKED
        assert workspace.due(NOW) == []
        later = NOW + timedelta(days=14)
        assert {r.contact_id for r in workspace.due(later)} == {"ada"}
        assert [c.id for c in workspace.contacts(stage="asked")] == ["ada"]
    assert not store.backend.is_open


def test_discovering_the_plugin_does_not_load_psycopg() -> None:
    """Importing the entry point leaves psycopg unloaded until a store is opened."""
    code = "import sys, infointerview_postgres.plugin; print('psycopg' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
