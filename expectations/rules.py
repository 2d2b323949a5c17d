"""The vocabulary of data-quality rules: a rule is a code, a severity, a message and a check.

Severity decides what happens when a rule fails (one reviewable place per suite):
``error`` rules make KPIs wrong and block publishing; ``warning`` rules publish, flagged.
The check is a Great Expectations expectation run on a pandas frame of the table, so
that GX does the counting and reporting and we keep rule codes and messages that an
engineer can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    code: str  # the DfE rule code where there is one, else a local CSC-… code
    severity: Severity
    message: str  # what is wrong, in the words an engineer will read in the report
    expectation: str  # GX expectation class name, e.g. "ExpectColumnValuesToBeInSet"
    kwargs: dict[str, Any]


@dataclass(frozen=True)
class Suite:
    """The rules for one table, plus how to prepare the frame GX validates."""

    name: str
    table: str  # warehouse table, e.g. raw_ssda903.missing
    rules: tuple[Rule, ...]
    date_columns: tuple[str, ...] = ()  # parsed into <col>__date and <col>__is_date
