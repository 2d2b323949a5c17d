"""SSDA903 header (``raw_ssda903.header``): one row per child looked after or care leaver."""

from __future__ import annotations

from expectations import helpers as h
from expectations.rules import Example, Suite, check, id_format, in_set, is_date, not_blank, unique
from pipelines.lib import codesets


def _dob_not_after_year_end(df, _):
    return h.when(df["dob__date"].notna(), df["dob__date"] <= h.year_end(df))


def _not_over_21_at_year_start(df, _):
    return h.when(df["dob__date"].notna(), h.add_years(df["dob__date"], 21) >= h.year_start(df))


SUITE = Suite(
    name="raw_ssda903_header",
    table="raw_ssda903.header",
    valid_rows=(
        {"child": "C1", "sex": "M", "dob": "01/01/2010", "ethnic": "WBRI", "upn": "A123456789012"},
        {"child": "C2", "sex": "F", "dob": "01/06/2012", "ethnic": "WIRI", "upn": "UN1"},
        {"child": "C3", "sex": "F", "dob": "15/06/2006", "ethnic": "MWBC", "upn": "UN2"},
        {"child": "C4", "sex": "M", "dob": "2005-10-10", "ethnic": "NOBT", "upn": "UN3"},
    ),
    example_row={
        "child": "C5",
        "sex": "M",
        "dob": "01/03/2013",
        "ethnic": "WBRI",
        "upn": "UN5",
        "mother": None,
        "mc_dob": None,
    },
    rules=(
        not_blank(
            "CSC-HEADER-ID",
            "CHILD is blank, so the child's episodes, reviews and care-leaver rows cannot be "
            "joined to the child",
            "child",
            bad=Example({"child": None}),
        ),
        id_format("CSC-HEADER-ID-FORMAT", "child", bad=Example({"child": "C 5"})),
        unique(
            "INT32",
            "Internal Check: Child should only exist once in Header.",
            ("child",),
            bad=Example({"child": "C1"}),
            hint="One header row per child: merge the duplicates in the case system extract.",
        ),
        check(
            "101",
            "Gender code is not valid.",
            ("sex",),
            lambda df, _: h.code_for_year(df, "sex", "SEX"),
            bad=Example({"sex": "X"}),
            good=Example({"sex": "U"}),
            hint="SEX is 1/2 up to 2023-24 and M/F/U from 2024-25 (rule 101 per year).",
        ),
        is_date(
            "102",
            "Date of birth is not a valid date.",
            "dob",
            required=True,
            bad=Example({"dob": "31/02/2013"}),
            good=Example({"dob": "2013-03-01"}),
        ),
        check(
            "301",
            "Date of birth falls after the year ended.",
            ("dob",),
            _dob_not_after_year_end,
            bad=Example({"dob": "01/04/2025"}),
            good=Example({"dob": "31/03/2025"}),
        ),
        check(
            "351",
            "Child was over 21 at the start of the current collection year.",
            ("dob",),
            _not_over_21_at_year_start,
            bad=Example({"dob": "31/03/2003"}),
            good=Example({"dob": "01/04/2003"}),
        ),
        in_set(
            "103",
            "The ethnicity code is either not valid or has not been entered.",
            "ethnic",
            codesets.ETHNIC,
            bad=Example({"ethnic": "White British"}),
        ),
        not_blank(
            "CSC-HEADER-ETHNIC",
            "ETHNIC is blank (rule 103 also requires it; NOBT when not yet obtained)",
            "ethnic",
            bad=Example({"ethnic": None}),
        ),
        check(
            "168",
            "Unique Pupil Number (UPN) is not valid. If unknown, default codes should be "
            "UN1, UN2, UN3, UN4 or UN5.",
            ("upn",),
            lambda df, _: (
                df["upn"].isna()
                | df["upn"]
                .str.fullmatch(r"(?:(?![IOS])[A-Z](?:\d{12}|\d{11}[A-Z]))|UN[1-5]")
                .fillna(False)
            ),
            bad=Example({"upn": "I072272729588"}),
            good=Example({"upn": "X06805040829A"}),
        ),
        in_set(
            "CSC-HEADER-MOTHER",
            "MOTHER is not 0, 1 or blank",
            "mother",
            codesets.FLAG,
            bad=Example({"mother": "Y"}),
            good=Example({"mother": "1", "mc_dob": "01/02/2024"}),
            hint="DfE rule 165 checks MOTHER against SEX and the episodes too; only the "
            "code is checked here.",
        ),
        is_date(
            "CSC-HEADER-MC_DOB",
            "MC_DOB (date of birth of the mother's child) is not a valid date",
            "mc_dob",
            bad=Example({"mother": "1", "mc_dob": "2024/02/01"}),
        ),
        check(
            "CSC-HEADER-ID-SHAPE",
            "CHILD has a format (letters and digits) that no child of this LA's other collection "
            "years has: the case system's IDs may have changed format",
            ("child",),
            h.id_shape_seen_in_other_years,
            bad=Example(
                {"child": "5000005"},
                context={"header": [{"child": "C9", "sex": "1", "collection_year": "2023-24"}]},
            ),
            good=Example(
                {"child": "C55"},
                context={"header": [{"child": "C9", "sex": "1", "collection_year": "2023-24"}]},
            ),
            hint="A child's ID is the same in every year (data contract): if the case system "
            "renumbered its children, last year's children come back as new ones and are "
            "counted twice; map the old IDs to the new ones before the extract.",
            scope="warehouse",
        ),
        check(
            "CSC-HEADER-ID-GAP",
            "CHILD is in an earlier year's header and in this one, but not in the year "
            "between: check it is the same child (IDs reused or changed)",
            ("child",),
            h.no_gap_in_years,
            bad=Example(
                {"child": "C5"},
                context={
                    "header": [
                        {"child": "C5", "sex": "1", "collection_year": "2022-23"},
                        {"child": "C9", "sex": "1", "collection_year": "2023-24"},
                    ]
                },
            ),
            hint="A child who left care and came back is in the headers of both years only; "
            "if the child was looked after in the year between, that year's return lost them.",
            scope="warehouse",
        ),
        check(
            "CSC-HEADER-ID-CHANGED",
            "CHILD is new this year and has the DOB and SEX of a child who was looked after at "
            "the end of last year but is missing from this year's header: probably the same "
            "child under a new ID, who would be counted twice",
            ("child", "dob", "sex"),
            h.not_a_changed_id,
            bad=Example(
                {"child": "C5"},
                context={
                    "header": [{"child": "C9", "sex": "1", "collection_year": "2023-24"}],
                    "episodes": [
                        {
                            "child": "C9",
                            "collection_year": "2023-24",
                            "decom": "01/06/2023",
                            "dec": None,
                            "rec": None,
                            "reason_place_change": None,
                        }
                    ],
                },
            ),
            hint="Use the child's usual ID in every year and table (data contract); a child "
            "looked after on 31 March is in the next year's header.",
            scope="warehouse",
        ),
    ),
)
