"""Landing folders generated once per test session (small ones, and Hampshire at scale 1)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import synth_checks

from pipelines.synth import SynthConfig, generate

AS_AT = date(2026, 10, 31)


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """Hampshire and two neighbours at a tenth of their size."""
    out = tmp_path_factory.mktemp("small")
    summary = generate(
        SynthConfig(out=out, las=("850", "851", "921"), scale=0.1, as_at=AS_AT, quiet=True)
    )
    return out, summary


@pytest.fixture(scope="session")
def hampshire(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, synth_checks.LaData]:
    """Hampshire at scale 1: the volumes and rates the dashboard will show."""
    out = tmp_path_factory.mktemp("hampshire")
    generate(SynthConfig(out=out, las=("850",), as_at=AS_AT, quiet=True))
    return out, synth_checks.load(out, "850")


@pytest.fixture(scope="session")
def small_data(small: tuple[Path, object]) -> dict[str, synth_checks.LaData]:
    out, _ = small
    return {la: synth_checks.load(out, la) for la in ("850", "851", "921")}
