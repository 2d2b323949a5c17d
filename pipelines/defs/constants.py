"""Names shared across the code location: groups, pools, owners, asset keys."""

import datetime

import dagster as dg

#: Every step that opens the warehouse read-write runs in this pool (limit 1: DuckDB
#: allows one writer). See dagster.yaml and stack-notes §7.
DUCKDB_POOL = "duckdb"
OWNERS = ["team:csc-data"]

GROUP_INGEST = "ingest"
GROUP_REFERENCE = "reference"
GROUP_PUBLISH = "publish"

SERVING_SNAPSHOT = dg.AssetKey(["serving_snapshot"])

#: Transient failures (a file still being copied, a lock held by a stray process) are
#: retried with backoff. Bad data is not an exception: the gate reports it, so it is
#: never retried.
TRANSIENT_RETRY = dg.RetryPolicy(max_retries=3, delay=15, backoff=dg.Backoff.EXPONENTIAL)

#: Run tags of a single run over a range of partitions (what a single-run backfill sets).
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"

#: Served data older than this (days) is called out by the daily status job.
STALE_AFTER_DAYS = 35

#: Extracts arrive monthly: marts older than ~5 weeks mean a refresh was missed.
MONTHLY_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=datetime.timedelta(days=STALE_AFTER_DAYS), warn_window=datetime.timedelta(days=32)
)
