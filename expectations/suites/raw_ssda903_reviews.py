"""SSDA903 reviews (``raw_ssda903.reviews``): statutory reviews held in the year."""

from __future__ import annotations

from expectations import helpers as h
from expectations.rules import Example, Suite, check, id_format, is_date, not_blank, unique
from pipelines.lib import codesets

REVIEW = {"child": "C2", "dob": "01/06/2012", "review": "20/07/2024", "review_code": "PN1"}

SUITE = Suite(
    name="raw_ssda903_reviews",
    table="raw_ssda903.reviews",
    valid_rows=({**REVIEW, "child": "C1", "dob": "01/01/2010", "review": "15/06/2024"},),
    example_row=REVIEW,
    rules=(
        not_blank("CSC-REVIEWS-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format(
            "CSC-REVIEWS-ID-FORMAT",
            "child",
            bad=Example({"child": "'C2"}, also=("INT08",)),
        ),
        check(
            "INT08",
            "Internal Check: Child in Reviews does not exist in Header.",
            ("child",),
            lambda df, batch: h.child_in(df, batch, "header"),
            bad=Example({"child": "C9"}),
        ),
        unique(
            "CSC-REVIEWS-KEY",
            "The same review (CHILD, REVIEW) appears more than once",
            ("child", "review"),
            bad=Example({"child": "C1", "dob": "01/01/2010", "review": "15/06/2024"}),
        ),
        is_date(
            "166",
            "Date of review is invalid or blank.",
            "review",
            required=True,
            bad=Example({"review": "15/13/2024"}),
        ),
        check(
            "CSC-REVIEWS-FUTURE",
            "REVIEW is after the extract date",
            ("review",),
            lambda df, _: ~(df["review__date"] > h.extract_day(df)),
            bad=Example({"review": "01/11/2024"}),
        ),
        check(
            "167",
            "Data entry for participation is invalid or blank.",
            ("review", "review_code"),
            lambda df, _: (
                (df["review"].notna() & df["review_code"].isin(codesets.REVIEW_CODE))
                | (df["review"].isna() & df["review_code"].isna())
            ),
            bad=Example({"review_code": "PR1"}),
        ),
        is_date(
            "CSC-REVIEWS-DOB", "DOB is not a valid date", "dob", bad=Example({"dob": "1/6/12"})
        ),
        check(
            "INT17",
            "Internal Check: DOB in Reviews is different to DOB in Header.",
            ("dob",),
            h.same_dob_as_header,
            bad=Example({"dob": "02/06/2012"}),
            hint="One DOB per child across every table of an extract: the KPIs read the header's DOB; "
            "correct whichever is wrong in the case system.",
        ),
    ),
)
