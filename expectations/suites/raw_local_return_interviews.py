"""Local return home interviews (``raw_local.return_interviews``): one row per missing episode."""

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

INTERVIEW = {
    "child": "C1",
    "mis_start": "01/06/2024",
    "offered": "Y",
    "offered_date": "02/06/2024",
    "accepted": "N",
    "rhi_date": None,
}
_EPISODE_KEY = ["la_code", "child", "mis_start__date"]


def _missing_episodes(batch) -> pd.DataFrame | None:
    """Missing episodes from care (every 903 year) and from home, with their end dates."""
    frames = [
        t[[*_EPISODE_KEY, "mis_end__date"]]
        for t in (batch.table("missing"), batch.table("missing_from_home"))
        if t is not None and not t.empty
    ]
    return pd.concat(frames, ignore_index=True) if frames else None


def _matches_an_episode(df, batch):
    return h.exists_in(df, _missing_episodes(batch), _EPISODE_KEY)


def _held_after_return(df, batch):
    episodes = _missing_episodes(batch)
    if episodes is None:
        return pd.Series(True, index=df.index)
    ended = episodes.sort_values("mis_end__date").drop_duplicates(_EPISODE_KEY, keep="last")
    mis_end = pd.to_datetime(h.lookup(df, ended, _EPISODE_KEY, "mis_end__date"))
    return ~(df["rhi_date__date"] < mis_end)


SUITE = Suite(
    name="raw_local_return_interviews",
    table="raw_local.return_interviews",
    valid_rows=(
        {
            "child": "H1",
            "mis_start": "01/07/2024",
            "offered": "Y",
            "offered_date": "02/07/2024",
            "accepted": "Y",
            "rhi_date": "03/07/2024",
        },
    ),
    example_row=INTERVIEW,
    rules=(
        not_blank(
            "CSC-RHI-ID",
            "CHILD is blank",
            "child",
            bad=Example({"child": None}, also=("CSC-RHI-MATCH",)),
        ),
        id_format(
            "CSC-RHI-ID-FORMAT",
            "child",
            bad=Example({"child": "C 1"}, also=("CSC-RHI-MATCH",)),
            joins="the missing episode",
        ),
        unique(
            "CSC-RHI-KEY",
            "The same missing episode (CHILD, MIS_START) has more than one interview row",
            ("child", "mis_start"),
            bad=Example({"child": "H1", "mis_start": "01/07/2024"}),
        ),
        is_date(
            "CSC-RHI-MIS_START",
            "MIS_START is blank or not a valid date, so the row cannot be joined to its "
            "missing episode",
            "mis_start",
            required=True,
            bad=Example({"mis_start": "June"}, also=("CSC-RHI-MATCH",)),
        ),
        check(
            "CSC-RHI-OFFERED",
            "OFFERED is blank or not Y/N",
            ("offered",),
            lambda df, _: df["offered"].isin(codesets.YES_NO),
            bad=Example({"offered": None}),
        ),
        in_set(
            "CSC-RHI-ACCEPTED",
            "ACCEPTED is not Y, N or blank",
            "accepted",
            codesets.YES_NO,
            bad=Example({"accepted": "Maybe"}),
        ),
        check(
            "CSC-RHI-NOT-OFFERED",
            "ACCEPTED or RHI_DATE is filled in but OFFERED is N (ACCEPTED is blank when not "
            "offered)",
            ("offered", "accepted", "rhi_date"),
            lambda df, _: h.when(
                df["offered"] == "N", df["accepted"].isna() & df["rhi_date"].isna()
            ),
            bad=Example({"offered": "N"}),
            good=Example({"offered": "N", "offered_date": None, "accepted": None}),
        ),
        is_date(
            "CSC-RHI-RHI_DATE",
            "RHI_DATE is not a valid date (blank if not held)",
            "rhi_date",
            bad=Example({"accepted": "Y", "rhi_date": "03/06"}),
        ),
        is_date(
            "CSC-RHI-OFFERED_DATE",
            "OFFERED_DATE is not a valid date",
            "offered_date",
            bad=Example({"offered_date": "02/06/24"}),
        ),
        check(
            "CSC-RHI-FUTURE",
            "RHI_DATE is after the extract date",
            ("rhi_date",),
            lambda df, _: ~(df["rhi_date__date"] > h.extract_day(df)),
            bad=Example({"accepted": "Y", "rhi_date": "01/11/2024"}),
        ),
        not_before(
            "CSC-RHI-ORDER",
            "RHI_DATE is before MIS_START",
            "rhi_date",
            "mis_start",
            bad=Example({"accepted": "Y", "rhi_date": "31/05/2024"}, also=("CSC-RHI-AFTER-END",)),
        ),
        check(
            "CSC-RHI-MATCH",
            "No missing episode from care (903 missing, any year) or from home has this CHILD "
            "and MIS_START, so the interview counts for no episode",
            ("child", "mis_start"),
            _matches_an_episode,
            bad=Example({"mis_start": "03/06/2024"}),
            scope="warehouse",
        ),
        check(
            "CSC-RHI-AFTER-END",
            "RHI_DATE is before MIS_END of its missing episode (an interview is held after the "
            "child returns)",
            ("rhi_date",),
            _held_after_return,
            bad=Example({"accepted": "Y", "rhi_date": "01/06/2024"}),
            good=Example({"accepted": "Y", "rhi_date": "02/06/2024"}),
            scope="warehouse",
        ),
    ),
)
