"""Local teams (``raw_local.teams``): one row per team, in a district or County."""

from __future__ import annotations

from expectations.rules import Example, Suite, id_format, in_set, not_blank, unique
from pipelines.lib import codesets

TEAM = {
    "team_id": "T3",
    "team_name": "Care Leavers Basingstoke",
    "district": "Basingstoke and Deane",
    "service": "CARE_LEAVERS",
}

SUITE = Suite(
    name="raw_local_teams",
    table="raw_local.teams",
    valid_rows=(
        {
            "team_id": "T1",
            "team_name": "Havant CIN",
            "district": "Havant",
            "service": "CHILD_IN_NEED",
        },
        {
            "team_id": "T2",
            "team_name": "Children in Care County",
            "district": "County",
            "service": "CHILDREN_IN_CARE",
        },
    ),
    example_row=TEAM,
    rules=(
        not_blank("CSC-TEAMS-ID", "TEAM_ID is blank", "team_id", bad=Example({"team_id": None})),
        id_format(
            "CSC-TEAMS-ID-FORMAT",
            "team_id",
            bad=Example({"team_id": "T 3"}),
            joins="the team's workers",
        ),
        unique(
            "CSC-TEAMS-KEY",
            "The same TEAM_ID appears more than once",
            ("team_id",),
            bad=Example({"team_id": "T1"}),
        ),
        not_blank(
            "CSC-TEAMS-DISTRICT",
            "DISTRICT is blank, so the team's children cannot be attributed to a district",
            "district",
            bad=Example({"district": None}),
        ),
        in_set(
            "CSC-TEAMS-SERVICE",
            "SERVICE is not one of ASSESSMENT, CHILD_IN_NEED, CHILDREN_IN_CARE, CARE_LEAVERS, "
            "DISABILITY, FAMILY_HELP",
            "service",
            codesets.SERVICE,
            bad=Example({"service": "CIC"}),
        ),
        not_blank(
            "CSC-TEAMS-NAME", "TEAM_NAME is blank", "team_name", bad=Example({"team_name": None})
        ),
    ),
)
