"""95 % confidence intervals for district figures, their comparison with the LA, funnel
plot limits, and the small-numbers rule. Pure functions, no Dash, no I/O.

How, after Public Health England's Fingertips (the methods of its ``PHEindicatormethods``
package), with the statistics from statsmodels rather than hand-written formulas:

- **Proportions** (percentage KPIs): Wilson score interval of numerator / denominator
  (``statsmodels.stats.proportion.proportion_confint(method="wilson")``).
- **Counts, rates and ratios** (children looked after per 10,000, cases per FTE): exact
  Poisson (Garwood) interval of the count of events, divided by the exposure
  (``statsmodels.stats.rates.confint_poisson(method="exact-c")``).
- **Compared with the LA:** a district is significantly better (or worse) than the LA
  when its interval excludes the LA's value, on the better (or worse) side by the KPI's
  polarity; "similar" when it includes it; "higher" / "lower" for KPIs with no better
  direction. Counts are never compared (districts differ in size).
- **Funnel plots:** the control limits at each denominator are where the interval of a
  district of that size would just touch the LA's value (95 % and 99.8 %), so a point is
  outside the 95 % funnel exactly when it is significantly different.
- **Small numbers:** a district with fewer than ``threshold`` cases (the denominator of a
  proportion, the events of a rate) is marked and never ranked or judged.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from typing import Any

WILSON, POISSON = "Wilson score", "exact Poisson"
LEVEL = 0.95
#: The two funnels of a funnel plot (Spiegelhalter 2005; Fingertips): about 2 and 3 SD.
FUNNEL_LEVELS = (0.95, 0.998)
DEFAULT_SMALL_NUMBERS = 10

BETTER, WORSE, SIMILAR, HIGHER, LOWER = "better", "worse", "similar", "higher", "lower"
COMPARISON_TEXT = {
    BETTER: "significantly better than the LA",
    WORSE: "significantly worse than the LA",
    SIMILAR: "similar to the LA",
    HIGHER: "significantly higher than the LA",
    LOWER: "significantly lower than the LA",
}
NOT_COMPARED_COUNT = "not compared (a count: districts differ in size)"
SMALL_NUMBERS_TEXT = "small numbers: not compared"
#: A district whose figure disclosure control hid (the board's view: ``dashboards.disclosure``).
SUPPRESSED_TEXT = "suppressed (small numbers): not compared"


@dataclass(frozen=True)
class Interval:
    """A figure with its confidence interval, in the KPI's own unit (per cent, per
    10,000...). ``cases`` is what the small-numbers rule counts."""

    value: float
    low: float
    high: float
    method: str
    cases: float
    level: float = LEVEL

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.high


def wilson(numerator: float, denominator: float, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval of a proportion (0–1). Non-integer counts (FTE) are allowed."""
    if denominator <= 0:
        raise ValueError("a proportion needs a denominator above 0")
    if not 0 <= numerator <= denominator:
        raise ValueError(f"numerator {numerator} is outside 0..{denominator}")
    from statsmodels.stats.proportion import proportion_confint  # seconds to import: lazily

    low, high = proportion_confint(numerator, denominator, alpha=1 - level, method="wilson")
    return float(max(0.0, low)), float(min(1.0, high))


def poisson(count: float, exposure: float = 1.0, level: float = LEVEL) -> tuple[float, float]:
    """Exact (Garwood) Poisson interval of ``count`` events over ``exposure``."""
    if exposure <= 0:
        raise ValueError("a rate needs an exposure above 0")
    if count < 0:
        raise ValueError("a count cannot be negative")
    from statsmodels.stats.rates import confint_poisson

    low, high = confint_poisson(count, exposure, method="exact-c", alpha=1 - level)
    return float(low), float(high)


def rate_multiplier(kpi_id: str, unit: str | None) -> float:
    """What a rate KPI's numerator is multiplied by: ``cla_rate_per_10k`` → 10,000."""
    if unit != "rate":
        return 1.0
    found = re.search(r"_per_(\d+)(k?)$", kpi_id)
    if not found:
        return 1.0
    return float(found.group(1)) * (1000 if found.group(2) else 1)


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def kpi_interval(row: dict, kpi_id: str, unit: str | None, level: float = LEVEL):
    """The interval of one KPI value (a ``kpi_values`` row), or None when there is no
    figure or nothing to count (status other than ok, no numerator)."""
    if row.get("status") not in (None, "ok"):
        return None
    num, den = _number(row.get("numerator")), _number(row.get("denominator"))
    if num is None:
        return None
    if unit == "percent":
        if den is None or den <= 0:
            return None
        low, high = wilson(num, den, level)
        return Interval(100 * num / den, 100 * low, 100 * high, WILSON, den, level)
    if unit in ("rate", "ratio"):
        if den is None or den <= 0:
            return None
        multiplier = rate_multiplier(kpi_id, unit)
        events = num / multiplier
        low, high = poisson(events, den, level)
        return Interval(num / den, low * multiplier, high * multiplier, POISSON, events, level)
    low, high = poisson(num, 1.0, level)  # a count
    return Interval(num, low, high, POISSON, num, level)


