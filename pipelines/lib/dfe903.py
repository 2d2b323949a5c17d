"""The DfE SSDA903 validation rules, run by Data to Insight's ``csc-validator-be-903``.

The validator (PyPI, MIT; 293–327 rules per collection year) pins ``pandas<2`` and
``numpy<1.25``, so it lives in an environment of its own, ``.venv-903``, made by
``make validator`` from the exact pins of ``requirements-903.lock``, and runs as a separate
process (``dfe903_worker.py``, which imports nothing from this project). This module is its
only door from the main environment::

    run = validate_return(Path("data/landing/850/ssda903/2024-25/2025-05-31"), la_code="850")
    run.failing()          # {'392c': 12, ...} rules that flagged rows, known defects left out
    run.rows()             # JSON rows: rule, table, child, row (CSV line), message, ...
    run.not_run            # rules that crashed: reported, never silently passed

``previous`` (the previous collection year's final return) is found beside the folder
when it exists; some rules compare the two years. Known false positives of the validator
on valid data are listed once, with the reason, in ``pipelines/lib/dfe903_known.py``: they
are reported like any finding, marked ``known_false_positive``, and left out of
``failing()``; rules that crash on any data (``KNOWN_CRASHES``) are reported as not run.
Each rule runs on its own copy of the data (see ``dfe903_known``: 0.1.17's rules write into
shared frames).

From the shell: ``python -m pipelines.lib.dfe903 FOLDER [--la 850] [--json]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from pipelines.lib.dfe903_known import (
    IN_YEAR_FALSE_POSITIVES,
    KNOWN_CRASHES,
    KNOWN_FALSE_POSITIVES,
    FalsePositive,
    known_false_positive,
    known_false_positives,
)
from pipelines.lib.la_codes import ons_code
from pipelines.settings import REPO_ROOT

__all__ = [
    "IN_YEAR_FALSE_POSITIVES",
    "KNOWN_CRASHES",
    "KNOWN_FALSE_POSITIVES",
    "FalsePositive",
    "Finding",
    "Rule",
    "ValidationRun",
    "ValidatorFailed",
    "ValidatorUnavailable",
    "known_false_positive",
    "previous_return",
    "validate_return",
]

VALIDATOR = "csc-validator-be-903"
VALIDATOR_VERSION = "0.1.17"
WORKER = Path(__file__).with_name("dfe903_worker.py")
#: The validator's environment; ``CSC_DFE903_PYTHON`` points elsewhere if needed.
DEFAULT_PYTHON = REPO_ROOT / ".venv-903" / "bin" / "python"
#: Hampshire's final return takes about a minute on one core; leave room on a busy machine.
DEFAULT_TIMEOUT = 1800


class ValidatorUnavailable(RuntimeError):
    """The validator's environment is missing or broken (``make validator`` creates it)."""


class ValidatorFailed(RuntimeError):
    """The validator process failed as a whole (for example a file it could not read)."""


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    fields: tuple[str, ...]
    status: str  # passed, failed, skipped (a table it needs was not supplied), not_run
    error: str | None = None


@dataclass(frozen=True)
class Finding:
    """One row flagged by one rule."""

    rule: str
    table: str  # our file name without .csv: episodes, header ...
    child: str | None
    row: int | None  # line of the CSV file (the header is line 1)
    message: str
    previous_year: bool  # a row of the previous year's files
    known_false_positive: str | None = None  # the documented reason, if it is one


@dataclass
class ValidationRun:
    """What the validator said about one 903 return."""

    folder: Path
    previous: Path | None
    la_code: str
    la_ons_code: str
    collection_year: str
    ruleset: str
    validator_version: str
    rules: dict[str, Rule]
    findings: list[Finding]
    files: list[dict[str, object]] = field(default_factory=list)
    seconds: float = 0.0
    #: The extract date of an in-year extract (taken before the year's 31 March), else None.
    in_year_as_at: dt.date | None = None
    shared_frames: bool = False

    @property
    def not_run(self) -> list[Rule]:
        """Rules that crashed on this data (reported as not run; the rest still report)."""
        return [r for r in self.rules.values() if r.status == "not_run"]

    @property
    def unexpected_crashes(self) -> list[Rule]:
        """Rules not run that are not known to crash on any data."""
        return [r for r in self.not_run if r.code not in KNOWN_CRASHES]

    def failing(self, include_known: bool = False) -> dict[str, int]:
        """Flagged rows per rule code, documented false positives left out by default."""
        counts = Counter(
            f.rule for f in self.findings if include_known or f.known_false_positive is None
        )
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def rows(self) -> list[dict[str, object]]:
        """Findings and not-run rules as JSON-ready rows (``status`` tells them apart)."""
        base = {
            "source": "dfe903",
            "la_code": self.la_code,
            "collection_year": self.collection_year,
        }
        out = [base | {"status": "failed"} | asdict(f) for f in self.findings]
        out += [
            base
            | {
                "status": "not_run",
                "rule": r.code,
                "table": None,
                "child": None,
                "row": None,
                "message": f"{r.message} — not run: {r.error}",
                "previous_year": False,
                "known_false_positive": None,
            }
            for r in self.not_run
        ]
        return out


