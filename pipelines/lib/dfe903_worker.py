"""Runs Data to Insight's DfE SSDA903 validator on one 903 folder: the child-process half of
``pipelines.lib.dfe903``.

This file runs inside the validator's own environment (``.venv-903``: pandas 1.5, numpy
1.24, ``csc-validator-be-903``), never in the main one, so it imports nothing from the
project: only the standard library, pandas and ``lac_validator``. It is started as
``.venv-903/bin/python dfe903_worker.py --out result.json ...`` and writes one JSON document:

- ``rules``: every rule of the year's ruleset with ``code``, ``message``, ``fields`` and a
  ``status``: ``passed``, ``failed``, ``skipped`` (a table the rule needs was not supplied)
  or ``not_run`` (the rule raised an exception; ``error`` says which);
- ``findings``: one row per flagged row: ``rule``, ``table`` (our file name), ``previous``
  (true for a row of the previous year's files), ``child``, ``line`` (line of the CSV file,
  the header being line 1);
- ``files``: each file read, with its table and rows, or why it was not used.

Files are matched to tables by our file names (``header.csv`` ...), their header names
trimmed and upper-cased, extra columns dropped and columns put in the DfE order, so a file
the data contract accepts reaches the validator in the only shape it reads (it matches
tables by their exact column sets). Rules print to stdout and log freely: the JSON goes to
its own file. Each rule gets its own deep copy of the data unless ``--shared-frames`` is
given (see ``_isolate_rules``).
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import json
import logging
import sys
import time
from pathlib import Path

#: Our file stems (data contract) -> the validator's table names.
TABLES = {
    "header": "Header",
    "episodes": "Episodes",
    "reviews": "Reviews",
    "uasc": "UASC",
    "oc2": "OC2",
    "oc3": "OC3",
    "ad1": "AD1",
    "placed_for_adoption": "PlacedAdoption",
    "previous_permanence": "PrevPerm",
    "missing": "Missing",
    "sw_episodes": "SWEpisodes",
    "dolo": "DoLo",
}
FILE_OF = {table: stem for stem, table in TABLES.items()}


class _Crashes(logging.Handler):
    """Collects the exception of each rule that failed to run (the validator logs it)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.errors: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info and message.startswith("Rule code "):
            code = message[len("Rule code ") :].split(" ", 1)[0]
            error = record.exc_info[1]
            self.errors[code] = f"{type(error).__name__}: {error}"


