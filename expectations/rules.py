"""The vocabulary of data-quality rules: a rule is a code, a message, a check and two examples.

A rule is named by its DfE SSDA903 validation rule code where there is one (the code and the
message are those of the D2I validator ``csc-validator-be-903``); rules of our own carry a
``CSC-`` code. Its severity is not written here but looked up in one reviewable place,
:mod:`expectations.severity`.

The check is a Great Expectations expectation run on a pandas frame of the table, so that GX
does the counting and the reporting. A rule that GX cannot express on one column (a code set
that changes by collection year, a comparison with another table of the same extract, an
order of episodes) first *derives* a boolean column in pandas (``True`` = the row passes),
and GX then expects that column to be ``True``.

Every rule carries a ``bad`` example (a row that breaks it) and may carry a ``good`` one (a
valid row near its edge); ``tests/expectations`` runs both for every rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from expectations.severity import Severity, severity_of
from pipelines.lib.contract import ID_PATTERNS

if TYPE_CHECKING:
    import pandas as pd

#: ``extract``: checkable on one extract alone, so it gates the extract before it is loaded.
#: ``warehouse``: needs rows of other extracts (e.g. 903 episodes for local PEPs); evaluated on
#: the raw tables after loading, and always a warning (it must never block an extract).
Scope = Literal["extract", "warehouse"]

#: Columns that identify one extract inside a frame holding several.
EXTRACT_KEY = ("la_code", "collection_year", "extract_date")


class Batch:
    """Every table of the extracts validated together, for rules that look across tables."""

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.tables = tables

    def table(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)


#: ``fn(frame, batch) -> bool Series`` aligned with ``frame``; True where the row passes.
Derive = Callable[["pd.DataFrame", Batch], "pd.Series"]


@dataclass(frozen=True, eq=False)
class Example:
    """A row for the rule's tests: overrides on the suite's example row."""

    row: dict[str, Any]
    #: Other rules this row breaks by design (e.g. an impossible date also fails its range rule).
    also: tuple[str, ...] = ()
    #: Extra rows for other tables of the same extract, for rules that look across tables.
    context: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Rule:
    code: str  # the DfE rule code where there is one, else a local CSC-… code
    message: str  # DfE message verbatim for DfE codes; what is wrong, for local ones
    expectation: str  # GX expectation class name, e.g. "ExpectColumnValuesToBeInSet"
    kwargs: dict[str, Any]
    columns: tuple[str, ...]  # contract columns the rule reads (lower case), shown as "value"
    bad: Example
    good: Example | None = None
    hint: str = ""  # how to fix it, or how our reading differs from the DfE rule
    scope: Scope = "extract"
    derive: tuple[str, Derive] | None = None  # (column, fn) computed before GX runs

    @property
    def severity(self) -> Severity:
        return severity_of(self.code)

    @property
    def is_dfe(self) -> bool:
        return not self.code.startswith("CSC-")


@dataclass(frozen=True, eq=False)
class Suite:
    """The rules for one table, and the rows its tests start from."""

    name: str  # e.g. raw_ssda903_missing
    table: str  # warehouse table, e.g. raw_ssda903.missing
    rules: tuple[Rule, ...]
    #: Valid rows of this table for the shared test extract (line 2 onwards).
    valid_rows: tuple[dict[str, Any], ...] = ()
    #: A valid row that each rule's ``bad`` example overrides.
    example_row: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.table.split(".")[0].removeprefix("raw_")

    @property
    def table_name(self) -> str:
        return self.table.split(".")[1]

    def rules_in(self, scopes: Iterable[Scope]) -> tuple[Rule, ...]:
        wanted = set(scopes)
        return tuple(r for r in self.rules if r.scope in wanted)


# ----------------------------------------------------------------------------- builders


def _flag_column(code: str) -> str:
    return "ok__" + re.sub(r"[^0-9a-z]+", "_", code.lower()).strip("_")


def in_set(
    code: str,
    message: str,
    column: str,
    values: Iterable[str],
    *,
    bad: Example,
    good: Example | None = None,
    hint: str = "",
) -> Rule:
    """The column's value, when not blank, is one of ``values``."""
    return Rule(
        code,
        message,
        "ExpectColumnValuesToBeInSet",
        {"column": column, "value_set": sorted(values)},
        (column,),
        bad,
        good,
        hint,
    )


