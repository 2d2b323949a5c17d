"""SSDA903 missing (``raw_ssda903.missing``): missing and away episodes from care."""

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
from pipelines.lib import codesets

MISSING = {
    "child": "C1",
    "dob": "01/01/2010",
    "missing": "A",
    "mis_start": "10/07/2024",
    "mis_end": "11/07/2024",
}

#: C5 (no episodes in the example extract) looked after from 1 May to 1 July 2024.
C5_CARE = {"episodes": [{"child": "C5", "decom": "01/05/2024", "dec": "01/07/2024", "rec": "E4A"}]}
C5 = {"child": "C5", "dob": "01/03/2013"}
#: C5 looked after from 1 January 2024, still.
C5_LONG = {"episodes": [{"child": "C5", "decom": "01/01/2024"}]}


def _not_overlapping(df, _):
    """Rule 574: ordered by end (an open period at its start), a period starts after the
    previous one ended, and never while the previous one is still open."""
    rows = df.assign(__end=df["mis_end__date"].fillna(df["mis_start__date"]))
    by = ["__end", "mis_start__date"]
    previous_end = care.neighbour(rows, ["mis_end__date"], by, 1)["mis_end__date"]
    has = care.has_neighbour(rows, by, 1)
    return ~(has & (previous_end.isna() | (df["mis_start__date"] < previous_end)))


def _ends_with_its_placement(df, batch):
    """Rule 575: a period still open (MIS_END blank) did not start in an episode that ended."""
    pairs = care.missing_with_episodes(df, batch)
    start = care.values_at(df, pairs, "mis_start__date")
    open_ = care.values_at(df.assign(__open=df["mis_end"].isna()), pairs, "__open")
    inside_ended = (
        (pairs["decom__date"] <= start) & (start <= pairs["dec__date"]) & pairs["dec__date"].notna()
    )
    return ~care.any_per_row(df, pairs, inside_ended & open_)


def _inside_a_period_of_care(df, batch):
    """Rule 577: in some period of care of the child, the missing period neither outlives
    it (open after it ended, or ending after it) nor lies before it."""
    pairs = care.missing_with_periods(df, batch)
    start = care.values_at(df, pairs, "mis_start__date")
    end = care.values_at(df, pairs, "mis_end__date")
    open_ = care.values_at(df.assign(__open=df["mis_end"].isna()), pairs, "__open")
    outside = (
        (start.notna() & open_ & pairs["end"].notna())
        | (open_ & (start < pairs["start"]))
        | (end > pairs["end"])
        | (end < pairs["start"])
    )
    return ~care.all_per_row(df, pairs, outside)


def _starts_in_a_period_of_care(df, batch):
    """Rule 578: the missing period starts inside some period of care of the child."""
    pairs = care.missing_with_periods(df, batch)
    start = care.values_at(df, pairs, "mis_start__date")
    outside = (start < pairs["start"]) | ((start > pairs["end"]) & pairs["end"].notna())
    return ~care.all_per_row(df, pairs, outside)


def _starts_in_an_episode(df, batch):
    """Rule 581: the missing period starts inside an episode of the child (one with no end
    counts as still open); a blank or unreadable start is inside none."""
    pairs = care.missing_with_episodes(df, batch)
    start = care.values_at(df, pairs, "mis_start__date")
    inside = (pairs["decom__date"] <= start) & (
        (start <= pairs["dec__date"]) | pairs["dec__date"].isna()
    )
    paired = pd.Series(False, index=df.index)
    paired.iloc[pairs["row"].unique()] = True
    return ~(paired & ~care.any_per_row(df, pairs, inside))


