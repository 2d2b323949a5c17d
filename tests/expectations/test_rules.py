"""Every rule catches its bad example (naming file and line) and passes its good example.

All examples run in ONE validation, each in its own extract (LA code), as the gate runs
many extracts at once: this also proves that rules compare rows only within an extract.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from expectations.examples import Case, all_cases, frames_for
from expectations.suites import ALL_SUITES
from pipelines.lib.gx_runner import validate_tables

CASES = all_cases()
WORLD = Case("W00", ALL_SUITES[0], None, None)  # the valid extract, untouched


@pytest.fixture(scope="module")
def failures() -> dict[str, dict[str, set[tuple[str, str, int]]]]:
    """la_code -> rule code -> {(table, source_file, line)} for every failing row."""
    frames = frames_for([WORLD, *(case for case, _ in CASES)])
    results = validate_tables(frames, ALL_SUITES, ("extract", "warehouse"))
    found: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for table, result in results.items():
        for rule_result in result.results:
            for row in rule_result.rows():
                found[row["la_code"]][rule_result.rule.code].add(
                    (table, row["source_file"], row["source_row"])
                )
    return found


def test_the_example_extract_passes_every_rule(failures):
    assert dict(failures.get("W00", {})) == {}


def _id(item: tuple[Case, str]) -> str:
    case, kind = item
    return f"{case.rule.code}-{kind}"


@pytest.mark.parametrize("item", CASES, ids=[_id(c) for c in CASES])
def test_rule_example(failures, item):
    case, kind = item
    found = failures.get(case.la_code, {})
    if kind == "good":
        assert dict(found) == {}, f"the good example of {case.rule.code} broke a rule"
        return
    expected = {case.rule.code, *case.example.also}
    assert set(found) == expected
    assert (case.suite.table_name, case.source_file, case.line) in found[case.rule.code]
