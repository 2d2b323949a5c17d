"""Where things live, read from the environment (the only module that reads it).

Every path has a default under the repository's ``data/`` folder, so ``make demo`` needs
no configuration; a council points the product at its own extracts by setting
``CSC_LANDING_DIR`` (see README, "Point it at real extracts").
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse_path: Path
    serving_dir: Path
    alert_webhook: str | None = None
    #: Files (as the landing folder names them, e.g. 850/ssda903/2026-27/2026-11-30/missing.csv)
    #: confirmed empty: a table that had rows and now has none publishes (VOLUME-EMPTY).
    confirm_empty: tuple[str, ...] = ()

    @property
    def serving_path(self) -> Path:
        """The published snapshot the dashboard reads (never the warehouse)."""
        return self.serving_dir / "serving.duckdb"

    @property
    def alerts_path(self) -> Path:
        """Failed runs, one JSON object a line (see pipelines/lib/alerts.py)."""
        return self.serving_dir / "alerts.jsonl"

    @property
    def previous_serving_path(self) -> Path:
        """The snapshot before the current one, kept for rollback."""
        return self.serving_dir / "serving.previous.duckdb"


def _path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name) or default).expanduser().resolve()


def get_settings() -> Settings:
    """Read the settings now (not at import), so tests and deployments can set them."""
    data = _path("CSC_DATA_DIR", REPO_ROOT / "data")
    return Settings(
        landing_dir=_path("CSC_LANDING_DIR", data / "landing"),
        warehouse_path=_path("CSC_DUCKDB_PATH", data / "warehouse.duckdb"),
        serving_dir=_path("CSC_SERVING_DIR", data / "serving"),
        alert_webhook=os.environ.get("CSC_ALERT_WEBHOOK") or None,
        confirm_empty=confirmed_files(os.environ.get("CSC_CONFIRM_EMPTY", "")),
    )


def confirmed_files(text: str) -> tuple[str, ...]:
    """The files of a ``CSC_CONFIRM_EMPTY`` value (separated by commas or white space)."""
    return tuple(p.strip("/") for p in re.split(r"[,\s]+", text or "") if p.strip("/"))
