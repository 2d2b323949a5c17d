"""Defects that each break one DfE rule the data-quality gate blocks on, planted in a 903
extract before its files are written.

The cell defects of ``defect_kinds.py`` damage one value at a time (a bad date, an unknown
code). The DfE rules that guard the KPIs are about how rows hang together: episodes that
chain, short breaks that last too long, a missing period after care ended, an OC2 row for
a child outside the 12-month cohort. Each kind here makes one such break, realistic in
shape (a typo'd reason, a row the case system should not have exported), in a few of an
extract's rows; ``RULE_KINDS`` says which rule must catch it (``tests/synth`` checks that
the gate does, kind by kind).

A kind picks its candidates among children no other kind has touched in the extract, so
that every entry of ``_defects.json`` names the one break in its row: the table, the row,
the column and the value written. A row a kind appends is written after the extract's
other rows.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pipelines.lib.contract import SSDA903_TABLES
from pipelines.synth.config import Extract
from pipelines.synth.dates import add_years, d, fmt
from pipelines.synth.defect_kinds import parse_date

COLUMNS = {spec.name: list(spec.columns) for spec in SSDA903_TABLES}
SHORT_BREAKS = ("V3", "V4")


#: ``dd/mm/yyyy`` -> ordinal (None when blank or not a date).
parse = parse_date


@dataclass(frozen=True)
class Hit:
    """One planted break: the table, the row (its position in the table), the column and the
    value written there."""

    table: str
    row: int
    column: str
    value: str


class View:
    """One extract's 903 tables as lists of mutable rows, with the lookups kinds need."""

    def __init__(self, tables: dict[str, list], extract: Extract) -> None:
        self.extract = extract
        self.rows = {name: [list(r) for r in rows] for name, rows in tables.items()}
        self.touched: set[str] = set()

    # --------------------------------------------------------------- reading
    def get(self, table: str, row: int, column: str) -> str:
        return self.rows[table][row][COLUMNS[table].index(column)]

    def by_child(self, table: str) -> dict[str, list[int]]:
        """Row positions per child, in file order."""
        out: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(self.rows.get(table, [])):
            out[row[0]].append(i)
        return out

    def episodes_of(self) -> dict[str, list[int]]:
        """Each child's episode rows ordered by DECOM."""
        out = self.by_child("episodes")
        for rows in out.values():
            rows.sort(key=lambda i: parse(self.get("episodes", i, "DECOM")) or 0)
        return out

    def dob(self, child: str) -> int | None:
        for row in self.rows["header"]:
            if row[0] == child:
                return parse(row[COLUMNS["header"].index("DOB")])
        return None

    def birthday_in_year(self, child: str) -> tuple[int, int] | None:
        """(age reached, date) of the birthday that falls in the collection year."""
        dob = self.dob(child)
        if dob is None:
            return None
        born = date.fromordinal(dob)
        age = self.extract.year - born.year + (1 if born.month < 4 else 0)
        return (age, add_years(dob, age)) if age > 0 else None

    def free(self, child: str) -> bool:
        return child not in self.touched

    @property
    def year_end(self) -> int:
        return d(self.extract.year + 1, 3, 31)

    # --------------------------------------------------------------- writing
    def set(self, table: str, row: int, column: str, value: str) -> Hit:
        self.rows[table][row][COLUMNS[table].index(column)] = value
        self.touched.add(self.rows[table][row][0])
        return Hit(table, row, column, value)

    def append(self, table: str, values: dict[str, str], column: str) -> Hit:
        row = [values.get(c, "") for c in COLUMNS[table]]
        self.rows[table].append(row)
        self.touched.add(row[0])
        return Hit(table, len(self.rows[table]) - 1, column, values[column])


#: A kind: (view) -> candidates; each candidate plants itself when called (-> its hits).
Candidates = Callable[[View, random.Random], list[Callable[[], list[Hit]]]]


@dataclass(frozen=True)
class RuleKind:
    name: str
    rule: str  # the DfE rule the gate must catch it with
    what: str
    candidates: Candidates
    final_only: bool = False  # only final returns have the table it needs (OC2)


# ------------------------------------------------------------------------- episodes


