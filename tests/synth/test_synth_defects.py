"""Defects are injected where the manifest says, and only when asked for."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from pipelines.synth import SynthConfig, generate
from pipelines.synth.defects import CELL_DEFECTS, KINDS
from pipelines.synth.rule_defects import RULE_KINDS


@pytest.fixture(scope="module")
def defective(tmp_path_factory):
    out = tmp_path_factory.mktemp("defects")
    summary = generate(
        SynthConfig(
            out=out,
            las=("850", "921"),
            scale=0.05,
            years=3,
            as_at=date(2026, 6, 30),
            defects=KINDS,
            defect_rate=0.02,
            quiet=True,
        )
    )
    return out, summary, json.loads((out / "_defects.json").read_text())


def _lines(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_every_kind_is_in_the_manifest_for_every_la(defective):
    """Every cell kind in every LA; every rule kind in Hampshire (a small LA can lack the
    rows a rule kind breaks: no short breaks, no one leaving care in the year...)."""
    _, summary, manifest = defective
    assert manifest["count"] == len(manifest["defects"]) == summary.defects > 0
    found = {la: {d["kind"] for d in manifest["defects"] if d["la"] == la} for la in ("850", "921")}
    assert found["850"] == set(KINDS)
    assert found["921"] >= set(CELL_DEFECTS)
    rules = {d["kind"]: d["rule"] for d in manifest["defects"] if "rule" in d}
    assert rules == {k.name: k.rule for k in RULE_KINDS}


def test_each_defect_is_in_the_file_at_the_stated_line(defective):
    out, _, manifest = defective
    cache: dict[str, list[list[str]]] = {}
    for entry in manifest["defects"]:
        rows = cache.setdefault(entry["file"], _lines(out / entry["file"]))
        header = rows[0]
        if entry["kind"] == "missing_columns":
            assert entry["line"] == 1 and entry["column"] not in header
            continue
        row = rows[entry["line"] - 1]
        if entry["kind"] == "duplicate_rows":
            assert row == rows[entry["line"] - 2] and ",".join(row) == entry["value"]
            continue
        if entry["column"] in header:  # a dropped column takes its cell defects with it
            assert row[header.index(entry["column"])] == entry["value"], entry


def test_defect_values_are_really_wrong(defective):
    _, _, manifest = defective
    by_kind = {}
    for entry in manifest["defects"]:
        by_kind.setdefault(entry["kind"], []).append(entry)
    assert all(e["value"] == "" for e in by_kind["blank_required"])
    assert all(e["value"].startswith("SW9") for e in by_kind["unknown_worker"])
    for entry in by_kind["bad_dates"]:
        with pytest.raises(ValueError):
            day, month, year = entry["value"].split("/")
            date(int(year), int(month), int(day))
    assert all(
        e["file"].endswith("episodes.csv") and e["column"] == "DECOM"
        for e in by_kind["overlapping_episodes"]
    )


def test_clean_rerun_removes_the_manifest(tmp_path):
    config = dict(
        out=tmp_path, las=("921",), scale=0.03, years=2, as_at=date(2026, 6, 30), quiet=True
    )
    generate(SynthConfig(**config, defects=("duplicate_rows",)))
    assert (tmp_path / "_defects.json").exists()
    generate(SynthConfig(**config))
    assert not (tmp_path / "_defects.json").exists()
