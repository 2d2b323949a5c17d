"""The whole pipeline in pytest: generated extracts → Dagster → DuckDB → dbt → checks → snapshot.

Values are checked against an independent computation straight from the landing CSV
files (pandas, no SQL shared with the dbt models), so a wrong join or filter in the
pipeline cannot agree with it by accident. Two LAs are loaded (850, the calibrated one,
and a smaller 851) so that a one-LA refresh can be seen to leave the other LA alone, and
the last test kills a real `dagster asset materialize` in the middle of dbt.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pipelines.synth import SynthConfig, generate
from tests.shared_helpers import raw_rows, wait_for_line

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


OTHER_LA = "851"


def materialize(settings, partition_key: str | None = None) -> dg.ExecuteInProcessResult:
    """Materialise every asset for one LA partition, or (default) for every LA in one run."""
    from pipelines.defs.ingest.assets import landing_extracts
    from pipelines.defs.partitions import every_la_tags, register_landing_las
    from pipelines.defs.publish.assets import serving_snapshot
    from pipelines.defs.quality.checks import GX_CHECKS
    from pipelines.defs.quality.dfe903 import DFE903_CHECKS
    from pipelines.defs.reference.assets import ons_reference
    from pipelines.defs.resources import build_resources
    from pipelines.defs.transform.assets import csc_dbt_models

    # entered: Dagster's definitions state storage is this instance's for the run, never
    # one left behind by an instance of an earlier test that is gone
    with dg.DagsterInstance.ephemeral() as instance:
        register_landing_las(instance, settings.landing_dir)
        every_la = every_la_tags(instance)
        return dg.materialize(
            [
                landing_extracts,
                ons_reference,
                csc_dbt_models,
                serving_snapshot,
                *GX_CHECKS,
                *DFE903_CHECKS,
            ],
            resources=build_resources(settings),
            instance=instance,
            partition_key=partition_key,
            tags=None if partition_key else every_la,
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
    for la, scale in (("850", 0.15), (OTHER_LA, 0.05)):
        generate(
            SynthConfig(
                out=settings.landing_dir,
                las=(la,),
                years=2,
                as_at=AS_AT,
                seed=7,
                scale=scale,
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
    evaluations = result.get_asset_check_evaluations()
    failed = [e.check_name for e in evaluations if not e.passed and e.check_name != "dfe903_rules"]
    assert failed == []
    # the DfE's rules ran too (after publishing), one check per 903 table; they only warn
    dfe = [e for e in evaluations if e.check_name == "dfe903_rules"]
    assert len(dfe) == 11 and {e.severity for e in dfe} == {dg.AssetCheckSeverity.WARN}
    assert dfe[0].metadata["extracts_validated_now"].value == 4  # 2 LAs x 2 years


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


def test_placement_location_comes_from_the_postcode_reference(pipeline):
    """kpis.md F: ons_reference loads the postcode areas of the extracts before dbt, and
    every child looked after is in a denominator or counted as "not known", once; on
    generated data "not known" is only the UASC's missing home postcode."""
    settings, _ = pipeline
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert con.execute("select count(*) from raw_reference.postcodes").fetchone()[0] > 1000
    got = snapshot(
        settings,
        """
        select period_end, district,
            max(numerator) filter (where kpi_id = 'cla_count') as looked_after,
            max(denominator) filter (where kpi_id = 'placed_outside_la_pct') as outside_den,
            max(numerator) filter (where kpi_id = 'placed_location_not_known') as outside_nk,
            max(denominator) filter (where kpi_id = 'placed_20_miles_pct') as miles_den,
            max(numerator) filter (where kpi_id = 'placed_distance_not_known') as miles_nk
        from marts.kpi_values where la_code = '850' group by all
        """,
    )
    assert len(got) > 12 and (got["outside_den"] > 0).any() and (got["miles_den"] > 0).any()
    assert (got["outside_den"] + got["outside_nk"] == got["looked_after"]).all()
    assert (got["miles_den"] + got["miles_nk"] == got["looked_after"]).all()
    # The generator writes real postcodes: every placement is found in the directory, and a
    # distance is missing only for unaccompanied asylum-seeking children (no HOME_POST).
    assert (got["outside_nk"] == 0).all()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        reasons = con.execute(
            """
            select source, child in (select child from raw_ssda903.uasc where la_code = '850')
                as uasc, count(*)
            from marts.kpi_members
            where la_code = '850' and kpi_id = 'placed_distance_not_known'
            group by all
            """
        ).fetchall()
    assert len(reasons) == 1 and reasons[0][:2] == ("home_post_blank", True), reasons


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
        (bad_file, len(lines), "567"),
        (bad_file, len(lines), "INT04"),
    ]


