"""SSDA903 OC2 (``raw_ssda903.oc2``): children looked after continuously for 12 months."""

from __future__ import annotations

import pandas as pd

from expectations import care
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


#: The items rules 182, 191, 544 and 547 want completed together.
HEALTH_ITEMS = ["immunisations", "teeth_check", "health_assessment", "substance_misuse"]
#: The other items: all blank, or the health items are completed too (rule 182).
OTHER_ITEMS = ["convicted", "health_check", "intervention_received", "intervention_offered"]


def _health_items_blank(df) -> pd.Series:
    return df[HEALTH_ITEMS].isna().any(axis=1)


def _completed_together(df, _):
    """Rule 182: the health items are completed, or every OC2 item is blank."""
    return ~(_health_items_blank(df) & df[OTHER_ITEMS].notna().any(axis=1))


def _completed_with(flag: str):
    """Rules 544 and 547: a ``flag`` of 1 comes with every health item."""
    return lambda df, _: ~((df[flag] == "1") & _health_items_blank(df))


def _in_the_oc2_cohort(df, batch):
    """Rule 190: OC2 items only for children looked after continuously for 12 months at 31
    March (final returns; a child with no episodes in the extract was not)."""
    episodes = batch.table("episodes")
    key = [*h.extract_key(df), "child"]
    if episodes is None or episodes.empty:
        cohort = pd.Series(False, index=df.index)
    else:
        known = episodes.assign(__cohort=care.continuously_looked_after(episodes))
        cohort = h.lookup(df, known, key, "__cohort") == True  # noqa: E712 (NaN: no episodes)
    return ~(care.is_final(df) & ~cohort & df[list(FLAGS)].notna().any(axis=1))


#: C2 in last year's final return (2023-24): its header row.
LAST_YEAR = {
    "header": [{"child": "C2", "sex": "2", "dob": "01/06/2012", "collection_year": "2023-24"}]
}


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
            bad=Example({"child": "C12345678901"}, also=("INT05",)),
        ),
        unique(
            "INT33",
            "Internal Check: Child should only exist once in OC2.",
            ("child",),
            bad=Example({"child": "C1", "dob": "01/01/2010"}),
        ),
        check(
            "INT05",
            "Internal Check: Child in OC2 does not exist in Header.",
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
        check(
            "182",
            "Data entries on immunisations, teeth checks, health assessments and substance "
            "misuse problem identified should be completed or all OC2 fields should be left "
            "blank.",
            tuple(FLAGS),
            _completed_together,
            bad=Example({"substance_misuse": None}),
            good=Example(dict.fromkeys(FLAGS)),
        ),
        check(
            "544",
            "Any child who has conviction information completed must also have immunisation, "
            "teeth check, health assessment and substance misuse problem identified fields "
            "completed.",
            ("convicted", *HEALTH_ITEMS),
            _completed_with("convicted"),
            bad=Example({"convicted": "1", "teeth_check": None}, also=("182",)),
        ),
        check(
            "547",
            "Any child who has health promotion information completed must also have "
            "immunisation, teeth check, health assessment and substance misuse problem "
            "identified fields completed.",
            ("health_check", *HEALTH_ITEMS),
            _completed_with("health_check"),
            bad=Example({"health_check": "1", "immunisations": None}, also=("182",)),
        ),
        check(
            "190",
            "Child has not been looked after continuously for at least 12 months at 31 March "
            "but one or more data items relating to children looked after for 12 months have "
            "been completed.",
            tuple(FLAGS),
            _in_the_oc2_cohort,
            bad=Example({"collection_year": "2023-24"}, context=LAST_YEAR),
            good=Example(
                {"collection_year": "2023-24"},
                context={
                    **LAST_YEAR,
                    "episodes": [
                        {"child": "C2", "collection_year": "2023-24", "decom": "01/01/2022"}
                    ],
                },
            ),
            hint="Final returns only. Care that ended on 31 March is not continuous (the DfE's "
            "validator counts it as continuous).",
        ),
    ),
)
