"""Volume and distribution bands: how far an extract may move from the previous accepted
extract of the same LA (and, for the 903, the same collection year) before the data
engineer is told. The one place to change them; reviewed like code.

The checks themselves are in ``pipelines/lib/volume.py``; their rule codes, outcomes and
fixes in ``expectations/structural.py``. Every finding is a warning except two:

- a table that had rows and now has none (``VOLUME-EMPTY``) blocks the extract until the
  file is confirmed empty with the setting ``CSC_CONFIRM_EMPTY`` (a silent collapse of a
  KPI to zero is worse than a late one);
- a file with many times the rows it had (``VOLUME-SURGE``), or more than any LA's table
  can hold (``FILE-TOO-LARGE``), is rejected from its line count before it is parsed, so a
  padded or duplicated file never costs the run more memory than a normal one.

The first extract of a collection year is not compared with the previous year's return: it
covers a month or two, so every table would look like a collapse.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    """Rows may fall by ``fall`` or rise by ``rise`` (shares of the previous count) before a
    ``VOLUME-ROWS`` warning; tables with fewer than ``min_rows`` rows before are not banded
    (a handful of adoptions moves by half from one month to the next)."""

    fall: float = 0.5  # -50 %
    rise: float = 1.0  # +100 %
    min_rows: int = 20


DEFAULT_BAND = Band()
#: Tables whose monthly volume moves more (or less) than most.
BANDS: dict[str, Band] = {
    # A 903 re-extract of the same year only grows; a fall of a quarter is already odd.
    "header": Band(fall=0.25, rise=1.0),
    "episodes": Band(fall=0.25, rise=1.0),
    # Local snapshots hold the full history: they grow slowly and never shrink by much.
    "allocations": Band(fall=0.25, rise=0.5),
    "peps": Band(fall=0.25, rise=0.5),
    "teams": Band(fall=0.3, rise=0.5, min_rows=10),
    "workers": Band(fall=0.3, rise=0.5),
}


def band(table: str) -> Band:
    return BANDS.get(table, DEFAULT_BAND)


#: A column's blank share may rise by this many percentage points (0.25 = 25 points) before
#: a ``VOLUME-BLANKS`` warning, in tables with at least ``BLANK_MIN_ROWS`` rows both times.
BLANK_JUMP = 0.25
BLANK_MIN_ROWS = 50

#: The event date of each table, counted per calendar month for ``VOLUME-MONTH-GAP``: a
#: complete month the new extract covers, with no events, where the previous accepted
#: extract had at least ``MONTH_GAP_MIN_EVENTS``.
EVENT_DATES: dict[str, str] = {
    "episodes": "decom",
    "reviews": "review",
    "missing": "mis_start",
    "sw_episodes": "sw_decom",
    "allocations": "alloc_start",
    "missing_from_home": "mis_start",
    "return_interviews": "mis_start",
    "peps": "pep_date",
}
MONTH_GAP_MIN_EVENTS = 5

#: A file with more than ``SURGE_FACTOR`` times the rows of the same table in the previous
#: accepted extract, and more than ``SURGE_MIN_ROWS`` lines, is rejected before parsing.
SURGE_FACTOR = 5.0
SURGE_MIN_ROWS = 50_000
#: No one LA's table holds this many rows (Hampshire's largest, the full history of
#: allocations, has about 70,000); a bigger file is rejected before parsing.
MAX_FILE_ROWS = 1_000_000
