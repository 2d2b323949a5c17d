"""Find the extracts in the landing folder (data contract, "Landing folder"), safely.

``<landing>/<la_code>/ssda903/<collection_year>/<extract_date>/<table>.csv`` and
``<landing>/<la_code>/local/<extract_date>/<table>.csv``. Pure functions over the file
system: nothing here touches the warehouse, and nothing here opens a file.

Safety: the scan lists folders with ``os.scandir`` and never follows a symbolic link (a
link, to a file or a folder, inside the landing folder or out of it, is reported and
skipped: ``LANDING-SYMLINK``), and every folder it goes into is checked to resolve inside
the landing folder. Anything the contract has no place for is *listed, not read*: reported
with its path and a rule code (``expectations/structural.py``), so the data-quality page can
show it. Names starting with ``.`` or ``_`` are the machine's or the generator's (``.DS_Store``,
``_synth.json``) and are skipped silently.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lib.contract import LOCAL_TABLES, SSDA903_TABLES, Source, TableSpec

LA_CODE = re.compile(r"^\d{3}$")
_TABLE_FILES = {t.file_name for t in (*SSDA903_TABLES, *LOCAL_TABLES)}
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
    """Something in the landing folder that is not an extract of the contract.

    ``severity`` error: rejected (its files are not loaded, and its LA, source and year show
    as blocked); warning: listed, not read. ``la_code``, ``source`` and ``collection_year``
    say which extracts it concerns, as far as its place in the folder tells.
    """

    path: Path
    message: str
    rule: str
    severity: str = "error"
    la_code: str | None = None
    source: str | None = None
    collection_year: str | None = None


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


def _hidden(name: str) -> bool:
    return name.startswith((".", "_"))


def inside(root: Path, path: Path) -> bool:
    """True when ``path``, with every link resolved, is ``root`` or below it."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


