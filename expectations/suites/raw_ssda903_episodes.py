"""SSDA903 episodes (``raw_ssda903.episodes``): one row per episode of care open in the year."""

from __future__ import annotations

import pandas as pd

from expectations import care
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
from expectations.suites.raw_ssda903_oc2 import FLAGS as OC2_FLAGS
from pipelines.lib import codesets

TEMPORARY = list(codesets.TEMPORARY_PLACE)
ENDED_CARE = list(codesets.REC - {"X1"})
BY_START = ("decom__date",)


def _d(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def _previous(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return h.previous_in_child(df, columns, BY_START)


def _no_overlap(df, _):
    prev = _previous(df, ["dec__date"])
    return ~(df["decom__date"] < prev["dec__date"]).fillna(False)


def _previous_ended(df, _):
    last = h.is_last_in_child(df, BY_START)
    dated = df["decom__date"].notna() & df["child"].notna()
    return ~(~last & dated & (df["dec"].isna() | df["rec"].isna()))


def _first_starts_after_birth(df, batch):
    first = h.is_first_in_child(df, BY_START)
    return h.when(first, ~(h.header_dob(df, batch) > df["decom__date"]))


def _age_at(df, batch, column: str) -> pd.Series:
    return h.age_on(h.header_dob(df, batch), df[column])


def _started_under_18(df, batch):
    return h.when(df["rne"] == "S", ~(_age_at(df, batch, "decom__date") >= 18))


def _adopted_under_18(df, batch):
    return h.when(df["rec"].isin(["E11", "E12"]), ~(_age_at(df, batch, "dec__date") >= 18))


def _independent_at_14(df, batch):
    return h.when(df["rec"].isin(["E5", "E6"]), ~(_age_at(df, batch, "dec__date") < 14))


def _adult_care_at_16(df, batch):
    return h.when(df["rec"] == "E7", ~(_age_at(df, batch, "dec__date") < 16))


def _first_episode_is_s(df, _):
    first = h.is_first_in_child(df, BY_START)
    in_year = df["decom__date"] >= h.year_start(df)
    return h.when(first & in_year, df["rne"] == "S")


def _s_not_same_day(df, _):
    prev = _previous(df, ["dec__date"])
    return h.when(df["rne"] == "S", ~(df["decom__date"] <= prev["dec__date"]))


def _new_period_is_s(df, _):
    prev = _previous(df, ["rec"])
    return h.when(prev["rec"].isin(ENDED_CARE), df["rne"] == "S")


def _provider_valid(df, _):
    """Rule 178: a valid code, and none for temporary / 'other' placements (blank from 2025-26)."""
    provider = df["place_provider"]
    ok = provider.isna() | provider.isin(codesets.PLACE_PROVIDER)
    for year, rows in df.groupby(df["collection_year"].astype(str)).groups.items():
        if codesets.year_start(year) >= codesets.PLACE_2025_FROM:
            no_provider = codesets.PROVIDER_BLANK_2025
        else:
            no_provider = codesets.TEMPORARY_PLACE | {"Z1"}
        ok.loc[rows] &= ~(provider.loc[rows].notna() & df.loc[rows, "place"].isin(no_provider))
    return ok


def _p2_ended_by_cutoff(df, _):
    """Rule 217t: P2 must end by 28 October 2023; an open episode ends at the year end."""
    ends = df["dec__date"].fillna(h.year_end(df))
    return ~((df["place"] == "P2") & (ends > _d("2023-10-28")))


#: The columns that say where a child is placed (rules 434–436: a placement change).
PLACEMENT = ["place", "pl_post", "urn", "place_provider"]
SHORT_BREAKS = list(codesets.SHORT_BREAK_LS)


def _same_as_previous(df: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(has a previous episode, same LS as it, same placement as it); blanks are equal."""
    previous = care.neighbour(df, ["ls", *PLACEMENT], list(BY_START), 1)
    has = care.has_neighbour(df, list(BY_START), 1)
    same_ls = df["ls"].fillna("") == previous["ls"].fillna("")
    same_place = pd.Series(True, index=df.index)
    for column in PLACEMENT:
        same_place &= df[column].fillna("") == previous[column].fillna("")
    return has, same_ls, same_place


def _rne_l_only_legal_status(df, _):
    """Rule 434: RNE L (legal status changed, not the placement)."""
    has, same_ls, same_place = _same_as_previous(df)
    return ~((df["rne"] == "L") & has & (same_ls | ~same_place))


def _rne_p_t_only_placement(df, _):
    """Rule 435: RNE P or T (placement changed, not the legal status)."""
    has, same_ls, same_place = _same_as_previous(df)
    return ~(df["rne"].isin(["P", "T"]) & has & (~same_ls | same_place))


def _rne_b_u_both(df, _):
    """Rule 436: RNE B or U (both changed)."""
    has, same_ls, same_place = _same_as_previous(df)
    return ~(df["rne"].isin(["B", "U"]) & has & (same_ls | same_place))


def _x1_continues(df, _):
    """Rule 388: X1 exactly when the child's next episode starts the day this one ends."""
    by = list(BY_START)
    following = care.neighbour(df, ["decom__date"], by, -1)["decom__date"]
    has_next = care.has_neighbour(df, by, -1)
    ended = df["dec__date"].notna()
    x1 = df["rec"] == "X1"
    gap = x1 & ended & has_next & following.notna() & (df["dec__date"] != following)
    same_day = df["rec"].notna() & ~x1 & ended & has_next & (df["dec__date"] == following)
    last = x1 & ended & ~has_next
    return ~(gap | same_day | last)


def _continuation_starts_on_previous_end(df, _):
    """Rule 433: an episode that is not a new period (RNE other than S) starts the day the
    previous one ended."""
    by = ["decom__date", "dec__date"]
    previous_end = care.neighbour(df, ["dec__date"], by, 1)["dec__date"]
    has = care.has_neighbour(df, by, 1)
    continuing = df["rne"].isin(["P", "L", "T", "U", "B"])
    broken = previous_end.isna() | df["decom__date"].isna() | (previous_end != df["decom__date"])
    return ~(continuing & has & broken)


def _nothing_after_death_or_adulthood(df, _):
    """Rule 437: no episode after one ending E2 (died) or E15 (age assessed as 18+)."""
    later = care.has_neighbour(df, list(BY_START), -1)
    return ~(df["rec"].isin(["E2", "E15"]) & later & df["decom__date"].notna())


def _respite_within_17_days(df, _):
    """Rule 365: a V3 short break lasts at most 17 days (open: to the coverage end)."""
    ends = df["dec__date"].fillna(care.coverage_end(df))
    return ~((df["ls"] == "V3") & (ends > df["decom__date"] + pd.Timedelta(days=17)))


def _respite_within_75_days_a_year(df, _):
    """Rule 367: V3 short breaks add up to at most 75 days in the year (to the coverage end)."""
    start, end = h.year_start(df), care.coverage_end(df)
    decom = df["decom__date"].where(df["decom__date"] >= start, start)
    dec = df["dec__date"].where(df["dec__date"].notna() & (df["dec__date"] <= end), end)
    days = (dec - decom).dt.days
    counted = (df["ls"] == "V3") & df["decom__date"].notna() & (days > 0)
    total = (
        days.where(counted, 0)
        .groupby([df[c] for c in [*h.extract_key(df), "child"]])
        .transform("sum")
    )
    return ~(counted & (total > 75))


def _oc2_for_the_oc2_cohort(df, batch):
    """Rule 191: a child looked after continuously for 12 months at 31 March has an OC2 row
    with its health items (immunisations, teeth, health assessment, substance misuse)."""
    oc2 = batch.table("oc2")
    ok = pd.Series(True, index=df.index)
    if oc2 is None or oc2.empty or df.empty:
        return ok
    key = h.extract_key(df)
    supplied = h.exists_in(df, oc2, key)  # an extract without OC2 rows: rule not applied
    complete = oc2.assign(
        __complete=oc2[["immunisations", "teeth_check", "health_assessment", "substance_misuse"]]
        .notna()
        .all(axis=1)
    )
    has_items = h.lookup(df, complete, [*key, "child"], "__complete")
    first = ~care.has_neighbour(df, list(BY_START), 1)
    cohort = care.is_final(df) & supplied & care.continuously_looked_after(df) & first
    return ~(cohort & ~(has_items == True))  # noqa: E712 (NaN: no OC2 row)


def _pair(provider: str, places: list[str]):
    return lambda df, _: ~((df["place_provider"] == provider) & df["place"].isin(places))


EPISODE = {
    "child": "C2",
    "decom": "15/06/2024",
    "rne": "S",
    "ls": "V2",
    "cin": "N1",
    "place": "U4",
    "place_provider": "PR1",
    "dec": None,
    "rec": None,
    "reason_place_change": None,
    "home_post": None,
    "pl_post": None,
    "urn": None,
}
#: C2's episode ends on 20/06/2024 and a new one starts that day (RNE P, not S).
PRIOR = {"episodes": [{"dec": "20/06/2024", "rec": "X1"}]}
NEXT = {"decom": "20/06/2024", "rne": "P"}
#: Four more V3 breaks of 17 days each for C2 (with the example's 17: 85 days in the year).
RESPITE_DAYS = [
    ("01/05/2024", "18/05/2024"),
    ("20/07/2024", "06/08/2024"),
    ("10/08/2024", "27/08/2024"),
    ("01/09/2024", "18/09/2024"),
]
#: C2 in last year's final return (2023-24): its header row.
LAST_YEAR = {
    "header": [{"child": "C2", "sex": "2", "dob": "01/06/2012", "collection_year": "2023-24"}]
}
#: An OC2 row with every item blank.
OC2_BLANK = dict.fromkeys(OC2_FLAGS)


def _v3(start: str, end: str) -> dict:
    return {"decom": start, "dec": end, "rec": "E4A", "ls": "V3", "place": "U6"}


SUITE = Suite(
    name="raw_ssda903_episodes",
    table="raw_ssda903.episodes",
    valid_rows=(
        {**EPISODE, "child": "C1", "decom": "01/05/2024", "dec": "01/07/2024", "rec": "X1"},
        {
            **EPISODE,
            "child": "C1",
            "decom": "2024-07-01",
            "rne": "B",
            "ls": "C2",
            "place": "K2",
            "place_provider": "PR4",
            "reason_place_change": "CARPL",
            "urn": "SC123456",
        },
    ),
    example_row=EPISODE,
    rules=(
        not_blank(
            "CSC-EPISODES-ID",
            "CHILD is blank",
            "child",
            bad=Example({"child": None}),
        ),
        id_format(
            "CSC-EPISODES-ID-FORMAT",
            "child",
            bad=Example({"child": "C1.0"}, also=("INT03",)),
        ),
        check(
            "INT03",
            "Internal Check: Child in Episodes does not exist in Header.",
            ("child",),
            lambda df, batch: h.child_in(df, batch, "header"),
            bad=Example({"child": "C9"}),
            hint="Every child with episodes needs a row in header.csv of the same extract: "
            "without it there is no date of birth.",
        ),
        unique(
            "CSC-EPISODES-KEY",
            "The same episode (CHILD, DECOM) appears more than once",
            ("child", "decom"),
            bad=Example(
                {"child": "C1", "decom": "01/05/2024"}, also=("501", "142", "431", "388", "433")
            ),
        ),
        not_blank(
            "CSC-EPISODES-DECOM",
            "DECOM (date episode began) is blank",
            "decom",
            bad=Example({"decom": None}),
        ),
        is_date(
            "141",
            "Date episode began is not a valid date.",
            "decom",
            bad=Example({"decom": "31/02/2024"}),
            good=Example({"decom": "2024-06-15"}),
        ),
        is_date(
            "147",
            "Date episode ceased is not a valid date.",
            "dec",
            bad=Example({"dec": "2024/07/01", "rec": "E4A"}),
        ),
        check(
            "CSC-EPISODES-FUTURE",
            "DECOM or DEC is after the extract date",
            ("decom", "dec"),
            lambda df, _: h.none_of(
                df["decom__date"] > h.extract_day(df), df["dec__date"] > h.extract_day(df)
            ),
            bad=Example({"decom": "01/11/2024"}),
            good=Example({"dec": "31/10/2024", "rec": "E4A"}),
            hint="An extract covers the year up to its extract date; a later date is a typo "
            "or a planned event recorded too early.",
        ),
        check(
            "CSC-EPISODES-REQUIRED",
            "RNE, LS or PLACE is blank",
            ("rne", "ls", "place"),
            lambda df, _: df[["rne", "ls", "place"]].notna().all(axis=1),
            bad=Example({"ls": None}),
        ),
        in_set(
            "143",
            "The reason for new episode code is not a valid code.",
            "rne",
            codesets.RNE,
            bad=Example({"rne": "X"}, also=("357",)),
        ),
        in_set(
            "144",
            "The legal status code is not a valid code.",
            "ls",
            codesets.LS,
            bad=Example({"ls": "C9"}),
        ),
        in_set(
            "145",
            "Category of need code is not a valid code.",
            "cin",
            codesets.CIN,
            bad=Example({"cin": "N9"}),
        ),
        check(
            "146",
            "Placement type code is not a valid code.",
            ("place",),
            lambda df, _: h.code_for_year(df, "place", "PLACE"),
            bad=Example({"place": "H6"}),
            good=Example({"place": "K3"}),
            hint="The list changes by collection year: K3 from 2024-25; H5, P2 and Z1 gone and "
            "Z11–Z14 added from 2025-26.",
        ),
        check(
            "178",
            "Placement provider code is not a valid code.",
            ("place", "place_provider"),
            _provider_valid,
            bad=Example({"place_provider": "PR9"}),
        ),
        in_set(
            "149",
            "Reason episode ceased code is not valid. ",
            "rec",
            codesets.REC,
            bad=Example({"dec": "01/07/2024", "rec": "E99"}),
        ),
        in_set(
            "1009",
            "Reason for placement change is not a valid code.",
            "reason_place_change",
            codesets.REASON_PLACE_CHANGE,
            bad=Example({"reason_place_change": "MOVED"}),
        ),
        check(
            "148",
            "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
            ("dec", "rec"),
            lambda df, _: df["dec"].isna() == df["rec"].isna(),
            bad=Example({"dec": "01/07/2024"}),
        ),
        not_before(
            "356",
            "The date the episode ceased is before the date the same episode started.",
            "dec",
            "decom",
            bad=Example({"dec": "01/06/2024", "rec": "E4A"}),
            good=Example({"dec": "16/06/2024", "rec": "E4A"}),
        ),
        check(
            "385",
            "Date episode ceased must be on or before the end of the current collection year.",
            ("dec",),
            lambda df, _: ~(df["dec__date"] > h.year_end(df)),
            bad=Example({"dec": "01/04/2025", "rec": "E4A"}, also=("CSC-EPISODES-FUTURE",)),
        ),
        check(
            "353",
            "No episode submitted can start before 14 October 1991.",
            ("decom",),
            lambda df, _: ~(df["decom__date"] < _d("1991-10-14")),
            bad=Example({"child": "C4", "decom": "13/10/1991"}, also=("302",)),
        ),
        check(
            "501",
            "A new episode has started before the end date of the previous episode.",
            ("decom", "dec"),
            _no_overlap,
            bad=Example(
                {"decom": "20/06/2024", "rne": "P", "place": "K2", "place_provider": "PR4"},
                context={"episodes": [{"dec": "01/07/2024", "rec": "X1"}]},
                also=("388", "433"),
            ),
            good=Example({**NEXT, "place": "K2"}, context=PRIOR),
            hint="Episodes of a child must not overlap: each DECOM on or after the previous DEC.",
        ),
        check(
            "142",
            "A new episode has started, but the previous episode has not ended.",
            ("dec", "rec"),
            _previous_ended,
            bad=Example({"decom": "01/06/2024"}, context={"episodes": [{}]}),
        ),
        check(
            "431",
            "The reason for new episode is started to be looked after, but the previous "
            "episode ended on the same day.",
            ("rne", "decom"),
            _s_not_same_day,
            bad=Example({"decom": "20/06/2024", "place": "K2"}, context=PRIOR),
        ),
        check(
            "432",
            "The child ceased to be looked after at the end of the previous episode but the "
            "reason for the new episode is not started to be looked after.",
            ("rne",),
            _new_period_is_s,
            bad=Example(
                {**NEXT, "decom": "01/07/2024", "place": "K2"},
                context={"episodes": [{"dec": "20/06/2024", "rec": "E4A"}]},
                also=("433",),
            ),
        ),
        check(
            "357",
            "If this is the first episode ever for this child, reason for new episode must be "
            "S.  Check whether there is an episode immediately preceding this one, which has "
            "been left out.  If not the reason for new episode code must be amended to S.",
            ("rne",),
            _first_episode_is_s,
            bad=Example({"rne": "B"}),
            good=Example({"child": "C4", "decom": "01/03/2024", "rne": "B"}),
            hint="Checked for a child's first episode in the extract when it starts in the year.",
        ),
        check(
            "302",
            "First episode starts before child was born.",
            ("decom",),
            _first_starts_after_birth,
            bad=Example({"decom": "01/05/2012"}),
        ),
        check(
            "352",
            "Child who started to be looked after was aged 18 or over.",
            ("decom", "rne"),
            _started_under_18,
            bad=Example({"child": "C4", "decom": "20/06/2024"}),
            good=Example({"child": "C4", "decom": "09/10/2023"}),
        ),
        check(
            "386",
            "Reason episode ceased is adopted but child has reached age 18.",
            ("rec",),
            _adopted_under_18,
            bad=Example({"child": "C4", "decom": "01/10/2023", "dec": "20/06/2024", "rec": "E11"}),
        ),
        check(
            "387",
            "Reason episode ceased is child moved into independent living arrangement, but the "
            "child is aged under 14.",
            ("rec",),
            _independent_at_14,
            bad=Example({"dec": "01/07/2024", "rec": "E5"}),
        ),
        check(
            "389",
            "Reason episode ceased is that child transferred to care of adult social care "
            "services, but child is aged under 16.",
            ("rec",),
            _adult_care_at_16,
            bad=Example({"dec": "01/07/2024", "rec": "E7"}),
        ),
        check(
            "380",
            "A period of care cannot start with a temporary placement.",
            ("place", "rne"),
            lambda df, _: ~(df["place"].isin(TEMPORARY) & ~df["rne"].isin(["P", "B"])),
            bad=Example({"place": "T1", "place_provider": None}),
        ),
        check(
            "381",
            "A period of care cannot end with a temporary placement.",
            ("place", "rec"),
            lambda df, _: ~(df["place"].isin(TEMPORARY) & df["rec"].notna() & (df["rec"] != "X1")),
            bad=Example(
                {**NEXT, "place": "T2", "place_provider": None, "dec": "01/07/2024", "rec": "E4A"},
                context=PRIOR,
            ),
        ),
        check(
            "382",
            "A child receiving respite care cannot be in a temporary placement.",
            ("ls", "place"),
            lambda df, _: ~(df["ls"].isin(["V3", "V4"]) & df["place"].isin(TEMPORARY)),
            bad=Example(
                {**NEXT, "rne": "B", "ls": "V3", "place": "T0", "place_provider": None},
                context=PRIOR,
                also=("365", "367"),
            ),
        ),
        check(
            "408",
            "Child is placed for adoption with a placement order, but no placement order has "
            "been recorded.",
            ("place", "ls"),
            lambda df, _: ~(df["place"].isin(["A5", "A6"]) & (df["ls"] != "E1")),
            bad=Example({"place": "A5", "ls": "C2"}),
            good=Example({"place": "A5", "ls": "E1"}),
        ),
        check(
            "445",
            "D1 is not a valid code for episodes starting after December 2005.",
            ("ls", "decom"),
            lambda df, _: ~((df["ls"] == "D1") & (df["decom__date"] > _d("2005-12-31"))),
            bad=Example({"ls": "D1"}),
        ),
        check(
            "446",
            "E1 is not a valid code for episodes starting before December 2005.",
            ("ls", "decom"),
            lambda df, _: ~((df["ls"] == "E1") & (df["decom__date"] < _d("2005-12-01"))),
            bad=Example({"child": "C4", "decom": "15/11/2005", "ls": "E1"}),
        ),
        check(
            "217t",
            "Placement type 'P2' is not a valid placement type from 28 October 2023.",
            ("place", "dec"),
            _p2_ended_by_cutoff,
            bad=Example({"place": "P2"}),
            good=Example({"place": "P2", "decom": "01/09/2023", "dec": "28/10/2023", "rec": "E4A"}),
            hint="An open P2 episode counts as ending at the end of the collection year, so an "
            "open P2 in a 2022-23 return passes.",
        ),
        check(
            "527",
            "A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.",
            ("place", "place_provider"),
            _pair("PR1", ["P1", "R2", "R5"]),
            bad=Example({"place": "P1", "place_provider": "PR1"}),
        ),
        check(
            "528",
            "A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.",
            ("place", "place_provider"),
            _pair("PR2", ["P1", "R2", "R5"]),
            bad=Example({"place": "R2", "place_provider": "PR2"}),
        ),
        check(
            "529",
            "Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, "
            "K1, K2 and U1 to U6 as these placements cannot be provided by other public "
            "organisations.",
            ("place", "place_provider"),
            _pair(
                "PR3",
                ["A3", "A4", "A5", "A6", "K1", "K2", "P1", "U1", "U2", "U3", "U4", "U5", "U6"],
            ),
            bad=Example({"place_provider": "PR3"}),
        ),
        check(
            "550",
            "A placement provider code of PR0 can only be associated with placement P1.",
            ("place", "place_provider"),
            lambda df, _: ~((df["place_provider"] == "PR0") & (df["place"] != "P1")),
            bad=Example({"place_provider": "PR0"}),
            good=Example({"place": "P1", "place_provider": "PR0"}),
        ),
        check(
            "354",
            "Date episode ceased must be on or before the end of the current collection year.",
            ("decom",),
            lambda df, _: ~(df["decom__date"] > h.year_end(df)),
            bad=Example({"decom": "01/04/2025"}, also=("CSC-EPISODES-FUTURE",)),
            hint="Checks DECOM, the date the episode began, as the DfE's rule does: an episode "
            "of this year's return cannot start after 31 March.",
        ),
        check(
            "355",
            "Episode appears to have lasted for less than 24 hours",
            ("decom", "dec"),
            lambda df, _: ~(df["decom__date"].notna() & (df["decom__date"] == df["dec__date"])),
            bad=Example({"dec": "15/06/2024", "rec": "E4A"}),
            good=Example({"dec": "16/06/2024", "rec": "E4A"}),
            hint="DEC is the same day as DECOM: an episode of no time at all.",
        ),
        check(
            "388",
            "Reason episode ceased is coded new episode begins, but there is no continuation "
            "episode.",
            ("dec", "rec"),
            _x1_continues,
            bad=Example({"dec": "20/06/2024", "rec": "X1"}),
            good=Example(
                {"dec": "20/06/2024", "rec": "X1"}, context={"episodes": [{**NEXT, "place": "U6"}]}
            ),
            hint="REC is X1 exactly when the child's next episode starts the day this one ends: "
            "X1 with a gap or with no next episode, or another REC with a next episode that "
            "same day, is flagged (the DfE's three cases).",
        ),
        check(
            "433",
            "The reason for new episode suggests that this is a continuation episode, but the "
            "episode does not start on the same day as the last episode finished.",
            ("rne", "decom"),
            _continuation_starts_on_previous_end,
            bad=Example(
                {"rne": "P", "place": "K2", "place_provider": "PR4"},
                context={"episodes": [{"decom": "01/06/2024", "dec": "10/06/2024", "rec": "X1"}]},
                also=("388",),
            ),
        ),
        check(
            "434",
            "Reason for new episode is that child's legal status has changed but not the "
            "placement, but this is not reflected in the episode data.",
            ("rne", "ls", *PLACEMENT),
            _rne_l_only_legal_status,
            bad=Example(
                {**NEXT, "rne": "L", "ls": "C1", "place": "K2", "place_provider": "PR4"},
                context=PRIOR,
            ),
            good=Example({**NEXT, "rne": "L", "ls": "C1"}, context=PRIOR),
            hint="RNE L: the legal status changed and PLACE, PL_POST, URN and PLACE_PROVIDER "
            "did not (a blank equals a blank).",
        ),
        check(
            "435",
            "Reason for new episode is that child’s placement has changed but not the legal "
            "status, but this is not reflected in the episode data recorded.",
            ("rne", "ls", *PLACEMENT),
            _rne_p_t_only_placement,
            bad=Example(NEXT, context=PRIOR),
            good=Example({**NEXT, "place": "U6"}, context=PRIOR),
            hint="RNE P or T: one of PLACE, PL_POST, URN, PLACE_PROVIDER changed and the legal "
            "status did not (a blank equals a blank; the DfE's validator takes two blanks as "
            "different).",
        ),
        check(
            "436",
            "Reason for new episode is that both child’s placement and legal status have "
            "changed, but this is not reflected in the episode data.",
            ("rne", "ls", *PLACEMENT),
            _rne_b_u_both,
            bad=Example({**NEXT, "rne": "B", "ls": "C1"}, context=PRIOR),
            good=Example({**NEXT, "rne": "B", "ls": "C1", "place": "U6"}, context=PRIOR),
            hint="RNE B or U: the legal status and the placement both changed.",
        ),
        check(
            "437",
            "Reason episode ceased is child has died or is aged 18 or over but there are "
            "further episodes.",
            ("rec",),
            _nothing_after_death_or_adulthood,
            bad=Example(
                {"dec": "20/06/2024", "rec": "E2"},
                context={"episodes": [{"decom": "01/07/2024"}]},
            ),
        ),
        check(
            "365",
            "Any individual short- term respite placement must not exceed 17 days.",
            ("ls", "decom", "dec"),
            _respite_within_17_days,
            bad=Example({"ls": "V3", "place": "U6", "dec": "03/07/2024", "rec": "E4A"}),
            good=Example({"ls": "V3", "place": "U6", "dec": "02/07/2024", "rec": "E4A"}),
            hint="An open V3 episode is measured to the extract's coverage end (31 March, or "
            "the extract date of an in-year extract; the DfE's validator always takes 31 "
            "March, so it flags V3 breaks still open on an in-year extract date).",
        ),
        check(
            "367",
            "The maximum amount of respite care allowable is 75 days in any 12-month period.",
            ("ls", "decom", "dec"),
            _respite_within_75_days_a_year,
            bad=Example(
                {"ls": "V3", "place": "U6", "dec": "02/07/2024", "rec": "E4A"},
                context={"episodes": [_v3(*days) for days in RESPITE_DAYS]},
            ),
            good=Example(
                {"ls": "V3", "place": "U6", "dec": "02/07/2024", "rec": "E4A"},
                context={"episodes": [_v3(*days) for days in RESPITE_DAYS[:3]]},
            ),
            hint="V3 days in the collection year (to the coverage end) per child, as the DfE's "
            "validator counts them; every V3 episode of the child is flagged.",
        ),
        check(
            "384",
            "A child receiving respite care cannot be in a long-term foster placement ",
            ("ls", "place"),
            lambda df, _: ~(df["ls"].isin(SHORT_BREAKS) & df["place"].isin(["U1", "U4"])),
            bad=Example({"ls": "V4"}),
            good=Example({"ls": "V4", "place": "U6"}),
        ),
        check(
            "191",
            "Child has been looked after continuously for at least 12 months at 31 March but one "
            "or more data items relating to children looked after for 12 months have been left "
            "blank.",
            ("child", "decom", "dec", "rne", "rec", "ls"),
            _oc2_for_the_oc2_cohort,
            bad=Example(
                {"collection_year": "2023-24", "decom": "01/01/2022"},
                context={**LAST_YEAR, "oc2": [{"collection_year": "2023-24", **OC2_BLANK}]},
            ),
            good=Example(
                {"collection_year": "2023-24", "decom": "01/01/2022"},
                context={**LAST_YEAR, "oc2": [{"collection_year": "2023-24"}]},
            ),
            hint="Final returns with an OC2 file only. Flags the child's first episode when the "
            "child has no OC2 row, or one with IMMUNISATIONS, TEETH_CHECK, HEALTH_ASSESSMENT "
            "or SUBSTANCE_MISUSE blank. Care that ended on 31 March is not continuous (the "
            "DfE's validator counts it as continuous: a documented false positive of its own).",
        ),
    ),
)
