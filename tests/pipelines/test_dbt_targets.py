"""dbt's per-run target folders are pruned to the newest few, so the disk does not fill."""

from __future__ import annotations

import os

from pipelines.defs.transform.assets import KEEP_RUN_TARGETS, prune_run_targets


def test_only_the_newest_run_folders_of_the_step_are_kept(tmp_path):
    target = tmp_path / "target"
    runs = []
    for i in range(KEEP_RUN_TARGETS + 3):
        run = target / f"csc_dbt_models-run{i:03d}-abcdefg"
        (run / "compiled").mkdir(parents=True)
        (run / "run_results.json").write_text("{}")
        os.utime(run, (1_000_000 + i, 1_000_000 + i))  # run 0 oldest
        runs.append(run)
    other_step = target / "other_step-run000-abcdefg"
    other_step.mkdir()
    os.utime(other_step, (1, 1))
    (target / "manifest.json").write_text("{}")

    deleted = prune_run_targets(target, "csc_dbt_models")

    assert sorted(deleted) == runs[:3]
    assert sorted(p for p in target.glob("csc_dbt_models-*")) == runs[3:]
    assert other_step.is_dir() and (target / "manifest.json").is_file()
    assert prune_run_targets(target, "csc_dbt_models") == []  # nothing more to delete


def test_a_missing_target_folder_is_not_an_error(tmp_path):
    assert prune_run_targets(tmp_path / "target", "csc_dbt_models") == []
