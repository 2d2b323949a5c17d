"""The dashboard load test runs end to end on the test snapshot: gunicorn with two workers,
locust's users signed in through the form, every request type of the mix answered without
a failure, and the comparison run without sign-in (its figures are timings: not checked)."""

from __future__ import annotations

import json
import shutil

import pytest

from bench import dashboard_load

pytestmark = pytest.mark.slow


def test_signed_in_users_load_every_page_of_the_mix_without_a_failure(snapshot, tmp_path):
    serving = tmp_path / "serving"
    serving.mkdir()
    shutil.copy(snapshot, serving / "serving.duckdb")
    shutil.copy(snapshot.with_name("status.duckdb"), serving / "status.duckdb")
    out = tmp_path / "load.json"
    report = dashboard_load.main(
        ["--snapshot", str(serving / "serving.duckdb"), "--users", "5", "--seconds", "8",
         "--out", str(out)]
    )  # fmt: skip
    assert json.loads(out.read_text()) == report
    signed = {r["name"]: r for r in report["signed_in"]["requests"]}
    assert signed["sign in: post"]["requests"] == 5 and signed["sign in: post"]["failures"] == 0
    assert report["signed_in"]["pages"]["requests"] > 0
    assert report["signed_in"]["pages"]["failures"] == 0
    kinds = {name.split(":")[0] for name in signed if ":" in name} - {"sign in"}
    assert kinds and kinds <= {"board scorecard", "KPI page", "district page", "missing page",
                               "action list"}  # fmt: skip
    assert report["district"] == "Basingstoke and Deane"  # the busiest RHI list of 850 (a tie)
    assert len(report["signed_in"]["rss_per_worker_mb"]) == 2
    unsigned = {r["name"] for r in report["without_sign_in"]["requests"]}
    assert not any(name.startswith("sign in") for name in unsigned)
    assert report["without_sign_in"]["pages"]["failures"] == 0
    assert "ratio_p95_weighted" in report["sign_in_cost"]
