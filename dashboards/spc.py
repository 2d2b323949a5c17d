"""Statistical process control as NHS England's Making Data Count (MDC) does it: an XmR
chart's mean and process limits, its four special-cause rules, the variation and
assurance icons, and direction-of-travel words that come from them rather than from the
last two points. Pure functions over plain numbers: no pandas, no Dash, no I/O.

The rules follow NHS England's "SPC Charts SQL Query" v2.6 (10 January 2024, the logic
behind the MDC Power BI and Excel tools; the changes it lists are the current guidance):

- **Limits:** mean ± 2.66 × the mean moving range (mR-bar) of the *baseline* (all points,
  unless a baseline is set: then its first ``baseline`` points, and the limits are
  extended over the points after it). The "two-sigma" lines are at two thirds of that.
- **Astronomical point:** a point above the upper or below the lower process limit.
- **Shift:** ``SHIFT_POINTS`` (6, changed from 7 in v2.6) or more points in a row all
  above, or all below, the mean; a point on the mean breaks the run. Runs do not cross
  the end of a baseline.
- **Trend:** ``TREND_POINTS`` (6, changed from 7 in v2.6) or more points in a row, each
  higher (or each lower) than the one before, endpoints included; an equal value breaks
  it. Trends do cross the end of a baseline.
- **Two of three beyond two sigma:** two or three of three points in a row beyond the
  same two-sigma line, all three on that side of the mean. Since v2.6 a point beyond the
  process limit counts as beyond two sigma too.
- **Minimum:** fewer than ``MIN_POINTS`` (13, v2.6) points: no SPC (a run chart only).
- A point that is both improvement and concern (an upward trend below the mean...) takes
  the direction of its strongest rule: trend, then shift, then two-of-three, then a single
  point; a tie goes to ``conflict`` ("concern" by default: a board would rather look).
- **Variation icon:** from the last point: special cause improving (high or low),
  concerning (high or low), "neither" high or low for a KPI with no better direction, or
  common cause.
- **Assurance icon** (a target and a better direction are needed): the target against the
  last point's process limits. Higher is better: target at or below the lower limit =
  consistently passing, at or above the upper limit = consistently failing, between =
  hit and miss (and the reverse when lower is better).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

#: MDC constants: 2.66 = 3 / d2 (d2 = 1.128 for moving ranges of two points).
LIMIT_FACTOR = 2.66
SHIFT_POINTS = 6
TREND_POINTS = 6
MIN_POINTS = 13
#: The shortest baseline MDC accepts (its minimum points per partition).
MIN_BASELINE_POINTS = 12

UP, DOWN, NEITHER = "up", "down", "neither"

# Rules, and their strength when a point is both improvement and concern.
OUTSIDE, TWO_SIGMA, SHIFT, TREND = "outside", "two_sigma", "shift", "trend"
RULE_RANK = {OUTSIDE: 1, TWO_SIGMA: 2, SHIFT: 3, TREND: 4}
RULE_TEXT = {
    OUTSIDE: "a point outside the process limits",
    TWO_SIGMA: "two of three points close to a process limit",
    SHIFT: f"a run of {SHIFT_POINTS} or more points on one side of the mean",
    TREND: f"a trend of {TREND_POINTS} or more points each higher (or lower) than the last",
}

# Variation icons (MDC names in the comments).
COMMON = "common_cause"  # Common cause
IMPROVEMENT_HIGH = "improvement_high"  # Special cause improving (high)
IMPROVEMENT_LOW = "improvement_low"  # Special cause improving (low)
CONCERN_HIGH = "concern_high"  # Special cause concerning (high)
CONCERN_LOW = "concern_low"  # Special cause concerning (low)
NEITHER_HIGH = "neither_high"  # Special cause (high), no better direction
NEITHER_LOW = "neither_low"  # Special cause (low), no better direction
VARIATIONS = (COMMON, IMPROVEMENT_HIGH, IMPROVEMENT_LOW, CONCERN_HIGH, CONCERN_LOW,
              NEITHER_HIGH, NEITHER_LOW)  # fmt: skip

# Assurance icons.
PASS, FAIL, HIT_AND_MISS = "pass", "fail", "hit_and_miss"
ASSURANCES = (PASS, FAIL, HIT_AND_MISS)

VARIATION_TEXT = {
    COMMON: "Common cause: no significant change",
    IMPROVEMENT_HIGH: "Special cause: improving (higher)",
    IMPROVEMENT_LOW: "Special cause: improving (lower)",
    CONCERN_HIGH: "Special cause: concerning (higher)",
    CONCERN_LOW: "Special cause: concerning (lower)",
    NEITHER_HIGH: "Special cause: higher than usual",
    NEITHER_LOW: "Special cause: lower than usual",
}
ASSURANCE_TEXT = {
    PASS: "Consistently meeting the target",
    FAIL: "Consistently missing the target",
    HIT_AND_MISS: "Hit and miss: the target lies within the process limits",
}
#: Direction of travel in words, from the variation icon (never from two points).
IMPROVING, DETERIORATING, NO_SIGNIFICANT_CHANGE = (
    "improving",
    "deteriorating",
    "no significant change",
)
HIGHER_THAN_USUAL, LOWER_THAN_USUAL = "higher than usual", "lower than usual"
TRAVEL = {
    COMMON: NO_SIGNIFICANT_CHANGE,
    IMPROVEMENT_HIGH: IMPROVING,
    IMPROVEMENT_LOW: IMPROVING,
    CONCERN_HIGH: DETERIORATING,
    CONCERN_LOW: DETERIORATING,
    NEITHER_HIGH: HIGHER_THAN_USUAL,
    NEITHER_LOW: LOWER_THAN_USUAL,
}


def direction_of(polarity: str | None) -> str:
    """MDC's improvement direction for a KPI polarity (``higher``/``lower``/``info``)."""
    return {"higher": UP, "lower": DOWN}.get(polarity or "", NEITHER)


