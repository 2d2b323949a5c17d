"""Where things live, read from the environment (the only module that reads it).

Every path has a default under the repository's ``data/`` folder, so ``make demo`` needs
no configuration; a council points the product at its own extracts by setting
``CSC_LANDING_DIR`` (see README, "Point it at real extracts").
"""

from __future__ import annotations

import os
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
    #: The board's working memory (commentary, actions, meetings): SQLite, outside the
    #: published snapshot, which every publish replaces (dashboards/board/store.py).
    board_path: Path = REPO_ROOT / "data" / "board" / "board.sqlite3"
    #: Districts with fewer cases than this are marked "small numbers" and never judged.
    small_numbers: int = 10

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
        board_path=_path("CSC_BOARD_PATH", data / "board" / "board.sqlite3"),
        small_numbers=_positive_int("CSC_SMALL_NUMBERS", 10),
    )


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise ValueError(f"{name} must be 1 or more, not {value}")
    return value
