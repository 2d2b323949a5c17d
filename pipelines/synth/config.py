"""Parameters of one generator run, and the calendar of extracts they imply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pipelines.lib.codesets import SW_EPISODES_FROM, year_label
from pipelines.settings import get_settings
from pipelines.synth.dates import d, month_end

#: When a past year's final return is extracted: 31 May after the year ends (or --as-at).
FINAL_EXTRACT_MONTH, FINAL_EXTRACT_DAY = 5, 31
#: How many monthly local snapshots are written (the latest ones).
LOCAL_SNAPSHOTS = 2


def default_as_at(today: date | None = None) -> date:
    """The last day of the month before ``today``."""
    today = today or date.today()
    return today.replace(day=1) - timedelta(days=1)


def default_out() -> Path:
    """The pipeline's landing folder: ``$CSC_LANDING_DIR``, else ``$CSC_DATA_DIR/landing``,
    else ``data/landing`` in the repository (``pipelines.settings``)."""
    return get_settings().landing_dir


@dataclass(frozen=True)
class SynthConfig:
    """Everything that decides the generator's output (jobs and quiet do not)."""

    out: Path = field(default_factory=default_out)
    las: tuple[str, ...] = ("850",)
    years: int = 5
    as_at: date = field(default_factory=default_as_at)
    seed: int = 42
    scale: float = 1.0
    defects: tuple[str, ...] = ()
    defect_rate: float = 0.01
    jobs: int = 1
    quiet: bool = False

    def __post_init__(self) -> None:
        if self.years < 1:
            raise ValueError("--years must be at least 1")
        if not 0 < self.scale <= 20:
            raise ValueError("--scale must be in (0, 20]")
        if not 0 <= self.defect_rate <= 1:
            raise ValueError("--defect-rate must be in [0, 1]")

    def parameters(self) -> dict[str, object]:
        """The output-deciding parameters, as written to ``_synth.json``."""
        return {
            "las": list(self.las),
            "years": self.years,
            "as_at": self.as_at.isoformat(),
            "seed": self.seed,
            "scale": self.scale,
            "defects": list(self.defects),
            "defect_rate": self.defect_rate if self.defects else 0.0,
        }


@dataclass(frozen=True)
class Extract:
    """One 903 folder: a collection year extracted on a date, covering 1 April to ``end``."""

    year: int  # collection year, as its start year
    extract_date: int  # ordinal
    coverage_end: int  # ordinal: min(extract_date, 31 March)

    @property
    def label(self) -> str:
        return year_label(self.year)

    @property
    def start(self) -> int:
        return d(self.year, 4, 1)

    @property
    def is_final(self) -> bool:
        return self.coverage_end == d(self.year + 1, 3, 31)

    @property
    def has_sw_episodes(self) -> bool:
        return self.year >= SW_EPISODES_FROM


@dataclass(frozen=True)
class Timeline:
    """Which collection years and extracts a run writes, and the simulated span."""

    as_at: int
    years: tuple[int, ...]
    extracts: tuple[Extract, ...]
    local_dates: tuple[int, ...]
    #: The local case system's history starts here: 1 April of the first 903 year (open
    #: cases are "migrated" that day), so every local record joins to the 903 data.
    local_start: int
    #: Periods of care are simulated from here, so that the first year starts in a steady state.
    burn_in_start: int

    @classmethod
    def build(cls, as_at: date, n_years: int) -> Timeline:
        current = as_at.year if as_at.month >= 4 else as_at.year - 1
        years = tuple(range(current - n_years + 1, current + 1))
        at = as_at.toordinal()
        extracts: list[Extract] = []
        for year in years[:-1]:
            final = d(year + 1, FINAL_EXTRACT_MONTH, FINAL_EXTRACT_DAY)
            extracts.append(Extract(year, min(final, at), d(year + 1, 3, 31)))
        for day in _month_ends(d(current, 4, 1), at):
            extracts.append(Extract(current, day, min(day, d(current + 1, 3, 31))))
        local = _month_ends(d(years[0], 4, 1), at)[-LOCAL_SNAPSHOTS:]
        return cls(
            as_at=at,
            years=years,
            extracts=tuple(extracts),
            local_dates=tuple(local),
            local_start=d(years[0], 4, 1),
            burn_in_start=d(years[0] - 19, 4, 1),
        )

    @property
    def first_day(self) -> int:
        return d(self.years[0], 4, 1)

    def year_index(self, day: int) -> int:
        """0 for the first collection year, clipped to the years written."""
        date_ = date.fromordinal(day)
        year = date_.year if date_.month >= 4 else date_.year - 1
        return min(max(year - self.years[0], 0), len(self.years) - 1)


def _month_ends(first: int, last: int) -> list[int]:
    """Month ends from the month of ``first`` up to ``last``; ``last`` closes the list."""
    out: list[int] = []
    day = date.fromordinal(first)
    year, month = day.year, day.month
    while True:
        end = month_end(year, month)
        if end >= last:
            out.append(last)
            return out
        out.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@dataclass
class Summary:
    """What a run wrote: returned by :func:`pipelines.synth.generate` and printed by the CLI."""

    parameters: dict[str, object]
    las: list[str]
    files: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    rows_by_la: dict[str, dict[str, int]] = field(default_factory=dict)
    defects: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        """Everything but the wall time, so that reruns write byte-identical files."""
        return {
            "parameters": self.parameters,
            "las": self.las,
            "files": self.files,
            "rows": dict(sorted(self.rows.items())),
            "rows_by_la": {
                la: dict(sorted(r.items())) for la, r in sorted(self.rows_by_la.items())
            },
            "defects": self.defects,
        }
