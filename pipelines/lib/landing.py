"""Find the extracts in the landing folder (data contract, "Landing folder").

``<landing>/<la_code>/ssda903/<collection_year>/<extract_date>/<table>.csv`` and
``<landing>/<la_code>/local/<extract_date>/<table>.csv``. Pure functions over the file
system: nothing here touches the warehouse.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lib.contract import LOCAL_TABLES, SSDA903_TABLES, Source, TableSpec

LA_CODE = re.compile(r"^\d{3}$")
COLLECTION_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Extract:
    """One extract folder: a run of the 903 return for a year, or a local snapshot."""

    la_code: str
    source: Source
    collection_year: str | None
    extract_date: dt.date
    folder: Path

    @property
    def tables(self) -> tuple[TableSpec, ...]:
        return SSDA903_TABLES if self.source == "ssda903" else LOCAL_TABLES

    @property
    def label(self) -> str:
        year = f"{self.collection_year}/" if self.collection_year else ""
        return f"{self.la_code}/{self.source}/{year}{self.extract_date.isoformat()}"


@dataclass(frozen=True)
class LandingProblem:
    """Something in the landing folder that is not an extract of the contract."""

    path: Path
    message: str
    severity: str = "error"  # error: ignored and reported; warning: reported only


@dataclass
class LandingScan:
    extracts: list[Extract] = field(default_factory=list)
    problems: list[LandingProblem] = field(default_factory=list)

    def la_codes(self) -> list[str]:
        return sorted({e.la_code for e in self.extracts})


def collection_year_bounds(collection_year: str) -> tuple[dt.date, dt.date]:
    """1 April to 31 March of a ``YYYY-YY`` collection year."""
    m = COLLECTION_YEAR.match(collection_year)
    if not m:
        raise ValueError(f"{collection_year!r} is not a collection year (YYYY-YY)")
    start = int(m.group(1))
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def _valid_collection_year(name: str) -> bool:
    m = COLLECTION_YEAR.match(name)
    return bool(m) and (int(m.group(1)) + 1) % 100 == int(m.group(2))


def _parse_extract_date(folder: Path) -> tuple[dt.date | None, str | None]:
    try:
        return dt.date.fromisoformat(folder.name), None
    except ValueError:
        return None, (
            f"folder name {folder.name!r} is not an extract date (YYYY-MM-DD); "
            "its files were not loaded"
        )


def _hidden(p: Path) -> bool:
    return p.name.startswith((".", "_"))


def _scan_extract_folders(
    parent: Path, la_code: str, source: Source, year: str | None, scan: LandingScan
) -> None:
    for folder in sorted(p for p in parent.iterdir() if not _hidden(p)):
        if not folder.is_dir():
            scan.problems.append(LandingProblem(folder, "unexpected file; extracts are folders"))
            continue
        date, problem = _parse_extract_date(folder)
        if problem:
            scan.problems.append(LandingProblem(folder, problem))
            continue
        assert date is not None
        if year is not None and date < collection_year_bounds(year)[0]:
            scan.problems.append(
                LandingProblem(
                    folder, f"extract date {date} is before the start of collection year {year}"
                )
            )
            continue
        scan.extracts.append(Extract(la_code, source, year, date, folder))


def la_folders(root: Path) -> list[str]:
    """The LA codes that have a folder in the landing folder (the pipeline's partitions)."""
    if not root.is_dir():
        return []
    return sorted(
        p.name for p in root.iterdir() if p.is_dir() and not _hidden(p) and LA_CODE.match(p.name)
    )


def scan_landing(root: Path, la_codes: list[str] | None = None) -> LandingScan:
    """Every extract folder under ``root`` (optionally only some LAs), and every problem."""
    scan = LandingScan()
    if not root.is_dir():
        scan.problems.append(LandingProblem(root, "landing folder does not exist"))
        return scan
    for la_dir in sorted(p for p in root.iterdir() if not _hidden(p)):
        if not la_dir.is_dir() or not LA_CODE.match(la_dir.name):
            scan.problems.append(
                LandingProblem(
                    la_dir,
                    "not an LA folder (expected a three-digit DfE LA code); ignored",
                    severity="warning",
                )
            )
            continue
        if la_codes is not None and la_dir.name not in la_codes:
            continue
        for child in sorted(p for p in la_dir.iterdir() if not _hidden(p)):
            if child.name == "ssda903" and child.is_dir():
                for year_dir in sorted(p for p in child.iterdir() if not _hidden(p)):
                    if not year_dir.is_dir() or not _valid_collection_year(year_dir.name):
                        scan.problems.append(
                            LandingProblem(
                                year_dir, f"{year_dir.name!r} is not a collection year (YYYY-YY)"
                            )
                        )
                        continue
                    _scan_extract_folders(year_dir, la_dir.name, "ssda903", year_dir.name, scan)
            elif child.name == "local" and child.is_dir():
                _scan_extract_folders(child, la_dir.name, "local", None, scan)
            else:
                scan.problems.append(
                    LandingProblem(
                        child,
                        "unexpected entry; an LA folder holds 'ssda903' and 'local'",
                        severity="warning",
                    )
                )
    return scan
