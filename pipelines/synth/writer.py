"""Write one LA's landing folders exactly as the data contract lays them out.

``<out>/<la>/ssda903/<YYYY-YY>/<extract_date>/<table>.csv`` and
``<out>/<la>/local/<extract_date>/<table>.csv``: CSV, header row in contract column order,
``\\n`` line ends, UTF-8, dates ``dd/mm/yyyy``, blanks as empty fields.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable
from pathlib import Path

from pipelines.lib.contract import LOCAL_TABLES, SSDA903_TABLES, TableSpec
from pipelines.synth.config import Extract, Timeline
from pipelines.synth.dates import iso
from pipelines.synth.defects import Injector
from pipelines.synth.model import World
from pipelines.synth.tables903 import Tables903
from pipelines.synth.tables_local import build_local


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def tables_of(extract: Extract) -> list[TableSpec]:
    """The 903 files of an extract: OC2 only in final returns (it is a 31 March snapshot),
    SWEpisodes only from 2023-24 (when the DfE started collecting it)."""
    return [
        spec
        for spec in SSDA903_TABLES
        if not (spec.name == "oc2" and not extract.is_final)
        and not (spec.name == "sw_episodes" and not extract.has_sw_episodes)
    ]


def plan(timeline: Timeline) -> list[TableSpec]:
    """The table of every file an LA gets, in the order they are written."""
    specs = [spec for extract in timeline.extracts for spec in tables_of(extract)]
    return specs + [spec for _ in timeline.local_dates for spec in LOCAL_TABLES]


class LaWriter:
    """Writes every file of one LA; counts rows per table; hands rows to the defect injector."""

    def __init__(
        self, out: Path, world: World, timeline: Timeline, injector: Injector | None
    ) -> None:
        self.out, self.world, self.timeline, self.injector = out, world, timeline, injector
        self.rows: dict[str, int] = {}
        self.files = 0

    def write_all(self) -> None:
        la_dir = self.out / self.world.la
        if la_dir.exists():
            shutil.rmtree(la_dir)  # the generator owns the LA folders it writes
        builder = Tables903(self.world)
        for extract in self.timeline.extracts:
            folder = Path(self.world.la, "ssda903", extract.label, iso(extract.extract_date))
            tables = builder.build(extract)
            if self.injector is not None:
                tables = self.injector.plant_rules(folder, tables, extract)
            for spec in tables_of(extract):
                self._write(
                    folder / spec.file_name,
                    spec,
                    tables[spec.name],
                    extract.year,
                    extract.coverage_end,
                )
        for day in self.timeline.local_dates:
            folder = Path(self.world.la, "local", iso(day))
            tables = build_local(self.world, day, self.timeline.local_start)
            for spec in LOCAL_TABLES:
                self._write(folder / spec.file_name, spec, tables[spec.name], None, day)

    def _write(
        self,
        relative: Path,
        spec: TableSpec,
        rows: list[tuple[str, ...]],
        year: int | None,
        coverage_end: int,
    ) -> None:
        columns: list[str] = list(spec.columns)
        body: list = rows
        if self.injector is not None:
            columns, body = self.injector.apply(relative, spec, columns, rows, year, coverage_end)
        write_csv(self.out / relative, columns, body)
        self.files += 1
        self.rows[spec.name] = self.rows.get(spec.name, 0) + len(rows)
