"""SSDA903 missing (``raw_ssda903.missing``): missing and away episodes from care."""

from __future__ import annotations

from expectations import helpers as h
from expectations.rules import (
    Example,
    Suite,
    check,
    id_format,
    in_set,
    is_date,
    not_before,
    not_blank,
    unique,
)
from pipelines.lib import codesets

MISSING = {
    "child": "C2",
    "dob": "01/06/2012",
    "missing": "A",
    "mis_start": "20/06/2024",
    "mis_end": "21/06/2024",
}

SUITE = Suite(
    name="raw_ssda903_missing",
    table="raw_ssda903.missing",
    valid_rows=(
        {
            **MISSING,
            "child": "C1",
            "dob": "01/01/2010",
            "missing": "M",
            "mis_start": "01/06/2024",
            "mis_end": "02/06/2024",
        },
    ),
    example_row=MISSING,
    rules=(
        not_blank("CSC-MISSING-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format(
            "CSC-MISSING-ID-FORMAT",
            "child",
            bad=Example({"child": "C1,C2"}, also=("CSC-MISSING-CHILD",)),
        ),
        check(
            "CSC-MISSING-CHILD",
            "CHILD has a missing episode but no row in header.csv of the same extract",
            ("child",),
            lambda df, batch: h.child_in(df, batch, "header"),
            bad=Example({"child": "C9"}),
        ),
        unique(
            "CSC-MISSING-KEY",
            "The same missing episode (CHILD, MIS_START) appears more than once",
            ("child", "mis_start"),
            bad=Example({"child": "C1", "dob": "01/01/2010", "mis_start": "01/06/2024"}),
        ),
        check(
            "564",
            "Child was missing or away from placement without authorisation and the date "
            "started is blank.",
            ("missing", "mis_start"),
            lambda df, _: ~(df["missing"].isin(codesets.MISSING) & df["mis_start"].isna()),
            bad=Example({"mis_start": None}),
        ),
        check(
            "565",
            "The date that the child started to be missing or away from placement without "
            "authorisation has been completed but whether the child was missing or away from "
            "placement without authorisation has not been completed.",
            ("missing", "mis_start"),
            lambda df, _: ~(df["mis_start"].notna() & df["missing"].isna()),
            bad=Example({"missing": None}, also=("566",)),
        ),
        check(
            "566",
            "The date that the child's episode of being missing or away from placement without "
            "authorisation ended has been completed but whether the child was missing or away "
            "without authorisation has not been completed.",
            ("missing", "mis_end"),
            lambda df, _: ~(df["mis_end"].notna() & df["missing"].isna()),
            bad=Example({"missing": None, "mis_start": None}),
        ),
        in_set(
            "1006",
            "Missing type invalid.",
            "missing",
            codesets.MISSING,
            bad=Example({"missing": "X"}),
            hint="M: missing (whereabouts unknown); A: away from placement without authorisation.",
        ),
        is_date(
            "CSC-MISSING-MIS_START",
            "MIS_START is not a valid date",
            "mis_start",
            bad=Example({"mis_start": "31/02/2024"}),
            good=Example({"mis_start": "2024-06-20"}),
        ),
        is_date(
            "CSC-MISSING-MIS_END",
            "MIS_END is not a valid date (blank is allowed: still missing)",
            "mis_end",
            bad=Example({"mis_end": "2024/06/21"}),
            good=Example({"mis_end": None}),
        ),
        not_before(
            "CSC-MISSING-ORDER",
            "MIS_END is before MIS_START",
            "mis_end",
            "mis_start",
            bad=Example({"mis_start": "05/06/2024", "mis_end": "04/06/2024"}),
            good=Example({"mis_start": "05/06/2024", "mis_end": "05/06/2024"}),
        ),
        check(
            "570",
            "The date that the child started to be missing or away from placement without "
            "authorisation is after the end of the collection year.",
            ("mis_start",),
            lambda df, _: ~(df["mis_start__date"] > h.year_end(df)),
            bad=Example({"mis_start": "01/04/2025", "mis_end": None}, also=("CSC-MISSING-FUTURE",)),
        ),
        check(
            "571",
            "The date that the child ceased to be missing or away from placement without "
            "authorisation is before the start or after the end of the collection year.",
            ("mis_end",),
            lambda df, _: h.none_of(
                df["mis_end__date"] < h.year_start(df), df["mis_end__date"] > h.year_end(df)
            ),
            bad=Example({"mis_start": "20/03/2024", "mis_end": "25/03/2024"}),
            good=Example({"mis_start": "20/03/2024", "mis_end": "01/04/2024"}),
        ),
        check(
            "CSC-MISSING-FUTURE",
            "MIS_START or MIS_END is after the extract date",
            ("mis_start", "mis_end"),
            lambda df, _: h.none_of(
                df["mis_start__date"] > h.extract_day(df), df["mis_end__date"] > h.extract_day(df)
            ),
            bad=Example({"mis_end": "01/11/2024"}),
            good=Example({"mis_end": "31/10/2024"}),
        ),
        check(
            "586",
            "Dates of missing periods are before child’s date of birth.",
            ("mis_start", "dob"),
            lambda df, _: ~(df["mis_start__date"] <= df["dob__date"]),
            bad=Example({"dob": "20/06/2024"}, also=("INT13",)),
        ),
        is_date(
            "CSC-MISSING-DOB",
            "DOB is not a valid date",
            "dob",
            bad=Example({"dob": "not a date"}),
        ),
        check(
            "INT13",
            "Internal Check: DOB in Missing is different to DOB in Header.",
            ("dob",),
            h.same_dob_as_header,
            bad=Example({"dob": "02/06/2012"}),
            hint="One DOB per child across every table of an extract: the KPIs read the header's DOB; "
            "correct whichever is wrong in the case system.",
        ),
    ),
)