# ---------------------------------------------------------------------------- running


def validator_python() -> Path:
    python = Path(os.environ.get("CSC_DFE903_PYTHON") or DEFAULT_PYTHON)
    if not python.exists():
        raise ValidatorUnavailable(
            f"the DfE 903 validator's environment is missing ({python}): run `make validator`"
        )
    return python


def collection_year_of(folder: Path) -> str:
    """'2024-25' from a landing folder ``.../ssda903/2024-25/<extract date>``."""
    name = folder.parent.name
    if len(name) == 7 and name[4] == "-" and name[:4].isdigit():
        return name
    raise ValueError(f"{folder}: not a <landing>/<la>/ssda903/<YYYY-YY>/<date> folder")


def extract_date_of(folder: Path) -> dt.date | None:
    """The extract date a landing folder is named by (``.../<YYYY-MM-DD>``), if it is one."""
    try:
        return dt.date.fromisoformat(Path(folder).name)
    except ValueError:
        return None


def in_year_date(folder: Path, collection_year: str) -> dt.date | None:
    """The extract date when ``folder`` is an in-year extract (taken before 31 March of
    ``collection_year``), else None (a final return, or a folder not named by its date)."""
    day = extract_date_of(folder)
    year_end = dt.date(int(collection_year[:4]) + 1, 3, 31)
    return day if day is not None and day < year_end else None


def previous_return(folder: Path) -> Path | None:
    """The latest extract of the previous collection year beside ``folder``, if any (its
    final return when it has been extracted after 31 March)."""
    year = int(collection_year_of(folder)[:4]) - 1
    label = f"{year}-{(year + 1) % 100:02d}"
    candidates = sorted(p for p in (folder.parent.parent / label).glob("*") if p.is_dir())
    return candidates[-1] if candidates else None


def validate_return(
    folder: Path,
    la_code: str,
    collection_year: str | None = None,
    previous: Path | bool | None = True,
    timeout: float = DEFAULT_TIMEOUT,
    shared_frames: bool = False,
) -> ValidationRun:
    """Run every rule of the collection year on the 903 CSVs of ``folder``.

    ``previous``: True (default) finds the previous year's return beside ``folder``;
    a path uses that folder; False or None validates this year alone. ``shared_frames``
    runs the engine unchanged (rules then see each other's writes; see dfe903_known)."""
    folder = Path(folder)
    year = collection_year or collection_year_of(folder)
    if previous is True:
        try:
            previous = previous_return(folder)
        except ValueError:  # not in the landing layout: nothing beside it to find
            previous = None
    prev = Path(previous) if previous else None
    ons = ons_code(la_code)
    python = validator_python()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dfe903-") as tmp:
        out = Path(tmp) / "result.json"
        command = [
            str(python),
            str(WORKER),
            "--this-year",
            str(folder),
            "--collection-year",
            year,
            "--la-ons",
            ons,
            "--out",
            str(out),
        ]
        if prev is not None:
            command += ["--previous", str(prev)]
        if shared_frames:
            command.append("--shared-frames")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, env=env, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise ValidatorFailed(f"{folder}: the validator ran over {timeout:.0f} s") from error
        if done.returncode != 0 or not out.exists():
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            raise ValidatorFailed(
                f"{folder}: the validator failed (exit {done.returncode}): " + " | ".join(tail)
            )
        result = json.loads(out.read_text(encoding="utf-8"))
    return _run_from(
        result,
        folder,
        prev,
        la_code,
        year,
        time.perf_counter() - started,
        in_year_date(folder, year),
    )


