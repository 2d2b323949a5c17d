"""Local allocations (``raw_local.allocations``): one row per allocation of a child to a worker."""

from __future__ import annotations

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

ALLOCATION = {
    "child": "C2",
    "sw_id": "SW002",
    "case_type": "CLA",
    "alloc_start": "15/06/2024",
    "alloc_end": None,
}


def _worker_known(df, batch):
    workers = batch.table("workers")
    key = [c for c in h.extract_key(df) if workers is not None and c in workers.columns]
    return h.exists_in(df, workers, [*key, "sw_id"])


SUITE = Suite(
    name="raw_local_allocations",
    table="raw_local.allocations",
    valid_rows=({**ALLOCATION, "child": "C1", "sw_id": "SW001", "alloc_start": "01/05/2024"},),
    example_row=ALLOCATION,
    rules=(
        not_blank("CSC-ALLOC-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format("CSC-ALLOC-ID-FORMAT", "child", bad=Example({"child": "C\u00e91"})),
        id_format(
            "CSC-ALLOC-WORKER-FORMAT",
            "sw_id",
            bad=Example({"sw_id": "SW00\u00b71"}, also=("CSC-ALLOC-WORKER",)),
            joins="workers.csv",
        ),
        unique(
            "CSC-ALLOC-KEY",
            "The same allocation (CHILD, SW_ID, ALLOC_START) appears more than once",
            ("child", "sw_id", "alloc_start"),
            bad=Example({"child": "C1", "sw_id": "SW001", "alloc_start": "01/05/2024"}),
        ),
        check(
            "CSC-ALLOC-WORKER",
            "SW_ID is blank or not in workers.csv of the same extract, so the child has no "
            "team or district and the case counts for no one",
            ("sw_id",),
            _worker_known,
            bad=Example({"sw_id": "SW999"}),
        ),
        in_set(
            "CSC-ALLOC-CASE_TYPE",
            "CASE_TYPE is not one of CIN, CP, CLA, CARE_LEAVER, FAMILY_HELP",
            "case_type",
            codesets.CASE_TYPE,
            bad=Example({"case_type": "LAC"}),
        ),
        is_date(
            "CSC-ALLOC-START",
            "ALLOC_START is blank or not a valid date",
            "alloc_start",
            required=True,
            bad=Example({"alloc_start": "15.06.2024"}),
        ),
        is_date(
            "CSC-ALLOC-END",
            "ALLOC_END is not a valid date (blank while open)",
            "alloc_end",
            bad=Example({"alloc_end": "-"}),
        ),
        not_before(
            "CSC-ALLOC-ORDER",
            "ALLOC_END is before ALLOC_START",
            "alloc_end",
            "alloc_start",
            bad=Example({"alloc_end": "14/06/2024"}),
            good=Example({"alloc_end": "15/06/2024"}),
        ),
    ),
)
