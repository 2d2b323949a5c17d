"""The DfE's 903 rules: what the gate catches of them, and what each costs.

Two measurements, on generated data, in one run:

- **Recall on planted breaks** (``recall``): a clean final return (Hampshire 2025-26 at a
  fifth of its size) gets one break per DfE rule in :data:`PLANTS`, each in a child no
  other break touches: a bad value, a wrong date, a duplicate, a DOB that differs between
  tables, and a break of each kind ``csc-synth --defects`` plants for the rules that guard
  the KPIs. The DfE's validator (csc-validator-be-903, .venv-903) must flag each planted
  child with the planted rule, or the break does not count; the gate (``load_landing`` with
  ``QualityGate``, as the pipeline runs it) then reports the break if it flags the child in
  that extract: with the same rule code, or with any rule.
- **Seconds** (``seconds``): the gate on generated Hampshire (every extract the loader
  validates: five collection years and the local tables), and the validator on the newest
  extract of each collection year (with last year's), one at a time; per child-year, and
  the ratio between them.

The gate part (``python bench/dfe903.py gate --landing L --manifest M``) imports only the
loader and the gate, so it also runs on an older checkout of the project
(``PYTHONPATH=<checkout> python bench/dfe903.py gate ...``), to compare before and after.

    python -m bench.dfe903 [recall|seconds] [--scale 0.2] [--out bench/results/dfe903.json]

Figures are from ONE run on this machine; they vary with its load and are not assertions.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import random
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

YEAR, FINAL = "2025-26", dt.date(2026, 5, 31)
LA = "850"


# ----------------------------------------------------------------------------- the gate


def gate_findings(landing: Path) -> tuple[dict[tuple[str, str], set[str]], float, float, int]:
    """(extract folder, child) -> rule codes the gate flags; the gate's wall and CPU seconds
    (validation only, every batch of the load); rows validated. Only the loader and the
    gate: runs on older checkouts too."""
    import duckdb

    from pipelines.lib.loader import load_landing
    from pipelines.lib.quality import QualityGate

    class TimedGate(QualityGate):
        cpu = 0.0

        def __call__(self, batch):
            started = time.process_time()
            try:
                return super().__call__(batch)
            finally:
                TimedGate.cpu += time.process_time() - started

    con = duckdb.connect(":memory:")
    gate = TimedGate(con, "bench")
    load_landing(con, landing, run_id="bench", validate=gate)
    flagged: dict[tuple[str, str], set[str]] = defaultdict(set)
    for file, child, rule in con.execute(
        "select source_file, child, rule_code from raw_meta.dq_issues where child is not null"
    ).fetchall():
        flagged[(file.rsplit("/", 1)[0], child)].add(rule)
    rows = sum(v.rows_checked for v in gate.verdicts)
    con.close()
    return flagged, round(gate.seconds, 2), round(TimedGate.cpu, 2), rows


def gate_report(landing: Path, manifest: list[dict]) -> dict:
    flagged, seconds, _, _ = gate_findings(landing)
    out = {"by_code": [], "by_any_rule": [], "missed": []}
    for plant in manifest:
        if not plant["confirmed"]:
            continue
        rules = flagged.get((plant["folder"], plant["child"]), set())
        if plant["rule"] in rules:
            out["by_code"].append(plant["rule"])
        if rules:
            out["by_any_rule"].append(plant["rule"])
        else:
            out["missed"].append(plant["rule"])
    confirmed = sum(p["confirmed"] for p in manifest)
    return {
        "planted": len(manifest),
        "confirmed_by_the_validator": confirmed,
        "reported_with_its_code": len(out["by_code"]),
        "reported_by_any_rule": len(out["by_any_rule"]),
        "missed": sorted(out["missed"]),
        "gate_seconds": seconds,
    }


# ----------------------------------------------------------------------------- planting


def _cell(table: str, column: str, value: str | Callable[[str], str], where=None):
    """A plant that writes ``value`` into ``column`` of a row of ``table`` (``where``:
    which rows may be hit, given the row as a dict)."""

    def plant(view, rng):
        from pipelines.synth.rule_defects import COLUMNS

        rows = [
            i
            for i, row in enumerate(view.rows[table])
            if view.free(row[0])
            and row[COLUMNS[table].index(column)] != ""
            and (where is None or where(dict(zip(COLUMNS[table], row, strict=True))))
        ]
        if not rows:
            return []
        i = rng.choice(rows)
        old = view.get(table, i, column)
        return [view.set(table, i, column, value(old) if callable(value) else value)]

    return plant


def _blank(table: str, column: str, where=None):
    return _cell(table, column, "", where)


def _shift_year(text: str) -> str:
    day, month, year = text.split("/")
    return f"{day}/{month}/{int(year) - 1}"


def _duplicate(table: str):
    def plant(view, rng):
        from pipelines.synth.rule_defects import COLUMNS

        rows = [i for i, row in enumerate(view.rows[table]) if view.free(row[0])]
        i = rng.choice(rows)
        values = dict(zip(COLUMNS[table], view.rows[table][i], strict=True))
        return [view.append(table, values, "CHILD")]

    return plant


def _kind(name: str):
    def plant(view, rng):
        from pipelines.synth.rule_defects import RULE_KINDS_BY_NAME

        candidates = RULE_KINDS_BY_NAME[name].candidates(view, rng)
        return rng.choice(candidates)() if candidates else []

    return plant


def _overlap(view, rng):
    """501: an episode starting before the previous one of the child ended."""
    from pipelines.synth.rule_defects import parse

    options = []
    for rows in view.episodes_of().values():
        for before, row in itertools.pairwise(rows):
            start, end = (
                parse(view.get("episodes", before, "DECOM")),
                parse(view.get("episodes", before, "DEC")),
            )
            child = view.get("episodes", row, "CHILD")
            if start and end and end - start >= 3 and view.free(child):
                options.append((row, start + 1))
    if not options:
        return []
    row, day = rng.choice(options)
    return [view.set("episodes", row, "DECOM", date_text(day))]


def date_text(ordinal: int) -> str:
    day = dt.date.fromordinal(ordinal)
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _orphan(table: str):
    def plant(view, rng):
        rows = [i for i, row in enumerate(view.rows[table]) if view.free(row[0])]
        i = rng.choice(rows)
        return [view.set(table, i, "CHILD", f"Z{rng.randrange(10**6, 10**7)}")]

    return plant


def _ended(row: dict) -> bool:
    return row["DEC"] != ""


def _open(row: dict) -> bool:
    return row["DEC"] == ""


#: One break per DfE rule: (rule, plant). The rules the gate does not check by design
#: (postcodes, UPNs, convictions under 10: no KPI reads them) are planted too, so that the
#: recall is measured, not assumed.
PLANTS: list[tuple[str, Callable]] = [
    # header
    ("101", _cell("header", "SEX", "X")),
    ("102", _cell("header", "DOB", "31/02/2010")),
    ("103", _cell("header", "ETHNIC", "WHIT")),
    ("168", _cell("header", "UPN", "I123")),
    ("INT32", _duplicate("header")),
    ("209", _cell("header", "UPN", "UN1", lambda r: r["DOB"][-4:] < "2015")),
    # episodes
    ("141", _cell("episodes", "DECOM", "31/02/2026")),
    ("147", _cell("episodes", "DEC", "31/02/2026", _ended)),
    ("143", _cell("episodes", "RNE", "X")),
    ("144", _cell("episodes", "LS", "C9")),
    ("145", _cell("episodes", "CIN", "N9")),
    ("146", _cell("episodes", "PLACE", "Q1")),
    ("149", _cell("episodes", "REC", "E99", _ended)),
    ("148", _blank("episodes", "REC", _ended)),
    ("1009", _cell("episodes", "REASON_PLACE_CHANGE", "MOVE")),
    ("178", _cell("episodes", "PLACE_PROVIDER", "PR9")),
    ("356", _cell("episodes", "DEC", "01/01/2000", _ended)),
    ("385", _cell("episodes", "DEC", "15/04/2026", _ended)),
    ("501", _overlap),
    ("380", _cell("episodes", "PLACE", "T1", lambda r: r["RNE"] == "S" and r["LS"] == "V2")),
    ("408", _cell("episodes", "PLACE", "A5", lambda r: r["LS"] == "C2" and r["PLACE"] == "U4")),
    ("550", _cell("episodes", "PLACE_PROVIDER", "PR0", lambda r: r["PLACE"] == "U4")),
    ("INT03", _orphan("episodes")),
    ("392c", _cell("episodes", "PL_POST", "ZZ9 9ZZ", lambda r: r["PL_POST"] != "")),
    ("354", _kind("episode_after_year")),
    ("355", _kind("zero_day_episode")),
    ("388", _kind("x1_without_next")),
    ("433", _kind("continuation_gap")),
    ("434", _kind("rne_l_for_a_move")),
    ("435", _kind("rne_p_for_legal_status")),
    ("436", _kind("rne_b_for_a_move")),
    ("437", _kind("episode_after_death")),
    ("365", _kind("long_short_break")),
    ("367", _kind("too_much_respite")),
    ("384", _kind("short_break_long_term_foster")),
    # reviews
    ("166", _cell("reviews", "REVIEW", "31/02/2026")),
    ("167", _cell("reviews", "REVIEW_CODE", "PN9")),
    ("INT17", _cell("reviews", "DOB", _shift_year)),
    # missing
    ("1004", _cell("missing", "MIS_START", "31/02/2026")),
    ("1005", _cell("missing", "MIS_END", "31/02/2026")),
    ("1006", _cell("missing", "MISSING", "X")),
    ("564", _blank("missing", "MIS_START")),
    ("565", _blank("missing", "MISSING")),
    ("567", _cell("missing", "MIS_END", "01/01/2000")),
    ("INT13", _cell("missing", "DOB", _shift_year)),
    ("574", _kind("overlapping_missing")),
    ("575", _kind("missing_open_after_placement")),
    ("577", _kind("missing_outlives_care")),
    ("578", _kind("missing_after_care")),
    ("581", _kind("missing_before_care")),
    # OC2
    ("180", _cell("oc2", "SDQ_SCORE", "99")),
    ("181", _cell("oc2", "SUBSTANCE_MISUSE", "Y")),
    ("INT14", _cell("oc2", "DOB", _shift_year)),
    ("INT33", _duplicate("oc2")),
    ("542", _cell("oc2", "CONVICTED", "0", lambda r: r["DOB"][-4:] > "2017")),
    ("182", _kind("oc2_partly_completed")),
    ("190", _kind("oc2_outside_cohort")),
    ("191", _kind("oc2_cohort_items_blank")),
    ("544", _kind("conviction_without_health_items")),
    ("547", _kind("health_check_without_health_items")),
    # OC3
    ("131", _cell("oc3", "IN_TOUCH", "Yes")),
    ("132", _cell("oc3", "ACTIV", "F9")),
    ("133", _cell("oc3", "ACCOM", "S1")),
    ("INT15", _cell("oc3", "DOB", _shift_year)),
    ("INT34", _duplicate("oc3")),
    ("153", _kind("oc3_partly_completed")),
    ("1000", _kind("oc3_died_in_care")),
    ("1016", _kind("oc3_ceased_after_birthday")),
    # UASC, AD1, placed for adoption, previous permanence, social workers
    ("104", _cell("uasc", "DUC", "31/02/2026")),
    ("INT18", _cell("uasc", "DOB", _shift_year)),
    ("INT21", _cell("uasc", "SEX", lambda s: "F" if s == "M" else "M")),
    ("112", _cell("ad1", "DATE_INT", "31/02/2025")),
    ("INT11", _cell("ad1", "DOB", _shift_year)),
    ("115", _cell("placed_for_adoption", "DATE_PLACED", "31/02/2025")),
    ("INT12", _cell("placed_for_adoption", "DOB", _shift_year)),
    ("INT16", _cell("previous_permanence", "DOB", _shift_year)),
    ("SW04STG1", _cell("sw_episodes", "SW_DECOM", "31/02/2026")),
    ("SW13STG1", _cell("sw_episodes", "SW_REASON", "UNKNWN")),
]


def _read(folder: Path) -> dict[str, list[tuple[str, ...]]]:
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            tables[path.stem] = [tuple(r) for r in list(csv.reader(handle))[1:]]
    return tables


def plant(out: Path, scale: float, seed: int = 5) -> list[dict]:
    """Generate the clean return, plant :data:`PLANTS` into it under ``out`` and return the
    manifest (rule, file, line, child)."""
    from pipelines.synth import SynthConfig, generate
    from pipelines.synth.config import Timeline
    from pipelines.synth.rule_defects import COLUMNS, View
    from pipelines.synth.writer import write_csv

    with tempfile.TemporaryDirectory(prefix="dfe-recall-") as tmp:
        generate(
            SynthConfig(out=Path(tmp), las=(LA,), scale=scale, years=2, as_at=FINAL, quiet=True)
        )
        source = Path(tmp) / LA / "ssda903" / YEAR / FINAL.isoformat()
        tables = _read(source)
        for table in COLUMNS:
            tables.setdefault(table, [])
        extract = next(
            e for e in Timeline.build(FINAL, 2).extracts if e.label == YEAR and e.is_final
        )
        view = View(tables, extract)
        rng = random.Random(seed)
        planted = []
        for rule, planter in PLANTS:
            hits = planter(view, rng)
            if hits:
                planted.append((rule, hits[0]))
        folder = out / LA / "ssda903" / YEAR / FINAL.isoformat()
        present = {p.stem for p in source.glob("*.csv")}
        for table, rows in view.rows.items():
            if table in present:
                write_csv(folder / f"{table}.csv", COLUMNS[table], rows)
    return [
        {
            "rule": rule,
            "folder": folder.relative_to(out).as_posix(),
            "file": f"{hit.table}.csv",
            "line": hit.row + 2,
            "child": view.rows[hit.table][hit.row][0],
        }
        for rule, hit in planted
    ]


def confirm(landing: Path, manifest: list[dict]) -> tuple[list[dict], float]:
    """Mark each plant the DfE's validator flags (its child, its rule) as confirmed."""
    from pipelines.lib.dfe903 import validate_return

    folder = landing / manifest[0]["folder"]
    run = validate_return(folder, LA, YEAR, previous=False)
    flagged = defaultdict(set)
    for f in run.findings:
        if not f.previous_year:
            flagged[f.rule].add(f.child)
    for plant_ in manifest:
        plant_["confirmed"] = plant_["child"] in flagged.get(plant_["rule"], set())
    return manifest, run.seconds