def _single_open_episodes(v: View) -> list[tuple[str, int]]:
    missing = v.by_child("missing")
    return [
        (child, rows[0])
        for child, rows in v.episodes_of().items()
        if len(rows) == 1
        and v.free(child)
        and child not in missing
        and v.get("episodes", rows[0], "DEC") == ""
        and v.get("episodes", rows[0], "RNE") == "S"
    ]


def _episode_after_year(v: View, rng: random.Random):
    def plant(row: int):
        return lambda: [v.set("episodes", row, "DECOM", fmt(v.year_end + rng.randrange(1, 40)))]

    return [plant(row) for _, row in _single_open_episodes(v)]


def _ended_last_episodes(v: View, not_rec=("X1",)) -> list[tuple[str, int]]:
    """Children (untouched, no missing periods) whose last episode ended with a REC not in
    ``not_rec`` after at least one day."""
    missing = v.by_child("missing")
    out = []
    for child, rows in v.episodes_of().items():
        last = rows[-1]
        start, end = parse(v.get("episodes", last, "DECOM")), parse(v.get("episodes", last, "DEC"))
        rec = v.get("episodes", last, "REC")
        ended = start and end and end > start and rec and rec not in not_rec
        if ended and v.free(child) and child not in missing:
            out.append((child, last))
    return out


def _zero_day_episode(v: View, rng: random.Random):
    def plant(row: int):
        return lambda: [v.set("episodes", row, "DEC", v.get("episodes", row, "DECOM"))]

    return [plant(row) for _, row in _ended_last_episodes(v)]


def _x1_without_next(v: View, rng: random.Random):
    def plant(row: int):
        return lambda: [v.set("episodes", row, "REC", "X1")]

    return [plant(row) for _, row in _ended_last_episodes(v)]


def _pairs_of_episodes(v: View, rne: tuple[str, ...]) -> list[tuple[int, int]]:
    """(previous, this) episode rows of untouched children where this one's RNE is in
    ``rne`` and continues the previous one (X1, same day)."""
    out = []
    for child, rows in v.episodes_of().items():
        if not v.free(child):
            continue
        for before, row in itertools.pairwise(rows):
            if (
                v.get("episodes", row, "RNE") in rne
                and v.get("episodes", before, "REC") == "X1"
                and v.get("episodes", before, "DEC") == v.get("episodes", row, "DECOM")
            ):
                out.append((before, row))
    return out


def _continuation_gap(v: View, rng: random.Random):
    missing = v.by_child("missing")

    def plant(row: int):
        start = parse(v.get("episodes", row, "DECOM"))
        return lambda: [v.set("episodes", row, "DECOM", fmt(start + rng.randrange(1, 4)))]

    out = []
    for _, row in _pairs_of_episodes(v, ("P", "L", "T", "U", "B")):
        start = parse(v.get("episodes", row, "DECOM"))
        end = parse(v.get("episodes", row, "DEC"))
        child = v.get("episodes", row, "CHILD")
        if start and (end is None or end - start >= 7) and child not in missing:
            out.append(plant(row))
    return out


def _recode_rne(rne: str, to: str):
    def candidates(v: View, rng: random.Random):
        def plant(row: int):
            return lambda: [v.set("episodes", row, "RNE", to)]

        return [plant(row) for _, row in _pairs_of_episodes(v, (rne,))]

    return candidates


def _episode_after_death(v: View, rng: random.Random):
    """An episode that ended care (not the child's last) recoded E2 (died)."""
    out = []
    for child, rows in v.episodes_of().items():
        if not v.free(child):
            continue
        for row in rows[:-1]:
            rec = v.get("episodes", row, "REC")
            if rec and rec != "X1":
                out.append(row)
    return [lambda row=row: [v.set("episodes", row, "REC", "E2")] for row in out]


def _short_breaks(v: View) -> list[int]:
    return [
        row
        for child, rows in v.episodes_of().items()
        if v.free(child)
        for row in rows
        if v.get("episodes", row, "LS") in SHORT_BREAKS
    ]


