"""`dbt docs generate` works on a built warehouse, and the docs site ends at the dashboard."""

from __future__ import annotations

import json
import os
from pathlib import Path

from dbt.cli.main import dbtRunner

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"

#: Every page of dashboards/pages/ that reads the snapshot is an exposure of the project.
DASHBOARD_PAGES = {
    "board_scorecard",
    "missing_and_rhi",
    "kpi_page",
    "district_page",
    "child_timeline",
    "data_quality",
    "kpi_dictionary",
    "action_lists",
    "board_summary",
    "partners_page",
}


def test_docs_generate_writes_a_catalogue_with_the_kpi_table_and_every_page(dbt_build):
    warehouse, result, _ = dbt_build
    assert result.success
    target = warehouse.parent / "target"
    previous = os.environ.get("CSC_DUCKDB_PATH")
    os.environ["CSC_DUCKDB_PATH"] = str(warehouse)
    try:
        docs = dbtRunner().invoke(
            [
                "docs",
                "generate",
                "--project-dir",
                str(DBT_PROJECT),
                "--profiles-dir",
                str(DBT_PROJECT),
                "--target-path",
                str(target),
                "--log-path",
                str(warehouse.parent / "logs"),
                "--quiet",
            ]
        )
    finally:
        if previous is None:
            os.environ.pop("CSC_DUCKDB_PATH", None)
        else:
            os.environ["CSC_DUCKDB_PATH"] = previous
    assert docs.success, docs.exception

    catalog = json.loads((target / "catalog.json").read_text())
    kpi_values = catalog["nodes"]["model.csc_kpis.kpi_values"]
    assert {"la_code", "district", "kpi_id", "numerator", "denominator", "value"} <= set(
        kpi_values["columns"]
    )
    assert (target / "index.html").stat().st_size > 0

    manifest = json.loads((target / "manifest.json").read_text())
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert set(exposures) == DASHBOARD_PAGES
    scorecard = exposures["board_scorecard"]["depends_on"]["nodes"]
    assert "model.csc_kpis.kpi_values" in scorecard
    # The board page is aggregate only: no child-level model feeds it.
    assert not any("members" in n or "timeline" in n or "action_" in n for n in scorecard)
    # nor the board summary and the Partners page, which read the accountability seeds
    for page in ("board_summary", "partners_page"):
        nodes = exposures[page]["depends_on"]["nodes"]
        assert "seed.csc_kpis.partners" in nodes, page
        assert not any("members" in n or "timeline" in n or "action_" in n for n in nodes)