# ----------------------------------------------------------------------------- seconds


def seconds(scale: float) -> dict:
    """The gate on generated Hampshire, and the validator on each year's newest extract."""
    from pipelines.lib.dfe903 import validate_return
    from pipelines.synth import SynthConfig, generate

    with tempfile.TemporaryDirectory(prefix="dfe-seconds-") as tmp:
        landing = Path(tmp)
        generate(SynthConfig(out=landing, las=(LA,), scale=scale, quiet=True))
        _, gate_wall, gate_cpu, rows = gate_findings(landing)
        years = []
        for year in sorted((landing / LA / "ssda903").iterdir()):
            newest = sorted(year.iterdir())[-1]
            with (newest / "header.csv").open(encoding="utf-8") as handle:
                children = sum(1 for _ in handle) - 1
            started = time.perf_counter()
            run = validate_return(newest, LA)
            years.append(
                {
                    "collection_year": year.name,
                    "extract": newest.name,
                    "children": children,
                    "rules": len(run.rules),
                    "seconds": round(time.perf_counter() - started, 2),
                    "worker_seconds": run.seconds,
                }
            )
        child_years = sum(y["children"] for y in years)
        validator = sum(y["seconds"] for y in years)
    return {
        "scale": scale,
        "gate_seconds": gate_wall,
        "gate_cpu_seconds": gate_cpu,
        "gate_rows": rows,
        "validator_years": years,
        "validator_seconds": round(validator, 1),
        "child_years": child_years,
        "gate_ms_per_child_year": round(1000 * gate_wall / child_years, 2),
        "validator_ms_per_child_year": round(1000 * validator / child_years, 2),
        "validator_to_gate": round(validator / gate_wall, 1),
    }


