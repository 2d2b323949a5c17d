"""A tiny raw warehouse with hand-computable section A outcomes.

Two LAs:

* ``850`` sends 903 returns for 2023-24 (extract 2024-05-10) and 2024-25 (extract
  2025-03-20) and a local extract on 2025-03-25 (the latest: the as-at date, so March
  2025 is partial and measured at 25/03/2025; an episode is due when MIS_END <= 22/03).
  Teams: T1 Havant, T2 Gosport, T3 County.
* ``851`` sends only a 903 return for 2024-25 (extract 2025-03-31): every local table is
  "not supplied" and every child is Unallocated.

Where the children of 850 belong (allocations x workers in post):

* C1, C2 -> SW1 (Havant) from 2023-01-01.
* C3 -> SW2 (Gosport), whose spell ends 2025-02-28: Unallocated from 2025-03-01.
* C4 -> SW1 from 2023-01-01 and SW4 (Gosport) from 2024-06-01: the later one wins.
* C5 -> SW1 and SW3 (County), both from 2024-01-01: tie to the smaller SW_ID, Havant.
* C6, C8 -> no allocation: Unallocated.  H1 (never looked after) -> SW1 from 2024-01-01.

The expected values are written out in test_section_a_kpis.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from pipelines.lib.contract import table_spec
from pipelines.lib.warehouse import ensure_raw_schema

LOADED_AT = dt.datetime(2025, 3, 26, 6, 0)

EXTRACTS_903 = {
    ("850", "2023-24"): dt.date(2024, 5, 10),
    ("850", "2024-25"): dt.date(2025, 3, 20),
    ("851", "2024-25"): dt.date(2025, 3, 31),
}
EXTRACTS_LOCAL = {"850": dt.date(2025, 3, 25)}

# ---------- SSDA903 rows: (la_code, collection_year) -> table -> rows (dicts, contract columns)
SSDA903 = {
    ("850", "2023-24"): {
        "header": [
            {"CHILD": c, "SEX": "1", "DOB": "01/01/2012"} for c in ("C1", "C2", "C3", "C4", "C7")
        ],
        "episodes": [
            {"CHILD": "C1", "DECOM": "01/01/2023", "RNE": "S", "LS": "C2", "PLACE": "U4"},
            {"CHILD": "C2", "DECOM": "15/06/2023", "RNE": "S", "LS": "C2", "PLACE": "U4"},
            {"CHILD": "C3", "DECOM": "01/02/2024", "RNE": "S", "LS": "V2", "PLACE": "U4"},
            {
                "CHILD": "C4",
                "DECOM": "01/04/2023",
                "RNE": "S",
                "LS": "C1",
                "PLACE": "U4",
                "DEC": "01/10/2023",
                "REC": "X1",
            },
            {"CHILD": "C4", "DECOM": "01/10/2023", "RNE": "P", "LS": "C2", "PLACE": "K2"},
            {
                "CHILD": "C7",
                "DECOM": "01/05/2023",
                "RNE": "S",
                "LS": "V3",
                "PLACE": "U4",
                "DEC": "05/05/2023",
                "REC": "E8",
            },
        ],
        "missing": [
            # open at the 2023-24 extract in this file; the 2024-25 row (ended) wins
            {"CHILD": "C1", "MISSING": "M", "MIS_START": "30/03/2024"},
        ],
    },
    ("850", "2024-25"): {
        "header": [
            {"CHILD": c, "SEX": "M", "DOB": "01/01/2012"}
            for c in ("C1", "C2", "C3", "C4", "C5", "C6", "C8")
        ],
        "episodes": [
            {"CHILD": "C1", "DECOM": "01/01/2023", "RNE": "S", "LS": "C2", "PLACE": "u5"},
            {
                "CHILD": "C2",
                "DECOM": "15/06/2023",
                "RNE": "S",
                "LS": "C2",
                "PLACE": "U4",
                "DEC": "31/12/2024",
                "REC": "E4A",
            },
            {"CHILD": "C3", "DECOM": "01/02/2024", "RNE": "S", "LS": "V2", "PLACE": "U4"},
            {"CHILD": "C4", "DECOM": "01/10/2023", "RNE": "P", "LS": "C2", "PLACE": "K2"},
            {"CHILD": "C5", "DECOM": "2024-05-01", "RNE": "S", "LS": "C2", "PLACE": "U4"},
            {"CHILD": "C6", "DECOM": "01/07/2024", "RNE": "S", "LS": "V2", "PLACE": "U4"},
            {"CHILD": "C8", "DECOM": "01/09/2024", "RNE": "S", "LS": "C2", "PLACE": "U4"},
        ],
        "missing": [
            {"CHILD": "C1", "MISSING": "M", "MIS_START": "30/03/2024", "MIS_END": "02/04/2024"},
            # March 2025, Havant, care
            {
                "CHILD": "C1",
                "MISSING": "M",
                "MIS_START": "01/03/2025",
                "MIS_END": "02/03/2025",
            },  # E1
            {
                "CHILD": "C1",
                "MISSING": "M",
                "MIS_START": "10/03/2025",
                "MIS_END": "11/03/2025",
            },  # E2
            {
                "CHILD": "C5",
                "MISSING": "M",
                "MIS_START": "2025-03-05",
                "MIS_END": "2025-03-06",
            },  # E3
            {
                "CHILD": "C5",
                "MISSING": "M",
                "MIS_START": "15/03/2025",
                "MIS_END": "22/03/2025",
            },  # E4
            {
                "CHILD": "C1",
                "MISSING": "M",
                "MIS_START": "20/03/2025",
                "MIS_END": "23/03/2025",
            },  # E5
            {
                "CHILD": "C1",
                "MISSING": "A",
                "MIS_START": "05/03/2025",
                "MIS_END": "05/03/2025",
            },  # E6
            {"CHILD": "C5", "MISSING": "M", "MIS_START": "24/03/2025"},  # E7
            {
                "CHILD": "C1",
                "MISSING": "M",
                "MIS_START": "12/03/2025",
                "MIS_END": "31/02/2025",
            },  # E8
            # February 2025, Gosport, care
            {"CHILD": "C4", "MISSING": "M", "MIS_START": "30/01/2025", "MIS_END": "01/02/2025"},
            {"CHILD": "C4", "MISSING": "M", "MIS_START": "28/02/2025", "MIS_END": "28/02/2025"},
            {"CHILD": "C3", "MISSING": "M", "MIS_START": "10/02/2025", "MIS_END": "12/02/2025"},
            # March 2025, Unallocated (worker left), care
            {"CHILD": "C3", "MISSING": "M", "MIS_START": "01/03/2025", "MIS_END": "03/03/2025"},
            # January 2025, Unallocated (no allocation), care
            {"CHILD": "C6", "MISSING": "M", "MIS_START": "10/01/2025", "MIS_END": "11/01/2025"},
            # still missing: counts only in missing_cla_pct
            {"CHILD": "C8", "MISSING": "M", "MIS_START": "20/03/2025"},
            # December 2024: unreadable RHI_DATE in its return interview record
            {"CHILD": "C5", "MISSING": "M", "MIS_START": "01/12/2024", "MIS_END": "02/12/2024"},
        ],
    },
    ("851", "2024-25"): {
        "header": [{"CHILD": "X1", "SEX": "F", "DOB": "01/01/2010"}],
        "episodes": [{"CHILD": "X1", "DECOM": "01/06/2024", "RNE": "S", "LS": "C2", "PLACE": "U4"}],
        "missing": [
            {"CHILD": "X1", "MISSING": "M", "MIS_START": "03/11/2024", "MIS_END": "04/11/2024"},
        ],
    },
}

# ---------- local rows of 850
LOCAL = {
    "teams": [
        {
            "TEAM_ID": "T1",
            "TEAM_NAME": "Havant CIC",
            "DISTRICT": "Havant",
            "SERVICE": "CHILDREN_IN_CARE",
        },
        {
            "TEAM_ID": "T2",
            "TEAM_NAME": "Gosport CIC",
            "DISTRICT": "Gosport",
            "SERVICE": "CHILDREN_IN_CARE",
        },
        {
            "TEAM_ID": "T3",
            "TEAM_NAME": "County Disability",
            "DISTRICT": "County",
            "SERVICE": "DISABILITY",
        },
    ],
    "workers": [
        {
            "SW_ID": "SW1",
            "TEAM_ID": "T1",
            "ROLE": "5",
            "FTE": "1.0",
            "AGENCY": "N",
            "START_DATE": "01/01/2020",
        },
        {
            "SW_ID": "SW2",
            "TEAM_ID": "T2",
            "ROLE": "5",
            "FTE": "0.8",
            "AGENCY": "Y",
            "START_DATE": "01/01/2020",
            "END_DATE": "28/02/2025",
        },
        {
            "SW_ID": "SW3",
            "TEAM_ID": "T3",
            "ROLE": "4",
            "FTE": "1.0",
            "AGENCY": "N",
            "START_DATE": "01/01/2020",
        },
        {
            "SW_ID": "SW4",
            "TEAM_ID": "T2",
            "ROLE": "5",
            "FTE": "1.0",
            "AGENCY": "N",
            "START_DATE": "01/01/2024",
        },
    ],
    "allocations": [
        {"CHILD": "C1", "SW_ID": "SW1", "CASE_TYPE": "CLA", "ALLOC_START": "01/01/2023"},
        {"CHILD": "C2", "SW_ID": "SW1", "CASE_TYPE": "CLA", "ALLOC_START": "01/01/2023"},
        {"CHILD": "C3", "SW_ID": "SW2", "CASE_TYPE": "CLA", "ALLOC_START": "01/01/2023"},
        {"CHILD": "C4", "SW_ID": "SW1", "CASE_TYPE": "CLA", "ALLOC_START": "01/01/2023"},
        {"CHILD": "C4", "SW_ID": "SW4", "CASE_TYPE": "CLA", "ALLOC_START": "01/06/2024"},
        {"CHILD": "C5", "SW_ID": "SW3", "CASE_TYPE": "CLA", "ALLOC_START": "01/01/2024"},
        {"CHILD": "C5", "SW_ID": "SW1", "CASE_TYPE": "CLA", "ALLOC_START": "01/01/2024"},
        {"CHILD": "H1", "SW_ID": "SW1", "CASE_TYPE": "CIN", "ALLOC_START": "01/01/2024"},
    ],
    "missing_from_home": [
        {"CHILD": "H1", "MISSING": "M", "MIS_START": "01/03/2025", "MIS_END": "02/03/2025"},
        {"CHILD": "H1", "MISSING": "A", "MIS_START": "10/03/2025", "MIS_END": "10/03/2025"},
        {"CHILD": "C2", "MISSING": "M", "MIS_START": "05/02/2025", "MIS_END": "06/02/2025"},
        # same key as care episode E1: the care row wins
        {"CHILD": "C1", "MISSING": "M", "MIS_START": "01/03/2025", "MIS_END": "04/03/2025"},
    ],
    "return_interviews": [
        {
            "CHILD": "C1",
            "MIS_START": "01/03/2025",
            "OFFERED": "Y",
            "ACCEPTED": "Y",
            "RHI_DATE": "05/03/2025",
        },
        {
            "CHILD": "C1",
            "MIS_START": "10/03/2025",
            "OFFERED": "Y",
            "ACCEPTED": "Y",
            "RHI_DATE": "15/03/2025",
        },
        {"CHILD": "C5", "MIS_START": "05/03/2025", "OFFERED": "Y", "ACCEPTED": "N"},
        {"CHILD": "C1", "MIS_START": "20/03/2025", "OFFERED": "Y"},
        {
            "CHILD": "C4",
            "MIS_START": "30/01/2025",
            "OFFERED": "Y",
            "ACCEPTED": "Y",
            "RHI_DATE": "03/02/2025",
        },
        {"CHILD": "C4", "MIS_START": "28/02/2025", "OFFERED": "N"},
        {
            "CHILD": "C3",
            "MIS_START": "01/03/2025",
            "OFFERED": "Y",
            "ACCEPTED": "Y",
            "RHI_DATE": "04/03/2025",
        },
        {
            "CHILD": "C6",
            "MIS_START": "10/01/2025",
            "OFFERED": "Y",
            "ACCEPTED": "Y",
            "RHI_DATE": "13/01/2025",
        },
        {
            "CHILD": "C5",
            "MIS_START": "01/12/2024",
            "OFFERED": "Y",
            "ACCEPTED": "Y",
            "RHI_DATE": "soon",
        },
        {"CHILD": "H1", "MIS_START": "01/03/2025", "OFFERED": "N"},
        {"CHILD": "C2", "MIS_START": "05/02/2025", "OFFERED": "Y", "ACCEPTED": "N"},
    ],
    # peps not supplied by 850's local extract (is_supplied = false)
}


def _insert(con, source, name, rows, lineage):
    spec = table_spec(source, name)
    columns = [c.lower() for c in spec.columns] + list(lineage)
    records = []
    for line, row in enumerate(rows, start=2):  # header = line 1
        values = [row.get(c) for c in spec.columns]
        values += [lineage[k] if k != "source_row" else line for k in lineage]
        records.append(values)
    if records:
        placeholders = ", ".join("?" for _ in columns)
        con.executemany(
            f"insert into {spec.raw_table} ({', '.join(columns)}) values ({placeholders})", records
        )
    return len(records)


def _extract_file(con, la, source, year, extract_date, table, rows, supplied=True):
    con.execute(
        "insert into raw_meta.extract_files (la_code, source, collection_year, extract_date,"
        " table_name, source_file, row_count, is_supplied, loaded_at)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            la,
            source,
            year,
            extract_date,
            table,
            f"{table}.csv" if supplied else None,
            rows,
            supplied,
            LOADED_AT,
        ],
    )


def build_raw_warehouse(path: Path) -> None:
    """Write the fixture's raw layer into a new DuckDB file at ``path``."""
    from pipelines.lib.contract import LOCAL_TABLES, SSDA903_TABLES

    con = duckdb.connect(str(path))
    try:
        ensure_raw_schema(con)
        for (la, year), tables in SSDA903.items():
            extract_date = EXTRACTS_903[(la, year)]
            for spec in SSDA903_TABLES:
                rows = tables.get(spec.name)
                supplied = rows is not None or spec.required_file
                lineage = {
                    "la_code": la,
                    "collection_year": year,
                    "extract_date": extract_date,
                    "source_file": f"{la}/ssda903/{year}/{extract_date}/{spec.file_name}",
                    "source_row": None,
                }
                n = _insert(con, "ssda903", spec.name, rows or [], lineage)
                _extract_file(con, la, "ssda903", year, extract_date, spec.name, n, supplied)
        for la, extract_date in EXTRACTS_LOCAL.items():
            for spec in LOCAL_TABLES:
                rows = LOCAL.get(spec.name)
                lineage = {
                    "la_code": la,
                    "extract_date": extract_date,
                    "source_file": f"{la}/local/{extract_date}/{spec.file_name}",
                    "source_row": None,
                }
                n = _insert(con, "local", spec.name, rows or [], lineage)
                _extract_file(con, la, "local", None, extract_date, spec.name, n, rows is not None)
    finally:
        con.close()
