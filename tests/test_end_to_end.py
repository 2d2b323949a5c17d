"""The whole pipeline in pytest: generated extracts → Dagster → DuckDB → dbt → checks → snapshot.

Values are checked against an independent computation straight from the landing CSV
files (pandas, no SQL shared with the dbt models), so a wrong join or filter in the
pipeline cannot agree with it by accident.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pipelines.synth import SynthConfig, generate

pytestmark = pytest.mark.slow

AS_AT = dt.date(2025, 10, 31)
SECTION_A = {
    "missing_episodes",
    "away_episodes",
    "missing_cla_pct",
    "rhi_offered_pct",
    "rhi_accepted_pct",
    "rhi_within_72h_pct",
}


def materialize(settings) -> dg.ExecuteInProcessResult:
    from pipelines.defs.ingest.assets import landing_extracts
    from pipelines.defs.publish.assets import serving_snapshot
    from pipelines.defs.quality.checks import GX_CHECKS
    from pipelines.defs.resources import build_resources
    from pipelines.defs.transform.assets import csc_dbt_models

    return dg.materialize(
        [landing_extracts, csc_dbt_models, serving_snapshot, *GX_CHECKS],
        resources=build_resources(settings),
        raise_on_error=False,
    )


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, dbt_manifest):
    from pipelines.settings import Settings

    root = tmp_path_factory.mktemp("e2e")
    settings = Settings(
        landing_dir=root / "landing",
        warehouse_path=root / "warehouse.duckdb",
        serving_dir=root / "serving",
    )
    generate(
        SynthConfig(
            out=settings.landing_dir,
            las=("850",),
            years=2,
            as_at=AS_AT,
            seed=7,
            scale=0.15,
            quiet=True,
        )
    )
    result = materialize(settings)
    return settings, result


def snapshot(settings, sql: str, params=()) -> pd.DataFrame:
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        return con.execute(sql, list(params)).df()


def test_every_step_succeeds_and_every_check_passes(pipeline):
    _, result = pipeline
    assert result.success
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == []


def test_the_snapshot_has_every_section_a_kpi_for_the_la_and_each_district(pipeline):
    settings, _ = pipeline
    got = snapshot(
        settings,
        "select kpi_id, count(distinct district) as districts, "
        "max(period_end) as last from marts.kpi_values "
        "where la_code = '850' group by kpi_id",
    )
    got = got.set_index("kpi_id")
    assert set(got.index) >= SECTION_A
    assert (got.loc[sorted(SECTION_A), "districts"] >= 13).all()  # 11 + County + Unallocated + ALL
    assert (pd.to_datetime(got["last"]).dt.date == AS_AT).all()


def _latest_folders(root: Path, pattern: str) -> list[Path]:
    """The winning extract folder per parent folder (latest date wins)."""
    by_parent: dict[Path, Path] = {}
    for folder in sorted(root.glob(pattern)):
        by_parent[folder.parent] = folder  # sorted: the last one is the latest date
    return list(by_parent.values())


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%d/%m/%Y", errors="coerce")


def expected_rhi_offered(landing: Path) -> pd.DataFrame:
    """LA-level rhi_offered_pct per month, computed from the CSV files by hand."""
    care = []
    for folder in _latest_folders(landing / "850" / "ssda903", "*/*"):
        frame = pd.read_csv(folder / "missing.csv", dtype=str)
        frame["year"] = folder.parent.name
        care.append(frame)
    care = (
        pd.concat(care).sort_values("year").drop_duplicates(["CHILD", "MIS_START"], keep="last")
    )  # latest year wins
    [local] = _latest_folders(landing / "850", "local/*")
    home = pd.read_csv(local / "missing_from_home.csv", dtype=str)
    episodes = pd.concat([care.assign(src=0), home.assign(src=1)]).sort_values("src")
    episodes = episodes.drop_duplicates(["CHILD", "MIS_START"], keep="first")  # care wins
    rhi = pd.read_csv(local / "return_interviews.csv", dtype=str)
    ep = episodes[(episodes["MISSING"] == "M") & episodes["MIS_END"].notna()].merge(
        rhi[["CHILD", "MIS_START", "OFFERED"]], on=["CHILD", "MIS_START"], how="left"
    )
    ep["mis_end"] = _dates(ep["MIS_END"])
    ep = ep[ep["mis_end"] + pd.Timedelta(days=3) <= pd.Timestamp(AS_AT)]  # due
    ep["month"] = ep["mis_end"].dt.to_period("M")
    return ep.groupby("month").agg(
        denominator=("CHILD", "size"), numerator=("OFFERED", lambda s: (s == "Y").sum())
    )


def test_la_rhi_offered_matches_a_hand_computation_from_the_csv_files(pipeline):
    settings, _ = pipeline
    expected = expected_rhi_offered(settings.landing_dir)
    got = snapshot(
        settings,
        "select period_end, numerator, denominator from marts.kpi_values "
        "where la_code = '850' and district = 'ALL' and breakdown = 'all' "
        "and kpi_id = 'rhi_offered_pct' and period_type = 'month'",
    )
    got["month"] = pd.to_datetime(got["period_end"]).dt.to_period("M")
    merged = got.merge(
        expected.reset_index(), on="month", how="left", suffixes=("", "_expected")
    ).fillna(0)
    assert len(merged) == 19  # April 2024 to October 2025
    assert merged["denominator"].sum() > 100  # the comparison is not vacuous
    assert merged["numerator"].tolist() == merged["numerator_expected"].tolist()
    assert merged["denominator"].tolist() == merged["denominator_expected"].tolist()


def test_the_la_count_of_missing_episodes_is_the_sum_over_its_districts(pipeline):
    settings, _ = pipeline
    totals = snapshot(
        settings,
        """
        select period_end, breakdown,
               sum(value) filter (where district = 'ALL') as la,
               sum(value) filter (where district <> 'ALL') as districts
        from marts.kpi_values
        where kpi_id = 'missing_episodes' and la_code = '850'
        group by all
    """,
    )
    assert len(totals) == 19 * 3
    assert (totals["la"] == totals["districts"]).all()
    assert totals["la"].sum() > 0


def kpi_table_bytes(settings) -> bytes:
    out = settings.serving_dir / "kpi_values.csv"
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        con.execute(f"copy (select * from marts.kpi_values order by all) to '{out}' (header)")
    return out.read_bytes()


def test_rerunning_the_same_extracts_gives_byte_identical_kpi_tables(pipeline):
    settings, _ = pipeline
    before = kpi_table_bytes(settings)
    again = materialize(settings)
    assert again.success
    assert kpi_table_bytes(settings) == before


def test_a_broken_new_extract_keeps_the_last_good_figures_and_the_status_says_why(pipeline):
    settings, _ = pipeline
    before = kpi_table_bytes(settings)
    latest = sorted((settings.landing_dir / "850" / "ssda903" / "2025-26").iterdir())[-1]
    broken = latest.with_name("2025-11-15")
    broken.mkdir()
    for f in latest.iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    lines = (broken / "missing.csv").read_text().splitlines()
    lines.append("BADCHILD,01/01/2010,M,10/10/2025,01/10/2025")  # MIS_END before MIS_START
    (broken / "missing.csv").write_text("\n".join(lines) + "\n")

    materialize(settings)

    assert kpi_table_bytes(settings) == before  # the dashboard still shows the last good data
    with duckdb.connect(str(settings.serving_dir / "status.duckdb"), read_only=True) as con:
        rejected = con.execute(
            "select source_file, message from load_events where outcome = 'rejected' "
            "and source_file like '%2025-11-15%'"
        ).fetchall()
        issues = con.execute(
            "select source_file, source_row, rule_code from dq_issues "
            "where child = 'BADCHILD' order by rule_code"
        ).fetchall()
    assert rejected, "the blocked extract is reported in the status file"
    assert any("data loaded before is kept" in message for _, message in rejected)
    # The bad row is named by file and row, once per rule it breaks: its dates are out of
    # order, and BADCHILD has no header row in the extract.
    bad_file = "850/ssda903/2025-26/2025-11-15/missing.csv"
    assert issues == [
        (bad_file, len(lines), "CSC-MISSING-CHILD"),
        (bad_file, len(lines), "CSC-MISSING-ORDER"),
    ]
