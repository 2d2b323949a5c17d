"""SSDA903 previous permanence (``raw_ssda903.previous_permanence``)."""

from __future__ import annotations

from expectations import helpers as h
from expectations.rules import Example, Suite, check, id_format, in_set, matches, not_blank, unique
from pipelines.lib import codesets

PERMANENCE = {
    "child": "C2",
    "dob": "01/06/2012",
    "prev_perm": "P1",
    "la_perm": None,
    "date_perm": "ZZ/03/2016",
}

SUITE = Suite(
    name="raw_ssda903_previous_permanence",
    table="raw_ssda903.previous_permanence",
    valid_rows=(
        {**PERMANENCE, "child": "C1", "dob": "01/01/2010", "prev_perm": "Z1", "date_perm": None},
    ),
    example_row=PERMANENCE,
    rules=(
        not_blank("CSC-PREVPERM-ID", "CHILD is blank", "child", bad=Example({"child": None})),
        id_format("CSC-PREVPERM-ID-FORMAT", "child", bad=Example({"child": "C/1"})),
        unique(
            "CSC-PREVPERM-KEY",
            "The same CHILD appears more than once in previous permanence",
            ("child",),
            bad=Example({"child": "C1", "dob": "01/01/2010"}),
        ),
        in_set(
            "CSC-PREVPERM-CODE",
            "PREV_PERM is not a valid code (P1, P2, P3, P4, Z1)",
            "prev_perm",
            codesets.PREV_PERM,
            bad=Example({"prev_perm": "P5"}),
        ),
        matches(
            "CSC-PREVPERM-DATE",
            "DATE_PERM is not a date: dd/mm/yyyy, with ZZ for an unknown day or month",
            "date_perm",
            r"^(?:\d{2}|ZZ)/(?:\d{2}|ZZ)/(?:\d{4}|ZZZZ)$",
            bad=Example({"date_perm": "March 2016"}),
            hint="The DfE layout allows a partial date (ZZ/03/2016); see rule 632.",
        ),
        check(
            "INT16",
            "Internal Check: DOB in PrevPerm is different to DOB in Header.",
            ("dob",),
            h.same_dob_as_header,
            bad=Example({"dob": "02/06/2012"}),
            hint="One DOB per child across every table of an extract: the KPIs read the header's DOB; "
            "correct whichever is wrong in the case system.",
        ),
    ),
)
