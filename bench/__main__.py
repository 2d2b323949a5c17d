"""``python -m bench`` (``make bench``): every benchmark, one after the other.

    python -m bench                  # the refresh, the pipeline, the ingest, the CSV reader,
                                     # the DfE rules, the dashboard
    python -m bench dashboard        # only the named ones
    python -m bench all              # all of them and the slow ones (make bench LOAD=1)

Slow ones, run only when named (or with ``all``): ``dashboard_load`` (locust, 25 signed-in
users against gunicorn, then the same without sign-in: about five minutes).

Each writes its JSON report to ``bench/results/`` and prints its figures and ratios; see
each module's docstring for what it measures. The dashboard benchmark reads the published
snapshot (``make demo`` first); the pipeline benchmark builds its own data.
"""

from __future__ import annotations

import sys

from bench import csv_reader, dashboard, dashboard_load, dfe903, ingest, pipeline, refresh

BENCHMARKS = {
    "refresh": refresh.main,
    "pipeline": pipeline.main,
    "ingest": ingest.main,
    "csv_reader": csv_reader.main,
    "dfe903": dfe903.main,
    "dashboard": dashboard.main,
}
#: Run only when named, or with ``all``.
SLOW = {"dashboard_load": dashboard_load.main}


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or list(BENCHMARKS)
    every = {**BENCHMARKS, **SLOW}
    if names == ["all"]:
        names = list(every)
    unknown = [n for n in names if n not in every]
    if unknown:
        print(f"Unknown benchmark {', '.join(unknown)}: choose from {', '.join(every)}, all.")
        return 2
    failed = []
    for name in names:
        print(f"##### {name}")
        if every[name]([]) is None:
            failed.append(name)
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