SUITE = Suite(
    name="raw_ssda903_missing",
    table="raw_ssda903.missing",
    valid_rows=(
        {
            **MISSING,
            "child": "C1",
            "dob": "01/01/2010",
            "missing": "M",
            "mis_start": "01/06/2024",
            "mis_end": "02/06/2024",
        },
    ),
    example_row=MISSING,
    rules=(
        not_blank("CSC-MISSING-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format(
            "CSC-MISSING-ID-FORMAT",
            "child",
            bad=Example({"child": "C1,C2"}, also=("INT04",)),
        ),
        check(
            "INT04",
            "Internal Check: Child in Missing does not exist in Header.",
            ("child",),
            lambda df, batch: h.child_in(df, batch, "header"),
            bad=Example({"child": "C9"}),
        ),
        unique(
            "CSC-MISSING-KEY",
            "The same missing episode (CHILD, MIS_START) appears more than once",
            ("child", "mis_start"),
            bad=Example({"mis_start": "01/06/2024", "mis_end": "02/06/2024"}, also=("574",)),
        ),
        check(
            "564",
            "Child was missing or away from placement without authorisation and the date "
            "started is blank.",
            ("missing", "mis_start"),
            lambda df, _: ~(df["missing"].isin(codesets.MISSING) & df["mis_start"].isna()),
            bad=Example({"mis_start": None}, also=("1004", "581")),
        ),
        check(
            "565",
            "The date that the child started to be missing or away from placement without "
            "authorisation has been completed but whether the child was missing or away from "
            "placement without authorisation has not been completed.",
            ("missing", "mis_start"),
            lambda df, _: ~(df["mis_start"].notna() & df["missing"].isna()),
            bad=Example({"missing": None}, also=("566",)),
        ),
        check(
            "566",
            "The date that the child's episode of being missing or away from placement without "
            "authorisation ended has been completed but whether the child was missing or away "
            "without authorisation has not been completed.",
            ("missing", "mis_end"),
            lambda df, _: ~(df["mis_end"].notna() & df["missing"].isna()),
            bad=Example({"missing": None, "mis_start": None}, also=("1004", "581")),
        ),
        in_set(
            "1006",
            "Missing type invalid.",
            "missing",
            codesets.MISSING,
            bad=Example({"missing": "X"}),
            hint="M: missing (whereabouts unknown); A: away from placement without authorisation.",
        ),
        is_date(
            "1004",
            "The start date of the missing episode or episode that the child was away from "
            "placement without authorisation is not a valid date.",
            "mis_start",
            required=True,
            bad=Example({"mis_start": "31/02/2024"}, also=("581",)),
            good=Example({"mis_start": "2024-06-20"}),
        ),
        is_date(
            "1005",
            "The end date of the missing episode or episode that the child was away from "
            "placement without authorisation is not a valid date.",
            "mis_end",
            bad=Example({"mis_end": "2024/06/21"}),
            good=Example({"mis_end": None}),
        ),
        not_before(
            "567",
            "The date that the missing episode or episode that the child was away from "
            "placement without authorisation ended is before the date that it started.",
            "mis_end",
            "mis_start",
            bad=Example({"mis_start": "05/06/2024", "mis_end": "04/06/2024"}),
            good=Example({"mis_start": "05/06/2024", "mis_end": "05/06/2024"}),
        ),
        check(
            "570",
            "The date that the child started to be missing or away from placement without "
            "authorisation is after the end of the collection year.",
            ("mis_start",),
            lambda df, _: ~(df["mis_start__date"] > h.year_end(df)),
            bad=Example({"mis_start": "01/04/2025", "mis_end": None}, also=("CSC-MISSING-FUTURE",)),
        ),
        check(
            "571",
            "The date that the child ceased to be missing or away from placement without "
            "authorisation is before the start or after the end of the collection year.",
            ("mis_end",),
            lambda df, _: h.none_of(
                df["mis_end__date"] < h.year_start(df), df["mis_end__date"] > h.year_end(df)
            ),
            bad=Example(
                {**C5, "mis_start": "20/03/2024", "mis_end": "25/03/2024"}, context=C5_LONG
            ),
            good=Example(
                {**C5, "mis_start": "20/03/2024", "mis_end": "01/04/2024"}, context=C5_LONG
            ),
        ),
        check(
            "CSC-MISSING-FUTURE",
            "MIS_START or MIS_END is after the extract date",
            ("mis_start", "mis_end"),
            lambda df, _: h.none_of(
                df["mis_start__date"] > h.extract_day(df), df["mis_end__date"] > h.extract_day(df)
            ),
            bad=Example({"mis_end": "01/11/2024"}),
            good=Example({"mis_end": "31/10/2024"}),
        ),
        check(
            "586",
            "Dates of missing periods are before child’s date of birth.",
            ("mis_start", "dob"),
            lambda df, _: ~(df["mis_start__date"] <= df["dob__date"]),
            bad=Example({"dob": "10/07/2024"}, also=("INT13",)),
        ),
        is_date(
            "CSC-MISSING-DOB",
            "DOB is not a valid date",
            "dob",
            bad=Example({"dob": "not a date"}),
        ),
        check(
            "INT13",
            "Internal Check: DOB in Missing is different to DOB in Header.",
            ("dob",),
            h.same_dob_as_header,
            bad=Example({"dob": "02/06/2012"}),
            hint="One DOB per child across every table of an extract: the KPIs read the header's DOB; "
            "correct whichever is wrong in the case system.",
        ),
        check(
            "574",
            "A new missing/away from placement without authorisation period cannot start when "
            "the previous missing/away from placement without authorisation period is still "
            "open. Missing/away from placement without authorisation periods should also not "
            "overlap.",
            ("mis_start", "mis_end"),
            _not_overlapping,
            bad=Example(
                {"mis_start": "10/07/2024"},
                context={"missing": [{"mis_start": "09/07/2024", "mis_end": None}]},
            ),
            good=Example(
                {"mis_start": "10/07/2024"},
                context={"missing": [{"mis_start": "12/07/2024", "mis_end": None}]},
            ),
            hint="Periods of a child are ordered by their end (an open one by its start): each "
            "starts on or after the previous one's end.",
        ),
        check(
            "575",
            "If the placement from which the child goes missing/away from placement without "
            "authorisation ends, the missing/away from placement without authorisation period "
            "in the missing module must also have an end date.",
            ("mis_start", "mis_end"),
            _ends_with_its_placement,
            bad=Example(
                {"child": "C1", "dob": "01/01/2010", "mis_start": "10/06/2024", "mis_end": None}
            ),
            good=Example(
                {"child": "C1", "dob": "01/01/2010", "mis_start": "10/07/2024", "mis_end": None}
            ),
            hint="A period that started in an episode which has ended (DECOM <= MIS_START <= DEC) "
            "has an end date.",
        ),
        check(
            "577",
            "Child ceased to be looked after but there is a missing/away from placement without "
            "authorisation period without an end date.",
            ("mis_start", "mis_end"),
            _inside_a_period_of_care,
            bad=Example(
                {**C5, "mis_start": "10/06/2024", "mis_end": None}, context=C5_CARE, also=("575",)
            ),
            good=Example(
                {**C5, "mis_start": "10/06/2024", "mis_end": "12/06/2024"}, context=C5_CARE
            ),
            hint="For no period of care of the child: open after the period ended, open from "
            "before it started, or ending after its end or before its start (periods chain "
            "episodes that start on or before the previous one's end).",
        ),
        check(
            "578",
            "The date that the child started to be missing is after the child ceased to be "
            "looked after.",
            ("mis_start",),
            _starts_in_a_period_of_care,
            bad=Example(
                {**C5, "mis_start": "05/07/2024", "mis_end": "06/07/2024"},
                context=C5_CARE,
                also=("577", "581"),
            ),
            good=Example(
                {**C5, "mis_start": "01/07/2024", "mis_end": "01/07/2024"}, context=C5_CARE
            ),
            hint="MIS_START is in no period of care of the child: before its start or after its end.",
        ),
        check(
            "581",
            "Child is missing but has not yet started to be looked after.",
            ("mis_start",),
            _starts_in_an_episode,
            bad=Example(
                {**C5, "mis_start": "20/04/2024", "mis_end": "21/04/2024"},
                context=C5_CARE,
                also=("577", "578"),
            ),
            good=Example(
                {**C5, "mis_start": "01/05/2024", "mis_end": "01/05/2024"}, context=C5_CARE
            ),
            hint="MIS_START is in no episode of the child (an open episode runs on); a blank or "
            "unreadable MIS_START is in none, as the DfE's validator reads it (1004 names it).",
        ),
    ),
)