# ----------------------------------------------------------------------------- shell


def main(argv: list[str] | None = None) -> dict | None:
    parser = argparse.ArgumentParser(prog="python -m bench.dfe903", description=__doc__)
    parser.add_argument(
        "what", nargs="?", default="all", choices=["all", "recall", "seconds", "gate"]
    )
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--landing", type=Path, help="gate: the planted landing folder")
    parser.add_argument("--manifest", type=Path, help="gate: its manifest (JSON)")
    parser.add_argument("--keep", type=Path, help="recall: keep the planted folder here")
    parser.add_argument("--out", type=Path, default=Path("bench/results/dfe903.json"))
    args = parser.parse_args(argv)
    if args.what == "gate":
        report = gate_report(args.landing, json.loads(args.manifest.read_text()))
        print(json.dumps(report, indent=1))
        return report
    report: dict = {"measured_at": dt.datetime.now().isoformat(timespec="seconds")}
    if args.what in ("all", "recall"):
        keep = args.keep or Path(tempfile.mkdtemp(prefix="dfe-planted-"))
        if keep.exists():
            shutil.rmtree(keep)
        manifest = plant(keep, args.scale or 0.2)
        manifest, validator_seconds = confirm(keep, manifest)
        (keep / "_planted.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        recall = gate_report(keep, manifest)
        recall["validator_seconds"] = validator_seconds
        recall["not_confirmed"] = [p["rule"] for p in manifest if not p["confirmed"]]
        recall["landing"] = str(keep)
        report["recall"] = recall
        print(
            f"recall: {recall['confirmed_by_the_validator']} breaks planted and confirmed by the "
            f"validator; the gate reports {recall['reported_with_its_code']} with their DfE code, "
            f"{recall['reported_by_any_rule']} by some rule; missed: {', '.join(recall['missed'])}"
        )
    if args.what in ("all", "seconds"):
        timing = seconds(args.scale or 1.0)
        report["seconds"] = timing
        print(
            f"gate {timing['gate_seconds']} s ({timing['gate_cpu_seconds']} s CPU) on "
            f"{timing['gate_rows']:,} rows; validator {timing['validator_seconds']} s over "
            f"{len(timing['validator_years'])} years ("
            + ", ".join(
                f"{y['collection_year']} {y['seconds']} s" for y in timing["validator_years"]
            )
            + f"); per child-year: gate {timing['gate_ms_per_child_year']} ms, validator "
            f"{timing['validator_ms_per_child_year']} ms ({timing['validator_to_gate']}x)"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