def _run_from(
    result: dict,
    folder: Path,
    prev: Path | None,
    la_code: str,
    year: str,
    seconds: float,
    as_at: dt.date | None = None,
) -> ValidationRun:
    rules = {
        r["code"]: Rule(r["code"], r["message"], tuple(r["fields"]), r["status"], r["error"])
        for r in result["rules"]
    }
    rows = _Rows(folder, prev)
    findings = []
    for f in result["findings"]:
        rule = rules.get(f["rule"])
        candidates = known_false_positives(
            f["rule"],
            year,
            prev is not None,
            result.get("shared_frames", False),
            in_year=as_at is not None and not f["previous"],
        )
        known = None
        if candidates:
            row = rows.get(f["previous"], f["table"], f["line"])
            child = partial(rows.child, f["previous"], f["child"])
            known = next((k for k in candidates if k.holds(row, child, as_at)), None)
        findings.append(
            Finding(
                rule=f["rule"],
                table=f["table"],
                child=f["child"],
                row=f["line"],
                message=rule.message if rule else "",
                previous_year=f["previous"],
                known_false_positive=known.reason if known else None,
            )
        )
    return ValidationRun(
        folder=folder,
        previous=prev,
        la_code=la_code,
        la_ons_code=result["la_ons_code"],
        collection_year=year,
        ruleset=result["ruleset"],
        validator_version=result["validator_version"],
        rules=rules,
        findings=findings,
        files=result["files"],
        seconds=round(seconds, 2),
        in_year_as_at=as_at,
        shared_frames=result.get("shared_frames", False),
    )


class _Rows:
    """Rows of the returns' CSV files by line, read when a condition needs one."""

    def __init__(self, folder: Path, previous: Path | None) -> None:
        self.folders = {False: folder, True: previous}
        self.files: dict[tuple[bool, str], dict[int, dict[str, str]]] = {}

    def _file(self, previous: bool, table: str) -> dict[int, dict[str, str]]:
        key = (previous, table)
        if key not in self.files:
            self.files[key] = self._read(self.folders[previous], table)
        return self.files[key]

    def get(self, previous: bool, table: str, line: int | None) -> dict[str, str] | None:
        return self._file(previous, table).get(line) if line is not None else None

    def child(self, previous: bool, child: str | None, table: str) -> list[dict[str, str]]:
        """The rows of ``child`` in ``table`` of the same year's return."""
        return [r for r in self._file(previous, table).values() if r.get("CHILD") == child]

    @staticmethod
    def _read(folder: Path | None, table: str) -> dict[int, dict[str, str]]:
        path = folder / f"{table}.csv" if folder is not None else None
        if path is None or not path.exists():
            return {}
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip().upper() for h in next(reader, [])]
            out = {}
            for row in reader:
                out[reader.line_num] = dict(zip(header, row, strict=False))
            return out


# ---------------------------------------------------------------------------- shell


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.lib.dfe903",
        description="Run the DfE 903 validation rules (csc-validator-be-903) on a 903 folder.",
    )
    parser.add_argument("folder", type=Path, help="<landing>/<la>/ssda903/<YYYY-YY>/<date>")
    parser.add_argument("--la", help="DfE LA code (default: the landing folder's)")
    parser.add_argument("--no-previous", action="store_true", help="do not supply last year")
    parser.add_argument("--json", action="store_true", help="print JSON rows, one a line")
    parser.add_argument(
        "--shared-frames",
        action="store_true",
        help="run the engine unchanged: rules see each other's writes (dfe903_known)",
    )
    args = parser.parse_args(argv)
    la = args.la or args.folder.resolve().parent.parent.parent.name
    run = validate_return(
        args.folder, la, previous=not args.no_previous, shared_frames=args.shared_frames
    )
    if args.json:
        for row in run.rows():
            print(json.dumps(row, default=str))
        return 0
    print(
        f"{run.ruleset} ({VALIDATOR} {run.validator_version}) on {run.folder}"
        f" (previous year: {run.previous or 'not supplied'}) in {run.seconds} s"
    )
    failing = run.failing()
    known = Counter(f.rule for f in run.findings if f.known_false_positive)
    statuses = Counter(r.status for r in run.rules.values())
    print(f"rules: {dict(statuses)}")
    for code, n in failing.items():
        print(f"  {code:<10} {n:>6}  {run.rules[code].message}")
    for code, n in sorted(known.items()):
        print(f"  {code:<10} {n:>6}  known false positive")
    for rule in run.not_run:
        print(f"  {rule.code:<10}    not run: {rule.error}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
