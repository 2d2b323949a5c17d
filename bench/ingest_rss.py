"""Resident memory of the Dagster ingest of a whole landing folder (e.g. the national one),
sampled every second and marked by phase: where the peak is, not only how high.

Materialises ``landing_extracts``, ``ons_reference`` and the GX asset checks in this
process (one run over every LA of the landing folder, as a national first load does) into
a NEW warehouse under ``--out``, and writes there ``rss.log``: one line a second
(``seconds MB``) and a ``# seconds phase`` line when each gate batch, the cross-extract
rules and the status file start and end. Prints the step seconds and the peak. The landing
folder is only read. One run of the 153-LA landing takes about 10 minutes and one core.

    nice -n 10 python -m bench.ingest_rss --landing /work/nat/landing --out /tmp/ingest-rss
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path


def _rss_mb() -> int:
    with open("/proc/self/status") as status:
        line = next(x for x in status if x.startswith("VmRSS"))
    return int(line.split()[1]) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="a new folder")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=False)
    os.environ["CSC_DUCKDB_PATH"] = str(args.out / "warehouse.duckdb")

    import dagster as dg

    import pipelines.defs.ingest.assets as ingest
    import pipelines.lib.quality as quality
    from bench.pipeline import _step_seconds
    from pipelines.defs.partitions import LA_PARTITIONS, every_la_tags, register_landing_las
    from pipelines.defs.quality.checks import GX_CHECKS
    from pipelines.defs.reference.assets import ons_reference
    from pipelines.defs.resources import build_resources
    from pipelines.settings import Settings

    started = time.time()
    log = (args.out / "rss.log").open("w")
    peak = [0]

    def mark(text: str) -> None:
        log.write(f"# {time.time() - started:.0f} {text}\n")
        log.flush()

    def sample() -> None:
        while True:
            rss = _rss_mb()
            peak[0] = max(peak[0], rss)
            log.write(f"{time.time() - started:.0f} {rss}\n")
            log.flush()
            time.sleep(1)

    def marked(fn, name):
        def call(*a, **k):
            mark(f"{name} start")
            try:
                return fn(*a, **k)
            finally:
                mark(f"{name} end")

        return call

    gate_call = quality.QualityGate.__call__

    def gate_batch(self, batch):
        mark(f"gate batch of {sum(c.row_count for c in batch)} rows")
        return gate_call(self, batch)

    quality.QualityGate.__call__ = gate_batch
    quality.QualityGate.check_warehouse = marked(
        quality.QualityGate.check_warehouse, "check_warehouse"
    )
    ingest.publish_status = marked(ingest.publish_status, "publish_status")
    threading.Thread(target=sample, daemon=True).start()

    settings = Settings(
        landing_dir=args.landing,
        warehouse_path=args.out / "warehouse.duckdb",
        serving_dir=args.out / "serving",
    )
    with dg.DagsterInstance.ephemeral() as instance:
        register_landing_las(instance, settings.landing_dir)
        keys = LA_PARTITIONS.get_partition_keys(dynamic_partitions_store=instance)
        tags = every_la_tags(instance)
        t = time.perf_counter()
        result = dg.materialize(
            [ingest.landing_extracts, ons_reference, *GX_CHECKS],
            resources=build_resources(settings),
            instance=instance,
            tags=tags,
            raise_on_error=False,
        )
        mark("done")
        print(
            f"success {result.success}, {time.perf_counter() - t:.1f} s, LAs {len(keys)}, "
            f"steps {_step_seconds(instance, result.run_id)}, peak RSS {peak[0]} MB, "
            f"log {args.out / 'rss.log'}",
            flush=True,
        )


if __name__ == "__main__":
    main()
