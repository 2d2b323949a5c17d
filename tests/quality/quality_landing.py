"""Landing folders written from the example extract of ``expectations/examples.py``.

A module with its own name (not ``conftest``) so that test modules can import it whatever
other ``conftest`` modules pytest has loaded."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from expectations.examples import world
from pipelines.lib.contract import LOCAL_TABLES, SSDA903_TABLES, TableSpec


def csv_text(spec: TableSpec, rows: list[dict], newline: str = "\n") -> str:
    lines = [",".join(spec.columns)]
    for row in rows:
        values = (row.get(c.lower()) for c in spec.columns)
        lines.append(",".join("" if v is None or pd.isna(v) else str(v) for v in values))
    return newline.join(lines) + newline


def world_csvs(tables: tuple[TableSpec, ...]) -> dict[str, str]:
    """The valid example extract, as the CSV text of each file."""
    frames = world()
    return {spec.name: csv_text(spec, frames[spec.name].to_dict("records")) for spec in tables}


WORLD_903 = world_csvs(SSDA903_TABLES)
WORLD_LOCAL = world_csvs(LOCAL_TABLES)


class Landing:
    """A landing folder under tmp_path with complete, valid extracts on demand."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    def _extract(self, folder: str, base: dict[str, str], overrides) -> Path:
        for name, content in {**base, **overrides}.items():
            if content is not None:
                file = name if "." in name else f"{name}.csv"
                self.write(f"{folder}/{file}", content)
        return self.root / folder

    def extract_903(self, la: str, date: str, year: str = "2024-25", **overrides) -> Path:
        """Every 903 file of the example extract; ``table=None`` leaves one out."""
        return self._extract(f"{la}/ssda903/{year}/{date}", WORLD_903, overrides)

    def extract_local(self, la: str, date: str, **overrides) -> Path:
        return self._extract(f"{la}/local/{date}", WORLD_LOCAL, overrides)
