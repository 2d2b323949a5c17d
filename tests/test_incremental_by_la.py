"""Incremental by LA gives the figures a full rebuild gives, and leaves other LAs alone.

Three small generated LAs are built in one run; then one of them receives a new monthly
extract and its partition alone is refreshed, the way the landing sensor runs it: dbt
rebuilds that LA's rows only (var `las`, strategy la_replace) and the publish step copies
only that LA into the snapshot. The result must equal, row for row, a full build from
scratch of the same landing folder: every table of the serving snapshot (kpi_values and
every mart the dashboard reads) and every intermediate and mart table of the warehouse.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil

import dagster as dg
import duckdb
import pytest

from pipelines.synth import SynthConfig, generate

pytestmark = pytest.mark.slow

LAS = ("850", "851", "852")
REFRESHED = "851"
AS_AT = dt.date(2025, 10, 31)


def settings_in(root):
    from pipelines.settings import Settings

    return Settings(
        landing_dir=root / "landing",
        warehouse_path=root / "warehouse.duckdb",
        serving_dir=root / "serving",
    )


def materialize(settings, instance, partition_key: str | None = None, las=None):
    """One run through Dagster: every LA partition, or one, or a range of them (``las``)."""
    from pipelines.defs.ingest.assets import landing_extracts
    from pipelines.defs.partitions import every_la_tags, range_tags, register_landing_las
    from pipelines.defs.publish.assets import serving_snapshot
    from pipelines.defs.quality.checks import GX_CHECKS
    from pipelines.defs.reference.assets import ons_reference
    from pipelines.defs.resources import build_resources
    from pipelines.defs.transform.assets import csc_dbt_models

    register_landing_las(instance, settings.landing_dir)
    every_la = range_tags(las[0], las[-1]) if las else every_la_tags(instance)
    result = dg.materialize(
        [landing_extracts, ons_reference, csc_dbt_models, serving_snapshot, *GX_CHECKS],
        resources=build_resources(settings),
        instance=instance,
        partition_key=partition_key,
        tags=None if partition_key else every_la,
    )
    assert result.success
    return result


@contextlib.contextmanager
def la_chunk_size(size: int):
    """Runs of the dbt step inside write ``size`` LAs per statement (dbt var la_chunk_size,
    20 by default: 3 LAs would be one statement)."""
    from pipelines.defs.transform import assets

    plain = assets.dbt_build_args

    def chunked(las):
        args = list(plain(las))
        if "--vars" in args:
            i = args.index("--vars") + 1
            args[i] = json.dumps({**json.loads(args[i]), "la_chunk_size": size})
        else:
            args += ["--vars", json.dumps({"la_chunk_size": size})]
        return args

    assets.dbt_build_args = chunked
    try:
        yield
    finally:
        assets.dbt_build_args = plain


def statements_of_run(result, model: str = "kpi_members") -> tuple[int, int]:
    """(create table, insert into) statements the dbt step of run ``result`` ran for ``model``.

    Found by run id, not as the newest folder: other test workers' dbt steps write
    theirs alongside."""
    from pipelines.lib.dbt_manifest import run_target

    [sql] = (run_target(result.run_id) / "run").rglob(f"{model}.sql")
    text = sql.read_text().lower()
    return text.count("create  table") + text.count("create table"), text.count("insert into")


def new_month(landing, la: str, date: str) -> None:
    """A new current-year 903 extract for ``la``: the latest one minus its last missing row,
    and a new local extract: a new as-at date, so new months and changed figures."""
    for parent in (landing / la / "ssda903" / "2025-26", landing / la / "local"):
        latest = sorted(parent.iterdir())[-1]
        shutil.copytree(latest, parent / date)
    missing = landing / la / "ssda903" / "2025-26" / date / "missing.csv"
    lines = missing.read_text().splitlines()
    missing.write_text("\n".join(lines[:-1]) + "\n")


def tables(con, schemas: tuple[str, ...]) -> list[str]:
    placeholders = ", ".join("?" for _ in schemas)
    return [
        f"{s}.{t}"
        for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables() "
            f"where schema_name in ({placeholders}) order by 1, 2",
            list(schemas),
        ).fetchall()
    ]


def rows(path, table: str, where: str = "true") -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"select * from {table} where {where} order by all").fetchall()


def flip(path, la: str) -> int:
    """Tag LA ``la``'s LA-total cla_count rows of marts.kpi_values in ``path`` by flipping
    is_partial (no dbt test reads it beyond not_null); flipping again removes the tag."""
    with duckdb.connect(str(path)) as con:
        return con.execute(
            "update marts.kpi_values set is_partial = not is_partial where la_code = ? "
            "and district = 'ALL' and kpi_id = 'cla_count'",
            [la],
        ).fetchone()[0]


def scattered(path, names: list[str]) -> dict[str, list[str]]:
    """Tables of ``names`` (schema.table) in ``path`` -> the LAs whose rows are not stored
    together (their row ids are not one unbroken run): see duckdb__create_table_as."""
    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        for table in names:
            las = [
                la
                for (la,) in con.execute(
                    f"select la_code from {table} group by la_code "
                    "having max(rowid) - min(rowid) + 1 != count(*) order by 1"
                ).fetchall()
            ]
            if las:
                out[table] = las
    return out


def incremental_models(manifest) -> list[str]:
    """schema.table of every incremental-by-LA model (materialized incremental)."""
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return sorted(
        f"{n['schema']}.{n['alias']}"
        for n in nodes
        if n["resource_type"] == "model" and n["config"]["materialized"] == "incremental"
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory, dbt_manifest):
    """(incremental settings, full-rebuild settings, facts recorded along the way)."""
    root = tmp_path_factory.mktemp("incremental")
    inc = settings_in(root / "incremental")
    for i, la in enumerate(LAS):
        generate(
            SynthConfig(
                out=inc.landing_dir,
                las=(la,),
                years=2,
                as_at=AS_AT,
                seed=11 + i,
                scale=0.04,
                quiet=True,
            )
        )
    facts = {}
    models = incremental_models(dbt_manifest)
    published = [m for m in models if m.startswith("marts.")]
    with dg.DagsterInstance.ephemeral() as instance:
        materialize(inc, instance)
        facts["models"] = models
        facts["scattered_after_full_build"] = (
            scattered(inc.warehouse_path, models),
            scattered(inc.serving_path, published),
        )
        facts["before"] = {
            la: rows(inc.serving_path, "marts.kpi_values", f"la_code = '{la}'") for la in LAS
        }
        # Tag the other LAs' rows in the warehouse and the snapshot: a refresh that rewrote
        # them would lose the tag.
        facts["marked"] = {
            la: (flip(inc.warehouse_path, la), flip(inc.serving_path, la))
            for la in LAS
            if la != REFRESHED
        }
        new_month(inc.landing_dir, REFRESHED, "2025-11-30")
        refresh = materialize(inc, instance, REFRESHED)
    facts["scattered_after_refresh"] = (
        scattered(inc.warehouse_path, models),
        scattered(inc.serving_path, published),
    )
    facts["published"] = next(
        m.metadata["las_copied"].value
        for m in refresh.asset_materializations_for_node("serving_snapshot")
    )
    with duckdb.connect(str(inc.warehouse_path), read_only=True) as con:
        facts["last_build"] = con.execute(
            "select list(la_code order by la_code) from raw_meta.mart_builds "
            "where build_id = (select max(build_id) from raw_meta.mart_builds)"
        ).fetchone()[0]
    facts["after_marked"] = {
        la: (
            rows(inc.warehouse_path, "marts.kpi_values", f"la_code = '{la}'"),
            rows(inc.serving_path, "marts.kpi_values", f"la_code = '{la}'"),
        )
        for la in facts["marked"]
    }
    for la in facts["marked"]:  # back as they were, for the comparison with a full build
        flip(inc.warehouse_path, la)
        flip(inc.serving_path, la)

    # The full rebuild writes one LA per statement (insert_by_la_chunks), then two of its
    # LAs are rebuilt in one run, one LA per statement too (la_replace): the same rows as
    # the incremental build's, written in one statement.
    full = settings_in(root / "full")
    shutil.copytree(inc.landing_dir, full.landing_dir)
    with dg.DagsterInstance.ephemeral() as instance, la_chunk_size(1):
        facts["statements_full_build"] = statements_of_run(materialize(full, instance))
        facts["scattered_after_chunked_build"] = scattered(full.warehouse_path, models)
        facts["statements_two_las"] = statements_of_run(
            materialize(full, instance, las=[LAS[0], LAS[1]])
        )
    facts["scattered_after_chunked_refresh"] = scattered(full.warehouse_path, models)
    return inc, full, facts


def test_the_refresh_ran_incrementally_for_the_one_la(builds):
    _, _, facts = builds
    assert facts["last_build"] == [REFRESHED]  # dbt was given the one LA (var las)
    assert facts["published"] == REFRESHED  # the publish step copied that LA only
    assert all(n > 0 for pair in facts["marked"].values() for n in pair)


def test_every_published_table_equals_a_full_rebuild(builds):
    inc, full, _ = builds
    with duckdb.connect(str(full.serving_path), read_only=True) as con:
        published = tables(con, ("marts", "reference"))
    with duckdb.connect(str(inc.serving_path), read_only=True) as con:
        assert tables(con, ("marts", "reference")) == published
    assert "marts.kpi_values" in published and len(published) > 20
    for table in published:
        got, want = rows(inc.serving_path, table), rows(full.serving_path, table)
        assert got == want, table
    # not vacuous: every LA has figures, and the refreshed LA's changed
    kpis = rows(full.serving_path, "marts.kpi_values")
    assert {r[0] for r in kpis} == set(LAS)


def test_every_warehouse_model_equals_a_full_rebuild(builds):
    inc, full, _ = builds
    with duckdb.connect(str(full.warehouse_path), read_only=True) as con:
        models = tables(con, ("intermediate", "marts"))
    assert len(models) > 40
    for table in models:
        assert rows(inc.warehouse_path, table) == rows(full.warehouse_path, table), table


def test_the_refreshed_la_changed_and_the_others_were_not_rewritten(builds):
    inc, _, facts = builds
    now = rows(inc.serving_path, "marts.kpi_values", f"la_code = '{REFRESHED}'")
    assert now != facts["before"][REFRESHED]
    assert max(r[5] for r in now) > max(r[5] for r in facts["before"][REFRESHED])  # period_end
    for la, (warehouse_rows, serving_rows) in facts["after_marked"].items():
        # the tag survived the refresh in the warehouse and the snapshot: not rewritten
        assert warehouse_rows == serving_rows != facts["before"][la]
        flipped = [
            (*r[:6], not r[6], *r[7:]) if r[1] == "ALL" and r[7] == "cla_count" else r
            for r in serving_rows
        ]
        assert sorted(flipped, key=repr) == sorted(facts["before"][la], key=repr)


def test_each_las_rows_are_stored_together_in_the_warehouse_and_the_snapshot(builds):
    """Full builds write each table in la_code order and a refresh appends the LA's new
    rows together: deleting one LA then touches that LA's row groups only (a refresh at
    20 LAs cost 1.4x one at 1 LA when every row group held every LA; docs/performance.md)."""
    _, _, facts = builds
    assert len(facts["models"]) > 40 and "marts.kpi_values" in facts["models"]
    assert facts["scattered_after_full_build"] == ({}, {})
    assert facts["scattered_after_refresh"] == ({}, {})
    assert facts["scattered_after_chunked_build"] == {}
    assert facts["scattered_after_chunked_refresh"] == {}


def test_many_las_are_written_a_chunk_of_las_per_statement(builds):
    """With la_chunk_size 1, the full build of kpi_members (a model configured la_chunks)
    is a create and two inserts (three LAs), a run of two LAs a delete and two inserts; the
    tables they wrote equal the incremental build's, one statement per model (tests above)."""
    _, _, facts = builds
    assert facts["statements_full_build"] == (1, 2)
    assert facts["statements_two_las"] == (0, 2)
