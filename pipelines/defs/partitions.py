"""The LA partitions: one per LA folder of the landing folder (``<landing>/<la_code>/``).

The ingest step, its blocking Great Expectations checks and the dbt models are
partitioned by LA, so one authority's new extract reloads, checks and rebuilds that
authority only; the publish step copies the LAs rebuilt (docs/operations.md,
"Incremental by LA").

Keys are added by the landing sensor when a new LA folder appears, by the monthly
schedule, and by ``python -m pipelines.defs.partitions``, which
prints the range of every key for ``dagster asset materialize --partition-range`` (with
``--materialize``, as ``make materialize`` runs it, it runs that command itself, in-process).
"""

import sys
from pathlib import Path

import dagster as dg

from pipelines.defs.constants import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG
from pipelines.lib.landing import la_folders
from pipelines.lib.stale_runs import release_dead_runs

LA_PARTITIONS = dg.DynamicPartitionsDefinition(name="la")


def unregistered_las(instance: dg.DagsterInstance, landing_dir: Path) -> list[str]:
    """LA folders of the landing folder that are not partitions yet."""
    known = set(instance.get_dynamic_partitions(LA_PARTITIONS.name))
    return [la for la in la_folders(landing_dir) if la not in known]


def register_landing_las(instance: dg.DagsterInstance, landing_dir: Path) -> list[str]:
    """Add a partition for every LA folder that has none; returns the codes added."""
    new = unregistered_las(instance, landing_dir)
    if new:
        instance.add_dynamic_partitions(LA_PARTITIONS.name, new)
    return new


def all_las_range(instance: dg.DagsterInstance) -> str | None:
    """``first...last`` over every LA partition (keys keep the order they were added in)."""
    keys = instance.get_dynamic_partitions(LA_PARTITIONS.name)
    return f"{keys[0]}...{keys[-1]}" if keys else None


def range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags of ONE run over the LA partitions ``first`` to ``last`` (what a single-run
    backfill sets: the steps see every key of the range in ``context.partition_keys``)."""
    return {PARTITION_RANGE_START_TAG: first, PARTITION_RANGE_END_TAG: last}


def every_la_tags(instance: dg.DagsterInstance) -> dict[str, str]:
    """Run tags of one run over every LA partition of ``instance``."""
    keys = LA_PARTITIONS.get_partition_keys(dynamic_partitions_store=instance)
    if not keys:
        raise ValueError("no LA partitions: register the landing folder's LAs first")
    return range_tags(keys[0], keys[-1])


def prepare(instance: dg.DagsterInstance) -> str:
    """Prepare a by-hand run of every LA: release killed runs, add partitions; the range."""
    from pipelines.settings import get_settings

    landing = get_settings().landing_dir
    for run in release_dead_runs(instance):
        print(  # noqa: T201 (a command reports what it did)
            f"run {run.run_id} ({run.job_name}) was killed (pid {run.pid} is gone): "
            "marked failed and its pool slot freed",
            file=sys.stderr,
        )
    added = register_landing_las(instance, landing)
    if added:
        print(f"new LA partitions: {', '.join(added)}", file=sys.stderr)  # noqa: T201
    span = all_las_range(instance)
    if span is None:
        raise SystemExit(f"no LA folders in {landing}: run 'make generate' or set CSC_LANDING_DIR")
    return span


def main(argv: list[str] | None = None) -> None:
    """Print the range of every LA partition (after :func:`prepare`); with ``--materialize``,
    materialise every asset for that range with Dagster's own CLI in this same process
    (``make materialize``: one interpreter start and one Dagster import, not two)."""
    args = sys.argv[1:] if argv is None else argv
    with dg.DagsterInstance.get() as instance:
        span = prepare(instance)
    if "--materialize" not in args:
        print(span)  # noqa: T201
        return
    from dagster._cli import main as dagster_cli  # the `dagster` command's entry point

    sys.argv = ["dagster", "asset", "materialize", "-m", "pipelines.definitions"]
    sys.argv += ["--select", "*", "--partition-range", span]
    dagster_cli()


if __name__ == "__main__":
    main()
