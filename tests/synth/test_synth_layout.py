"""Folder layout, file names, headers and the extract calendar (data-contract.md)."""

from __future__ import annotations

import json
from datetime import date

import synth_checks

from pipelines.lib.contract import LOCAL_TABLES, SSDA903_TABLES
from pipelines.synth.config import Timeline, default_as_at


def test_layout_headers_and_line_ends_follow_the_contract(small):
    out, _ = small
    assert synth_checks.check_layout(out) == []
    assert sorted(p.name for p in out.iterdir()) == ["850", "851", "921", "_synth.json"]


def test_extract_calendar_for_default_five_years(small):
    out, _ = small
    folders = sorted(
        str(p.relative_to(out / "850" / "ssda903")) for p in (out / "850" / "ssda903").glob("*/*")
    )
    assert folders == [
        "2022-23/2023-05-31",
        "2023-24/2024-05-31",
        "2024-25/2025-05-31",
        "2025-26/2026-05-31",
        "2026-27/2026-04-30",
        "2026-27/2026-05-31",
        "2026-27/2026-06-30",
        "2026-27/2026-07-31",
        "2026-27/2026-08-31",
        "2026-27/2026-09-30",
        "2026-27/2026-10-31",
    ]
    assert sorted(p.name for p in (out / "850" / "local").iterdir()) == ["2026-09-30", "2026-10-31"]


def test_tables_per_extract(small):
    out, _ = small
    all_903 = {s.file_name for s in SSDA903_TABLES}
    final_2022 = {p.name for p in (out / "850/ssda903/2022-23/2023-05-31").iterdir()}
    assert final_2022 == all_903 - {"sw_episodes.csv"}  # SWEpisodes is collected from 2023-24
    assert {p.name for p in (out / "850/ssda903/2025-26/2026-05-31").iterdir()} == all_903
    in_year = {p.name for p in (out / "850/ssda903/2026-27/2026-10-31").iterdir()}
    assert in_year == all_903 - {"oc2.csv"}  # OC2 is a 31 March snapshot: finals only
    assert {p.name for p in (out / "850/local/2026-10-31").iterdir()} == {
        s.file_name for s in LOCAL_TABLES
    }


def test_synth_json_records_parameters_and_rows_but_no_manifest_when_clean(small):
    out, summary = small
    meta = json.loads((out / "_synth.json").read_text())
    assert meta["parameters"]["las"] == ["850", "851", "921"]
    assert meta["parameters"]["as_at"] == "2026-10-31" and meta["parameters"]["scale"] == 0.1
    assert meta["files"] == summary.files == 3 * (4 * 11 - 1 + 7 * 10 + 2 * 6)
    assert meta["rows"] == summary.rows and "seconds" not in meta
    assert not (out / "_defects.json").exists()
    lines = sum(len(p.read_text().splitlines()) - 1 for p in out.glob("*/ssda903/*/*/episodes.csv"))
    assert summary.rows["episodes"] == lines > 0


def test_timeline_edges():
    assert default_as_at(date(2026, 11, 23)) == date(2026, 10, 31)
    assert default_as_at(date(2026, 1, 5)) == date(2025, 12, 31)
    mid = Timeline.build(date(2026, 4, 15), 2)
    assert [(e.label, date.fromordinal(e.extract_date).isoformat()) for e in mid.extracts] == [
        ("2025-26", "2026-04-15"),
        ("2026-27", "2026-04-15"),
    ]
    assert mid.extracts[0].is_final and not mid.extracts[1].is_final
    assert [date.fromordinal(x).isoformat() for x in mid.local_dates] == [
        "2026-03-31",
        "2026-04-15",
    ]
    march = Timeline.build(date(2025, 3, 31), 1)
    assert len(march.extracts) == 12 and march.extracts[-1].is_final