def _long_short_break(v: View, rng: random.Random):
    """A short break recorded V3 (one break) ending 18-30 days after it began, in the year."""
    out = []
    episodes = v.episodes_of()
    for row in _short_breaks(v):
        child = v.get("episodes", row, "CHILD")
        start = parse(v.get("episodes", row, "DECOM"))
        end = start + 30 if start else None
        if not start or start < v.extract.start or end > v.extract.coverage_end:
            continue
        if episodes[child][-1] != row:
            continue  # the child's last episode: nothing follows to overlap

        def plant(row=row, start=start):
            days = rng.randrange(18, 31)
            if not v.get("episodes", row, "REC"):
                v.set("episodes", row, "REC", "E8")
            return [
                v.set("episodes", row, "LS", "V3"),
                v.set("episodes", row, "DEC", fmt(start + days)),
            ]

        out.append(plant)
    return out


def _too_much_respite(v: View, rng: random.Random):
    """Regular short breaks (V4) recorded as one-off breaks (V3) over more than 75 days of
    the year."""
    out = []
    for row in _short_breaks(v):
        start = max(parse(v.get("episodes", row, "DECOM")) or 0, v.extract.start)
        end = parse(v.get("episodes", row, "DEC")) or v.extract.coverage_end
        if min(end, v.extract.coverage_end) - start > 75:
            out.append(lambda row=row: [v.set("episodes", row, "LS", "V3")])
    return out


def _short_break_long_term_foster(v: View, rng: random.Random):
    def plant(row: int):
        def go():
            hits = [v.set("episodes", row, "PLACE", "U4")]
            if v.get("episodes", row, "PLACE_PROVIDER") in ("PR0", "PR3"):
                hits.append(v.set("episodes", row, "PLACE_PROVIDER", "PR1"))
            return hits[:1]

        return go

    return [plant(row) for row in _short_breaks(v)]


# ------------------------------------------------------------------------- OC2


def _continuous(v: View, rows: list[int]) -> bool:
    """Looked after for the whole year to 31 March (the OC2 cohort), by this return."""
    start, end = v.extract.start, v.year_end
    for row in rows:
        decom = parse(v.get("episodes", row, "DECOM")) or 0
        dec = parse(v.get("episodes", row, "DEC"))
        rec = v.get("episodes", row, "REC")
        if v.get("episodes", row, "LS") in SHORT_BREAKS:
            return False
        if v.get("episodes", row, "RNE") == "S" and start < decom <= end:
            return False
        if rec and rec != "X1" and dec is not None and start <= dec <= end:
            return False
    return bool(rows)


def _oc2_rows(v: View, where: Callable[[int], bool]) -> list[int]:
    return [i for i, row in enumerate(v.rows.get("oc2", [])) if v.free(row[0]) and where(i)]


HEALTH_ITEMS = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")
OC2_ITEMS = (
    "CONVICTED",
    "HEALTH_CHECK",
    *HEALTH_ITEMS,
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
)


def _oc2_cohort_items_blank(v: View, rng: random.Random):
    """An OC2 row of the 12-month cohort exported with every item blank."""
    episodes = v.episodes_of()

    def plant(row: int):
        def go():
            hits = [v.set("oc2", row, column, "") for column in OC2_ITEMS]
            return [h for h in hits if h.column == "IMMUNISATIONS"]

        return go

    rows = _oc2_rows(v, lambda i: _continuous(v, episodes.get(v.rows["oc2"][i][0], [])))
    return [plant(row) for row in rows]


def _oc2_outside_cohort(v: View, rng: random.Random):
    """An OC2 row (items completed) for a child whose care started in the year."""
    in_oc2 = v.by_child("oc2")
    out = []
    for child, rows in v.episodes_of().items():
        first = rows[0]
        decom = parse(v.get("episodes", first, "DECOM")) or 0
        if (
            child in in_oc2
            or not v.free(child)
            or v.get("episodes", first, "RNE") != "S"
            or decom <= v.extract.start + 1
            or v.get("episodes", first, "LS") in SHORT_BREAKS
        ):
            continue
        dob = v.dob(child)
        if dob is None:
            continue
        age = (date.fromordinal(v.year_end) - date.fromordinal(dob)).days // 365

        def plant(child=child, dob=dob, age=age):
            values = {
                "CHILD": child,
                "DOB": fmt(dob),
                "CONVICTED": "0" if age >= 10 else "",
                "HEALTH_CHECK": "1" if age < 5 else "",
                "IMMUNISATIONS": "1",
                "TEETH_CHECK": "1",
                "HEALTH_ASSESSMENT": "1",
                "SUBSTANCE_MISUSE": "0",
            }
            return [v.append("oc2", values, "HEALTH_ASSESSMENT")]

        out.append(plant)
    return out


