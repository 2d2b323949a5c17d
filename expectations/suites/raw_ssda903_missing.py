"""SSDA903 missing table (``raw_ssda903.missing``): missing and away episodes from care."""

from expectations.rules import Rule, Suite

_KEY = ["la_code", "collection_year", "child", "mis_start"]

SUITE = Suite(
    name="raw_ssda903_missing",
    table="raw_ssda903.missing",
    date_columns=("dob", "mis_start", "mis_end"),
    rules=(
        Rule(
            "CSC-ID-01",
            "error",
            "CHILD is blank",
            "ExpectColumnValuesToNotBeNull",
            {"column": "child"},
        ),
        Rule(
            "564",
            "error",
            "MIS_START (missing episode start date) is blank",
            "ExpectColumnValuesToNotBeNull",
            {"column": "mis_start"},
        ),
        Rule(
            "1006",
            "error",
            "MISSING is not a valid code (M missing, A away)",
            "ExpectColumnValuesToBeInSet",
            {"column": "missing", "value_set": ["M", "A"]},
        ),
        Rule(
            "CSC-DATE-MIS_START",
            "error",
            "MIS_START is not a date in dd/mm/yyyy or yyyy-mm-dd form",
            "ExpectColumnValuesToBeInSet",
            {"column": "mis_start__is_date", "value_set": [True]},
        ),
        Rule(
            "CSC-DATE-MIS_END",
            "error",
            "MIS_END is not a date in dd/mm/yyyy or yyyy-mm-dd form (blank is allowed: "
            "still missing)",
            "ExpectColumnValuesToBeInSet",
            {"column": "mis_end__is_date", "value_set": [True]},
        ),
        Rule(
            "CSC-MIS-01",
            "error",
            "MIS_END is before MIS_START",
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "mis_end__date",
                "column_B": "mis_start__date",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
        ),
        Rule(
            "CSC-KEY-MISSING",
            "error",
            "the same missing episode (CHILD, MIS_START) appears more than once in the file",
            "ExpectCompoundColumnsToBeUnique",
            {"column_list": _KEY},
        ),
        Rule(
            "CSC-DATE-DOB",
            "warning",
            "DOB is not a date in dd/mm/yyyy or yyyy-mm-dd form",
            "ExpectColumnValuesToBeInSet",
            {"column": "dob__is_date", "value_set": [True]},
        ),
    ),
)
