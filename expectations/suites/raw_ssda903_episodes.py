"""SSDA903 episodes (``raw_ssda903.episodes``): one row per episode of care open in the year."""

from __future__ import annotations

import pandas as pd

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

SUITE = Suite(
    name="raw_ssda903_episodes",
    table="raw_ssda903.episodes",
    valid_rows=(
        {**EPISODE, "child": "C1", "decom": "01/05/2024", "dec": "01/07/2024", "rec": "X1"},
        {
            **EPISODE,
            "child": "C1",
            "decom": "2024-07-01",
            "rne": "P",
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
            bad=Example({"child": "C1.0"}, also=("CSC-EPISODES-CHILD",)),
        ),
        check(
            "CSC-EPISODES-CHILD",
            "CHILD has episodes but no row in header.csv of the same extract (no date of birth)",
            ("child",),
            lambda df, batch: h.child_in(df, batch, "header"),
            bad=Example({"child": "C9"}),
        ),
        unique(
            "CSC-EPISODES-KEY",
            "The same episode (CHILD, DECOM) appears more than once",
            ("child", "decom"),
            bad=Example({"child": "C1", "decom": "01/05/2024"}, also=("501", "142", "431")),
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
            "CSC-EPISODES-DEC",
            "DEC (date episode ceased) is not a valid date",
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
            good=Example({"dec": "15/06/2024", "rec": "E4A"}),
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
            bad=Example({"child": "C3", "decom": "20/06/2024"}),
            good=Example({"child": "C3", "decom": "14/06/2024"}),
        ),
        check(
            "386",
            "Reason episode ceased is adopted but child has reached age 18.",
            ("rec",),
            _adopted_under_18,
            bad=Example({"child": "C3", "decom": "10/06/2024", "dec": "20/06/2024", "rec": "E11"}),
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
            bad=Example({**NEXT, "ls": "V3", "place": "T0", "place_provider": None}, context=PRIOR),
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
            good=Example({"place": "P2", "decom": "01/09/2023", "dec": "28/10/2023", "rec": "X1"}),
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
    ),
)
