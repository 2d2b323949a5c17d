"""SSDA903 social worker episodes (``raw_ssda903.sw_episodes``), from 2023-24."""

from __future__ import annotations

from expectations import helpers as h
from expectations.rules import (
    Example,
    Suite,
    check,
    id_format,
    is_date,
    not_before,
    not_blank,
    unique,
)
from pipelines.lib import codesets

SW = {
    "child": "C2",
    "dob": "01/06/2012",
    "sw_id": "SW002",
    "sw_decom": "15/06/2024",
    "sw_dec": None,
    "sw_reason": "MANAGE",
}

SUITE = Suite(
    name="raw_ssda903_sw_episodes",
    table="raw_ssda903.sw_episodes",
    valid_rows=(
        {
            **SW,
            "child": "C1",
            "dob": "01/01/2010",
            "sw_id": "XX001",
            "sw_decom": "01/05/2024",
            "sw_reason": "OTHERS",
        },
    ),
    example_row=SW,
    rules=(
        not_blank("CSC-SWE-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format("CSC-SWE-ID-FORMAT", "child", bad=Example({"child": "C 2"})),
        id_format(
            "CSC-SWE-SW_ID-FORMAT", "sw_id", bad=Example({"sw_id": "SW 001"}), joins="workers.csv"
        ),
        unique(
            "CSC-SWE-KEY",
            "The same social worker episode (CHILD, SW_DECOM) appears more than once",
            ("child", "sw_decom"),
            bad=Example({"child": "C1", "dob": "01/01/2010", "sw_decom": "01/05/2024"}),
        ),
        check(
            "SW02STG1",
            "Social worker ID does not begin with the characters ‘SW’ or ‘XX’.",
            ("sw_id",),
            lambda df, _: df["sw_id"].fillna("").str[:2].isin(["SW", "XX"]),
            bad=Example({"sw_id": "sw002"}),
        ),
        check(
            "SW03STG1",
            "For each social worker episode, information should be complete.",
            ("sw_id", "sw_decom", "sw_reason"),
            lambda df, _: df[["sw_id", "sw_decom", "sw_reason"]].notna().all(axis=1),
            bad=Example({"sw_reason": None}, also=("SW13STG1",)),
        ),
        is_date(
            "SW04STG1",
            "Date social worker episode began is not a valid date..",
            "sw_decom",
            required=True,
            bad=Example({"sw_decom": "2024-06-31"}),
        ),
        is_date(
            "CSC-SWE-SW_DEC",
            "SW_DEC is not a valid date",
            "sw_dec",
            bad=Example({"sw_dec": "ongoing"}),
        ),
        not_before(
            "CSC-SWE-ORDER",
            "SW_DEC is before SW_DECOM",
            "sw_dec",
            "sw_decom",
            bad=Example({"sw_dec": "14/06/2024"}),
        ),
        check(
            "SW13STG1",
            "The reason for social worker change is either not valid or has not been entered.",
            ("sw_reason",),
            lambda df, _: df["sw_reason"].isin(codesets.SW_REASON),
            bad=Example({"sw_reason": "HOLIDAY"}),
        ),
        check(
            "CSC-SWE-DOB",
            "DOB in sw_episodes.csv is different to DOB in header.csv (as the DfE's INT11-INT18 "
            "for the other tables)",
            ("dob",),
            h.same_dob_as_header,
            bad=Example({"dob": "02/06/2012"}),
            hint="One DOB per child across every table of an extract: the KPIs read the header's DOB; "
            "correct whichever is wrong in the case system.",
        ),
    ),
)