class _Scanner:
    """One walk of the landing folder: collects extracts and problems."""

    def __init__(self, root: Path, scan: LandingScan):
        self.root = root
        self.scan = scan

    def problem(self, path: Path, message: str, rule: str, severity: str = "error", **where):
        self.scan.problems.append(LandingProblem(path, message, rule, severity, **where))

    def entries(self, folder: Path, **where) -> list[os.DirEntry]:
        """The visible entries of ``folder`` by name; a folder that cannot be listed, or that
        resolves outside the landing folder, is reported and yields nothing."""
        if not inside(self.root, folder):
            self.problem(folder, "resolves outside the landing folder; not read",
                         "LANDING-OUTSIDE", **where)  # fmt: skip
            return []
        try:
            with os.scandir(folder) as it:
                found = [e for e in it if not _hidden(e.name)]
        except OSError as exc:
            self.problem(folder, f"cannot be listed: {exc.strerror}", "LANDING-UNREADABLE", **where)
            return []
        return sorted(found, key=lambda e: e.name)

    def is_link(self, entry: os.DirEntry, **where) -> bool:
        """Report a symbolic link (never followed); True if ``entry`` is one."""
        if not entry.is_symlink():
            return False
        try:
            target = os.readlink(entry.path)
        except OSError:
            target = "?"
        kind = "folder" if os.path.isdir(entry.path) else "file"
        self.problem(
            Path(entry.path),
            f"is a symbolic link (to {target}); links are never followed, so nothing it points "
            f"to is read: copy the {kind} itself into the landing folder",
            "LANDING-SYMLINK",
            **where,
        )
        return True

    def walk(self, la_codes: list[str] | None) -> None:
        for entry in self.entries(self.root):
            path = Path(entry.path)
            la = entry.name if LA_CODE.match(entry.name) else None
            if self.is_link(entry, la_code=la):
                continue
            if la is None or not entry.is_dir(follow_symlinks=False):
                self.problem(
                    path,
                    "not an LA folder (expected a three-digit DfE LA code); listed, not read",
                    "LANDING-LA-FOLDER",
                    "warning",
                )
                continue
            if la_codes is not None and la not in la_codes:
                continue
            self.la_folder(path, la)

    def la_folder(self, folder: Path, la: str) -> None:
        for entry in self.entries(folder, la_code=la):
            path = Path(entry.path)
            source = entry.name if entry.name in ("ssda903", "local") else None
            if self.is_link(entry, la_code=la, source=source):
                continue
            if source is None or not entry.is_dir(follow_symlinks=False):
                self.problem(
                    path,
                    "not part of the data contract (an LA folder holds the folders 'ssda903' "
                    "and 'local'); listed, not read",
                    "LANDING-UNKNOWN-ENTRY",
                    "warning",
                    la_code=la,
                )
            elif source == "ssda903":
                self.years(path, la)
            else:
                self.extract_folders(path, la, "local", None)

    def years(self, folder: Path, la: str) -> None:
        for entry in self.entries(folder, la_code=la, source="ssda903"):
            path = Path(entry.path)
            year = entry.name if _valid_collection_year(entry.name) else None
            where = {"la_code": la, "source": "ssda903", "collection_year": year}
            if self.is_link(entry, **where):
                continue
            if not entry.is_dir(follow_symlinks=False):
                self.misplaced(path, f"{la}/ssda903/<collection year>/<extract date>/", **where)
            elif year is None:
                self.problem(
                    path,
                    f"{entry.name!r} is not a collection year (YYYY-YY, e.g. 2024-25); its "
                    "files were not loaded: rename the folder to the year its extracts are for",
                    "LANDING-COLLECTION-YEAR",
                    **where,
                )
            else:
                self.extract_folders(path, la, "ssda903", year)

    def extract_folders(self, folder: Path, la: str, source: Source, year: str | None) -> None:
        where = {"la_code": la, "source": source, "collection_year": year}
        for entry in self.entries(folder, **where):
            path = Path(entry.path)
            if self.is_link(entry, **where):
                continue
            if not entry.is_dir(follow_symlinks=False):
                parent = f"{la}/ssda903/{year}" if year else f"{la}/local"
                self.misplaced(path, f"{parent}/<extract date>/", **where)
                continue
            try:
                date = dt.date.fromisoformat(entry.name)
            except ValueError:
                self.problem(
                    path,
                    f"folder name {entry.name!r} is not an extract date (YYYY-MM-DD, a real "
                    "date); its files were not loaded: rename the folder to the date the "
                    "extract was run",
                    "LANDING-EXTRACT-DATE",
                    **where,
                )
                continue
            if year is not None and date < collection_year_bounds(year)[0]:
                self.problem(
                    path,
                    f"extract date {date} is before the start of collection year {year}; its "
                    "files were not loaded: move the folder to the right year",
                    "LANDING-EXTRACT-DATE",
                    **where,
                )
                continue
            self.scan.extracts.append(Extract(la, source, year, date, path))

    def misplaced(self, path: Path, expected: str, **where) -> None:
        """A file where the contract expects a folder: rejected if it is named as a table of
        the contract (an extract's file in the wrong place), else listed, not read."""
        if path.name.lower() in _TABLE_FILES:
            self.problem(
                path,
                f"a file of the contract in the wrong place: an extract's files go in "
                f"{expected}{path.name}; not read",
                "LANDING-MISPLACED-FILE",
                **where,
            )
        else:
            self.problem(
                path,
                f"not part of the data contract (extracts are folders: {expected}); listed, "
                "not read",
                "LANDING-UNKNOWN-ENTRY",
                "warning",
                **where,
            )


def la_folders(root: Path) -> list[str]:
    """The LA codes that have a folder in the landing folder (the pipeline's partitions).

    A symbolic link named like an LA code is not an LA folder (it is never followed)."""
    if not root.is_dir():
        return []
    with os.scandir(root) as it:
        return sorted(
            e.name
            for e in it
            if not _hidden(e.name) and LA_CODE.match(e.name) and e.is_dir(follow_symlinks=False)
        )


def scan_landing(root: Path, la_codes: list[str] | None = None) -> LandingScan:
    """Every extract folder under ``root`` (optionally only some LAs), and every problem.

    Entries at the top of the landing folder are always looked at (they belong to no LA
    partition), whichever LAs are scanned.
    """
    scan = LandingScan()
    root = Path(root)
    if not root.is_dir():
        scan.problems.append(
            LandingProblem(root, "landing folder does not exist", "LANDING-MISSING")
        )
        return scan
    _Scanner(root, scan).walk(la_codes)
    return scan