def not_blank(
    code: str, message: str, column: str, *, bad: Example, good: Example | None = None, hint=""
) -> Rule:
    """The column is filled in."""
    return Rule(
        code,
        message,
        "ExpectColumnValuesToNotBeNull",
        {"column": column},
        (column,),
        bad,
        good,
        hint,
    )


def is_date(
    code: str,
    message: str,
    column: str,
    *,
    required: bool = False,
    bad: Example,
    good: Example | None = None,
    hint: str = "",
) -> Rule:
    """The column holds a date in a contract format (``dd/mm/yyyy`` or ``yyyy-mm-dd``)."""
    hint = hint or "Dates are dd/mm/yyyy (yyyy-mm-dd is also accepted)" + (
        "; the date is required." if required else "; blank is allowed."
    )
    if not required:
        return Rule(
            code,
            message,
            "ExpectColumnValuesToBeInSet",
            {"column": f"{column}__is_date", "value_set": [True]},
            (column,),
            bad,
            good,
            hint,
        )
    return check(
        code,
        message,
        (column,),
        lambda df, _: df[f"{column}__date"].notna(),
        bad=bad,
        good=good,
        hint=hint,
    )


def unique(
    code: str,
    message: str,
    columns: tuple[str, ...],
    *,
    bad: Example,
    good: Example | None = None,
    hint: str = "",
) -> Rule:
    """No two rows of one extract share ``columns`` (the extract key is added here)."""
    return Rule(
        code,
        message,
        "ExpectCompoundColumnsToBeUnique",
        {"column_list": [*EXTRACT_KEY, *columns]},
        columns,
        bad,
        good,
        hint,
    )


def not_before(
    code: str,
    message: str,
    later: str,
    earlier: str,
    *,
    bad: Example,
    good: Example | None = None,
    hint: str = "",
    or_equal: bool = True,
) -> Rule:
    """Date ``later`` is on or after date ``earlier`` (rows with either blank pass)."""
    return Rule(
        code,
        message,
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {
            "column_A": f"{later}__date",
            "column_B": f"{earlier}__date",
            "or_equal": or_equal,
            "ignore_row_if": "either_value_is_missing",
        },
        (earlier, later),
        bad,
        good,
        hint,
    )


def matches(
    code: str,
    message: str,
    column: str,
    regex: str,
    *,
    bad: Example,
    good: Example | None = None,
    hint: str = "",
) -> Rule:
    """The column's value, when not blank, matches ``regex``."""
    return Rule(
        code,
        message,
        "ExpectColumnValuesToMatchRegex",
        {"column": column, "regex": regex},
        (column,),
        bad,
        good,
        hint,
    )


def check(
    code: str,
    message: str,
    columns: tuple[str, ...],
    fn: Derive,
    *,
    bad: Example,
    good: Example | None = None,
    hint: str = "",
    scope: Scope = "extract",
) -> Rule:
    """A rule computed in pandas (``fn`` returns True where the row passes), asserted by GX."""
    flag = _flag_column(code)
    return Rule(
        code,
        message,
        "ExpectColumnValuesToBeInSet",
        {"column": flag, "value_set": [True]},
        columns,
        bad,
        good,
        hint,
        scope,
        (flag, fn),
    )


def id_format(
    code: str,
    column: str,
    *,
    bad: Example,
    good: Example | None = None,
    joins: str = "the child's rows in the other tables",
) -> Rule:
    """The identifier ``column``, when not blank, matches its pattern in
    :data:`pipelines.lib.contract.ID_PATTERNS` (the whole value)."""
    pattern = ID_PATTERNS[column]
    regex = pattern.regex

    def ok(df, _):
        values = df[column]
        return values.isna() | values.astype(str).str.fullmatch(regex).fillna(False).astype(bool)

    return check(
        code,
        f"{column.upper()} is not a valid ID: it must be {pattern.description}",
        (column,),
        ok,
        bad=bad,
        good=good,
        hint=f"A space, comma, quote or line break in an ID stops it matching {joins} and "
        "makes a second one in every count: export the case system's ID exactly "
        f"({pattern.source}).",
    )
