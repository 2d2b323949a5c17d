"""Local missing from home (``raw_local.missing_from_home``): children not looked after."""

from __future__ import annotations

from expectations import helpers as h
from expectations.rules import (
    Example,
    Suite,
    check,
    id_format,
    is_date,
    not_before,
    not_blank,
    unique,
)
from pipelines.lib import codesets

EPISODE = {
    "child": "H2",
    "dob": "01/02/2011",
    "missing": "A",
    "mis_start": "10/07/2024",
    "mis_end": None,
}

SUITE = Suite(
    name="raw_local_missing_from_home",
    table="raw_local.missing_from_home",
    valid_rows=(
        {
            **EPISODE,
            "child": "H1",
            "dob": "01/01/2011",
            "missing": "M",
            "mis_start": "01/07/2024",
            "mis_end": "02/07/2024",
        },
    ),
    example_row=EPISODE,
    rules=(
        not_blank("CSC-MFH-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format("CSC-MFH-ID-FORMAT", "child", bad=Example({"child": "H1;"})),
        unique(
            "CSC-MFH-KEY",
            "The same missing episode (CHILD, MIS_START) appears more than once",
            ("child", "mis_start"),
            bad=Example({"child": "H1", "mis_start": "01/07/2024"}),
        ),
        check(
            "CSC-MFH-MISSING",
            "MISSING is blank or not a valid code (M missing, A away), as rule 1006",
            ("missing",),
            lambda df, _: df["missing"].isin(codesets.MISSING),
            bad=Example({"missing": "Missing"}),
        ),
        is_date(
            "CSC-MFH-MIS_START",
            "MIS_START is blank or not a valid date",
            "mis_start",
            required=True,
            bad=Example({"mis_start": None}),
        ),
        is_date(
            "CSC-MFH-MIS_END",
            "MIS_END is not a valid date (blank is allowed: still missing)",
            "mis_end",
            bad=Example({"mis_end": "32/07/2024"}),
        ),
        not_before(
            "CSC-MFH-ORDER",
            "MIS_END is before MIS_START",
            "mis_end",
            "mis_start",
            bad=Example({"mis_end": "09/07/2024"}),
        ),
        check(
            "CSC-MFH-FUTURE",
            "MIS_START or MIS_END is after the extract date",
            ("mis_start", "mis_end"),
            lambda df, _: h.none_of(
                df["mis_start__date"] > h.extract_day(df), df["mis_end__date"] > h.extract_day(df)
            ),
            bad=Example({"mis_start": "2024-12-25"}),
        ),
        is_date("CSC-MFH-DOB", "DOB is not a valid date", "dob", bad=Example({"dob": "01/02/11"})),
    ),
)
