"""Realistic defects injected into otherwise clean files, for data-quality testing.

Two families. Cell kinds (``defect_kinds.py``) damage one value at a time: each hits about
``rate`` of the rows of every file it applies to (at least once per LA, in a file picked at
random). Rule kinds (``rule_defects.py``) each break one DfE rule the gate blocks on, in
about ``rate`` of their candidates in every 903 extract (at least once per LA, from an
extract picked at random), before its files are written. Every defect is listed in
``<out>/_defects.json`` with the file (relative to ``out``), its line (the header is line
1), the column, the kind, the bad value and, for a rule kind, the DfE rule that must catch
it. Rows hit by a rule kind are not hit by a cell kind, and cells hit by one cell kind are
not hit by another, so the manifest is exact.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from pipelines.lib.contract import TableSpec
from pipelines.synth.config import Extract
from pipelines.synth.defect_kinds import CELL_KINDS, CellRules, applies
from pipelines.synth.rule_defects import RULE_KINDS, RULE_KINDS_BY_NAME, View

CELL_DEFECTS = (
    "bad_dates",
    "unknown_codes",
    "overlapping_episodes",
    "duplicate_rows",
    "missing_columns",
    "end_before_start",
    "dob_mismatch",
    "unknown_worker",
    "blank_required",
    "future_dates",
)
KINDS = CELL_DEFECTS + tuple(kind.name for kind in RULE_KINDS)


class Injector:
    def __init__(
        self,
        la: str,
        kinds: tuple[str, ...],
        rate: float,
        seed: int,
        plan: list[TableSpec],
    ) -> None:
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown defect kind(s): {', '.join(sorted(unknown))}")
        self.la, self.kinds, self.rate = la, kinds, rate
        self.rng = random.Random(
            int(np.random.SeedSequence([seed, int(la), 9_000]).generate_state(1)[0])
        )
        self.pending = set(kinds)
        # each kind is sure to appear in the LA: from a file picked at random among those it
        # applies to (or the next one with a cell it can hit)
        self.force_from = {}
        for kind in kinds:
            if kind in RULE_KINDS_BY_NAME:
                # from the first extract on: a break a rule kind can make is rarer than a
                # cell a cell kind can hit, and later extracts may have none
                self.force_from[kind] = 0
                continue
            options = [i for i, spec in enumerate(plan) if applies(kind, spec)] or [0]
            self.force_from[kind] = self.rng.choice(options)
        self.file_no = -1
        self.extract_no = -1
        self.entries: list[dict[str, object]] = []
        #: Rows hit by rule kinds, per file (relative path): [(row, column, kind, value)].
        self.planted: dict[str, list[tuple[int, str, str, str]]] = {}

    def _count(self, n: int, kind: str, minimum_rows: int = 1, position: int | None = None) -> int:
        """How many rows of ``n`` eligible ones to hit."""
        if n < minimum_rows:
            return 0
        exact = self.rate * n
        count = int(exact) + (self.rng.random() < exact - int(exact))
        at = self.file_no if position is None else position
        if kind in self.pending and at >= self.force_from[kind]:
            count = max(count, 1)
        return min(count, n)

    def plant_rules(
        self, folder: Path, tables: dict[str, list], extract: Extract
    ) -> dict[str, list]:
        """Plant the rule kinds in one 903 extract (its tables, before they are written);
        the rows they hit are recorded for :meth:`apply` to list at their final lines."""
        self.extract_no += 1
        rule_kinds = [RULE_KINDS_BY_NAME[k] for k in self.kinds if k in RULE_KINDS_BY_NAME]
        if not rule_kinds:
            return tables
        view = View(tables, extract)
        for kind in rule_kinds:
            if kind.final_only and not extract.is_final:
                continue
            candidates = kind.candidates(view, self.rng)
            count = self._count(len(candidates), kind.name, position=self.extract_no)
            for plant in self.rng.sample(candidates, count) if candidates else ():
                for hit in plant():
                    file = (folder / f"{hit.table}.csv").as_posix()
                    self.planted.setdefault(file, []).append(
                        (hit.row, hit.column, kind.name, hit.value)
                    )
        return {name: [tuple(row) for row in rows] for name, rows in view.rows.items()}

    def apply(
        self,
        relative: Path,
        spec: TableSpec,
        columns: list[str],
        rows: list[tuple[str, ...]],
        year: int | None,
        coverage_end: int,
    ) -> tuple[list[str], list]:
        self.file_no += 1
        rng = self.rng
        body: list = list(rows)
        index = {c: i for i, c in enumerate(columns)}
        planted = self.planted.pop(relative.as_posix(), [])
        protected = {r for r, *_ in planted}  # rows a rule kind broke: no other defect there
        touched: set[tuple[int, str]] = set()
        found: list[tuple[int, str, str, str]] = []  # (row, column, kind, value)
        dropped = ""
        forced = "missing_columns" in self.pending and self.file_no >= self.force_from.get(
            "missing_columns", 0
        )
        if "missing_columns" in self.kinds and (rng.random() < self.rate or forced):
            dropped = rng.choice(columns)
        context = CellRules(spec, columns, index, year, coverage_end, rng)
        for kind in CELL_KINDS:
            if kind not in self.kinds:
                continue
            cells = [
                (r, c)
                for r, c in context.eligible(kind, body)
                if c != dropped and (r, c) not in touched and r not in protected
            ]
            for r, c in rng.sample(cells, self._count(len(cells), kind)) if cells else ():
                value = context.bad_value(kind, body, r, c)
                if value is None:
                    continue
                row = body[r] = list(body[r])
                row[index[c]] = value
                touched.add((r, c))
                found.append((r, c, kind, value))
        duplicated: list[int] = []
        if "duplicate_rows" in self.kinds and body:
            free = [r for r in range(len(body)) if r not in protected]
            duplicated = sorted(rng.sample(free, self._count(len(free), "duplicate_rows")))
        new_index = list(range(len(body)))
        if duplicated:
            shift, out, d = 0, [], 0
            for i, row in enumerate(body):
                new_index[i] = i + shift
                out.append(row)
                if d < len(duplicated) and duplicated[d] == i:
                    out.append(list(row))
                    shift += 1
                    d += 1
            body = out
        file = relative.as_posix()
        if dropped:
            at = index[dropped]
            columns = [c for c in columns if c != dropped]
            body = [tuple(row[:at]) + tuple(row[at + 1 :]) for row in body]
            self._add(file, 1, dropped, "missing_columns", None)
        for r, c, kind, value in found:
            self._add(file, new_index[r] + 2, c, kind, value)
        for r, c, kind, value in planted:
            self._add(file, new_index[r] + 2, c, kind, value, RULE_KINDS_BY_NAME[kind].rule)
        for r in duplicated:
            self._add(file, new_index[r] + 3, None, "duplicate_rows", ",".join(body[new_index[r]]))
        return columns, body

    def _add(
        self,
        file: str,
        line: int,
        column: str | None,
        kind: str,
        value: str | None,
        rule: str | None = None,
    ) -> None:
        self.pending.discard(kind)
        entry = {"la": self.la, "file": file, "line": line, "column": column, "kind": kind}
        entry["value"] = value
        if rule is not None:
            entry["rule"] = rule
        self.entries.append(entry)
