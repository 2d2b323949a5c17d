"""The gate and the DfE's validator agree, and the gate catches every break it blocks on.

One generated LA (Hampshire at a tenth of its size, three collection years as at 30 June
2026: two final returns and three in-year extracts) with defects injected by csc-synth:
one kind per DfE rule the gate blocks on (``pipelines/synth/rule_defects.py``), plus the
cell kinds that hit DfE rules (overlapping episodes, ends before starts, DOBs that differ
between tables, unknown codes). Then:

- every rule kind's breaks are caught by its rule, which blocks (one test per kind);
- the gate (``check_folder``: every extract, as the loader validates it) and Data to
  Insight's csc-validator-be-903 (its own environment, each return with last year's) flag
  the same children for every DfE rule code both implement, on the newest extract of each
  collection year. Where they differ, :data:`DIFFERENCES` names the rule and the cause, and
  the test checks that every child that differs is explained by it: the DfE package is
  wrong in three of them, the fourth is the gate seeing one extract at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from expectations.severity import severity_of
from expectations.suites import ALL_RULES
from pipelines.lib.dfe903 import ValidationRun
from pipelines.lib.dfe903_check import ReturnToCheck
from pipelines.lib.dfe903_check import run as run_validator
from pipelines.lib.quality import check_folder
from pipelines.synth import SynthConfig, generate
from pipelines.synth.rule_defects import RULE_KINDS

LA = "850"
AS_AT = dt.date(2026, 6, 30)
CELL_KINDS = ("overlapping_episodes", "end_before_start", "dob_mismatch", "unknown_codes")
DFE_CODES = {r.code for r in ALL_RULES if r.is_dfe}


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dfe-agreement")
    generate(
        SynthConfig(
            out=out,
            las=(LA,),
            scale=0.1,
            years=3,
            as_at=AS_AT,
            defects=tuple(k.name for k in RULE_KINDS) + CELL_KINDS,
            defect_rate=0.02,
            quiet=True,
        )
    )
    return out


@pytest.fixture(scope="module")
def manifest(landing) -> list[dict]:
    return json.loads((landing / "_defects.json").read_text())["defects"]


@pytest.fixture(scope="module")
def gate(landing) -> dict[tuple[str, str], set[str | None]]:
    """(extract folder, rule) -> the children the gate flags."""
    checked = check_folder(landing)
    assert checked.rejected == {}  # no structural defect among the kinds injected
    flagged: dict[tuple[str, str], set] = defaultdict(set)
    for verdict in checked.verdicts:
        for failure in verdict.failures:
            rows = failure.rows()
            for child, file in zip(rows["child"], rows["source_file"], strict=True):
                flagged[(file.rsplit("/", 1)[0], failure.code)].add(child)
    return flagged


def _newest(landing: Path) -> list[Path]:
    return [sorted(y.iterdir())[-1] for y in sorted((landing / LA / "ssda903").iterdir())]


@pytest.fixture(scope="module")
def validator(landing) -> list[ValidationRun]:
    folders = _newest(landing)  # one per year, oldest first: each with the one before
    targets = [
        ReturnToCheck(
            LA,
            folder.parent.name,
            dt.date.fromisoformat(folder.name),
            folder,
            None,
            folders[i - 1] if i else None,
            "",
        )
        for i, folder in enumerate(folders)
    ]
    outcomes = run_validator(targets, max_jobs=2)
    assert [o.status for o in outcomes] == ["ok"] * len(folders), [o.message for o in outcomes]
    return [o.run for o in outcomes]


def _child_at(landing: Path, entry: dict) -> str:
    with (landing / entry["file"]).open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))[entry["line"] - 1][0]


# ----------------------------------------------------------------------------- each kind


@pytest.mark.parametrize("kind", RULE_KINDS, ids=[k.name for k in RULE_KINDS])
def test_every_rule_kind_is_caught_by_its_rule_which_blocks(kind, landing, manifest, gate):
    entries = [e for e in manifest if e["kind"] == kind.name]
    assert entries, f"{kind.name} planted nothing"
    assert {e["rule"] for e in entries} == {kind.rule}
    assert severity_of(kind.rule) == "error"
    for entry in entries:
        folder = entry["file"].rsplit("/", 1)[0]
        child = _child_at(landing, entry)
        assert child in gate[(folder, kind.rule)], (kind.name, entry, child)


# ----------------------------------------------------------------------------- agreement


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    path = folder / f"{table}.csv"
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _day(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


@dataclass(frozen=True)
class Context:
    run: ValidationRun

    def episodes(self, child: str, previous: bool = False) -> list[dict[str, str]]:
        folder = self.run.previous if previous else self.run.folder
        if folder is None:
            return []
        return [e for e in _rows(folder, "episodes") if e["CHILD"] == child]

    def known(self, rule: str) -> set[str | None]:
        return {f.child for f in self.run.findings if f.rule == rule and f.known_false_positive}


def _open_on_birthday(child: str, ctx: Context) -> bool:
    header = next(r for r in _rows(ctx.run.folder, "header") if r["CHILD"] == child)
    dob = _day(header["DOB"])
    start = int(ctx.run.collection_year[:4])
    birthday = dob.replace(year=start + (dob.month < 4))
    return any(
        e["DEC"] == "" and (_day(e["DECOM"]) or dt.date.max) <= birthday
        for e in ctx.episodes(child)
    )


def _care_ended_31_march(child: str, ctx: Context) -> bool:
    march = f"31/03/{int(ctx.run.collection_year[:4]) + 1}"
    return any(e["DEC"] == march and e["REC"] != "X1" for e in ctx.episodes(child))


@dataclass(frozen=True)
class Difference:
    """Why the gate and the validator differ on a rule, and how to tell each child it
    explains: ``gate_only`` / ``validator_only`` say whether a child flagged by one side
    only is explained."""

    reason: str
    package_wrong: bool
    gate_only: Callable[[str, Context], bool] = lambda child, ctx: False
    validator_only: Callable[[str, Context], bool] = lambda child, ctx: False
    years: tuple[str, ...] = ()


DIFFERENCES: dict[str, Difference] = {
    "1007": Difference(
        "The validator compares DEC with the birthday, so a young person still looked after "
        "(DEC blank) is never 'in care on the birthday': an OC3 row for a 17- or 18-year-old "
        "still in care is missed.",
        package_wrong=True,
        gate_only=_open_on_birthday,
    ),
    "190": Difference(
        "The validator counts care ending before 31 March only, so care that ended on 31 "
        "March is 'continuous' and an OC2 row for that child is not flagged (the same defect "
        "as its rule 191's documented false positive).",
        package_wrong=True,
        gate_only=_care_ended_31_march,
    ),
    "191": Difference(
        "As 190: a child whose care ended on 31 March is asked for an OC2 row by the "
        "validator (documented in dfe903_known).",
        package_wrong=True,
        validator_only=_care_ended_31_march,
    ),
    "146": Difference(
        "2024-25: the validator's list has 'k3' in lower case and it upper-cases every value, "
        "so every K3 episode fails and the rule's findings that year are documented false "
        "positives as a whole: the unknown codes the gate flags are among them.",
        package_wrong=True,
        gate_only=lambda child, ctx: child in ctx.known("146"),
        years=("2024-25",),
    ),
    "1000": Difference(
        "Scope, not a defect: the validator also reads last year's episodes, so a young "
        "person whose death was recorded last year is flagged again; the gate validates one "
        "extract and flags the death in the year it is recorded.",
        package_wrong=False,
        validator_only=lambda child, ctx: any(
            e["REC"] == "E2" for e in ctx.episodes(child, previous=True)
        ),
    ),
}


def _common(run: ValidationRun) -> list[str]:
    return sorted(c for c, r in run.rules.items() if c in DFE_CODES and r.status != "not_run")


def test_every_dfe_rule_of_the_gate_is_a_rule_of_the_validator(validator):
    in_validator = {code for run in validator for code in run.rules}
    # rules of the validator's earlier rulesets only (the returns here are 2024-25 to
    # 2026-27): 217t and SW03STG1 are 2023-24 rules, 445 ends with 2023-24
    assert DFE_CODES - in_validator == {"217t", "445", "SW03STG1"}


def test_gate_and_validator_flag_the_same_children_for_every_rule_both_implement(
    landing, gate, validator
):
    mismatches, explained = [], defaultdict(int)
    for run in validator:
        folder = run.folder.relative_to(landing).as_posix()
        ctx = Context(run)
        dfe: dict[str, set] = defaultdict(set)
        for f in run.findings:
            if not f.previous_year and not f.known_false_positive:
                dfe[f.rule].add(f.child)
        for code in _common(run):
            ours, theirs = gate.get((folder, code), set()), dfe.get(code, set())
            known = DIFFERENCES.get(code)
            if known is not None and known.years and run.collection_year not in known.years:
                known = None
            for child in sorted(ours - theirs, key=str):
                if known is not None and known.gate_only(child, ctx):
                    explained[code] += 1
                else:
                    mismatches.append(f"{run.collection_year} {code}: gate only {child}")
            for child in sorted(theirs - ours, key=str):
                if known is not None and known.validator_only(child, ctx):
                    explained[code] += 1
                else:
                    mismatches.append(f"{run.collection_year} {code}: validator only {child}")
    assert mismatches == []
    # the differences named are real ones in this data, not excuses kept for nothing
    assert {"1007", "146"} <= set(explained), dict(explained)


def test_the_rules_compared_cover_every_kind_planted_and_agree_on_them(landing, validator, gate):
    compared = set().union(*(_common(run) for run in validator))
    assert {k.rule for k in RULE_KINDS} <= compared
    assert len(compared) >= 100, len(compared)
    for kind in RULE_KINDS:  # the validator catches the kinds too, but the one it misses
        found = [
            f
            for run in validator
            for f in run.findings
            if f.rule == kind.rule and not f.previous_year
        ]
        if kind.rule == "1007":  # care still open on the birthday: see DIFFERENCES
            assert found == [], kind.name
        else:
            assert found, kind.name