def _oc2_blank_with(flag: str | None, blank: str, value: str | None = None):
    """An OC2 row with ``flag`` completed (set to ``value``) and ``blank`` left blank."""

    def candidates(v: View, rng: random.Random):
        def filled(i: int) -> bool:
            if flag is None:
                return any(v.get("oc2", i, c) for c in ("CONVICTED", "HEALTH_CHECK"))
            return v.get("oc2", i, flag) != ""

        def plant(row: int):
            def go():
                hits = [v.set("oc2", row, blank, "")]
                if flag is not None and value is not None:
                    v.set("oc2", row, flag, value)
                return hits

            return go

        return [plant(row) for row in _oc2_rows(v, lambda i: filled(i) and v.get("oc2", i, blank))]

    return candidates


# ------------------------------------------------------------------------- OC3


def _oc3_partly_completed(v: View, rng: random.Random):
    rows = [
        i
        for i, row in enumerate(v.rows["oc3"])
        if v.free(row[0]) and all(v.get("oc3", i, c) for c in ("IN_TOUCH", "ACTIV", "ACCOM"))
    ]
    return [lambda row=row: [v.set("oc3", row, "ACCOM", "")] for row in rows]


def _oc3_row(v: View, child: str, in_touch: str, activ: str, accom: str) -> Hit:
    dob = v.dob(child)
    values = {"CHILD": child, "DOB": fmt(dob), "IN_TOUCH": in_touch, "ACTIV": activ, "ACCOM": accom}
    return v.append("oc3", values, "IN_TOUCH")


def _aged_17_or_18(v: View, child: str) -> int | None:
    """The 17th or 18th birthday in the year, on or before the coverage end."""
    found = v.birthday_in_year(child)
    if found is None:
        return None
    age, day = found
    return day if age in (17, 18) and day and day <= v.extract.coverage_end else None


def _oc3_for_the_looked_after(ended: bool):
    """An OC3 row with care-leaver items for a 17- or 18-year-old looked after on the
    birthday in the year (``ended``: whose care then ended on or after the birthday)."""

    def candidates(v: View, rng: random.Random):
        in_oc3 = v.by_child("oc3")
        out = []
        for child, rows in v.episodes_of().items():
            if child in in_oc3 or not v.free(child):
                continue
            birthday = _aged_17_or_18(v, child)
            if birthday is None:
                continue
            spans = [
                (parse(v.get("episodes", r, "DECOM")) or 0, parse(v.get("episodes", r, "DEC")))
                for r in rows
                if v.get("episodes", r, "LS") not in SHORT_BREAKS
            ]
            on_birthday = any(s <= birthday and (e is None or e > birthday) for s, e in spans)
            ended_after = any(e is not None and e >= birthday for _, e in spans)
            if (ended and ended_after) or (not ended and on_birthday and not ended_after):
                out.append(lambda child=child: [_oc3_row(v, child, "YES", "F2", "B1")])
        return out

    return candidates


def _oc3_died_in_care(v: View, rng: random.Random):
    """A young person aged 17-21 whose care ended in the year recorded as having died
    (REC E2), with an OC3 row."""
    in_oc3 = v.by_child("oc3")
    out = []
    for child, row in _ended_last_episodes(v, not_rec=("X1", "E2")):
        found = v.birthday_in_year(child)
        if found is None or not 17 <= found[0] <= 21:
            continue

        def plant(child=child, row=row):
            hits = [v.set("episodes", row, "REC", "E2")]
            if child in in_oc3:
                v.set("oc3", in_oc3[child][0], "IN_TOUCH", "DIED")
                v.set("oc3", in_oc3[child][0], "ACTIV", "0")
                v.set("oc3", in_oc3[child][0], "ACCOM", "0")
                return hits
            _oc3_row(v, child, "DIED", "0", "0")
            return hits

        out.append(plant)
    return out


# ------------------------------------------------------------------------- missing


