"""Where each defect kind can strike in a file, and the bad value it writes."""

from __future__ import annotations

import random
from datetime import date

from pipelines.lib.codesets import CODED_COLUMNS, codes
from pipelines.lib.contract import TableSpec
from pipelines.synth.dates import fmt

CELL_KINDS = (
    "bad_dates",
    "unknown_codes",
    "overlapping_episodes",
    "end_before_start",
    "dob_mismatch",
    "unknown_worker",
    "blank_required",
    "future_dates",
)
#: Dates a future value is no defect for: a date of birth is never moved into the future
#: by this kind, and DUC is the 18th birthday, given in advance (rule 205B).
KNOWN_AHEAD = frozenset(["DOB", "DUC"])
BAD_DATES = (
    "31/02/{y}",
    "30/02/{y}",
    "31/04/{y}",
    "32/01/{y}",
    "{y}/13/01",
    "00/00/0000",
    "TBC",
    "15.03.{y}",
    "{y}-13-45",
    "n/k",
)
BAD_CODES: dict[str, tuple[str, ...]] = {
    "SEX": ("9", "X", "1", "2", "M", "F"),
    "ETHNIC": ("WHIT", "ASIA", "BLAC"),
    "RNE": ("X", "N"),
    "LS": ("C3", "V1", "J4"),
    "CIN": ("N9", "N0"),
    "PLACE": ("Q1", "U7", "K4", "H5", "P2", "Z1", "Z11"),
    "PLACE_PROVIDER": ("PR6", "PR9"),
    "REC": ("E99", "X2", "E1"),
    "REASON_PLACE_CHANGE": ("MOVE", "CARER"),
    "REVIEW_CODE": ("PN8", "PN9"),
    "MISSING": ("X", "MIS"),
    "IN_TOUCH": ("MAYBE", "Y"),
    "ACTIV": ("G1", "F9"),
    "ACCOM": ("S1", "X1", "A1"),
    "SDQ_REASON": ("SDQ6",),
    "PREV_PERM": ("P5",),
    "REASON_PLACED_CEASED": ("RD5",),
    "SEX_ADOPTR": ("XX",),
    "LS_ADOPTR": ("L5",),
    "SW_REASON": ("UNKNWN",),
    "SERVICE": ("EARLY_HELP", "MASH"),
    "CASE_TYPE": ("EH", "LAC"),
    "ROLE": ("7", "0"),
    "PEP_TYPE": ("ANNUAL",),
    "STATUS": ("DRAFT",),
    "QUALITY": ("OUTSTANDING",),
    "AGENCY": ("Yes", "1"),
    "OFFERED": ("Yes", "1"),
    "ACCEPTED": ("No", "0"),
}
#: (start, end) column pairs whose end can be moved before the start.
SPANS = (
    ("DECOM", "DEC"),
    ("MIS_START", "MIS_END"),
    ("ALLOC_START", "ALLOC_END"),
    ("START_DATE", "END_DATE"),
    ("SW_DECOM", "SW_DEC"),
    ("DATE_PLACED", "DATE_PLACED_CEASED"),
)
REQUIRED = ("CHILD", "DECOM", "MIS_START", "REVIEW", "SW_ID", "TEAM_ID", "PEP_DATE", "ALLOC_START")


def parse_date(text: str) -> int | None:
    """dd/mm/yyyy -> ordinal, or None when the cell already holds a bad date."""
    try:
        day, month, year = (int(x) for x in text.split("/"))
        return date(year, month, day).toordinal()
    except ValueError:
        return None


def applies(kind: str, spec: TableSpec) -> bool:
    """Can ``kind`` ever hit a file of ``spec``?"""
    cols = set(spec.columns)
    if kind in ("duplicate_rows", "missing_columns"):
        return True
    if kind == "bad_dates":
        return bool(spec.date_columns)
    if kind == "future_dates":
        return bool(set(spec.date_columns) - KNOWN_AHEAD)
    if kind == "unknown_codes":
        return bool(cols & CODED_COLUMNS)
    if kind == "overlapping_episodes":
        return spec.name == "episodes"
    if kind == "end_before_start":
        return any(s in cols and e in cols for s, e in SPANS)
    if kind == "dob_mismatch":
        return spec.source == "ssda903" and spec.name != "header" and "DOB" in cols
    if kind == "unknown_worker":
        return spec.name in ("allocations", "sw_episodes")
    return bool(cols & set(REQUIRED))  # blank_required


