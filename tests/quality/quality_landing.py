"""Landing folders written from the example extract of ``expectations/examples.py``.

A module with its own name (not ``conftest``) so that test modules can import it whatever
other ``conftest`` modules pytest has loaded."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from expectations.examples import world
from pipelines.lib.contract import LOCAL_TABLES, SSDA903_TABLES, TableSpec


def csv_text(spec: TableSpec, rows: list[dict], newline: str = "\n") -> str:
    lines = [",".join(spec.columns)]
    for row in rows:
        values = (row.get(c.lower()) for c in spec.columns)
        lines.append(",".join("" if v is None or pd.isna(v) else str(v) for v in values))
    return newline.join(lines) + newline


def world_csvs(tables: tuple[TableSpec, ...]) -> dict[str, str]:
    """The valid example extract, as the CSV text of each file."""
    frames = world()
    return {spec.name: csv_text(spec, frames[spec.name].to_dict("records")) for spec in tables}


WORLD_903 = world_csvs(SSDA903_TABLES)
WORLD_LOCAL = world_csvs(LOCAL_TABLES)


class Landing:
    """A landing folder under tmp_path with complete, valid extracts on demand."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    def _extract(self, folder: str, base: dict[str, str], overrides) -> Path:
        for name, content in {**base, **overrides}.items():
            if content is not None:
                file = name if "." in name else f"{name}.csv"
                self.write(f"{folder}/{file}", content)
        return self.root / folder

    def extract_903(self, la: str, date: str, year: str = "2024-25", **overrides) -> Path:
        """Every 903 file of the example extract; ``table=None`` leaves one out."""
        return self._extract(f"{la}/ssda903/{year}/{date}", WORLD_903, overrides)

    def extract_local(self, la: str, date: str, **overrides) -> Path:
        return self._extract(f"{la}/local/{date}", WORLD_LOCAL, overrides)


RETURN_HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
RETURN_EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,"
    "URN\n"
)
RETURN_MISSING = "CHILD,DOB,MISSING,MIS_START,MIS_END\n"


def final_return(
    landing: Landing,
    la: str,
    year: str,
    date: str,
    children: list[str],
    episodes: list[str],
    missing: list[str] = (),
) -> None:
    """A 903 return written by the test: header, episodes and missing rows as given (CSV
    lines without the header row), no OC3 rows."""
    for name, text in {
        "header": RETURN_HEADER + "".join(f"{c}\n" for c in children),
        "episodes": RETURN_EPISODES + "".join(f"{e}\n" for e in episodes),
        "missing": RETURN_MISSING + "".join(f"{m}\n" for m in missing),
        "oc3": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n",
    }.items():
        landing.write(f"{la}/ssda903/{year}/{date}/{name}.csv", text)


def ids_across_years(landing: Landing, la: str) -> None:
    """Three final returns of ``la``. 2022-23: C3. 2023-24: C1, and C9 still looked after on
    31 March 2024 (open episode). 2024-25: C9 is gone and C5 is new with C9's DOB and SEX
    (CSC-HEADER-ID-CHANGED), C3 is back (CSC-HEADER-ID-GAP), 5000006 is new and shaped
    like no other ID of the LA (CSC-HEADER-ID-SHAPE)."""
    final_return(landing, la, "2022-23", "2023-05-31", ["C3,2,15/06/2006,MWBC,UN2,,"], [])
    final_return(
        landing,
        la,
        "2023-24",
        "2024-05-31",
        ["C1,1,01/01/2010,WBRI,UN1,,", "C9,1,01/03/2013,WBRI,UN5,,"],
        ["C9,01/06/2023,S,V2,N1,U4,PR1,,,,,,"],
    )
    final_return(
        landing,
        la,
        "2024-25",
        "2025-05-31",
        [
            "C1,M,01/01/2010,WBRI,UN1,,",
            "C5,M,01/03/2013,WBRI,UN5,,",
            "C3,F,15/06/2006,MWBC,UN2,,",
            "5000006,F,01/02/2011,WBRI,UN1,,",
        ],
        ["C5,01/04/2024,S,V2,N1,U4,PR1,,,,,,"],
    )