@dataclass(frozen=True)
class Spc:
    """An XmR chart of ``values`` (oldest first) and what it says.

    ``eligible`` is False (with ``reason``) when there are too few points; every other
    field is then empty or None. Per-point tuples are as long as ``values``.
    """

    values: tuple[float, ...]
    direction: str
    eligible: bool
    reason: str = ""
    baseline_points: int = 0  # points the mean and limits come from (the first N)
    mean: float | None = None
    mr_bar: float | None = None
    upper_limit: float | None = None
    lower_limit: float | None = None
    upper_two_sigma: float | None = None
    lower_two_sigma: float | None = None
    #: Per point: the rules it triggers, as ``(rule, "high"|"low")`` pairs.
    rules: tuple[frozenset[tuple[str, str]], ...] = ()
    #: Per point: "improvement", "concern", "neither_high", "neither_low" or None.
    special: tuple[str | None, ...] = ()
    variation: str | None = None
    assurance: str | None = None
    target: float | None = None
    conflicts: tuple[int, ...] = field(default=())  # points that were both, resolved

    @property
    def travel(self) -> str | None:
        """Direction of travel in words, from the variation icon (None without SPC)."""
        return TRAVEL.get(self.variation or "")

    @property
    def last_rules(self) -> list[str]:
        """The rules the last point triggers, strongest first."""
        if not self.rules:
            return []
        names = {rule for rule, _side in self.rules[-1]}
        return sorted(names, key=lambda r: -RULE_RANK[r])

    def explain(self) -> str:
        """One sentence: what the chart says about the latest point, and why."""
        if not self.eligible:
            return self.reason
        text = VARIATION_TEXT[self.variation or COMMON]
        why = self.last_rules
        if why and self.variation != COMMON:
            text += " (" + "; ".join(RULE_TEXT[r] for r in why) + ")"
        return text + "."


def _runs(flags: Sequence[bool], partition: Sequence[int], length: int) -> list[bool]:
    """Mark every point in a run of at least ``length`` consecutive flagged points
    within one partition."""
    marked = [False] * len(flags)
    run: list[int] = []
    for i, flag in enumerate(flags):
        if run and (not flag or partition[i] != partition[run[-1]]):
            if len(run) >= length:
                for j in run:
                    marked[j] = True
            run = []
        if flag:
            run.append(i)
    if len(run) >= length:
        for j in run:
            marked[j] = True
    return marked


