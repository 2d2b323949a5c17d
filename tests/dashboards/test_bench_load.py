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
    # every page request's time was written by the users: the pooled percentiles exist
    pages = report["signed_in"]["pages"]
    assert 0 < pages["p50_ms"] <= pages["p95_ms"] <= pages["p99_ms"]
    kinds = {name.split(":")[0] for name in signed if ":" in name} - {"sign in"}
    assert kinds and kinds <= {"board scorecard", "KPI page", "district page", "missing page",
                               "action list"}  # fmt: skip
    assert report["district"] == "Basingstoke and Deane"  # the busiest RHI list of 850 (a tie)
    assert len(report["signed_in"]["rss_per_worker_mb"]) == 2
    unsigned = {r["name"] for r in report["without_sign_in"]["requests"]}
    assert not any(name.startswith("sign in") for name in unsigned)
    assert report["without_sign_in"]["pages"]["failures"] == 0
    assert "ratio_p95_weighted" in report["sign_in_cost"]


def test_page_requests_are_pooled_without_the_sign_ins():
    rows = [
        {"name": "KPI page: html", "method": "GET", "requests": 60, "failures": 0,
         "p95_ms": 10.0, "p99_ms": 20.0},
        {"name": "KPI page: page", "method": "POST", "requests": 40, "failures": 1,
         "p95_ms": 100.0, "p99_ms": 300.0},
        {"name": "sign in: post", "method": "POST", "requests": 5, "failures": 0,
         "p95_ms": 900.0, "p99_ms": 900.0},
    ]  # fmt: skip
    page_ms = [float(ms) for ms in range(1, 101)]  # 1..100 ms, one request each
    got = dashboard_load._pages_only(rows, page_ms)
    assert got == {
        "requests": 100,
        "failures": 1,
        "p50_ms": 50,  # inclusive quantiles of 1..100: 50.5, 95.05, 99.01, rounded
        "p95_ms": 95,
        "p99_ms": 99,
        "p95_ms_weighted": 46.0,  # (60 × 10 + 40 × 100) / 100
        "p95_ms_worst": 100.0,
        "p99_ms_worst": 300.0,
    }
