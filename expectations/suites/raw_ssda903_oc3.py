"""SSDA903 OC3 (``raw_ssda903.oc3``): care leavers whose 17th–21st birthday is in the year."""

from __future__ import annotations

import pandas as pd

from expectations import care
from expectations import helpers as h
from expectations.rules import Example, Suite, check, id_format, is_date, not_blank, unique
from pipelines.lib import codesets

OC3 = {"child": "C4", "dob": "10/10/2005", "in_touch": "YES", "activ": "P5", "accom": "U1"}


def _age_on_birthday_in_year(df: pd.DataFrame) -> pd.Series:
    """The age reached on the birthday that falls in the collection year."""
    start = h.year_start(df)
    dob = df["dob__date"]
    turns = start.dt.year - dob.dt.year
    before_april = (dob.dt.month < 4).astype(float)  # birthday in Jan–Mar falls in year start+1
    return turns + before_april


LEAVER_ITEMS = ["in_touch", "activ", "accom"]
SHORT_BREAKS = list(codesets.SHORT_BREAK_LS)
#: C6: 18 on 1 July 2024, looked after from 1 January 2024.
C6 = {"child": "C6", "dob": "01/07/2006"}
C6_HEADER = {"child": "C6", "dob": "01/07/2006"}


def _c6(dec: str | None = None, rec: str | None = None) -> dict:
    return {
        "header": [C6_HEADER],
        "episodes": [{"child": "C6", "decom": "01/01/2024", "dec": dec, "rec": rec}],
    }


def _aged_17_or_18_with_leaver_items(df) -> pd.Series:
    return care.age_on_birthday_in_year(df).isin([17, 18]) & df[LEAVER_ITEMS].notna().any(axis=1)


def _birthday_pairs(df, batch):
    episodes = batch.table("episodes")
    if episodes is None or episodes.empty:
        return None, None
    pairs = care.pairs_by_child(
        df, episodes[[*h.extract_key(episodes), "child", "decom__date", "dec__date", "ls"]]
    )
    birthday = care.values_at(df.assign(__birthday=care.birthday_in_year(df)), pairs, "__birthday")
    return pairs, birthday


def _not_looked_after_on_birthday(df, batch):
    """Rule 1007: no care-leaver items for a 17- or 18-year-old looked after on the birthday
    in the year (an episode open that day, not a short break)."""
    pairs, birthday = _birthday_pairs(df, batch)
    if pairs is None:
        return pd.Series(True, index=df.index)
    looked_after = (
        (pairs["decom__date"] <= birthday)
        & ((pairs["dec__date"] > birthday) | pairs["dec__date"].isna())
        & ~pairs["ls"].isin(SHORT_BREAKS)
    )
    return ~(_aged_17_or_18_with_leaver_items(df) & care.any_per_row(df, pairs, looked_after))


def _not_ceased_after_birthday(df, batch):
    """Rule 1016: no care-leaver items for a 17- or 18-year-old whose care ended on or after
    the birthday in the year."""
    pairs, birthday = _birthday_pairs(df, batch)
    if pairs is None:
        return pd.Series(True, index=df.index)
    later = pairs["dec__date"] >= birthday
    return ~(_aged_17_or_18_with_leaver_items(df) & care.any_per_row(df, pairs, later))


def _not_died_in_care(df, batch):
    """Rule 1000: no OC3 row for a child whose episode ended with REC E2 (died)."""
    episodes = batch.table("episodes")
    if episodes is None or episodes.empty:
        return pd.Series(True, index=df.index)
    died = episodes[episodes["rec"] == "E2"]
    return ~h.exists_in(df, died, [*h.extract_key(df), "child"])


def _coded(column: str, codes: frozenset[str]):
    """Rules 131–133: a valid code, or blank when the row's three care-leaver items are all
    blank (rule 153 allows that; the DfE's validator flags every blank)."""

    def ok(df, _):
        all_blank = df[LEAVER_ITEMS].isna().all(axis=1)
        return df[column].isin(codes) | all_blank

    return ok


def _in_cohort(df, _):
    age = _age_on_birthday_in_year(df)
    return h.when(df["dob__date"].notna(), age.between(17, 21))


def _no_foyer_under_18(df, _):
    age = h.age_on(df["dob__date"], h.year_start(df))
    return ~(df["accom"].fillna("").str.startswith("T") & (age < 18))