class CellRules:
    """Which cells of a file a kind can hit, and the bad value it writes."""

    def __init__(
        self,
        spec: TableSpec,
        columns: list[str],
        index: dict[str, int],
        year: int | None,
        coverage_end: int,
        rng: random.Random,
    ) -> None:
        self.spec, self.columns, self.index, self.rng = spec, columns, index, rng
        self.year, self.coverage_end = year, coverage_end
        self.dates = [c for c in spec.date_columns if c in index]

    def eligible(self, kind: str, body: list) -> list[tuple[int, str]]:
        idx = self.index
        if kind in ("bad_dates", "future_dates"):
            cols = (
                self.dates
                if kind == "bad_dates"
                else [c for c in self.dates if c not in KNOWN_AHEAD]
            )
            return [(r, c) for r, row in enumerate(body) for c in cols if row[idx[c]]]
        if kind == "unknown_codes":
            cols = [c for c in self.columns if c in CODED_COLUMNS and c != "UPN_UNKNOWN"]
            return [(r, c) for r, row in enumerate(body) for c in cols if row[idx[c]]]
        if kind == "overlapping_episodes":
            if self.spec.name != "episodes":
                return []
            child, decom, dec = idx["CHILD"], idx["DECOM"], idx["DEC"]
            out = []
            for r in range(1, len(body)):
                prev = body[r - 1]
                if body[r][child] != prev[child] or not prev[dec]:
                    continue
                start, end = parse_date(prev[decom]), parse_date(prev[dec])
                if start is not None and end is not None and end - start >= 2:
                    out.append((r, "DECOM"))
            return out
        if kind == "end_before_start":
            pairs = [(s, e) for s, e in SPANS if s in idx and e in idx]
            return [
                (r, e)
                for r, row in enumerate(body)
                for s, e in pairs
                if row[idx[e]] and parse_date(row[idx[s]]) is not None
            ]
        if kind == "dob_mismatch":
            if self.spec.name == "header" or "DOB" not in idx or self.spec.source != "ssda903":
                return []
            return [
                (r, "DOB") for r, row in enumerate(body) if parse_date(row[idx["DOB"]]) is not None
            ]
        if kind == "unknown_worker":
            if self.spec.name not in ("allocations", "sw_episodes"):
                return []
            return [(r, "SW_ID") for r in range(len(body))]
        if kind == "blank_required":
            cols = [c for c in REQUIRED if c in idx]
            return [(r, c) for r, row in enumerate(body) for c in cols[:2] if row[idx[c]]]
        return []

    def bad_value(self, kind: str, body: list, r: int, column: str) -> str | None:
        rng, row = self.rng, body[r]
        value = row[self.index[column]]
        if kind == "bad_dates":
            return rng.choice(BAD_DATES).format(y=value[-4:])
        if kind == "future_dates":
            return fmt(self.coverage_end + rng.randrange(10, 400))
        if kind == "unknown_codes":
            valid = codes(column, self.year if self.year is not None else 2099)
            options = [v for v in BAD_CODES.get(column, ("ZZ",)) if v not in valid]
            return rng.choice(options) if options else None
        if kind == "overlapping_episodes":
            previous = body[r - 1]
            start, end = (
                parse_date(previous[self.index["DECOM"]]),
                parse_date(previous[self.index["DEC"]]),
            )
            return fmt(start + rng.randrange(1, end - start))
        if kind == "end_before_start":
            start = next(s for s, e in SPANS if e == column)
            return fmt(parse_date(row[self.index[start]]) - rng.randrange(1, 60))
        if kind == "dob_mismatch":
            shift = rng.randrange(1, 400) * rng.choice((-1, 1))
            return fmt(parse_date(value) + shift)
        if kind == "unknown_worker":
            return f"SW9{rng.randrange(0, 100_000):05d}"
        if kind == "blank_required":
            return ""
        return None
