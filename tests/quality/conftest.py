"""Fixtures of the data-quality tests: a landing folder and a warehouse under tmp_path."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from quality_landing import Landing


@pytest.fixture
def landing(tmp_path: Path) -> Landing:
    return Landing(tmp_path / "landing")


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()