SUITE = Suite(
    name="raw_ssda903_oc3",
    table="raw_ssda903.oc3",
    valid_rows=({**OC3, "child": "C3", "dob": "15/06/2006", "activ": "F1", "accom": "B1"},),
    example_row=OC3,
    rules=(
        not_blank("CSC-OC3-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format("CSC-OC3-ID-FORMAT", "child", bad=Example({"child": "C4\n"}, also=("INT06",))),
        unique(
            "INT34",
            "Internal Check: Child should only exist once in OC3.",
            ("child",),
            bad=Example({"child": "C3", "dob": "15/06/2006"}),
        ),
        check(
            "INT06",
            "Internal Check: Child in OC3 does not exist in Header.",
            ("child",),
            lambda df, batch: h.child_in(df, batch, "header"),
            bad=Example({"child": "C9"}),
        ),
        is_date(
            "CSC-OC3-DOB",
            "DOB is blank or not a valid date: the care-leaver KPIs take the age group from it",
            "dob",
            required=True,
            bad=Example({"dob": "10/10/05"}),
        ),
        check(
            "131",
            "Data entry for being in touch after leaving care is invalid.",
            ("in_touch",),
            _coded("in_touch", codesets.IN_TOUCH),
            bad=Example({"in_touch": "Yes"}),
        ),
        check(
            "132",
            "Data entry for activity after leaving care is invalid.",
            ("activ",),
            _coded("activ", codesets.ACTIV),
            bad=Example({"activ": "F6"}),
            hint="F3/P3 (superseded) are still accepted for history.",
        ),
        check(
            "133",
            "Data entry for accommodation after leaving care is invalid. If reporting on a "
            "childs accommodation after leaving care the data entry must be valid",
            ("accom",),
            _coded("accom", codesets.ACCOM),
            bad=Example({"accom": "S1"}),
            hint="S1 and X1 do not exist: homeless and custody are never suitable.",
        ),
        check(
            "CSC-OC3-REQUIRED",
            "IN_TOUCH, ACTIV or ACCOM is blank: the care-leaver KPIs need all three "
            "(0 means no information)",
            ("in_touch", "activ", "accom"),
            lambda df, _: df[["in_touch", "activ", "accom"]].notna().all(axis=1),
            bad=Example({"activ": None}, also=("153", "132")),
        ),
        check(
            "344",
            "The record shows the young person has died or returned home to live with "
            "parent(s) or someone with parental responsibility for a continuous period of 6 "
            "months or more, but activity and/or accommodation on leaving care have been "
            "completed.",
            ("in_touch", "activ", "accom"),
            lambda df, _: h.when(
                df["in_touch"].isin(["DIED", "RHOM"]), (df["activ"] == "0") & (df["accom"] == "0")
            ),
            bad=Example({"in_touch": "DIED"}),
            good=Example({"in_touch": "RHOM", "activ": "0", "accom": "0"}),
        ),
        check(
            "345",
            "The data collection record shows the local authority is in touch with this young "
            "person, but activity and/or accommodation data items are zero.",
            ("in_touch", "activ", "accom"),
            lambda df, _: (
                ~((df["in_touch"] == "YES") & ((df["activ"] == "0") | (df["accom"] == "0")))
            ),
            bad=Example({"accom": "0"}),
            good=Example({"in_touch": "NO", "activ": "0", "accom": "0"}),
        ),
        check(
            "391",
            "Young person was not 17, 18, 19, 20 or 21 during the current collection year. ",
            ("dob",),
            _in_cohort,
            bad=Example({"dob": "10/10/2008"}, also=("INT15",)),
            good=Example(
                {"child": "C7", "dob": "10/10/2003"},
                context={"header": [{"child": "C7", "dob": "10/10/2003"}]},
            ),
            hint="Checked on the age reached on the birthday in the year; rows outside 17–21 "
            "are left out of the care-leaver KPIs.",
        ),
        check(
            "347",
            "Care leavers aged under 18 years, can not be accommodated in a Foyer.",
            ("accom", "dob"),
            _no_foyer_under_18,
            bad=Example({"dob": "15/06/2006", "accom": "T1"}, also=("INT15",)),
            good=Example({"accom": "T1"}),
            hint="Age at the start of the collection year; foyer is ACCOM T1/T2.",
        ),
        check(
            "INT15",
            "Internal Check: DOB in OC3 is different to DOB in Header.",
            ("dob",),
            h.same_dob_as_header,
            bad=Example({"dob": "11/10/2005"}),
            hint="One DOB per child across every table of an extract: the KPIs read the header's DOB; "
            "correct whichever is wrong in the case system.",
        ),
        check(
            "153",
            "All data items relating to a child's activity or accommodation after leaving care "
            "must be coded or left blank.",
            tuple(LEAVER_ITEMS),
            lambda df, _: (
                df[LEAVER_ITEMS].notna().all(axis=1) | df[LEAVER_ITEMS].isna().all(axis=1)
            ),
            bad=Example({"accom": None}, also=("CSC-OC3-REQUIRED", "133")),
        ),
        check(
            "1000",
            "This child is recorded as having died in care and therefore should not have the "
            "care leaver information completed. [NOTE: This only tests the current and previous "
            "year data loaded into the tool]",
            ("child",),
            _not_died_in_care,
            bad=Example(
                {"child": "C4"},
                context={
                    "episodes": [
                        {"child": "C4", "decom": "01/01/2023", "dec": "01/06/2024", "rec": "E2"}
                    ]
                },
            ),
            hint="This year's episodes only: the gate checks one extract at a time.",
        ),
        check(
            "1007",
            "Care leaver information is not required for 17- or 18-year olds who are still "
            "looked after [on their 17th or 18th birthday.]",
            ("dob", *LEAVER_ITEMS),
            _not_looked_after_on_birthday,
            bad=Example(C6, context=_c6()),
            good=Example(C6, context=_c6("20/06/2024", "E4A")),
            hint="Looked after on the 17th or 18th birthday in the year: an episode (not a short "
            "break) open that day, including one still open; the DfE's validator misses "
            "episodes still open (it compares a blank DEC with the birthday).",
        ),
        check(
            "1016",
            "Care leaver information is not required for 17- or 18-year olds who cease to be "
            "looked after, after their birthday.",
            ("dob", *LEAVER_ITEMS),
            _not_ceased_after_birthday,
            bad=Example(C6, context=_c6("20/07/2024", "E4A"), also=("1007",)),
            good=Example(C6, context=_c6("30/06/2024", "E4A")),
            hint="An episode of the young person ended on or after the 17th or 18th birthday "
            "in the year.",
        ),
    ),
)
