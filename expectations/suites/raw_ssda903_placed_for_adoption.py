"""SSDA903 placed for adoption (``raw_ssda903.placed_for_adoption``)."""

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
)
from pipelines.lib import codesets

PLACED = {
    "child": "C2",
    "dob": "01/06/2012",
    "date_placed": "01/09/2024",
    "date_placed_ceased": None,
    "reason_placed_ceased": None,
}

SUITE = Suite(
    name="raw_ssda903_placed_for_adoption",
    table="raw_ssda903.placed_for_adoption",
    valid_rows=(
        {
            **PLACED,
            "child": "C1",
            "dob": "01/01/2010",
            "date_placed": "01/08/2024",
            "date_placed_ceased": "01/10/2024",
            "reason_placed_ceased": "RD1",
        },
    ),
    example_row=PLACED,
    rules=(
        not_blank("CSC-PFA-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format("CSC-PFA-ID-FORMAT", "child", bad=Example({"child": "C 1"})),
        is_date(
            "115",
            "Date of Local Authority's (LA) decision that a child should be placed for adoption "
            "is not a valid date.",
            "date_placed",
            bad=Example({"date_placed": "1/9/2024 00:00"}),
        ),
        is_date(
            "116",
            "Date of Local Authority's (LA) decision that a child should no longer be placed for "
            "adoption is not a valid date.",
            "date_placed_ceased",
            bad=Example({"date_placed_ceased": "soon", "reason_placed_ceased": "RD2"}),
        ),
        check(
            "119",
            "If the decision is made that a child should no longer be placed for adoption, then "
            "the date of this decision and the reason why this decision was made must be "
            "completed.",
            ("date_placed_ceased", "reason_placed_ceased"),
            lambda df, _: df["date_placed_ceased"].isna() == df["reason_placed_ceased"].isna(),
            bad=Example({"date_placed_ceased": "01/10/2024"}),
        ),
        in_set(
            "120",
            "The reason for the reversal of the decision that the child should be placed for "
            "adoption code is not valid.",
            "reason_placed_ceased",
            codesets.REASON_PLACED_CEASED,
            bad=Example({"date_placed_ceased": "01/10/2024", "reason_placed_ceased": "RD5"}),
        ),
        not_before(
            "CSC-PFA-ORDER",
            "DATE_PLACED_CEASED is before DATE_PLACED",
            "date_placed_ceased",
            "date_placed",
            bad=Example({"date_placed_ceased": "01/08/2024", "reason_placed_ceased": "RD1"}),
        ),
        check(
            "INT12",
            "Internal Check: DOB in PlacedAdoption is different to DOB in Header.",
            ("dob",),
            h.same_dob_as_header,
            bad=Example({"dob": "02/06/2012"}),
            hint="One DOB per child across every table of an extract: the KPIs read the header's DOB; "
            "correct whichever is wrong in the case system.",
        ),
    ),
)
