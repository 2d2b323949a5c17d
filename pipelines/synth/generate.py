"""The Python API: ``generate(config) -> Summary``, one LA at a time (or a process pool).

Each LA is simulated, written and freed before the next, so memory stays bounded by the
largest LA whatever the number of LAs. ``<out>/_synth.json`` records the parameters and
what was written (no wall time, so reruns are byte-identical); ``<out>/_defects.json``
lists injected defects and is written only when defects were asked for.
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from pipelines.synth.authorities import authority
from pipelines.synth.config import Summary, SynthConfig, Timeline
from pipelines.synth.defects import Injector
from pipelines.synth.simulate import simulate
from pipelines.synth.writer import LaWriter, plan

SYNTH_FILE = "_synth.json"
DEFECTS_FILE = "_defects.json"


@dataclass
class LaResult:
    la: str
    files: int
    rows: dict[str, int]
    defects: list[dict[str, object]]


def generate_la(config: SynthConfig, la_code: str) -> LaResult:
    """Simulate and write one LA."""
    timeline = Timeline.build(config.as_at, config.years)
    world = simulate(authority(la_code), timeline, config.seed, config.scale)
    injector = None
    if config.defects:
        injector = Injector(
            la_code,
            config.defects,
            config.defect_rate,
            config.seed,
            plan(timeline),
        )
    writer = LaWriter(Path(config.out), world, timeline, injector)
    writer.write_all()
    return LaResult(la_code, writer.files, writer.rows, injector.entries if injector else [])


def generate(config: SynthConfig) -> Summary:
    """Write the whole landing folder for ``config`` and return what was written."""
    started = time.perf_counter()
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / DEFECTS_FILE).unlink(missing_ok=True)
    show = not config.quiet and sys.stderr.isatty() and len(config.las) > 1
    results: dict[str, LaResult] = {}
    progress = tqdm(total=len(config.las), unit="LA", disable=not show, file=sys.stderr)
    if config.jobs > 1 and len(config.las) > 1:
        with ProcessPoolExecutor(max_workers=config.jobs) as pool:
            futures = [pool.submit(generate_la, config, la) for la in config.las]
            for future in as_completed(futures):
                result = future.result()
                results[result.la] = result
                progress.update()
    else:
        for la in config.las:
            results[la] = generate_la(config, la)
            progress.update()
    progress.close()

    summary = Summary(parameters=config.parameters(), las=list(config.las))
    defects: list[dict[str, object]] = []
    for la in sorted(results):
        result = results[la]
        summary.files += result.files
        summary.rows_by_la[la] = dict(result.rows)
        for table, count in result.rows.items():
            summary.rows[table] = summary.rows.get(table, 0) + count
        defects.extend(result.defects)
    summary.defects = len(defects)
    if config.defects:
        manifest = {"parameters": config.parameters(), "count": len(defects), "defects": defects}
        _write_json(out / DEFECTS_FILE, manifest)
    _write_json(out / SYNTH_FILE, summary.to_json())
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def _write_json(path: Path, payload: object) -> None:
    path.write_text(json.dumps(payload, indent=1, sort_keys=False) + "\n", encoding="utf-8")
