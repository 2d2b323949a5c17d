"""Local PEPs (``raw_local.peps``): one row per Personal Education Plan meeting."""

from __future__ import annotations

import pandas as pd

from expectations import helpers as h
from expectations.rules import Example, Suite, check, id_format, in_set, is_date, not_blank, unique
from pipelines.lib import codesets

PEP = {
    "child": "C1",
    "pep_date": "01/07/2024",
    "pep_type": "REVIEW",
    "status": "IN_PROGRESS",
    "quality": None,
}


def _in_a_period_of_care(df, batch):
    """An SSDA903 episode of the same LA and child (any year) is open on PEP_DATE."""
    episodes = batch.table("episodes")
    ok = pd.Series(False, index=df.index)
    if episodes is None or episodes.empty or df.empty:
        return ok | df["pep_date__date"].isna()
    peps = df[["la_code", "child", "pep_date__date"]].reset_index()
    eps = episodes[["la_code", "child", "decom__date", "dec__date"]]
    merged = peps.merge(eps, on=["la_code", "child"], how="inner")
    inside = (merged["decom__date"] <= merged["pep_date__date"]) & (
        merged["dec__date"].isna() | (merged["dec__date"] >= merged["pep_date__date"])
    )
    ok.loc[merged.loc[inside, "index"].unique()] = True
    return ok | df["pep_date__date"].isna()


SUITE = Suite(
    name="raw_local_peps",
    table="raw_local.peps",
    valid_rows=(
        {
            "child": "C1",
            "pep_date": "10/06/2024",
            "pep_type": "INITIAL",
            "status": "COMPLETE",
            "quality": "GOOD",
        },
    ),
    example_row=PEP,
    rules=(
        not_blank(
            "CSC-PEPS-ID",
            "CHILD is blank",
            "child",
            bad=Example({"child": None}, also=("CSC-PEPS-IN-CARE",)),
        ),
        id_format(
            "CSC-PEPS-ID-FORMAT", "child", bad=Example({"child": "C_1"}, also=("CSC-PEPS-IN-CARE",))
        ),
        unique(
            "CSC-PEPS-KEY",
            "The same PEP (CHILD, PEP_DATE, PEP_TYPE) appears more than once",
            ("child", "pep_date", "pep_type"),
            bad=Example({"child": "C1", "pep_date": "10/06/2024", "pep_type": "INITIAL"}),
        ),
        is_date(
            "CSC-PEPS-DATE",
            "PEP_DATE is blank or not a valid date",
            "pep_date",
            required=True,
            bad=Example({"pep_date": "2024-07-32"}),
        ),
        check(
            "CSC-PEPS-FUTURE",
            "PEP_DATE is after the extract date",
            ("pep_date",),
            lambda df, _: ~(df["pep_date__date"] > h.extract_day(df)),
            bad=Example({"pep_date": "01/12/2024"}),
        ),
        in_set(
            "CSC-PEPS-TYPE",
            "PEP_TYPE is not INITIAL or REVIEW",
            "pep_type",
            codesets.PEP_TYPE,
            bad=Example({"pep_type": "FIRST"}),
        ),
        check(
            "CSC-PEPS-STATUS",
            "STATUS is blank or not COMPLETE / IN_PROGRESS",
            ("status",),
            lambda df, _: df["status"].isin(codesets.PEP_STATUS),
            bad=Example({"status": "DONE"}),
        ),
        in_set(
            "CSC-PEPS-QUALITY",
            "QUALITY is not GOOD, REQUIRES_IMPROVEMENT, INADEQUATE or blank",
            "quality",
            codesets.PEP_QUALITY,
            bad=Example({"quality": "OUTSTANDING"}),
        ),
        check(
            "CSC-PEPS-IN-CARE",
            "PEP_DATE is not inside a period of care: no SSDA903 episode of this child is open "
            "on that date",
            ("child", "pep_date"),
            _in_a_period_of_care,
            bad=Example({"pep_date": "30/04/2024"}),
            good=Example({"pep_date": "01/05/2024"}),
            scope="warehouse",
        ),
    ),
)
