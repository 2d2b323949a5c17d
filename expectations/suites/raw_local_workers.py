"""Local workers (``raw_local.workers``): one row per worker spell in a team."""

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

WORKER = {
    "sw_id": "SW003",
    "team_id": "T1",
    "role": "4",
    "fte": "0.5",
    "agency": "Y",
    "start_date": "01/03/2021",
    "end_date": None,
}


def _team_known(df, batch):
    teams = batch.table("teams")
    key = [c for c in h.extract_key(df) if teams is not None and c in teams.columns]
    return h.exists_in(df, teams, [*key, "team_id"])


def _fte_ok(df, _):
    fte = pd.to_numeric(df["fte"], errors="coerce")
    return df["fte"].isna() | fte.between(0, 1)


SUITE = Suite(
    name="raw_local_workers",
    table="raw_local.workers",
    valid_rows=(
        {
            "sw_id": "SW001",
            "team_id": "T1",
            "role": "5",
            "fte": "1.0",
            "agency": "N",
            "start_date": "01/01/2020",
            "end_date": None,
        },
        {
            "sw_id": "SW002",
            "team_id": "T2",
            "role": "5",
            "fte": "0.8",
            "agency": "N",
            "start_date": "2022-09-01",
            "end_date": None,
        },
    ),
    example_row=WORKER,
    rules=(
        not_blank("CSC-WORKERS-ID", "SW_ID is blank", "sw_id", bad=Example({"sw_id": None})),
        id_format(
            "CSC-WORKERS-ID-FORMAT",
            "sw_id",
            bad=Example({"sw_id": "SW-003"}),
            joins="the worker's allocations",
        ),
        id_format(
            "CSC-WORKERS-TEAM-FORMAT",
            "team_id",
            bad=Example({"team_id": "T1 "}, also=("CSC-WORKERS-TEAM",)),
            joins="teams.csv",
        ),
        unique(
            "CSC-WORKERS-KEY",
            "The same worker spell (SW_ID, START_DATE) appears more than once",
            ("sw_id", "start_date"),
            bad=Example({"sw_id": "SW001", "start_date": "01/01/2020"}),
        ),
        check(
            "CSC-WORKERS-TEAM",
            "TEAM_ID is blank or not in teams.csv of the same extract, so the worker's cases "
            "have no team or district",
            ("team_id",),
            _team_known,
            bad=Example({"team_id": "T9"}),
        ),
        in_set(
            "CSC-WORKERS-ROLE",
            "ROLE is not a DfE workforce census role code 1–6",
            "role",
            codesets.ROLE,
            bad=Example({"role": "SW"}),
        ),
        check(
            "CSC-WORKERS-FTE",
            "FTE is not a number between 0 and 1",
            ("fte",),
            _fte_ok,
            bad=Example({"fte": "-0.5"}),
            good=Example({"fte": "0"}),
            hint="Blank is allowed (the worker adds cases but no FTE, kpis.md reading 10).",
        ),
        in_set(
            "CSC-WORKERS-AGENCY",
            "AGENCY is not Y or N",
            "agency",
            codesets.YES_NO,
            bad=Example({"agency": "yes"}),
        ),
        is_date(
            "CSC-WORKERS-START",
            "START_DATE is blank or not a valid date",
            "start_date",
            required=True,
            bad=Example({"start_date": None}),
        ),
        is_date(
            "CSC-WORKERS-END",
            "END_DATE is not a valid date (blank while in post)",
            "end_date",
            bad=Example({"end_date": "31/09/2024"}),
        ),
        not_before(
            "CSC-WORKERS-ORDER",
            "END_DATE is before START_DATE",
            "end_date",
            "start_date",
            bad=Example({"end_date": "28/02/2021"}),
        ),
    ),
)
