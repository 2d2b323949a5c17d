"""Session-wide fixtures: the dbt manifest that Dagster needs at import (stack-notes E2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.settings import DBT_PROJECT_DIR


def _dbt_sources_newer_than(manifest: Path) -> bool:
    built = manifest.stat().st_mtime
    return any(
        p.stat().st_mtime > built
        for p in DBT_PROJECT_DIR.rglob("*")
        if p.suffix in {".sql", ".yml", ".csv", ".py"} and "target" not in p.parts
    )


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory) -> Path:
    """``dbt_project/target/manifest.json``, parsed now if missing or stale."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    if not manifest.exists() or _dbt_sources_newer_than(manifest):
        env = {
            **os.environ,
            "CSC_DUCKDB_PATH": str(tmp_path_factory.mktemp("parse") / "w.duckdb"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        subprocess.run(
            [str(Path(sys.executable).with_name("dbt")), "parse", "--quiet", "--profiles-dir", "."],
            cwd=DBT_PROJECT_DIR,
            env=env,
            check=True,
        )
    return manifest
