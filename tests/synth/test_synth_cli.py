"""The csc-synth command line and the Python API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.synth.authorities import ALL_CODES, NAMES, authority, parse_la_list, size_factor
from pipelines.synth.cli import main


def test_cli_writes_and_prints_a_summary(tmp_path, capsys):
    code = main(
        [
            "--out",
            str(tmp_path),
            "--la",
            "921",
            "--years",
            "2",
            "--as-at",
            "2026-05-31",
            "--scale",
            "0.05",
            "--seed",
            "7",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "921 Isle of Wight" in printed and "episodes" in printed and "seconds" in printed
    assert (tmp_path / "921" / "ssda903" / "2026-27" / "2026-05-31" / "header.csv").exists()


def test_cli_rejects_unknown_la_and_defect_kind(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--la", "999"]) == 2
    assert main(["--out", str(tmp_path), "--defects", "typos"]) == 2
    assert "999" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_out_defaults_to_the_landing_dir_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_LANDING_DIR", str(tmp_path / "landing"))
    assert (
        main(["--la", "921", "--years", "1", "--as-at", "2026-04-30", "--scale", "0.02", "--quiet"])
        == 0
    )
    assert (tmp_path / "landing" / "921" / "local" / "2026-04-30" / "teams.csv").exists()


def test_out_defaults_to_the_pipelines_landing_dir_under_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("CSC_LANDING_DIR", raising=False)
    monkeypatch.setenv("CSC_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.chdir(tmp_path)
    args = ["--la", "921", "--years", "1", "--as-at", "2026-04-30", "--scale", "0.02", "--quiet"]
    assert main(args) == 0
    assert (tmp_path / "elsewhere" / "landing" / "921" / "local" / "2026-04-30").is_dir()
    assert not (tmp_path / "data").exists()


def test_module_entry_point_runs(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines.synth",
            "--out",
            str(tmp_path),
            "--la",
            "921",
            "--years",
            "1",
            "--as-at",
            "2026-04-30",
            "--scale",
            "0.02",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "_synth.json").exists()


def test_authorities():
    assert len(ALL_CODES) == 153 and parse_la_list("all") == ALL_CODES
    assert parse_la_list(" 852,850,850") == ("850", "852")
    assert NAMES["850"] == "Hampshire" and NAMES["851"] == "Portsmouth"
    assert NAMES["852"] == "Southampton" and NAMES["921"] == "Isle of Wight"
    assert size_factor("850") == 1.0 and size_factor("333") == size_factor("333")
    assert 35 < sum(size_factor(c) for c in ALL_CODES) < 60  # ~83,000 children in care in England
    assert [d.name for d in authority("850").districts][:2] == [
        "Basingstoke and Deane",
        "East Hampshire",
    ]
    assert all(3 <= len(authority(c).districts) <= 6 for c in ALL_CODES if c != "850")
    with pytest.raises(ValueError):
        parse_la_list("85")