def kpi_bytes_of(settings, la: str) -> bytes:
    """One LA's rows of the published KPI table, as CSV bytes."""
    out = settings.serving_dir / f"kpi_values_{la}.csv"
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        con.execute(
            f"copy (select * from marts.kpi_values where la_code = '{la}' order by all) "
            f"to '{out}' (header)"
        )
    return out.read_bytes()


def new_month(landing: Path, la: str, date: str) -> Path:
    """A new current-year 903 extract for ``la``: the latest one, minus its last missing row."""
    latest = sorted((landing / la / "ssda903" / "2025-26").glob("2025-10-*"))[-1]
    new = latest.with_name(date)
    shutil.copytree(latest, new)
    lines = (new / "missing.csv").read_text().splitlines()
    (new / "missing.csv").write_text("\n".join(lines[:-1]) + "\n")
    return new


DAGSTER = str(Path(sys.executable).with_name("dagster"))


def _cli_env(settings, home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "CSC_LANDING_DIR": str(settings.landing_dir),
        "CSC_DUCKDB_PATH": str(settings.warehouse_path),
        "CSC_SERVING_DIR": str(settings.serving_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def _prepare(env: dict[str, str]) -> subprocess.CompletedProcess:
    """What `make materialize` runs first: release killed runs, register LA partitions."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.defs.partitions"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )


def _materialize_cli(env: dict[str, str], la: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            DAGSTER,
            *["asset", "materialize", "-m", "pipelines.definitions", "--select", "*"],
            "--partition",
            la,
        ],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: dbt is killed with it
    )


@pytest.fixture(scope="module")
def cli(pipeline, tmp_path_factory) -> dict:
    """A Dagster instance on disk (as `make materialize` uses) and what the dashboard shows."""
    settings, _ = pipeline
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(Path(__file__).resolve().parent.parent / "dagster.yaml", home / "dagster.yaml")
    return {"env": _cli_env(settings, home)}


def test_a_run_killed_during_dbt_leaves_the_published_snapshot_whole_and_no_lock(pipeline, cli):
    settings, _ = pipeline
    env = cli["env"]
    assert _prepare(env).stdout.strip() == f"850...{OTHER_LA}"
    before_bytes = settings.serving_path.read_bytes()
    previous_bytes = settings.previous_serving_path.read_bytes()
    before_kpis = kpi_table_bytes(settings)
    cli["before"] = {
        "snapshot": before_bytes,
        "kpis": {la: kpi_bytes_of(settings, la) for la in ("850", OTHER_LA)},
        "raw_850": raw_rows(settings, "850"),
    }
    new_month(settings.landing_dir, OTHER_LA, "2025-11-20")

    run = _materialize_cli(env, OTHER_LA)
    wait_for_line(run, "csc_dbt_models - ASSET_MATERIALIZATION", 600)  # dbt is writing now
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    while True:  # until dbt and every other process of the run are gone
        try:
            os.killpg(run.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)

    # the dashboard's snapshot is the one published before, whole and readable
    assert settings.serving_path.read_bytes() == before_bytes
    assert settings.previous_serving_path.read_bytes() == previous_bytes
    assert kpi_table_bytes(settings) == before_kpis
    assert not list(settings.serving_dir.glob(".*.tmp"))
    # no stale lock: the warehouse opens for writing at once
    duckdb.connect(str(settings.warehouse_path)).close()


def test_the_next_run_refreshes_that_la_alone_and_publishes(pipeline, cli):
    """The run after the kill is a one-LA refresh: 851's new extract, with 850 loaded."""
    settings, _ = pipeline
    before = cli["before"]
    assert sum(len(rows) for rows in before["raw_850"].values()) > 1000  # not vacuous

    prepared = _prepare(cli["env"])
    assert "was killed" in prepared.stderr  # the dead run was released, with its pool slot
    again = _materialize_cli(cli["env"], OTHER_LA)
    _, log = again.communicate(timeout=900)
    assert again.returncode == 0, log[-3000:]

    assert "RUN_SUCCESS" in log
    assert settings.previous_serving_path.read_bytes() == before["snapshot"]
    assert kpi_bytes_of(settings, OTHER_LA) != before["kpis"][OTHER_LA]  # published
    assert kpi_bytes_of(settings, "850") == before["kpis"]["850"]  # byte-identical
    assert raw_rows(settings, "850") == before["raw_850"]  # lineage and bookkeeping too
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert con.execute(
            "select la_code, max(extract_date) from raw_ssda903.missing "
            "where collection_year = '2025-26' group by all order by all"
        ).fetchall() == [("850", dt.date(2025, 10, 31)), (OTHER_LA, dt.date(2025, 11, 20))]
