"""The dashboard benchmark runs on a snapshot and reports every page and filter (its
figures are not checked: they are timings), and says what to do without a snapshot."""

from __future__ import annotations

import gc
import json

from bench import dashboard


def test_every_page_and_filter_is_timed_cold_warm_and_after_the_warm_up(snapshot, tmp_path, capsys):
    out = tmp_path / "dashboard.json"
    report = dashboard.main(["--snapshot", str(snapshot), "--repeat", "1", "--out", str(out)])
    assert json.loads(out.read_text()) == report
    names = [r["name"] for r in report["requests"]]
    for page in ["(/)", "(/missing)", "(/dictionary)", "(/data-quality)", "(/kpi/"]:
        assert any(page in n for n in names), page
    assert any(n.startswith("Missing & return interviews: missing-district") for n in names)
    scorecard = next(r for r in report["requests"] if r["name"].endswith("(/)"))
    assert scorecard["cold_p95_vs_scorecard"] == 1.0
    assert all(r["cold"]["p95_ms"] > 0 and r["warm"]["median_ms"] > 0 for r in report["requests"])
    assert all(r["after_warmup"]["p95_ms"] > 0 for r in report["requests"])
    assert report["warmup"]["complete"] and report["warmup"]["errors"] == []
    assert report["warmup"]["pages"] == 86  # as in test_warmup (PAGES_WARMED)
    assert all(r["warm_without_sign_in"]["p95_ms"] > 0 for r in report["requests"])
    board = [r["name"] for r in report["requests"] if "board_warm" in r and r["kind"] == "page"]
    for page in ["(/)", "(/missing)", "(/dictionary)", "(/kpi/"]:
        assert any(page in name for name in board), page
    assert not any("(/data-quality)" in name or "(/child/" in name for name in board)
    assert report["sign_in"]["pages"] >= 8
    assert gc.get_freeze_count() == 0  # the heap settled as the server does, then let go
    assert "slowest (cold p95)" in capsys.readouterr().out


def test_without_a_snapshot_it_says_run_make_demo(tmp_path, capsys):
    assert dashboard.main(["--snapshot", str(tmp_path / "serving.duckdb")]) is None
    assert "run `make demo`" in capsys.readouterr().err


def test_python_m_bench_runs_only_the_benchmarks_named(tmp_path, capsys, monkeypatch):
    import bench.__main__ as runner

    ran = []
    for name in runner.BENCHMARKS:  # each one stands in for itself: none really runs
        monkeypatch.setitem(
            runner.BENCHMARKS,
            name,
            lambda argv, n=name: ran.append(n) or (None if n == "dashboard" else {}),
        )
    assert runner.main([]) == 2  # the dashboard one found no snapshot
    assert ran == list(runner.BENCHMARKS)
    ran.clear()
    assert runner.main(["pipeline"]) == 0 and ran == ["pipeline"]
    monkeypatch.setitem(runner.SLOW, "dashboard_load", lambda argv: ran.append("load") or {})
    ran.clear()
    assert runner.main(["all"]) == 2 and ran == [*runner.BENCHMARKS, "load"]
    assert runner.main(["nope"]) == 2 and "Unknown benchmark nope" in capsys.readouterr().out