def _trend(values: Sequence[float], rising: bool, length: int) -> list[bool]:
    """Mark every point of a run of at least ``length`` points, each higher (``rising``)
    or lower than the one before, endpoints included (across partitions)."""
    n = len(values)
    steps = [
        i > 0 and (values[i] > values[i - 1] if rising else values[i] < values[i - 1])
        for i in range(n)
    ]
    marked = [False] * n
    i = 1
    while i < n:
        if not steps[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and steps[j + 1]:
            j += 1
        # points i-1 .. j form a run of j - i + 2 points
        if j - i + 2 >= length:
            for k in range(i - 1, j + 1):
                marked[k] = True
        i = j + 1
    return marked


def _two_of_three(
    beyond: Sequence[bool], side: Sequence[bool], partition: Sequence[int]
) -> list[bool]:
    """Points beyond a two-sigma line that are two (or three) of three in a row beyond
    it, all three points on that side of the mean, within one partition."""
    n = len(beyond)

    def same(i: int, j: int) -> bool:
        return 0 <= i < n and 0 <= j < n and partition[i] == partition[j]

    starts = [False] * n
    for i in range(n):
        if not beyond[i]:
            continue
        # this and the next point beyond, with the point before or after on that side...
        pair = (same(i, i + 1) and beyond[i + 1]) and (
            (same(i, i - 1) and side[i - 1]) or (same(i, i + 2) and side[i + 2])
        )
        # ...or this and the point after next beyond, the one between on that side
        gap = same(i, i + 2) and beyond[i + 2] and side[i + 1]
        starts[i] = bool(pair or gap)
    return [
        beyond[j] and any(starts[k] and same(k, j) for k in range(max(0, j - 2), j + 1))
        for j in range(n)
    ]


def xmr(
    values: Sequence[float],
    polarity: str | None,
    *,
    target: float | None = None,
    baseline: int | None = None,
    conflict: str = "concern",
    shift_points: int = SHIFT_POINTS,
    trend_points: int = TREND_POINTS,
    min_points: int = MIN_POINTS,
) -> Spc:
    """The XmR chart of ``values`` (oldest first, no gaps: leave out periods with no
    figure) for a KPI of ``polarity``, judged against ``target`` when there is one.

    ``baseline``: the limits come from the first ``baseline`` points (at least
    ``MIN_BASELINE_POINTS``) and are extended over the rest; None = from all points.
    """
    vals = tuple(float(v) for v in values)
    if any(math.isnan(v) or math.isinf(v) for v in vals):
        raise ValueError("SPC values must be numbers: leave out periods with no figure")
    direction = direction_of(polarity)
    n = len(vals)
    if n < min_points:
        return Spc(
            vals,
            direction,
            eligible=False,
            reason=f"Too few points for SPC: {n} (Making Data Count needs at least {min_points}).",
        )
    if baseline is not None and not (MIN_BASELINE_POINTS <= baseline <= n):
        raise ValueError(f"a baseline needs {MIN_BASELINE_POINTS} to {n} points, not {baseline}")
    base_n = baseline or n
    partition = [0] * base_n + [1] * (n - base_n)
    base = vals[:base_n]
    mean = sum(base) / base_n
    ranges = [abs(base[i] - base[i - 1]) for i in range(1, base_n)]
    mr_bar = sum(ranges) / len(ranges)
    upl, lpl = mean + LIMIT_FACTOR * mr_bar, mean - LIMIT_FACTOR * mr_bar
    u2, l2 = mean + LIMIT_FACTOR * mr_bar * 2 / 3, mean - LIMIT_FACTOR * mr_bar * 2 / 3

    above = [v > mean for v in vals]
    below = [v < mean for v in vals]
    fired: dict[tuple[str, str], list[bool]] = {
        (OUTSIDE, "high"): [v > upl for v in vals],
        (OUTSIDE, "low"): [v < lpl for v in vals],
        (SHIFT, "high"): _runs(above, partition, shift_points),
        (SHIFT, "low"): _runs(below, partition, shift_points),
        (TREND, "high"): _trend(vals, True, trend_points),
        (TREND, "low"): _trend(vals, False, trend_points),
        (TWO_SIGMA, "high"): _two_of_three([v > u2 for v in vals], above, partition),
        (TWO_SIGMA, "low"): _two_of_three([v < l2 for v in vals], below, partition),
    }
    rules = tuple(frozenset(key for key, marks in fired.items() if marks[i]) for i in range(n))
    special: list[str | None] = []
    conflicts: list[int] = []
    for i, point in enumerate(rules):
        high = max((RULE_RANK[r] for r, s in point if s == "high"), default=0)
        low = max((RULE_RANK[r] for r, s in point if s == "low"), default=0)
        if not high and not low:
            special.append(None)
            continue
        if direction == NEITHER:
            special.append("neither_high" if high else "neither_low")
            continue
        good, bad = (high, low) if direction == UP else (low, high)
        if good and bad:
            conflicts.append(i)
            if good == bad:
                special.append("improvement" if conflict == "improvement" else "concern")
            else:
                special.append("improvement" if good > bad else "concern")
        else:
            special.append("improvement" if good else "concern")
    variation = _variation(direction, special[-1])
    assurance = _assurance(direction, target, lpl, upl)
    return Spc(
        vals,
        direction,
        eligible=True,
        baseline_points=base_n,
        mean=mean,
        mr_bar=mr_bar,
        upper_limit=upl,
        lower_limit=lpl,
        upper_two_sigma=u2,
        lower_two_sigma=l2,
        rules=rules,
        special=tuple(special),
        variation=variation,
        assurance=assurance,
        target=target,
        conflicts=tuple(conflicts),
    )


def _variation(direction: str, last: str | None) -> str:
    if last is None:
        return COMMON
    if last in ("neither_high", "neither_low"):
        return NEITHER_HIGH if last == "neither_high" else NEITHER_LOW
    if direction == UP:
        return IMPROVEMENT_HIGH if last == "improvement" else CONCERN_LOW
    return IMPROVEMENT_LOW if last == "improvement" else CONCERN_HIGH


def _assurance(direction: str, target: float | None, lpl: float, upl: float) -> str | None:
    if target is None or direction == NEITHER or math.isnan(target):
        return None
    if direction == UP:
        if target <= lpl:
            return PASS
        if target >= upl:
            return FAIL
        return HIT_AND_MISS
    if target >= upl:
        return PASS
    if target <= lpl:
        return FAIL
    return HIT_AND_MISS