def _missing_rows(v: View, where: Callable[[str, int | None, int | None], bool]) -> list[int]:
    out = []
    for i, row in enumerate(v.rows["missing"]):
        child = row[0]
        start, end = parse(v.get("missing", i, "MIS_START")), parse(v.get("missing", i, "MIS_END"))
        if v.free(child) and start is not None and where(child, start, end):
            out.append(i)
    return out


def _overlapping_missing(v: View, rng: random.Random):
    """A second missing period starting the day after another began, before it ended."""

    def plant(row: int):
        def go():
            start = parse(v.get("missing", row, "MIS_START"))
            values = dict(zip(COLUMNS["missing"], v.rows["missing"][row], strict=True))
            values["MIS_START"] = fmt(start + 1)
            return [v.append("missing", values, "MIS_START")]

        return go

    rows = _missing_rows(v, lambda c, s, e: e is not None and e - s >= 2)
    return [plant(row) for row in rows]


def _periods(v: View) -> dict[str, list[tuple[int, int | None]]]:
    """Each child's periods of care (start, end or None while open) in this return."""
    out: dict[str, list[tuple[int, int | None]]] = {}
    for child, rows in v.episodes_of().items():
        spans: list[list] = []
        for r in rows:
            s, e = parse(v.get("episodes", r, "DECOM")), parse(v.get("episodes", r, "DEC"))
            if s is None:
                continue
            if spans and spans[-1][1] is not None and s <= spans[-1][1]:
                spans[-1][1] = e
            else:
                spans.append([s, e])
        out[child] = [(s, e) for s, e in spans]
    return out


def _missing_open_after_placement(v: View, rng: random.Random):
    """A missing period from an episode that has ended, exported without its end date."""
    episodes = v.episodes_of()

    def in_ended_episode(child, start, end) -> bool:
        for r in episodes.get(child, []):
            s, e = parse(v.get("episodes", r, "DECOM")), parse(v.get("episodes", r, "DEC"))
            if s is not None and e is not None and s <= start <= e:
                return end is not None
        return False

    rows = _missing_rows(v, in_ended_episode)
    return [lambda row=row: [v.set("missing", row, "MIS_END", "")] for row in rows]


def _missing_outlives_care(v: View, rng: random.Random):
    """A missing period whose end is recorded after the child's care ended."""
    periods = _periods(v)

    def plant(row: int, after: int):
        return lambda: [v.set("missing", row, "MIS_END", fmt(after + rng.randrange(1, 5)))]

    out = []
    for row in _missing_rows(v, lambda c, s, e: e is not None):
        child = v.rows["missing"][row][0]
        start = parse(v.get("missing", row, "MIS_START"))
        for s, e in periods.get(child, []):
            if e is not None and s <= start <= e and e + 5 <= v.extract.coverage_end:
                out.append(plant(row, e))
    return out


def _care_ended(v: View) -> list[tuple[str, int]]:
    """Untouched children whose last period of care ended at least 10 days before the
    coverage end: (child, the end)."""
    out = []
    for child, spans in _periods(v).items():
        end = spans[-1][1] if spans else None
        if end is not None and v.free(child) and end + 10 <= v.extract.coverage_end:
            out.append((child, end))
    return out


def _missing_row(v: View, child: str, start: int) -> Hit:
    dob = v.dob(child)
    values = {
        "CHILD": child,
        "DOB": fmt(dob) if dob else "",
        "MISSING": "M",
        "MIS_START": fmt(start),
        "MIS_END": fmt(start + 1),
    }
    return v.append("missing", values, "MIS_START")


def _missing_after_care(v: View, rng: random.Random):
    """A missing period of a child who is no longer looked after, starting after care ended."""
    return [
        lambda child=child, end=end: [_missing_row(v, child, end + rng.randrange(2, 8))]
        for child, end in _care_ended(v)
    ]


def _missing_before_care(v: View, rng: random.Random):
    """A missing period recorded for the days before the child's care began."""
    out = []
    for child, spans in _periods(v).items():
        if not spans or not v.free(child):
            continue
        start = spans[0][0]
        if start - 10 >= v.extract.start:
            out.append(lambda child=child, start=start: [_missing_row(v, child, start - 5)])
    return out


