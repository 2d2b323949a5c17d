"""A small ``status.duckdb`` beside the test snapshot, written by the pipeline's own code.

The load bookkeeping and data-quality findings below go into a warehouse's ``raw_meta``
tables, then ``pipelines.lib.status.publish_status`` writes the status file exactly as the
ingest step does (so the dashboard reads the real schema and the real extract status).
Checks as at 15 Feb 2025 06:10 (run r2); the extract status is computed for that day.

- LA 850: ssda903 2024-25 extract of 14 Feb 2025 published with warnings (rule 103 on
  header.csv lines 2, 3 and 5, children C001–C003; and the cross-extract rule
  CSC-RHI-MATCH for C001 in return_interviews.csv line 4); 2023-24 (30 Jun 2024) and
  the local extract (14 Feb 2025) published.
- LA 851: the 2024-25 extract of 14 Feb 2025 was rejected (required column DECOM is
  missing); the extract of 31 Jan 2025 is still in use, 15 days old when checked.
- LA 852: its only extract (2024-25, 14 Feb 2025) was blocked by rule 501 (episodes.csv
  lines 5 and 6, children Q001 and Q002), with a rule 103 warning for Q001 on header.csv
  line 3; nothing of 852 was ever published. An earlier check of the same extract found
  rule 141 (line 9, Q009): only the latest check counts.

Latest checks, all LAs: 7 failing rows in 4 files for 5 children: 2 errors (rule 501)
and 5 warnings (rule 103 × 4, CSC-RHI-MATCH × 1).

Landing folder (listed, not read; nothing blocked): 850/notes-850.txt, 851/notes-851.txt,
and stray-at-root.txt outside any LA folder.

The DfE's rules (dfe903_check) on the 2024-25 extracts of 850 (14 Feb 2025) and 851 (31
Jan 2025): each fails rule 103 on one row, of child D850A (value DFE-850) and D851A
(DFE-851). Their child ids and values appear nowhere else.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from pipelines.lib.status import publish_status
from pipelines.lib.warehouse import ensure_raw_schema

CHECKED = dt.datetime(2025, 2, 15, 5)
EARLIER = dt.datetime(2025, 2, 14, 5)
WRITTEN_AT = dt.datetime(2025, 2, 15, 6, 10)
EXTRACT = dt.date(2025, 2, 14)

BLOCKED_852 = (
    "852/ssda903/2024-25/2025-02-14/episodes.csv, lines 5, 6: A new episode has started "
    "before the end date of the previous episode. (2 rows, error) [rule 501]; data-quality "
    "gate: blocked by 1 error rule: 501 (2); the whole extract 852/ssda903/2024-25/2025-02-14 "
    "was not loaded and the data loaded before is kept"
)
REJECTED_851 = (
    "851/ssda903/2024-25/2025-02-14/episodes.csv, line 1: required column DECOM is missing "
    "[rule FILE-MISSING-COLUMN]; the whole extract 851/ssda903/2024-25/2025-02-14 was not "
    "loaded and the data loaded before is kept"
)

LOAD_EVENTS = [
    # run_id, loaded_at, la, source, year, extract_date, table, source_file, outcome, message, rows
    ("r0", dt.datetime(2024, 7, 1, 5), "850", "ssda903", "2023-24", dt.date(2024, 6, 30), None, "850/ssda903/2023-24/2024-06-30", "loaded", "", 9),
    ("r0", dt.datetime(2025, 1, 10, 5), "850", "ssda903", "2024-25", dt.date(2025, 1, 9), None, "850/ssda903/2024-25/2025-01-09/episodes.csv", "rejected", "bad date in DECOM", None),
    ("r1", dt.datetime(2025, 2, 1, 5), "851", "ssda903", "2024-25", dt.date(2025, 1, 31), None, "851/ssda903/2024-25/2025-01-31", "loaded", "", 8),
    ("r2", CHECKED, "850", "ssda903", "2024-25", EXTRACT, None, "850/ssda903/2024-25/2025-02-14", "loaded", "", 10),
    ("r2", CHECKED, "850", "local", None, EXTRACT, None, "850/local/2025-02-14", "loaded", "", 5),
    ("r2", CHECKED, "851", "ssda903", "2024-25", EXTRACT, None, "851/ssda903/2024-25/2025-02-14/episodes.csv", "rejected", REJECTED_851, None),
    ("r2", CHECKED, "852", "ssda903", "2024-25", EXTRACT, None, "852/ssda903/2024-25/2025-02-14/episodes.csv", "rejected", BLOCKED_852, None),
]  # fmt: skip

EXTRACT_FILES = [
    # la, source, year, extract_date, table, source_file, rows, supplied, fingerprint, loaded_at
    ("850", "ssda903", "2024-25", EXTRACT, "episodes", "850/ssda903/2024-25/2025-02-14/episodes.csv", 10, True, "f1", CHECKED),
    ("850", "ssda903", "2023-24", dt.date(2024, 6, 30), "episodes", "850/ssda903/2023-24/2024-06-30/episodes.csv", 9, True, "f0", dt.datetime(2024, 7, 1, 5)),
    ("850", "local", None, EXTRACT, "return_interviews", "850/local/2025-02-14/return_interviews.csv", 5, True, "f3", CHECKED),
    ("850", "local", None, EXTRACT, "peps", None, 0, False, None, CHECKED),
    ("851", "ssda903", "2024-25", dt.date(2025, 1, 31), "episodes", "851/ssda903/2024-25/2025-01-31/episodes.csv", 8, True, "f2", dt.datetime(2025, 2, 1, 5)),
]  # fmt: skip

DQ_RUNS = [
    # run_id, checked_at, la, source, year, extract_date, outcome, errors, warnings,
    # rows_checked, seconds, message, error_rules, warning_rules
    ("r2", CHECKED, "850", "ssda903", "2024-25", EXTRACT, "warnings", 0, 3, 500, 0.4, "flagged by 1 warning rule: 103 (3)", 0, 1),
    ("r2", CHECKED, "850", "local", None, EXTRACT, "published", 0, 0, 40, 0.1, None, 0, 0),
    ("r2", CHECKED, "850", "warehouse", None, None, "warnings", 0, 1, 45, 0.1, "flagged by 1 warning rule: CSC-RHI-MATCH (1)", 0, 1),
    ("r1b", EARLIER, "852", "ssda903", "2024-25", EXTRACT, "blocked", 1, 0, 300, 0.3, "blocked by 1 error rule: 141 (1)", 1, 0),
    ("r2", CHECKED, "852", "ssda903", "2024-25", EXTRACT, "blocked", 2, 1, 300, 0.3, "blocked by 1 error rule: 501 (2)", 1, 1),
]  # fmt: skip

_EPISODE_OVERLAP = "A new episode has started before the end date of the previous episode."
_ETHNIC = "ETHNIC is not a valid ethnicity code."
DQ_ISSUES = [
    # run_id, checked_at, la, source, year, extract_date, source_file, line, child, table,
    # rule, severity, message, value
    ("r2", CHECKED, "850", "ssda903", "2024-25", EXTRACT, "850/ssda903/2024-25/2025-02-14/header.csv", 2, "C001", "header", "103", "warning", _ETHNIC, "ETHNIC=XXXX"),
    ("r2", CHECKED, "850", "ssda903", "2024-25", EXTRACT, "850/ssda903/2024-25/2025-02-14/header.csv", 3, "C002", "header", "103", "warning", _ETHNIC, "ETHNIC=ZZZZ"),
    ("r2", CHECKED, "850", "ssda903", "2024-25", EXTRACT, "850/ssda903/2024-25/2025-02-14/header.csv", 5, "C003", "header", "103", "warning", _ETHNIC, "ETHNIC=9999"),
    ("r2", CHECKED, "850", "warehouse", None, None, "850/local/2025-02-14/return_interviews.csv", 4, "C001", "return_interviews", "CSC-RHI-MATCH", "warning", "A return interview has no missing episode.", "CHILD=C001; MIS_START=2025-01-30"),
    ("r1b", EARLIER, "852", "ssda903", "2024-25", EXTRACT, "852/ssda903/2024-25/2025-02-14/episodes.csv", 9, "Q009", "episodes", "141", "error", "DECOM is not a valid date.", "DECOM=2025-02-30"),
    ("r2", CHECKED, "852", "ssda903", "2024-25", EXTRACT, "852/ssda903/2024-25/2025-02-14/episodes.csv", 5, "Q001", "episodes", "501", "error", _EPISODE_OVERLAP, "DECOM=2025-01-03; DEC=2025-01-05"),
    ("r2", CHECKED, "852", "ssda903", "2024-25", EXTRACT, "852/ssda903/2024-25/2025-02-14/episodes.csv", 6, "Q002", "episodes", "501", "error", _EPISODE_OVERLAP, "DECOM=2025-01-10; DEC=2025-01-12"),
    ("r2", CHECKED, "852", "ssda903", "2024-25", EXTRACT, "852/ssda903/2024-25/2025-02-14/header.csv", 3, "Q001", "header", "103", "warning", _ETHNIC, "ETHNIC=XXXX"),
]  # fmt: skip


LANDING_PROBLEMS = [
    # run_id, seen_at, la, source, year, path, rule, severity, message, at_root
    ("r2", CHECKED, "850", None, None, "850/notes-850.txt", "LANDING-UNKNOWN-ENTRY", "warning", "not part of the data contract; listed, not read", False),
    ("r2", CHECKED, "851", None, None, "851/notes-851.txt", "LANDING-UNKNOWN-ENTRY", "warning", "not part of the data contract; listed, not read", False),
    ("r2", CHECKED, None, None, None, "stray-at-root.txt", "LANDING-LA-FOLDER", "warning", "not an LA folder; listed, not read", True),
]  # fmt: skip
DFE_RUNS = [
    # run_id, checked_at, la, year, extract_date, previous, in_year, fingerprint, version,
    # ruleset, status, run, failed, known, not_run, failing_rows, children, known_rows,
    # seconds, message
    ("r2", CHECKED, "850", "2024-25", EXTRACT, None, True, "d850", "0.0.0", "PAN", "ok", 300, 1, 0, 0, 1, 1, 0, 2.0, None),
    ("r2", CHECKED, "851", "2024-25", dt.date(2025, 1, 31), None, True, "d851", "0.0.0", "PAN", "ok", 300, 1, 0, 0, 1, 1, 0, 2.0, None),
]  # fmt: skip
DFE_RULES = [
    # run_id, checked_at, la, year, extract_date, rule, status, tables, rows, children,
    # message, reason
    ("r2", CHECKED, "850", "2024-25", EXTRACT, "103", "failed", "header", 1, 1, _ETHNIC, None),
    ("r2", CHECKED, "851", "2024-25", dt.date(2025, 1, 31), "103", "failed", "header", 1, 1, _ETHNIC, None),
]  # fmt: skip
DFE_ISSUES = [
    ("r2", CHECKED, "850", "dfe903", "2024-25", EXTRACT, "850/ssda903/2024-25/2025-02-14/header.csv", 7, "D850A", "header", "103", "dfe", _ETHNIC, "ETHNIC=DFE-850"),
    ("r2", CHECKED, "851", "dfe903", "2024-25", dt.date(2025, 1, 31), "851/ssda903/2024-25/2025-01-31/header.csv", 7, "D851A", "header", "103", "dfe", _ETHNIC, "ETHNIC=DFE-851"),
]  # fmt: skip


def build_status(path: Path) -> Path:
    """Write the status file described in this module's docstring to ``path``."""
    with duckdb.connect(":memory:") as con:
        ensure_raw_schema(con)
        for table, rows in (
            ("load_events", LOAD_EVENTS),
            ("extract_files", EXTRACT_FILES),
            ("dq_runs", DQ_RUNS),
            ("dq_issues", DQ_ISSUES + DFE_ISSUES),
            ("landing_problems", LANDING_PROBLEMS),
            ("dfe903_runs", DFE_RUNS),
            ("dfe903_rules", DFE_RULES),
        ):
            marks = ", ".join("?" for _ in rows[0])
            con.executemany(f"insert into raw_meta.{table} values ({marks})", rows)
        publish_status(con, path, "r2", today=dt.date(2025, 2, 15))
    with duckdb.connect(str(path)) as con:  # the time it was written, fixed for the tests
        con.execute("update status_info set written_at = ?", [WRITTEN_AT])
    return path