def is_small(interval: Interval | None, threshold: float = DEFAULT_SMALL_NUMBERS) -> bool:
    """Fewer than ``threshold`` cases (denominator of a proportion, events of a rate)."""
    return interval is not None and interval.cases < threshold


def compare(
    interval: Interval | None,
    benchmark: float | None,
    polarity: str | None,
    unit: str | None,
    threshold: float = DEFAULT_SMALL_NUMBERS,
) -> str | None:
    """``better`` / ``worse`` / ``similar`` (``higher`` / ``lower`` with no better
    direction) against ``benchmark``; None when there is nothing to judge: no interval
    or benchmark, a count, or small numbers."""
    if interval is None or benchmark is None or unit == "count" or is_small(interval, threshold):
        return None
    if interval.contains(benchmark):
        return SIMILAR
    high = interval.low > benchmark
    if polarity == "higher":
        return BETTER if high else WORSE
    if polarity == "lower":
        return WORSE if high else BETTER
    return HIGHER if high else LOWER


def comparison_text(
    verdict: str | None,
    interval: Interval | None,
    unit: str | None,
    threshold: float,
    status: str | None = None,
) -> str:
    """What the district table says in its "compared with the LA" column (``status``: the
    row's; a figure disclosure control hid has no interval and is never compared)."""
    if status is not None and str(status).startswith("suppressed"):
        return SUPPRESSED_TEXT
    if verdict is not None:
        return COMPARISON_TEXT[verdict]
    if interval is None:
        return "–"
    if unit == "count":
        return NOT_COMPARED_COUNT
    if is_small(interval, threshold):
        return f"{SMALL_NUMBERS_TEXT} (fewer than {threshold:g} cases)"
    return "–"


def preload_in_background() -> threading.Thread:
    """Import the statistics libraries (statsmodels, scipy: seconds on a busy machine) in
    a background thread, so that the first KPI page after the server starts does not wait
    for them (``create_app`` calls this)."""

    def load() -> None:
        import scipy.optimize  # noqa: F401
        import statsmodels.stats.proportion
        import statsmodels.stats.rates  # noqa: F401

    thread = threading.Thread(target=load, name="csc-stats-import", daemon=True)
    thread.start()
    return thread


# ##### Funnel plots


def proportion_funnel(
    benchmark: float, denominator: float, level: float = 0.95
) -> tuple[float, float]:
    """Funnel limits (0–1) at ``denominator`` around a ``benchmark`` proportion (0–1):
    the proportions whose Wilson interval just reaches the benchmark (Fingertips'
    method: a district is outside the funnel when its interval excludes the benchmark)."""
    if not 0 <= benchmark <= 1:
        raise ValueError("the benchmark proportion must be within 0..1")
    from scipy.optimize import brentq

    n = float(denominator)

    def lower_gap(p: float) -> float:  # upper bound of p's interval minus the benchmark
        return wilson(p * n, n, level)[1] - benchmark

    def upper_gap(p: float) -> float:
        return wilson(p * n, n, level)[0] - benchmark

    low = 0.0 if lower_gap(0.0) >= 0 else brentq(lower_gap, 0.0, benchmark, xtol=1e-12)
    high = 1.0 if upper_gap(1.0) <= 0 else brentq(upper_gap, benchmark, 1.0, xtol=1e-12)
    return low, high


def rate_funnel_point(benchmark: float, events: float, level: float = 0.95):
    """The two points of the funnel for ``events`` events around a ``benchmark`` rate
    (events per unit of exposure): ((exposure, rate) on the lower limit, (exposure, rate)
    on the upper limit). The exposure at which ``events`` would be just significantly
    low is where the benchmark equals the upper exact Poisson limit of ``events``, and
    the other way round (Fingertips' Poisson funnels)."""
    if benchmark <= 0:
        raise ValueError("a rate funnel needs a benchmark above 0")
    low, high = poisson(events, 1.0, level)
    lower = (high / benchmark, events * benchmark / high)
    upper = (low / benchmark, events * benchmark / low) if low > 0 else (0.0, math.inf)
    return lower, upper
