"""Session-wide fixtures: the dbt manifest that Dagster needs at import (stack-notes E2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.lib import dbt_manifest as dbt_manifest_state


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory) -> Path:
    """``dbt_project/target/manifest.json``, parsed now if missing or if dbt_project/ changed
    (any warehouse path will do: each test's run parses again for its own warehouse)."""
    if not dbt_manifest_state.is_current():
        dbt_manifest_state.parse(tmp_path_factory.mktemp("parse") / "w.duckdb")
    return dbt_manifest_state.manifest_path()