def _normalise(path: Path, columns: list[str]) -> tuple[bytes | None, list[int], str]:
    """The file as the validator reads it, the CSV line of each data row, and a note."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().upper() for name in next(reader)]
    except StopIteration:
        return None, [], "empty file"
    missing = [c for c in columns if c not in header]
    if missing:
        return None, [], f"not used: missing column(s) {', '.join(missing)}"
    where = [header.index(c) for c in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    lines: list[int] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue  # pandas skips blank lines too
        writer.writerow([row[i] if i < len(row) else "" for i in where])
        lines.append(reader.line_num)
    extra = [c for c in header if c not in columns]
    note = f"extra column(s) ignored: {', '.join(extra)}" if extra else ""
    return out.getvalue().encode("utf-8"), lines, note


def _files(folder: Path, description: str, column_names: dict[str, list[str]]):
    uploaded, lines, report = [], {}, []
    for path in sorted(folder.glob("*.csv")):
        stem = path.stem.lower()
        table = TABLES.get(stem)
        if table is None or table not in column_names:
            report.append(
                {
                    "file": path.name,
                    "previous": description == "Prev year",
                    "table": None,
                    "rows": 0,
                    "note": "not a 903 table: not used",
                }
            )
            continue
        content, row_lines, note = _normalise(path, column_names[table])
        previous = description == "Prev year"
        report.append(
            {
                "file": path.name,
                "previous": previous,
                "table": table,
                "rows": len(row_lines),
                "note": note,
            }
        )
        if content is None:
            continue
        uploaded.append({"name": path.name, "description": description, "file_content": content})
        lines[table + ("_last" if previous else "")] = row_lines
    return uploaded, lines, report


def _isolate_rules(engine) -> None:
    """Give every rule its own deep copy of the data. The engine hands each rule a shallow
    copy of shared frames, and some rules write into them (rule 365 fills every blank DEC
    with 31 March), which changes what later rules see."""

    def copy_datastore(data_store: dict) -> dict:
        return {
            name: copy.deepcopy(value) if name == "metadata" else value.copy(deep=True)
            for name, value in data_store.items()
        }

    engine.copy_datastore = copy_datastore


def run(
    this_year: Path,
    previous: Path | None,
    collection_year: str,
    la_ons: str,
    shared_frames: bool = False,
) -> dict:
    """Validate ``this_year`` (and ``previous``) against the ruleset of ``collection_year``
    ('2024-25'), for the LA whose ONS code is ``la_ons``."""
    started = time.perf_counter()
    crashes = _Crashes()
    logging.getLogger("lac_validator").addHandler(crashes)
    from importlib.metadata import version

    import lac_validator.lac_validator as engine
    from lac_validator.config import column_names
    from lac_validator.lac_validator import LacValidator
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    if not shared_frames:
        _isolate_rules(engine)

    logging.getLogger().setLevel(logging.WARNING)  # the validator configures INFO at import
    end_year = str(int(collection_year[:4]) + 1)
    registry = get_year_ruleset(end_year)
    uploaded, lines, files = _files(this_year, "This year", column_names)
    if previous is not None:
        more, more_lines, more_files = _files(previous, "Prev year", column_names)
        uploaded += more
        lines.update(more_lines)
        files += more_files
    validator = LacValidator(
        metadata={"collectionYear": end_year, "localAuthority": la_ons},
        files=uploaded,
        registry=registry,
    )
    findings = []
    failed: dict[str, int] = {}
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        base = table[:-5] if table.endswith("_last") else table
        for column in frame.columns:
            if not column.startswith("ERR_"):
                continue
            code = column[4:]
            hits = frame.index[frame[column].eq(True)]
            failed[code] = failed.get(code, 0) + len(hits)
            row_lines = lines.get(table, [])
            for index in hits:
                child = frame.at[index, "CHILD"] if "CHILD" in frame.columns else None
                try:  # a rule may return a label that is not a row (the frame then grows)
                    line = row_lines[int(index)] if 0 <= int(index) < len(row_lines) else None
                except (TypeError, ValueError):
                    line = None
                findings.append(
                    {
                        "rule": code,
                        "table": FILE_OF.get(base, base),
                        "previous": table.endswith("_last"),
                        "child": child if isinstance(child, str) else None,
                        "line": line,
                    }
                )
    skipped = set(validator.skips)
    crashed = set(validator.fails)
    rules = []
    for code, rule in registry.items():
        code = str(code)
        if code in crashed:
            status = "not_run"
        elif failed.get(code):
            status = "failed"
        elif code in skipped:
            status = "skipped"
        else:
            status = "passed"
        rules.append(
            {
                "code": code,
                "message": rule.message or "",
                "fields": list(rule.affected_fields or []),
                "status": status,
                "error": crashes.errors.get(code, "rule raised an exception")
                if code in crashed
                else None,
            }
        )
    return {
        "validator": "csc-validator-be-903",
        "validator_version": version("csc-validator-be-903"),
        "ruleset": f"lac{int(end_year) - 1}_{end_year[2:]}",
        "collection_year": collection_year,
        "la_ons_code": la_ons,
        "shared_frames": shared_frames,
        "files": files,
        "rules": rules,
        "findings": findings,
        "seconds": round(time.perf_counter() - started, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--this-year", required=True, type=Path)
    parser.add_argument("--previous", type=Path)
    parser.add_argument("--collection-year", required=True, help="YYYY-YY, e.g. 2024-25")
    parser.add_argument("--la-ons", required=True, help="ONS code of the LA, e.g. E10000014")
    parser.add_argument("--out", required=True, type=Path, help="where to write the JSON")
    parser.add_argument(
        "--shared-frames", action="store_true", help="run the engine unchanged (see run())"
    )
    args = parser.parse_args(argv)
    result = run(
        args.this_year, args.previous, args.collection_year, args.la_ons, args.shared_frames
    )
    args.out.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
