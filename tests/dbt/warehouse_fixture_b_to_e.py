"""A third LA, ``852``, whose section B-E outcomes are computed by hand.

Added to the section A fixture (``warehouse_fixture.py``) as its own LA, so that section A's
hand-computed values do not move. The expected values, and how each is worked out, are in
``test_dbt_sections_b_to_e.py``.

Extracts: 903 returns for 2023-24 (final, extract 31/05/2024: no reviews.csv) and 2024-25
(extract 28/02/2025: no oc2.csv), and a local extract on 10/03/2025, the as-at date. March
2025 is partial (measured at Monday 10/03/2025); the current term is spring (from 01/01/2025)
and the current collection year 2024-25 (measured at 10/03/2025; the OC3 in-year cutoff is
the 903 extract date, 28/02/2025).

Teams: A1 North, A2 South, A3 County. Workers:

* W1 North, ROLE 5, FTE 1.0.   W2 South, ROLE 4, FTE 0.5, agency.
* W3 North, ROLE 5, FTE blank (adds cases but no FTE).   W4 County, ROLE 3 (a manager).
* W5 North (FTE 1.0) from 2022 and South (FTE 0.6) from 01/02/2025: both spells in post, the
  one that started last wins (reading 10).
* W6 South, FTE 1.0, left on 28/02/2025 (END_DATE inclusive).

Children looked after (K...), DOB and what they test:

* K1 (15/05/2012): in care since 01/09/2022 (before the data: reading 16); placements S, P,
  L (continues), T in the last 12 months.
* K2 (10/10/2014): entered 03/02/2025; initial PEP exactly on the 10th working day.
* K3 (01/09/2008): Year 11 though 16 on d; episode ending 10/03/2024 = the first day of
  March 2025's 12-month window; one review 10/12/2024 (due 10/03/2025 = d).
* K4 (31/08/2008): 16 on 31/08/2024, not school age; one review 30/11/2024 (due 28/02/2025).
* K6 (05/06/2013): entered Tuesday 24/12/2024: Christmas bank holidays in the 10/20 days.
* K7 (20/11/2011): the earliest episode overlapping the window is an L episode (+1).
* K8 (14/02/2013): entered 24/02/2025, 10th working day = the as-at date; allocated to W6,
  who then left.
* K9 (12/12/2012): in care 06/01-10/01/2025, left before the 10th working day.
* K10 (02/02/2011): entered 13/01/2025, initial PEP one working day late; a review dated
  before the period (not counted).
* K11 (01/07/2007): never allocated (an allocation line with an unreadable ALLOC_START).
* K12 (01/01/2015): only a V3 short break.
* K13 (15/09/2020): placed for adoption (A5).   K14 (01/03/2010): same placement since 2021
  through an L episode.

Care leavers (L...) in OC3 2024-25: L1 (17-18, YES F2 D1), L2 (29/02/2004: 21st birthday
28/02/2025 = the extract date; NREQ 0 0), L3 (birthday 05/03/2025, after the extract),
L4 (19-21, YES G5 S2), L5 (RHOM), L6 (17-18, REFU 0 0), L7 (aged 23), L8 (DIED), L9 (19-21,
NO P5 B1). OC3 2023-24: L1 (17, YES F1 D1), L10 (18, NO G6 X2).

Children N01-N20 are children in need allocated to W1 and W6 (caseload only).

Placement location (kpis.md F): the open 2024-25 episodes carry real postcodes of the ONS
Postcode Directory (eastings and northings, OSGB36, in test_dbt_sections_b_to_e.py), so
``add_la_852`` also builds the reference tables from the package, as the pipeline does:
K1 SO15 1BA -> PO1 2AL (Portsmouth), K2 SO14 7LY -> XXXXXXX (a placeholder), K3 SO14 7LY ->
S1 2HH (Sheffield, a 2025 code), K4 SO15 1BA -> BT1 5GS (Belfast, Irish Grid), K6 (no home
postcode) -> SO23 8UJ (Winchester, Hampshire), K7 SO19 9BJ -> HG1 2RH (North Yorkshire,
created 2023), K8 SO14 7LY -> (blank), K10 "so15 1ba" -> " so14  7ly" (Southampton),
K11 SO16 4GX -> TA1 1HE (Somerset, created 2023), K13 SO18 2NU -> CA3 8QG (Cumberland,
created 2023), K14 SO17 1BJ -> SO16 4GX (Southampton).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from warehouse_fixture import _extract_file, _insert

from pipelines.lib.contract import LOCAL_TABLES, SSDA903_TABLES
from pipelines.lib.postcodes import build_reference

LA = "852"
EXTRACTS_903 = {"2023-24": dt.date(2024, 5, 31), "2024-25": dt.date(2025, 2, 28)}
LOCAL_EXTRACT = dt.date(2025, 3, 10)

DOBS = {
    "K1": "15/05/2012",
    "K2": "10/10/2014",
    "K3": "01/09/2008",
    "K4": "31/08/2008",
    "K6": "05/06/2013",
    "K7": "20/11/2011",
    "K8": "14/02/2013",
    "K9": "12/12/2012",
    "K10": "02/02/2011",
    "K11": "01/07/2007",
    "K12": "01/01/2015",
    "K13": "15/09/2020",
    "K14": "01/03/2010",
    "L1": "15/06/2006",
    "L2": "29/02/2004",
    "L3": "05/03/2006",
    "L4": "01/04/2005",
    "L5": "10/10/2003",
    "L6": "20/07/2007",
    "L7": "12/12/2001",
    "L8": "01/11/2004",
    "L9": "03/05/2005",
    "L10": "20/01/2006",
}


def _header(children):
    return [{"CHILD": c, "SEX": "F", "DOB": DOBS[c]} for c in children]


def _episode(child, decom, rne, ls, place, dec=None, rec=None, home=None, placed=None):
    row = {"CHILD": child, "DECOM": decom, "RNE": rne, "LS": ls, "PLACE": place}
    if dec:
        row.update({"DEC": dec, "REC": rec or "X1"})
    if home:
        row["HOME_POST"] = home
    if placed:
        row["PL_POST"] = placed
    return row


def _oc3(child, in_touch, activ, accom):
    return {
        "CHILD": child,
        "DOB": DOBS[child],
        "IN_TOUCH": in_touch,
        "ACTIV": activ,
        "ACCOM": accom,
    }


SSDA903 = {
    "2023-24": {
        "header": _header(["K1", "K3", "K4", "K7", "K13", "K14", "L1", "L10"]),
        "episodes": [
            _episode("K1", "01/09/2022", "S", "C2", "U4"),
            _episode("K3", "01/05/2023", "S", "C2", "U4", "10/03/2024"),
            _episode("K3", "10/03/2024", "P", "C2", "U5"),
            _episode("K4", "01/01/2024", "S", "V2", "U4"),
            _episode("K7", "01/01/2023", "S", "C1", "U4", "01/02/2024"),
            _episode("K7", "01/02/2024", "L", "C2", "U4"),
            _episode("K13", "20/09/2020", "S", "C2", "U4", "01/02/2024"),
            _episode("K13", "01/02/2024", "P", "E1", "A5"),
            _episode("K14", "01/01/2021", "S", "C2", "U1", "01/06/2023"),
            _episode("K14", "01/06/2023", "L", "E1", "U1"),
        ],
        "missing": [],
        "oc3": [_oc3("L1", "YES", "F1", "D1"), _oc3("L10", "NO", "G6", "X2")],
        "oc2": [
            {
                "CHILD": "K1",
                "DOB": DOBS["K1"],
                "HEALTH_ASSESSMENT": "1",
                "TEETH_CHECK": "1",
                "IMMUNISATIONS": "1",
            },
            {
                "CHILD": "K13",
                "DOB": DOBS["K13"],
                "HEALTH_ASSESSMENT": "1",
                "TEETH_CHECK": "0",
                "IMMUNISATIONS": "1",
            },
            {"CHILD": "K14", "DOB": DOBS["K14"], "HEALTH_ASSESSMENT": "0", "TEETH_CHECK": "1"},
        ],
        # no reviews.csv: cla_review_in_date_pct is not supplied for April 2023 - March 2024
    },
    "2024-25": {
        "header": _header(
            [f"K{i}" for i in (1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14)]
            + [f"L{i}" for i in range(1, 10)]
        ),
        "episodes": [
            _episode("K1", "01/09/2022", "S", "C2", "U4", "01/06/2024"),
            _episode("K1", "01/06/2024", "P", "C2", "U5", "01/10/2024"),
            _episode("K1", "01/10/2024", "L", "E1", "U5", "15/01/2025"),
            _episode("K1", "15/01/2025", "T", "E1", "U6", home="SO15 1BA", placed="PO1 2AL"),
            _episode("K2", "03/02/2025", "S", "V2", "U4", home="SO14 7LY", placed="XXXXXXX"),
            _episode("K3", "10/03/2024", "P", "C2", "U5", "01/09/2024"),
            _episode("K3", "01/09/2024", "T", "C2", "U6", home="SO14 7LY", placed="S1 2HH"),
            _episode("K4", "01/01/2024", "S", "V2", "U4", "01/07/2024"),
            _episode("K4", "01/07/2024", "P", "V2", "R1", home="SO15 1BA", placed="BT1 5GS"),
            _episode("K6", "24/12/2024", "S", "V2", "U4", placed="SO23 8UJ"),
            _episode("K7", "01/02/2024", "L", "C2", "U4", "01/06/2024"),
            _episode("K7", "01/06/2024", "P", "C2", "U5", "01/10/2024"),
            _episode("K7", "01/10/2024", "B", "E1", "K2", home="SO19 9BJ", placed="HG1 2RH"),
            _episode("K8", "24/02/2025", "S", "V2", "U4", home="SO14 7LY"),
            _episode("K9", "06/01/2025", "S", "V2", "U4", "10/01/2025", "E4A"),
            _episode("K10", "13/01/2025", "S", "C1", "U4", home="so15 1ba", placed=" so14  7ly"),
            _episode("K11", "01/06/2024", "S", "V2", "U4", home="SO16 4GX", placed="TA1 1HE"),
            _episode("K12", "01/02/2025", "S", "V3", "U4", "03/02/2025", "E8"),
            _episode("K13", "01/02/2024", "P", "E1", "A5", home="SO18 2NU", placed="CA3 8QG"),
            _episode("K14", "01/06/2023", "L", "E1", "U1", home="SO17 1BJ", placed="SO16 4GX"),
        ],
        "reviews": [
            {"CHILD": c, "DOB": DOBS[c], "REVIEW": d, "REVIEW_CODE": "PN1"}
            for c, d in [
                ("K1", "01/10/2024"),
                ("K1", "20/12/2024"),
                ("K2", "31/02/2025"),  # unreadable: left out
                ("K3", "10/12/2024"),
                ("K4", "30/11/2024"),
                ("K6", "20/01/2025"),
                ("K7", "15/06/2024"),
                ("K7", "15/12/2024"),
                ("K10", "05/01/2025"),  # before K10's period of care: not counted
                ("K11", "20/06/2024"),
                ("K11", "15/09/2024"),
                ("K13", "01/09/2024"),
                ("K13", "20/02/2025"),
                ("K14", "01/05/2024"),
                ("K14", "01/11/2024"),
            ]
        ],
        "missing": [],
        "oc3": [
            _oc3("L1", "YES", "F2", "D1"),
            _oc3("L2", "NREQ", "0", "0"),
            _oc3("L3", "YES", "F1", "D1"),
            _oc3("L4", "YES", "G5", "S2"),
            _oc3("L5", "RHOM", "0", "0"),
            _oc3("L6", "REFU", "0", "0"),
            _oc3("L7", "YES", "F5", "U1"),
            _oc3("L8", "DIED", "0", "0"),
            _oc3("L9", "NO", "P5", "B1"),
        ],
        # no oc2.csv: the health KPIs of 2024-25 are not supplied
    },
}


def _allocation(child, sw_id, start, end=None, case_type="CLA"):
    row = {"CHILD": child, "SW_ID": sw_id, "CASE_TYPE": case_type, "ALLOC_START": start}
    if end:
        row["ALLOC_END"] = end
    return row


def _worker(sw_id, team, role, fte, agency, start, end=None):
    row = {
        "SW_ID": sw_id,
        "TEAM_ID": team,
        "ROLE": role,
        "FTE": fte,
        "AGENCY": agency,
        "START_DATE": start,
    }
    if end:
        row["END_DATE"] = end
    return row


def _pep(child, date, pep_type, status, quality=None):
    return {
        "CHILD": child,
        "PEP_DATE": date,
        "PEP_TYPE": pep_type,
        "STATUS": status,
        "QUALITY": quality,
    }


LOCAL = {
    "teams": [
        {
            "TEAM_ID": "A1",
            "TEAM_NAME": "North CIC",
            "DISTRICT": "North",
            "SERVICE": "CHILDREN_IN_CARE",
        },
        {
            "TEAM_ID": "A2",
            "TEAM_NAME": "South CIC",
            "DISTRICT": "South",
            "SERVICE": "CHILDREN_IN_CARE",
        },
        {
            "TEAM_ID": "A3",
            "TEAM_NAME": "County Disability",
            "DISTRICT": "County",
            "SERVICE": "DISABILITY",
        },
    ],
    "workers": [
        _worker("W1", "A1", "5", "1.0", "N", "01/01/2020"),
        _worker("W2", "A2", "4", "0.5", "Y", "01/06/2023"),
        _worker("W3", "A1", "5", None, "N", "01/01/2024"),
        _worker("W4", "A3", "3", "1.0", "N", "01/01/2020"),
        _worker("W5", "A1", "5", "1.0", "N", "01/01/2022"),
        _worker("W5", "A2", "5", "0.6", "N", "01/02/2025"),
        _worker("W6", "A2", "5", "1.0", "N", "01/01/2020", "28/02/2025"),
    ],
    "allocations": [
        _allocation("K1", "W1", "01/09/2022"),
        _allocation("K3", "W1", "01/05/2023"),
        _allocation("K14", "W1", "01/01/2021"),
        _allocation("L2", "W1", "28/02/2025", case_type="CARE_LEAVER"),
        *[_allocation(f"N{i:02d}", "W1", "01/01/2025", case_type="CIN") for i in range(1, 17)],
        _allocation("N19", "W1", "01/01/2025", "28/02/2025", case_type="CIN"),
        _allocation("N18", "W1", "10/03/2025", case_type="CIN"),
        _allocation("K9", "W1", "01/01/2025", "10/01/2025"),
        _allocation("L1", "W2", "01/01/2024", case_type="CARE_LEAVER"),
        _allocation("K2", "W2", "03/02/2025"),
        _allocation("K7", "W2", "01/06/2023"),
        _allocation("K13", "W2", "01/06/2023"),
        _allocation("K6", "W3", "24/12/2024"),
        _allocation("K4", "W4", "01/01/2024"),
        _allocation("K10", "W5", "13/01/2025"),
        _allocation("N20", "W6", "01/01/2025", case_type="CIN"),
        _allocation("K8", "W6", "24/02/2025"),
        _allocation("K11", "W1", "soon"),  # unreadable ALLOC_START: left out (reading 17)
    ],
    "peps": [
        _pep("K1", "20/09/2024", "REVIEW", "COMPLETE", "REQUIRES_IMPROVEMENT"),
        _pep("K1", "15/01/2025", "REVIEW", "COMPLETE", "GOOD"),
        _pep("K2", "17/02/2025", "INITIAL", "COMPLETE"),
        _pep("K3", "10/11/2024", "REVIEW", "COMPLETE", "GOOD"),
        _pep("K3", "12/03/2025", "REVIEW", "COMPLETE", "GOOD"),  # after the as-at date
        _pep("K3", "2025-13-01", "REVIEW", "COMPLETE", "GOOD"),  # unreadable: left out
        _pep("K6", "10/01/2025", "INITIAL", "COMPLETE", "GOOD"),
        _pep("K7", "31/12/2024", "REVIEW", "COMPLETE", "INADEQUATE"),
        _pep("K7", "20/02/2025", "REVIEW", "IN_PROGRESS"),
        _pep("K10", "28/01/2025", "INITIAL", "COMPLETE", "REQUIRES_IMPROVEMENT"),
        _pep("K14", "15/07/2024", "REVIEW", "COMPLETE", "GOOD"),
        _pep("K14", "05/02/2025", "REVIEW", "IN_PROGRESS"),  # the same meeting twice
        _pep("K14", "05/02/2025", "REVIEW", "COMPLETE", "GOOD"),
    ],
    # missing_from_home and return_interviews not supplied
}


def add_la_852(path: Path) -> None:
    """Append LA 852's raw rows and extract bookkeeping to the fixture warehouse."""
    con = duckdb.connect(str(path))
    try:
        for year, extract_date in EXTRACTS_903.items():
            tables = SSDA903[year]
            for spec in SSDA903_TABLES:
                rows = tables.get(spec.name)
                lineage = {
                    "la_code": LA,
                    "collection_year": year,
                    "extract_date": extract_date,
                    "source_file": f"{LA}/ssda903/{year}/{extract_date}/{spec.file_name}",
                    "source_row": None,
                }
                n = _insert(con, "ssda903", spec.name, rows or [], lineage)
                supplied = rows is not None or spec.required_file
                _extract_file(con, LA, "ssda903", year, extract_date, spec.name, n, supplied)
        for spec in LOCAL_TABLES:
            rows = LOCAL.get(spec.name)
            lineage = {
                "la_code": LA,
                "extract_date": LOCAL_EXTRACT,
                "source_file": f"{LA}/local/{LOCAL_EXTRACT}/{spec.file_name}",
                "source_row": None,
            }
            n = _insert(con, "local", spec.name, rows or [], lineage)
            _extract_file(con, LA, "local", None, LOCAL_EXTRACT, spec.name, n, rows is not None)
        build_reference(con)
    finally:
        con.close()
