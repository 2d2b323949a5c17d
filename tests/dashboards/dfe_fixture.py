"""status.duckdb with the DfE's rules run for real on generated data with defects.

A small Hampshire (two collection years as at 30 June 2026: the 2025-26 final return and
the 2026-27 extracts of April to June) with defects planted by csc-synth: a break of each
of four DfE rules the gate blocks on, and a cell kind. It goes through the pipeline's own
code, twice, as two monthly refreshes would: the extracts up to May are loaded through the
gate and checked against the DfE's rules (csc-validator-be-903 in .venv-903), then June's
arrives and only it is checked again (the final return's check is still current). The
gate blocks the damaged extracts; the DfE check reads them anyway (readiness).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.lib import dfe903_check
from pipelines.lib.loader import load_landing
from pipelines.lib.quality import QualityGate
from pipelines.lib.status import STATUS_FILE, publish_status
from pipelines.synth import SynthConfig, generate

LA = "850"
AS_AT = dt.date(2026, 6, 30)
DEFECTS = (
    "oc2_outside_cohort",
    "x1_without_next",
    "missing_after_care",
    "oc3_partly_completed",
    "dob_mismatch",
)


@dataclass
class DfeFixture:
    landing: Path
    serving: Path
    first: dfe903_check.Plan  # what the first refresh checked
    second: dfe903_check.Plan  # what the second did (June only)


def _refresh(con, landing: Path, serving: Path, run_id: str) -> dfe903_check.Plan:
    load_landing(con, landing, run_id=run_id, validate=QualityGate(con, run_id))
    todo = dfe903_check.plan(con, landing, [LA])
    outcomes = dfe903_check.run(todo.to_check)
    assert [o.status for o in outcomes] == ["ok"] * len(outcomes), [o.message for o in outcomes]
    dfe903_check.store(con, outcomes, run_id)
    publish_status(con, serving / STATUS_FILE, run_id)
    return todo


def build(root: Path) -> DfeFixture:
    landing, serving = root / "landing", root / "serving"
    generate(
        SynthConfig(
            out=landing,
            las=(LA,),
            scale=0.05,
            years=2,
            as_at=AS_AT,
            seed=3,
            defects=DEFECTS,
            defect_rate=0.02,
            quiet=True,
        )
    )
    june = landing / LA / "ssda903" / "2026-27" / AS_AT.isoformat()
    held = root / "june"
    shutil.move(june, held)  # the first refresh runs before June's extract arrives
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    try:
        first = _refresh(con, landing, serving, "refresh-may")
        shutil.move(held, june)
        second = _refresh(con, landing, serving, "refresh-june")
    finally:
        con.close()
    return DfeFixture(landing, serving, first, second)
