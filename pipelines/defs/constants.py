"""Names shared across the code location: groups, pools, owners, asset keys."""

import dagster as dg

#: Every step that opens the warehouse read-write runs in this pool (limit 1: DuckDB
#: allows one writer). See dagster.yaml and stack-notes §7.
DUCKDB_POOL = "duckdb"
OWNERS = ["team:csc-data"]

GROUP_INGEST = "ingest"
GROUP_PUBLISH = "publish"

SERVING_SNAPSHOT = dg.AssetKey(["serving_snapshot"])
