"""Is the generator DfE-valid? Generate an LA and run the DfE 903 validator on its returns.

``make dfe-valid`` (LA=850 SEED=42) or ``python -m pipelines.synth.dfe_check --la 850``:
writes the LA into a temporary folder (or reads ``--landing``), runs csc-validator-be-903
on the final return of every collection year (with the previous year's final return
supplied where there is one, as the validator compares the two) and prints, per year, the
rules that flagged rows: documented false positives (``pipelines.lib.dfe903``) apart.
Exits 1 if any other rule fails or a rule could not run on generated data.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from pipelines.lib.dfe903 import ValidationRun, validate_return
from pipelines.synth import SynthConfig, generate


def final_returns(landing: Path, la: str) -> list[Path]:
    """The latest extract of every collection year whose return is final (covers 31 March)."""
    out = []
    for year_dir in sorted((landing / la / "ssda903").iterdir()):
        latest = sorted(p for p in year_dir.iterdir() if p.is_dir())[-1]
        if date.fromisoformat(latest.name) > date(int(year_dir.name[:4]) + 1, 3, 31):
            out.append(latest)
    return out


def check(landing: Path, la: str, jobs: int = 1) -> list[ValidationRun]:
    """Validate every final return of ``la`` under ``landing`` (each with its previous year)."""
    folders = final_returns(landing, la)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda folder: validate_return(folder, la), folders))


def report(runs: list[ValidationRun]) -> str:
    lines = []
    for run in runs:
        failing = run.failing()
        known = run.failing(include_known=True)
        known = {k: v for k, v in known.items() if k not in failing}
        previous = run.previous.parent.name if run.previous else "none"
        lines.append(
            f"{run.collection_year} ({run.ruleset}, previous year {previous}, "
            f"{len(run.rules)} rules, {run.seconds} s): "
            f"{len(failing)} failing rule(s), {sum(failing.values())} row(s)"
        )
        lines += [
            f"    {code:<10} {n:>6}  {run.rules[code].message}" for code, n in failing.items()
        ]
        if known:
            lines.append(
                "    documented false positives: "
                + ", ".join(f"{code} ({n})" for code, n in known.items())
            )
        lines += [f"    not run: {r.code} ({r.error})" for r in run.not_run]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.synth.dfe_check", description=__doc__
    )
    parser.add_argument("--la", default="850")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--as-at", dest="as_at", type=date.fromisoformat, default=None)
    parser.add_argument("--landing", type=Path, help="validate this landing folder instead")
    parser.add_argument("--jobs", type=int, default=1, help="years validated at once")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dfe-check-") as tmp:
        landing = args.landing
        if landing is None:
            landing = Path(tmp)
            config = SynthConfig(
                out=landing,
                las=(args.la,),
                seed=args.seed,
                scale=args.scale,
                years=args.years,
                quiet=True,
                **({"as_at": args.as_at} if args.as_at else {}),
            )
            summary = generate(config)
            print(
                f"generated LA {args.la} (seed {args.seed}, scale {args.scale}) in "
                f"{summary.seconds} s"
            )
        runs = check(landing, args.la, args.jobs)
    print(report(runs))
    bad = any(run.failing() or run.not_run for run in runs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
