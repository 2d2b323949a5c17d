"""The landing folder is listed, never followed: links, misplaced files and malformed folders
are reported with their LA, source and year, and nothing outside the folder is opened."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from pipelines.lib import filecheck
from pipelines.lib.landing import la_folders, scan_landing
from pipelines.lib.loader import load_landing, record_landing_problems


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


@pytest.fixture
def outside(tmp_path, landing) -> Path:
    """A well-formed extract outside the landing folder."""
    folder = tmp_path / "elsewhere"
    for name in ("header", "episodes", "missing", "oc3"):
        src = landing.extract_903("999", "2024-25", "2024-10-31") / f"{name}.csv"
        folder.mkdir(exist_ok=True)
        (folder / f"{name}.csv").write_bytes(src.read_bytes())
    for p in sorted((landing.root / "999").rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()
    (landing.root / "999").rmdir()
    return folder


def problems(scan) -> list[tuple]:
    return sorted(
        (p.path.name, p.rule, p.severity, p.la_code, p.source, p.collection_year)
        for p in scan.problems
    )


def test_links_anywhere_are_reported_and_never_followed(landing, outside, monkeypatch):
    root = landing.root
    landing.extract_903("850", "2024-25", "2024-10-31")
    (root / "851").symlink_to(outside, target_is_directory=True)  # an LA folder
    (root / "850/ssda903/2023-24").symlink_to(outside, target_is_directory=True)  # a year
    (root / "850/ssda903/2024-25/2024-11-30").symlink_to(outside, target_is_directory=True)
    folder = landing.extract_903("850", "2024-25", "2024-12-31", header=None)
    (folder / "header.csv").symlink_to(outside / "header.csv")  # a file
    opened = []
    real_open = os.open
    monkeypatch.setattr(
        filecheck.os, "open", lambda p, *a, **k: opened.append(str(p)) or real_open(p, *a, **k)
    )
    report = load_landing(duckdb.connect(), root)
    assert problems(scan_landing(root)) == [
        ("2023-24", "LANDING-SYMLINK", "error", "850", "ssda903", "2023-24"),
        ("2024-11-30", "LANDING-SYMLINK", "error", "850", "ssda903", "2024-25"),
        ("851", "LANDING-SYMLINK", "error", "851", None, None),
    ]
    [rejected] = [e for e in report.by_outcome("rejected") if e.extract is not None]
    assert rejected.source_file == "850/ssda903/2024-25/2024-12-31/header.csv"
    assert f"to {outside / 'header.csv'}" in rejected.message
    assert "[rule LANDING-SYMLINK]" in rejected.message
    assert opened and not [p for p in opened if not p.startswith(str(root))]
    assert la_folders(root) == ["850"]  # a link named like an LA is not a partition


def test_malformed_folders_and_misplaced_files_say_where_they_belong(landing):
    root = landing.root
    landing.write("850/ssda903/2024-25/2026-02-30/header.csv", "CHILD\n")
    landing.write("850/ssda903/2024-25/episodes.csv", "CHILD\n")
    landing.write("850/ssda903/2024-25/readme.txt", "hello")
    landing.write("850/local/teams.csv", "TEAM_ID\n")
    landing.write("850/ssda903/24-25/2024-10-31/header.csv", "CHILD\n")
    landing.write("850/notes.txt", "ring the team")
    landing.write("notes.txt", "top")
    landing.extract_903("850", "2024-25", "2024-10-31")
    landing.write("850/ssda903/2024-25/2024-10-31/extra/header.csv", "CHILD\n")
    scan = scan_landing(root)
    assert problems(scan) == [
        ("2026-02-30", "LANDING-EXTRACT-DATE", "error", "850", "ssda903", "2024-25"),
        ("24-25", "LANDING-COLLECTION-YEAR", "error", "850", "ssda903", None),
        ("episodes.csv", "LANDING-MISPLACED-FILE", "error", "850", "ssda903", "2024-25"),
        ("notes.txt", "LANDING-LA-FOLDER", "warning", None, None, None),
        ("notes.txt", "LANDING-UNKNOWN-ENTRY", "warning", "850", None, None),
        ("readme.txt", "LANDING-UNKNOWN-ENTRY", "warning", "850", "ssda903", "2024-25"),
        ("teams.csv", "LANDING-MISPLACED-FILE", "error", "850", "local", None),
    ]
    misplaced = next(p for p in scan.problems if p.path.name == "episodes.csv")
    assert "850/ssda903/2024-25/<extract date>/episodes.csv" in misplaced.message
    # the folder inside an extract folder is listed when the extract is read, not followed
    report = load_landing(duckdb.connect(), root)
    [listed] = [e for e in report.events if "LANDING-UNKNOWN-ENTRY" in e.message and e.extract]
    assert listed.outcome == "warning" and "extra: a folder inside an extract" in listed.message


def test_problems_are_kept_per_la_and_replaced_by_the_next_scan(landing, con):
    landing.extract_903("850", "2024-25", "2024-10-31")
    landing.extract_903("851", "2024-25", "2024-10-31")
    bad = landing.write("850/ssda903/2024-25/2024-11-31/header.csv", "CHILD\n").parent
    landing.write("851/ssda903/2024-25/episodes.csv", "CHILD\n")
    landing.write("junk.txt", "x")
    load_landing(con, landing.root, la_codes=["850", "851"], run_id="r1")

    def stored():
        return sorted(
            con.execute(
                "select la_code, path, rule_code, severity, at_root from raw_meta.landing_problems"
            ).fetchall(),
            key=str,
        )

    assert stored() == [
        ("850", "850/ssda903/2024-25/2024-11-31", "LANDING-EXTRACT-DATE", "error", False),
        ("851", "851/ssda903/2024-25/episodes.csv", "LANDING-MISPLACED-FILE", "error", False),
        (None, "junk.txt", "LANDING-LA-FOLDER", "warning", True),
    ]
    bad.rename(bad.with_name("2024-11-30"))  # fixed: renamed to the real date
    record_landing_problems(con, landing.root, la_codes=["850"])  # a scan of LA 850 only
    assert [r[1] for r in stored()] == ["851/ssda903/2024-25/episodes.csv", "junk.txt"]
