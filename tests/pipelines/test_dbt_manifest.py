"""The dbt manifest is parsed once per change of dbt_project/, not on every run."""

from __future__ import annotations

import shutil

from pipelines.lib import dbt_manifest
from pipelines.settings import DBT_PROJECT_DIR


def test_parsed_once_then_again_only_when_a_source_or_the_warehouse_changes(tmp_path):
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    warehouse = tmp_path / "warehouse.duckdb"

    assert not dbt_manifest.is_current(warehouse, project)
    assert dbt_manifest.ensure(warehouse, project) is True  # a real `dbt parse`
    assert dbt_manifest.manifest_path(project).stat().st_size > 100_000
    assert dbt_manifest.is_current(warehouse, project)
    assert dbt_manifest.ensure(warehouse, project) is False  # nothing changed: no parse

    # another warehouse path: dbt would parse again at run time, so make manifest does now
    assert not dbt_manifest.is_current(tmp_path / "elsewhere.duckdb", project)
    assert dbt_manifest.is_current(None, project)  # the tests accept any path

    # a model edited (content, not only its time stamp)
    model = next((project / "models" / "marts").rglob("*.sql"))
    before = dbt_manifest.sources_fingerprint(project)
    model.touch()
    assert dbt_manifest.sources_fingerprint(project) == before
    model.write_text(model.read_text() + "\n-- edited\n")
    assert not dbt_manifest.is_current(warehouse, project)

    # outputs of dbt (target/, logs/) are not sources
    model.write_text(model.read_text().removesuffix("\n-- edited\n"))
    assert dbt_manifest.is_current(warehouse, project)
    (project / "logs").mkdir(exist_ok=True)
    (project / "logs" / "dbt.log").write_text("noise")
    (project / "target" / "run_results.json").write_text("{}")
    assert dbt_manifest.is_current(warehouse, project)


def test_a_missing_manifest_or_state_is_not_current(tmp_path):
    project = tmp_path / "p"
    (project / "target").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: x\n")
    assert not dbt_manifest.is_current(None, project)
    (project / "target" / "manifest.json").write_text("{}")
    assert not dbt_manifest.is_current(None, project)  # no state recorded
