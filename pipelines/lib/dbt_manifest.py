"""Parse the dbt project once per code change, not once per run (``make manifest``).

Dagster needs ``dbt_project/target/manifest.json`` when the code location is imported
(stack-notes E2), and each ``dbt build`` a run starts reuses its ``partial_parse.msgpack``.
``dbt parse`` costs 5-10 s on this machine, so it runs only when the manifest is missing,
when a file of the dbt project changed (content, not time stamps), when dbt's version
changed, or when the warehouse path changed: dbt keeps the profile (hence the DuckDB path)
in its partial-parse state and parses everything again at run time if the path of the run
is not the one it was parsed with.

The state is kept beside the manifest in ``manifest.state.json``.

    python -m pipelines.lib.dbt_manifest            # parse if needed, for the settings' warehouse
    python -m pipelines.lib.dbt_manifest --force    # parse anyway
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from pipelines.settings import DBT_PROJECT_DIR

#: Folders of the dbt project that are outputs, not sources.
_OUTPUTS = {"target", "logs", "dbt_packages"}


def manifest_path(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    return project_dir / "target" / "manifest.json"


def run_targets_dir(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    """Where dagster-dbt puts the target folder of each dbt invocation (``DBT_TARGET_PATH``,
    relative to the project)."""
    return project_dir / os.getenv("DBT_TARGET_PATH", "target")


def run_target(
    run_id: str, step: str = "csc_dbt_models", targets: Path | None = None
) -> Path | None:
    """The target folder of the dbt ``step`` of Dagster run ``run_id`` (dagster-dbt names it
    after the step and the run id's first 7 characters; other runs' folders, such as those
    of concurrent test workers, sit beside it); None when there is none (dbt did not run,
    or the folder was pruned)."""
    found = sorted((targets or run_targets_dir()).glob(f"{step}-{run_id[:7]}-*"))
    return found[0] if found else None


def _state_path(project_dir: Path) -> Path:
    return project_dir / "target" / "manifest.state.json"


def _dbt_version() -> str:
    from importlib.metadata import version

    return f"dbt-core {version('dbt-core')}, dbt-duckdb {version('dbt-duckdb')}"


def sources_fingerprint(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """SHA-256 over every source file of the dbt project (path and content) and dbt's version."""
    digest = hashlib.sha256(_dbt_version().encode())
    files = sorted(
        p
        for p in project_dir.rglob("*")
        if p.is_file()
        and not (_OUTPUTS & set(p.relative_to(project_dir).parts))
        and not any(part.startswith(".") for part in p.relative_to(project_dir).parts)
    )
    for path in files:
        digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _recorded(project_dir: Path) -> dict:
    try:
        return json.loads(_state_path(project_dir).read_text())
    except (OSError, ValueError):
        return {}


def is_current(warehouse: Path | None = None, project_dir: Path = DBT_PROJECT_DIR) -> bool:
    """The manifest exists and was parsed from the project as it is now (and, when
    ``warehouse`` is given, for that warehouse path)."""
    if not manifest_path(project_dir).exists():
        return False
    state = _recorded(project_dir)
    if state.get("sources") != sources_fingerprint(project_dir):
        return False
    return warehouse is None or state.get("warehouse") == str(warehouse)


def parse(warehouse: Path, project_dir: Path = DBT_PROJECT_DIR) -> None:
    """Run ``dbt parse`` for ``warehouse`` and record what it was parsed from."""
    fingerprint = sources_fingerprint(project_dir)
    env = {
        **os.environ,
        "CSC_DUCKDB_PATH": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "parse", "--quiet", "--profiles-dir", "."],
        cwd=project_dir,
        env=env,
        check=True,
    )
    _state_path(project_dir).write_text(
        json.dumps({"sources": fingerprint, "warehouse": str(warehouse)}, indent=2)
    )


def ensure(warehouse: Path, project_dir: Path = DBT_PROJECT_DIR, force: bool = False) -> bool:
    """Parse unless the manifest is current for ``warehouse``; True when it parsed."""
    if not force and is_current(warehouse, project_dir):
        return False
    parse(warehouse, project_dir)
    return True


def main(argv: list[str] | None = None) -> int:
    from pipelines.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="parse even if nothing changed")
    args = parser.parse_args(argv)
    warehouse = get_settings().warehouse_path
    if ensure(warehouse, force=args.force):
        print(f"dbt manifest parsed for {warehouse}")  # noqa: T201 (a command reports)
    else:
        print("dbt manifest is current: nothing in dbt_project/ changed")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
