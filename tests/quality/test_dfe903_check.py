"""DfE submission readiness as a pipeline check (pipelines/lib/dfe903_check.py and the
Dagster checks of pipelines/defs/quality/dfe903.py), with the validator run for real.

A small generated LA with one break of two DfE rules (and documented validator defects on
valid rows, as every return has), loaded and checked through Dagster for its partition:
the checks warn and do not block, the findings reach dq_issues and status.duckdb, the
warehouse is free while the validator runs, an unchanged extract is not validated again, a
new one is, and a missing validator environment or a symbolic link is reported, not raised.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.lib import dfe903, dfe903_check
from pipelines.synth import SynthConfig, generate

LA = "850"
AS_AT = dt.date(2026, 5, 31)  # 2025-26 final return (31 May) and 2026-27's April and May


def _materialize(settings) -> dg.ExecuteInProcessResult:
    from pipelines.defs.ingest.assets import landing_extracts
    from pipelines.defs.partitions import register_landing_las
    from pipelines.defs.quality.dfe903 import DFE903_CHECKS
    from pipelines.defs.resources import build_resources

    instance = dg.DagsterInstance.ephemeral()
    register_landing_las(instance, settings.landing_dir)
    return dg.materialize(
        [landing_extracts, *DFE903_CHECKS],
        resources=build_resources(settings),
        instance=instance,
        partition_key=LA,
        raise_on_error=False,
    )


def _probe(warehouse: Path) -> subprocess.CompletedProcess:
    """Open the warehouse read-write from another process, as another writer would."""
    code = (
        "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
        "c.execute('create table if not exists lock_probe (x int)'); c.close()"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(warehouse)], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    from pipelines.settings import Settings

    root = tmp_path_factory.mktemp("dfe903-check")
    settings = Settings(
        landing_dir=root / "landing",
        warehouse_path=root / "warehouse.duckdb",
        serving_dir=root / "serving",
    )
    generate(
        SynthConfig(
            out=settings.landing_dir,
            las=(LA,),
            scale=0.04,
            years=2,
            as_at=AS_AT,
            seed=11,
            defects=("oc2_outside_cohort", "missing_before_care"),
            defect_rate=0.02,
            quiet=True,
        )
    )
    probes = []
    real = dfe903.validate_return
    one_at_a_time = threading.Lock()  # two probes at once would lock each other out

    def validate_and_probe(*args, **kwargs):
        with one_at_a_time:
            probes.append(_probe(settings.warehouse_path))
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dfe903, "validate_return", validate_and_probe)
        first = _materialize(settings)
    return settings, first, probes


def _evaluations(result) -> dict[str, dg.AssetCheckEvaluation]:
    return {
        e.asset_key.path[-1]: e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "dfe903_rules"
    }


def test_the_checks_warn_on_the_tables_with_failing_rules_and_never_block(pipeline):
    _, result, _ = pipeline
    assert result.success  # a failing DfE rule does not fail the run
    evaluations = _evaluations(result)
    assert len(evaluations) == 11  # one per 903 table
    assert all(e.severity == dg.AssetCheckSeverity.WARN for e in evaluations.values())
    assert not evaluations["oc2"].passed  # an OC2 row for a child outside the cohort: 190
    assert not evaluations["missing"].passed  # a missing period before care began: 581
    assert evaluations["oc2"].metadata["failing_rules"].value == ["190"]
    assert "581" in evaluations["missing"].metadata["failing_rules"].value
    assert evaluations["ad1"].passed
    from pipelines.defs.quality.dfe903 import DFE903_CHECK_SPECS

    assert not any(spec.blocking for spec in DFE903_CHECK_SPECS)


def test_the_warehouse_is_free_while_the_validator_runs(pipeline):
    _, _, probes = pipeline
    assert len(probes) == 2  # the 2025-26 return and 2026-27 as at May: one per year
    assert [p.returncode for p in probes] == [0, 0], [p.stderr for p in probes]


def test_findings_reach_dq_issues_and_the_status_file_with_file_line_and_child(pipeline):
    settings, _, _ = pipeline
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        found = con.execute(
            "select source_file, source_row, child, table_name, severity from raw_meta.dq_issues "
            "where source = 'dfe903' and rule_code = '190'"
        ).fetchall()
        runs = con.execute(
            "select collection_year, extract_date, previous_extract_date, in_year, status, "
            "rules_failed > 0, rules_not_run from raw_meta.dfe903_runs order by 1, 2"
        ).fetchall()
    assert len(found) == 1
    file, line, child, table, severity = found[0]
    assert file == f"{LA}/ssda903/2025-26/2026-05-31/oc2.csv" and table == "oc2"
    assert severity == "dfe"
    text = (settings.landing_dir / file).read_text(encoding="utf-8").splitlines()
    assert text[line - 1].split(",")[0] == child
    assert runs == [
        ("2025-26", dt.date(2026, 5, 31), None, False, "ok", True, 2),  # 231 and 233 crash
        ("2026-27", dt.date(2026, 5, 31), dt.date(2026, 5, 31), True, "ok", False, 2),
    ]
    with duckdb.connect(str(settings.serving_dir / "status.duckdb"), read_only=True) as status:
        assert status.execute("select count(*) from dfe903_runs").fetchone()[0] == len(runs)
        assert status.execute(
            "select count(*) from dfe903_issues where rule_code = '190'"
        ).fetchone() == (1,)
        assert status.execute(
            "select count(*) from dq_issues where source = 'dfe903'"
        ).fetchone() == (0,)  # the gate's table on the page stays the gate's


def test_an_unchanged_extract_is_not_validated_again_and_a_new_one_is(pipeline, monkeypatch):
    settings, _, _ = pipeline
    calls = []
    real = dfe903.validate_return
    monkeypatch.setattr(
        dfe903, "validate_return", lambda *a, **k: calls.append(a[0]) or real(*a, **k)
    )
    again = _materialize(settings)
    assert again.success and calls == []
    assert _evaluations(again)["oc2"].metadata["extracts_unchanged"].value == 2
    # June's extract arrives: only it is validated (the final return is unchanged)
    may = settings.landing_dir / LA / "ssda903" / "2026-27" / "2026-05-31"
    june = may.with_name("2026-06-30")
    june.mkdir()
    for file in may.iterdir():
        (june / file.name).write_bytes(file.read_bytes())
    third = _materialize(settings)
    assert third.success
    assert [p.name for p in calls] == ["2026-06-30"]


def test_an_in_year_extract_has_its_in_year_false_positives_marked(pipeline):
    """Generated May extract of 2026-27: young people who turn 18 after 31 May are flagged
    by 359 (it reads open episodes as open at 31 March): known, with the reason."""
    settings, _, _ = pipeline
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        found = con.execute(
            "select status, count(*) from raw_meta.dfe903_rules where rule_code = '359' "
            "and extract_date = '2026-05-31' and collection_year = '2026-27' group by all"
        ).fetchall()
    assert dict(found) == {"known": dict(found).get("known", 0)} and dict(found)["known"] > 0


def _target(tmp_path: Path, folder: Path) -> dfe903_check.ReturnToCheck:
    return dfe903_check.ReturnToCheck(LA, "2025-26", dt.date(2026, 5, 31), folder, None, None, "")


def test_a_missing_validator_environment_is_reported_not_raised(tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_DFE903_PYTHON", str(tmp_path / "nowhere" / "python"))
    folder = tmp_path / LA / "ssda903" / "2025-26" / "2026-05-31"
    folder.mkdir(parents=True)
    [outcome] = dfe903_check.run([_target(tmp_path, folder)])
    assert outcome.status == "unavailable" and "make validator" in outcome.message


def test_a_symbolic_link_in_the_extract_folder_is_never_read(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("CHILD,SEX\n", encoding="utf-8")
    folder = tmp_path / LA / "ssda903" / "2025-26" / "2026-05-31"
    folder.mkdir(parents=True)
    (folder / "header.csv").symlink_to(outside)
    [outcome] = dfe903_check.run([_target(tmp_path, folder)])
    assert outcome.status == "failed" and "LANDING-SYMLINK" in outcome.message
