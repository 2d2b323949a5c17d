"""SSDA903 UASC (``raw_ssda903.uasc``): unaccompanied asylum-seeking children."""

from __future__ import annotations

from expectations import helpers as h
from expectations.rules import Example, Suite, check, id_format, is_date, not_blank, unique

UASC = {"child": "C2", "sex": "F", "dob": "01/06/2012", "duc": None}

SUITE = Suite(
    name="raw_ssda903_uasc",
    table="raw_ssda903.uasc",
    valid_rows=({**UASC, "child": "C1", "sex": "M", "dob": "01/01/2010", "duc": "01/09/2024"},),
    example_row=UASC,
    rules=(
        not_blank("CSC-UASC-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format("CSC-UASC-ID-FORMAT", "child", bad=Example({"child": "C-2"})),
        unique(
            "CSC-UASC-KEY",
            "The same CHILD appears more than once in UASC",
            ("child",),
            bad=Example({"child": "C1", "sex": "M", "dob": "01/01/2010"}),
        ),
        check(
            "104",
            "Date for Unaccompanied Asylum-Seeking Children (UASC) status ceased is not a "
            "valid date.",
            ("duc",),
            lambda df, _: h.when(
                df["duc"].notna(),
                df["duc__date"].notna() & (df["duc__date"] >= h.year_start(df)),
            ),
            bad=Example({"duc": "31/03/2024"}),
            good=Example({"duc": "01/04/2024"}),
            hint="Also flags a DUC before the start of the collection year, as the DfE rule does.",
        ),
        check(
            "CSC-UASC-SEX",
            "SEX is not a valid code for the collection year (as rule 101 for the header)",
            ("sex",),
            lambda df, _: h.code_for_year(df, "sex", "SEX"),
            bad=Example({"sex": "2"}, also=("INT21",)),
        ),
        is_date(
            "CSC-UASC-DOB", "DOB is not a valid date", "dob", bad=Example({"dob": "June 2012"})
        ),
        check(
            "INT18",
            "Internal Check: DOB in UASC is different to DOB in Header.",
            ("dob",),
            h.same_dob_as_header,
            bad=Example({"dob": "02/06/2012"}),
            hint="One DOB per child across every table of an extract: the KPIs read the header's DOB; "
            "correct whichever is wrong in the case system.",
        ),
        check(
            "INT21",
            "Internal Check: SEX in UASC is different to SEX in Header.",
            ("sex",),
            h.same_sex_as_header,
            bad=Example({"sex": "M"}),
            hint="One SEX per child across every table of an extract; correct whichever is "
            "wrong in the case system.",
        ),
    ),
)
