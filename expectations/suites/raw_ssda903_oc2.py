"""SSDA903 OC2 (``raw_ssda903.oc2``): children looked after continuously for 12 months."""

from __future__ import annotations

import pandas as pd

from expectations import helpers as h
from expectations.rules import Example, Suite, check, id_format, in_set, is_date, not_blank, unique
from pipelines.lib import codesets

FLAGS = (
    "convicted",
    "health_check",
    "immunisations",
    "teeth_check",
    "health_assessment",
    "substance_misuse",
    "intervention_received",
    "intervention_offered",
)
#: The flags the health KPIs read (kpis.md §E and reading 13).
KPI_FLAGS = ("health_assessment", "teeth_check", "immunisations")

OC2 = {
    "child": "C2",
    "dob": "01/06/2012",
    "sdq_score": "12",
    "sdq_reason": None,
    **dict.fromkeys(FLAGS, "0"),
    "health_assessment": "1",
    "teeth_check": "1",
    "immunisations": "1",
}


def _flags_ok(columns):
    def fn(df, _):
        values = df[list(columns)]
        return (values.isna() | values.isin(codesets.FLAG)).all(axis=1)

    return fn


def _sdq_ok(df, _):
    score = pd.to_numeric(df["sdq_score"], errors="coerce")
    return df["sdq_score"].isna() | score.isin(range(41))


SUITE = Suite(
    name="raw_ssda903_oc2",
    table="raw_ssda903.oc2",
    valid_rows=(
        {**OC2, "child": "C1", "dob": "01/01/2010", "sdq_score": None, "sdq_reason": "SDQ2"},
    ),
    example_row=OC2,
    rules=(
        not_blank("CSC-OC2-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format(
            "CSC-OC2-ID-FORMAT",
            "child",
            bad=Example({"child": "C12345678901"}, also=("CSC-OC2-CHILD",)),
        ),
        unique(
            "CSC-OC2-KEY",
            "The same CHILD appears more than once in OC2",
            ("child",),
            bad=Example({"child": "C1", "dob": "01/01/2010"}),
        ),
        check(
            "CSC-OC2-CHILD",
            "CHILD has an OC2 row but no row in header.csv of the same extract",
            ("child",),
            lambda df, batch: h.child_in(df, batch, "header"),
            bad=Example({"child": "C9"}),
        ),
        check(
            "180",
            "Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid.",
            ("sdq_score",),
            _sdq_ok,
            bad=Example({"sdq_score": "41"}),
            good=Example({"sdq_score": "40"}),
        ),
        in_set(
            "CSC-OC2-SDQ_REASON",
            "SDQ_REASON is not a valid code (SDQ1–SDQ5)",
            "sdq_reason",
            codesets.SDQ_REASON,
            bad=Example({"sdq_score": None, "sdq_reason": "SDQ9"}),
        ),
        check(
            "181",
            "Data items relating to children looked after continuously for 12 months should "
            "be completed with a 0 or 1.",
            FLAGS,
            _flags_ok(FLAGS),
            bad=Example({"convicted": "Y"}),
        ),
        check(
            "CSC-OC2-HEALTH",
            "HEALTH_ASSESSMENT, TEETH_CHECK or IMMUNISATIONS is not 0, 1 or blank: the OC2 "
            "health KPIs would count it as not done",
            KPI_FLAGS,
            _flags_ok(KPI_FLAGS),
            bad=Example({"health_assessment": "Y"}, also=("181",)),
        ),
        is_date(
            "CSC-OC2-DOB", "DOB is not a valid date", "dob", bad=Example({"dob": "2012-13-01"})
        ),
        check(
            "INT14",
            "Internal Check: DOB in OC2 is different to DOB in Header.",
            ("dob",),
            h.same_dob_as_header,
            bad=Example({"dob": "02/06/2012"}),
            hint="One DOB per child across every table of an extract: the KPIs read the header's DOB; "
            "correct whichever is wrong in the case system.",
        ),
    ),
)
