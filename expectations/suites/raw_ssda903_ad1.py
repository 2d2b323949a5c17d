"""SSDA903 AD1 (``raw_ssda903.ad1``): children adopted in the year."""

from __future__ import annotations

import pandas as pd

from expectations import helpers as h
from expectations.rules import Example, Suite, check, id_format, in_set, is_date, not_blank, unique
from pipelines.lib import codesets

AD1 = {
    "child": "C2",
    "dob": "01/06/2012",
    "date_int": "01/05/2024",
    "date_match": "01/06/2024",
    "foster_care": "0",
    "nb_adoptr": "2",
    "sex_adoptr": "MF",
    "ls_adoptr": "L3",
}

SUITE = Suite(
    name="raw_ssda903_ad1",
    table="raw_ssda903.ad1",
    valid_rows=(
        {
            **AD1,
            "child": "C1",
            "dob": "01/01/2010",
            "nb_adoptr": "1",
            "sex_adoptr": "F1",
            "ls_adoptr": "L0",
        },
    ),
    example_row=AD1,
    rules=(
        not_blank("CSC-AD1-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format("CSC-AD1-ID-FORMAT", "child", bad=Example({"child": "#C1"})),
        unique(
            "CSC-AD1-KEY",
            "The same CHILD appears more than once in AD1",
            ("child",),
            bad=Example({"child": "C1", "dob": "01/01/2010"}),
        ),
        is_date(
            "112",
            "Date should be placed for adoption is not a valid date.",
            "date_int",
            bad=Example({"date_int": "01-05-2024"}),
        ),
        is_date(
            "113",
            "Date matching child and adopter(s) is not a valid date.",
            "date_match",
            bad=Example({"date_match": "30/02/2024"}),
        ),
        in_set(
            "114",
            "Data entry to record the status of former carer(s) of an adopted child is invalid.",
            "foster_care",
            codesets.FLAG,
            bad=Example({"foster_care": "2"}),
        ),
        check(
            "CSC-AD1-NB_ADOPTR",
            "NB_ADOPTR (number of adopters) is not 1 or 2",
            ("nb_adoptr",),
            lambda df, _: (
                df["nb_adoptr"].isna()
                | pd.to_numeric(df["nb_adoptr"], errors="coerce").isin([1, 2])
            ),
            bad=Example({"nb_adoptr": "3"}),
        ),
        in_set(
            "CSC-AD1-SEX_ADOPTR",
            "SEX_ADOPTR is not a valid code (M1, F1, MM, FF, MF)",
            "sex_adoptr",
            codesets.SEX_ADOPTR,
            bad=Example({"sex_adoptr": "M"}),
        ),
        in_set(
            "CSC-AD1-LS_ADOPTR",
            "LS_ADOPTR is not a valid code (L0, L11, L12, L2, L3, L4)",
            "ls_adoptr",
            codesets.LS_ADOPTR,
            bad=Example({"ls_adoptr": "L5"}),
        ),
        check(
            "INT11",
            "Internal Check: DOB in AD1 is different to DOB in Header.",
            ("dob",),
            h.same_dob_as_header,
            bad=Example({"dob": "02/06/2012"}),
            hint="One DOB per child across every table of an extract: the KPIs read the header's DOB; "
            "correct whichever is wrong in the case system.",
        ),
    ),
)
