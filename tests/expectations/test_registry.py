"""The rule registry is consistent, and docs/data-quality.md is generated from it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from expectations import docs
from expectations.severity import ERRORS, SEVERITY, WARNINGS
from expectations.structural import RULES as STRUCTURAL_RULES
from expectations.suites import ALL_RULES, ALL_SUITES
from pipelines.lib.contract import ALL_TABLES, ID_PATTERNS


def test_every_table_of_the_contract_has_a_suite():
    assert {(s.source, s.table_name) for s in ALL_SUITES} == {
        (t.source, t.name) for t in ALL_TABLES
    }


def test_rule_codes_are_unique_and_at_least_sixty_are_dfe_rules():
    codes = Counter(r.code for r in ALL_RULES)
    assert [c for c, n in codes.items() if n > 1] == []
    assert sum(r.is_dfe for r in ALL_RULES) >= 60


def test_dfe_codes_look_like_dfe_codes_and_local_rules_are_marked_csc():
    for rule in ALL_RULES:
        if rule.is_dfe:
            assert re.fullmatch(r"\d{3,4}[A-Za-z]?|SW\d{2}STG\d|INT\d{2}", rule.code), rule.code
        else:
            assert re.fullmatch(r"CSC-[A-Z0-9]+(?:-[A-Z0-9_]+)+", rule.code), rule.code


def test_every_rule_has_one_severity_in_the_one_reviewable_place():
    codes = {r.code for r in ALL_RULES}
    assert set(SEVERITY) == codes
    assert not set(ERRORS) & set(WARNINGS)
    assert all(reason.strip() for reason in ERRORS.values())  # each error says which KPI


def test_rules_that_look_across_extracts_never_block():
    for rule in ALL_RULES:
        if rule.scope == "warehouse":
            assert rule.severity == "warning", rule.code


def test_every_rule_has_a_bad_example_and_a_message():
    for rule in ALL_RULES:
        assert rule.bad.row and rule.message.strip(), rule.code
        assert set(rule.columns), rule.code


def test_the_rule_catalogue_in_the_docs_is_up_to_date():
    text = docs.DOC.read_text(encoding="utf-8")
    assert docs.START in text and docs.END in text
    assert docs.STRUCTURAL_START in text and docs.STRUCTURAL_END in text
    assert docs.DFE_START in text and docs.DFE_END in text
    assert docs.render(text) == text, "run: .venv/bin/python -m expectations.docs"


#: Where the rules that run before the row-level ones are raised.
_RAISERS = ("landing.py", "filecheck.py", "csvfile.py", "loader.py", "volume.py", "quality.py")


def test_every_structural_rule_code_the_code_uses_is_listed_once_and_every_listed_one_is_used():
    lib = Path(__file__).resolve().parents[2] / "pipelines" / "lib"
    source = "\n".join((lib / name).read_text(encoding="utf-8") for name in _RAISERS)
    used = set(re.findall(r"\b((?:FILE|LANDING|LOAD|VOLUME|DQ|DIAG)-[A-Z0-9-]*[A-Z0-9])\b", source))
    codes = [r.code for r in STRUCTURAL_RULES]
    assert len(codes) == len(set(codes))
    assert used - set(codes) == set(), "add them to expectations/structural.py"
    assert set(codes) - used == set(), "no longer raised: remove them"


def test_every_identifier_column_of_the_contract_has_a_format_rule_in_every_table():
    for suite in ALL_SUITES:
        spec = next(t for t in ALL_TABLES if (t.source, t.name) == (suite.source, suite.table_name))
        for column in (c.lower() for c in spec.columns if c.lower() in ID_PATTERNS):
            assert any(
                r.code.endswith("-FORMAT") and r.columns == (column,) for r in suite.rules
            ), f"{suite.table}.{column} has no ID-format rule"
