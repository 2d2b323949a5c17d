"""Example extracts built from the suites' example rows: every rule's bad and good example.

The *world* is one valid extract of every table (LA ``850``, collection year 2024-25,
extract date 2024-10-31): each suite's ``valid_rows`` then its ``example_row``. A *case*
is the world with one rule's example applied: the example row of the rule's table is
replaced by the bad (or good) row, and the example's ``context`` rows are appended to
their tables. Cases get their own ``la_code`` so that many of them can be validated in one
batch, exactly as the gate validates many extracts at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from expectations.rules import Example, Rule, Suite
from expectations.suites import ALL_SUITES

COLLECTION_YEAR = "2024-25"
EXTRACT_DATE = dt.date(2024, 10, 31)


@dataclass(frozen=True)
class Case:
    la_code: str
    suite: Suite
    rule: Rule | None
    example: Example | None

    @property
    def line(self) -> int:
        """Line number of the example row in its file (header = line 1)."""
        return len(self.suite.valid_rows) + 2

    @property
    def source_file(self) -> str:
        """The example row's file (in another year's return when the row names one)."""
        year = (
            self.example.row.get("collection_year") if self.example else None
        ) or COLLECTION_YEAR
        return source_file(self.la_code, self.suite, year)


def source_file(la_code: str, suite: Suite, year: str = COLLECTION_YEAR) -> str:
    if suite.source == "ssda903":
        return f"{la_code}/ssda903/{year}/{EXTRACT_DATE}/{suite.table_name}.csv"
    return f"{la_code}/local/{EXTRACT_DATE}/{suite.table_name}.csv"


def _rows(case: Case, suite: Suite) -> list[dict]:
    rows = [dict(r) for r in suite.valid_rows]
    example = case.example
    if example is not None and suite is case.suite:
        rows.append({**suite.example_row, **example.row})
    else:
        rows.append(dict(suite.example_row))
    if example is not None:
        rows += [{**suite.example_row, **r} for r in example.context.get(suite.table_name, [])]
    return rows


def case_records(case: Case) -> dict[str, list[dict]]:
    """Every table of the case's extract as records, with lineage as the loader writes it.

    A context row of a 903 table may name another ``collection_year``: it is then a row of
    that year's return of the same LA (for the rules that look across years)."""
    tables = {}
    for suite in ALL_SUITES:
        records = []
        for i, row in enumerate(_rows(case, suite)):
            lineage = {"la_code": case.la_code, "extract_date": EXTRACT_DATE}
            if suite.source == "ssda903":
                lineage["collection_year"] = row.get("collection_year") or COLLECTION_YEAR
            year = lineage.get("collection_year", COLLECTION_YEAR)
            file = source_file(case.la_code, suite, year)
            records.append({**row, **lineage, "source_file": file, "source_row": i + 2})
        tables[suite.table_name] = records
    return tables


def frames_for(cases: list[Case]) -> dict[str, pd.DataFrame]:
    """The extracts of many cases, stacked into one frame per table (as the gate batches)."""
    tables: dict[str, list[dict]] = {s.table_name: [] for s in ALL_SUITES}
    for case in cases:
        for name, records in case_records(case).items():
            tables[name] += records
    return {name: pd.DataFrame.from_records(records) for name, records in tables.items()}


def case_frames(case: Case) -> dict[str, pd.DataFrame]:
    return frames_for([case])


def world(la_code: str = "850") -> dict[str, pd.DataFrame]:
    """The valid extract: every table's valid rows and example row."""
    return case_frames(Case(la_code, ALL_SUITES[0], None, None))


def all_cases() -> list[tuple[Case, str]]:
    """One case per rule example: (case, 'bad' | 'good'); bad cases first."""
    cases = []
    n = 0
    for kind in ("bad", "good"):
        for suite in ALL_SUITES:
            for rule in suite.rules:
                example = rule.bad if kind == "bad" else rule.good
                if example is None:
                    continue
                n += 1
                cases.append((Case(f"{kind[0].upper()}{n:03d}", suite, rule, example), kind))
    return cases
