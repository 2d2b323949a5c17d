"""Which extracts in the landing folder are new since the last look (for the sensor).

The cursor keeps, per (LA, source, collection year), the newest extract date seen. An
extract is new when its date is newer. A folder still being written (modified in the
last ``settle_seconds``) is not reported yet, so a run never starts on a half-copied
extract; and because a run refreshes a whole LA (it loads every extract of that LA's
folder), an LA with any new extract still copying waits as a whole: its other new
extracts are reported, and the cursor moves for them, once everything has settled.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.landing import Extract, scan_landing


def _key(extract: Extract) -> str:
    return "/".join(p for p in (extract.la_code, extract.source, extract.collection_year) if p)


def _last_modified(folder: Path) -> float:
    times = [folder.stat().st_mtime] + [p.stat().st_mtime for p in folder.iterdir()]
    return max(times)


@dataclass(frozen=True)
class Arrivals:
    new: list[Extract]  # settled, in LAs with nothing still copying
    settling: list[Extract]  # new but still being copied, or in an LA where one is
    cursor: str

    def by_la(self) -> dict[str, list[Extract]]:
        """The new extracts of each LA (one refresh run per LA), LAs in code order."""
        grouped: dict[str, list[Extract]] = defaultdict(list)
        for extract in self.new:
            grouped[extract.la_code].append(extract)
        return dict(sorted(grouped.items()))


def find_arrivals(
    root: Path, cursor: str | None, settle_seconds: float = 60.0, now: float | None = None
) -> Arrivals:
    seen: dict[str, str] = json.loads(cursor) if cursor else {}
    now = time.time() if now is None else now
    newest: dict[str, Extract] = {}
    for extract in scan_landing(root).extracts:
        key = _key(extract)
        if extract.extract_date.isoformat() <= seen.get(key, ""):
            continue
        if key not in newest or extract.extract_date > newest[key].extract_date:
            newest[key] = extract
    copying = {
        e.la_code for e in newest.values() if now - _last_modified(e.folder) < settle_seconds
    }
    new = [e for e in newest.values() if e.la_code not in copying]
    settling = [e for e in newest.values() if e.la_code in copying]
    updated = dict(seen)
    for extract in new:
        updated[_key(extract)] = extract.extract_date.isoformat()
    return Arrivals(
        sorted(new, key=_key), sorted(settling, key=_key), json.dumps(updated, sort_keys=True)
    )
