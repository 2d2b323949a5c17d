"""Reference data built once into the warehouse: the ONS Postcode Directory (only the
postcode areas the landing data uses) and the LA tier lookup, for placement location
(kpis.md F). dbt reads them as the source ``ons_reference``."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.defs.constants import DUCKDB_POOL, GROUP_REFERENCE, OWNERS, TRANSIENT_RETRY
from pipelines.lib.contract import table_spec
from pipelines.lib.la_codes import TIERS_PACKAGE
from pipelines.lib.postcodes import (
    AREAS,
    POSTCODES,
    POSTCODES_PACKAGE,
    TIERS,
    build_reference,
    package_version,
)

#: Equal to dagster-dbt's keys of ``source('ons_reference', ...)``, so the dbt models that
#: read the tables run after this step.
POSTCODES_KEY = dg.AssetKey(["ons_reference", "postcodes"])
AREAS_KEY = dg.AssetKey(["ons_reference", "postcode_areas"])
TIERS_KEY = dg.AssetKey(["ons_reference", "la_tiers"])
EPISODES_KEY = dg.AssetKey(table_spec("ssda903", "episodes").asset_key)

_LICENCE = "Office for National Statistics, Open Government Licence v3.0"


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key=POSTCODES_KEY,
            deps=[EPISODES_KEY],
            group_name=GROUP_REFERENCE,
            kinds={"python", "duckdb"},
            owners=OWNERS,
            description="ONS Postcode Directory rows (postcode, lower-tier LA, grid "
            f"reference) of the postcode areas found in the 903 episodes' HOME_POST and "
            f"PL_POST, from the package {POSTCODES_PACKAGE}; table `{POSTCODES}`. Built "
            "once: a run adds only the areas new extracts bring, and starts again when the "
            "package version changes.",
            metadata={"table": POSTCODES, "licence": _LICENCE},
        ),
        dg.AssetSpec(
            key=AREAS_KEY,
            deps=[EPISODES_KEY],
            group_name=GROUP_REFERENCE,
            kinds={"duckdb"},
            owners=OWNERS,
            description=f"The postcode areas loaded into `{POSTCODES}` (and how many "
            f"postcodes each has in the directory); table `{AREAS}`.",
            metadata={"table": AREAS},
        ),
        dg.AssetSpec(
            key=TIERS_KEY,
            group_name=GROUP_REFERENCE,
            kinds={"python", "duckdb"},
            owners=OWNERS,
            description="ONS lower tier to upper tier local authority lookup (2021 codes, "
            f"England and Wales) from the package {TIERS_PACKAGE}; table `{TIERS}`.",
            metadata={"table": TIERS, "licence": _LICENCE},
        ),
    ],
    pool=DUCKDB_POOL,
    can_subset=False,
    retry_policy=TRANSIENT_RETRY,
    # Not partitioned: one build serves every LA; in a run over many LA partitions it runs
    # once, after their ingest, like the dbt step.
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def ons_reference(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    """Load the postcode areas the landing data needs and the tier lookup, once."""
    with duckdb.get_connection() as con:
        report = build_reference(con)
    context.log.info(f"ONS reference: {report.summary()}")
    common = {
        "package": f"{POSTCODES_PACKAGE} {report.package_version}",
        "seconds": round(report.seconds, 2),
        "summary": report.summary(),
    }
    yield dg.MaterializeResult(
        asset_key=POSTCODES_KEY,
        metadata={
            **common,
            "row_count": dg.MetadataValue.int(report.postcodes_total),
            "rows_added": dg.MetadataValue.int(report.postcodes_added),
            "letters_read": "".join(report.letters_read) or "none",
        },
    )
    yield dg.MaterializeResult(
        asset_key=AREAS_KEY,
        metadata={
            **common,
            "areas_needed": ", ".join(sorted(report.areas_needed)) or "none",
            "areas_added": ", ".join(sorted(report.areas_added)) or "none",
            "areas_not_in_directory": ", ".join(sorted(report.areas_not_in_directory)) or "none",
        },
    )
    yield dg.MaterializeResult(
        asset_key=TIERS_KEY,
        metadata={
            "package": f"{TIERS_PACKAGE} {package_version(TIERS_PACKAGE)}",
            "row_count": dg.MetadataValue.int(report.tiers_total),
            "reloaded": report.tiers_loaded > 0,
        },
    )