RULE_KINDS: tuple[RuleKind, ...] = (
    RuleKind(
        "episode_after_year", "354", "an episode that starts after 31 March", _episode_after_year
    ),
    RuleKind("zero_day_episode", "355", "an episode that ends the day it began", _zero_day_episode),
    RuleKind("x1_without_next", "388", "REC X1 on the last episode", _x1_without_next),
    RuleKind(
        "continuation_gap",
        "433",
        "a continuation episode starting days after the previous one ended",
        _continuation_gap,
    ),
    RuleKind(
        "rne_l_for_a_move",
        "434",
        "RNE L (legal status only) on a placement move",
        _recode_rne("P", "L"),
    ),
    RuleKind(
        "rne_p_for_legal_status",
        "435",
        "RNE P (placement only) on a legal status change",
        _recode_rne("L", "P"),
    ),
    RuleKind(
        "rne_b_for_a_move",
        "436",
        "RNE B (both changed) on a placement move with the same legal status",
        _recode_rne("P", "B"),
    ),
    RuleKind(
        "episode_after_death",
        "437",
        "REC E2 (died) on an episode followed by another",
        _episode_after_death,
    ),
    RuleKind("long_short_break", "365", "a V3 short break of 18-30 days", _long_short_break),
    RuleKind(
        "too_much_respite",
        "367",
        "regular short breaks (V4) recorded as V3, over 75 days of the year",
        _too_much_respite,
    ),
    RuleKind(
        "short_break_long_term_foster",
        "384",
        "a short break (V3/V4) in long-term foster care (U4)",
        _short_break_long_term_foster,
    ),
    RuleKind(
        "oc2_cohort_items_blank",
        "191",
        "an OC2 row of the 12-month cohort with every item blank",
        _oc2_cohort_items_blank,
        final_only=True,
    ),
    RuleKind(
        "oc2_outside_cohort",
        "190",
        "an OC2 row for a child whose care started in the year",
        _oc2_outside_cohort,
        final_only=True,
    ),
    RuleKind(
        "oc2_partly_completed",
        "182",
        "SUBSTANCE_MISUSE blank on an OC2 row with other items",
        _oc2_blank_with(None, "SUBSTANCE_MISUSE"),
        final_only=True,
    ),
    RuleKind(
        "conviction_without_health_items",
        "544",
        "CONVICTED 1 with TEETH_CHECK blank",
        _oc2_blank_with("CONVICTED", "TEETH_CHECK", "1"),
        final_only=True,
    ),
    RuleKind(
        "health_check_without_health_items",
        "547",
        "HEALTH_CHECK 1 with IMMUNISATIONS blank",
        _oc2_blank_with("HEALTH_CHECK", "IMMUNISATIONS", "1"),
        final_only=True,
    ),
    RuleKind("oc3_partly_completed", "153", "ACCOM blank on an OC3 row", _oc3_partly_completed),
    RuleKind(
        "oc3_died_in_care",
        "1000",
        "care ended by death (E2) for a young person with an OC3 row",
        _oc3_died_in_care,
    ),
    RuleKind(
        "oc3_still_looked_after",
        "1007",
        "an OC3 row for a 17- or 18-year-old looked after on the birthday and since",
        _oc3_for_the_looked_after(ended=False),
    ),
    RuleKind(
        "oc3_ceased_after_birthday",
        "1016",
        "an OC3 row for a 17- or 18-year-old whose care ended on or after the birthday",
        _oc3_for_the_looked_after(ended=True),
    ),
    RuleKind(
        "overlapping_missing",
        "574",
        "a missing period starting inside another",
        _overlapping_missing,
    ),
    RuleKind(
        "missing_open_after_placement",
        "575",
        "MIS_END blank on a period from an episode that has ended",
        _missing_open_after_placement,
    ),
    RuleKind(
        "missing_outlives_care",
        "577",
        "MIS_END after the child's care ended",
        _missing_outlives_care,
    ),
    RuleKind(
        "missing_after_care",
        "578",
        "a missing period starting after care ended",
        _missing_after_care,
    ),
    RuleKind(
        "missing_before_care",
        "581",
        "a missing period before care began",
        _missing_before_care,
    ),
)
RULE_KINDS_BY_NAME = {kind.name: kind for kind in RULE_KINDS}
