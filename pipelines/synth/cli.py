"""``csc-synth``: write the synthetic landing folder (see docs/synthetic-data.md)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from pipelines.synth.authorities import NAMES, parse_la_list
from pipelines.synth.config import Summary, SynthConfig, default_as_at, default_out
from pipelines.synth.defects import KINDS
from pipelines.synth.generate import generate


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="csc-synth",
        description="Write synthetic SSDA903 and local case-system extracts (the data contract) "
        "for one or many local authorities.",
    )
    p.add_argument(
        "--out",
        help="landing folder (default: the pipeline's: $CSC_LANDING_DIR, else $CSC_DATA_DIR/landing, else data/landing)",
    )
    p.add_argument(
        "--la",
        default="850",
        help="3-digit DfE LA codes, comma separated, or 'all' (default: 850 Hampshire)",
    )
    p.add_argument(
        "--years",
        type=int,
        default=5,
        help="collection years: final returns of the past ones plus the current one (default 5)",
    )
    p.add_argument(
        "--as-at",
        dest="as_at",
        type=date.fromisoformat,
        help="YYYY-MM-DD of the latest extract (default: last day of last month)",
    )
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--scale", type=float, default=1.0, help="volume multiplier (default 1.0)")
    p.add_argument("--jobs", type=int, default=1, help="processes across LAs (default 1)")
    p.add_argument(
        "--defects",
        default="",
        help=f"comma-separated defect kinds to inject, or 'all': {', '.join(KINDS)}",
    )
    p.add_argument(
        "--defect-rate",
        dest="defect_rate",
        type=float,
        default=0.01,
        help="fraction of rows hit by each defect kind (default 0.01)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    return p


def config_from(args: argparse.Namespace) -> SynthConfig:
    defects = (
        tuple(KINDS)
        if args.defects.strip() == "all"
        else tuple(k.strip() for k in args.defects.split(",") if k.strip())
    )
    unknown = set(defects) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown defect kind(s): {', '.join(sorted(unknown))}")
    return SynthConfig(
        out=default_out() if args.out is None else Path(args.out),
        las=parse_la_list(args.la),
        years=args.years,
        as_at=args.as_at or default_as_at(),
        seed=args.seed,
        scale=args.scale,
        defects=defects,
        defect_rate=args.defect_rate,
        jobs=max(1, args.jobs),
        quiet=args.quiet,
    )


def render(summary: Summary, out: str) -> str:
    names = ", ".join(f"{la} {NAMES[la]}" for la in summary.las[:5])
    more = f" and {len(summary.las) - 5} more" if len(summary.las) > 5 else ""
    lines = [
        f"csc-synth wrote {summary.files} files for {len(summary.las)} LA(s) ({names}{more}) to {out}",
        "rows per table (all extracts):",
    ]
    width = max(len(t) for t in summary.rows) if summary.rows else 0
    lines += [f"  {table:<{width}}  {count:>10,}" for table, count in sorted(summary.rows.items())]
    if summary.defects:
        lines.append(f"defects injected: {summary.defects:,} (see _defects.json)")
    lines.append(f"seconds: {summary.seconds}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        config = config_from(args)
    except ValueError as error:
        print(f"csc-synth: {error}", file=sys.stderr)
        return 2
    summary = generate(config)
    if not config.quiet:
        print(render(summary, str(config.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
