"""``python -m bench`` (``make bench``): every benchmark, one after the other.

    python -m bench                  # the refresh, the pipeline, the ingest, the CSV reader,
                                     # the DfE rules, the dashboard
    python -m bench dashboard        # only the named ones

Each writes its JSON report to ``bench/results/`` and prints its figures and ratios; see
each module's docstring for what it measures. The dashboard benchmark reads the published
snapshot (``make demo`` first); the pipeline benchmark builds its own data.
"""

from __future__ import annotations

import sys

from bench import csv_reader, dashboard, dfe903, ingest, pipeline, refresh

BENCHMARKS = {
    "refresh": refresh.main,
    "pipeline": pipeline.main,
    "ingest": ingest.main,
    "csv_reader": csv_reader.main,
    "dfe903": dfe903.main,
    "dashboard": dashboard.main,
}


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"Unknown benchmark {', '.join(unknown)}: choose from {', '.join(BENCHMARKS)}.")
        return 2
    failed = []
    for name in names:
        print(f"##### {name}")
        if BENCHMARKS[name]([]) is None:
            failed.append(name)
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
