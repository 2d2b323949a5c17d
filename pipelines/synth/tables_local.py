"""Local tables of one snapshot: the full history as known on the snapshot date T.

Spells, allocations, missing episodes, interviews and PEPs dated after T do not appear;
an end date after T is blank (still in post, still allocated, still missing); an RHI held
after T is blank; a PEP completed after T is IN_PROGRESS and one rated after T has a blank
QUALITY.
"""

from __future__ import annotations

from pipelines.synth.dates import fmt
from pipelines.synth.model import World

Row = tuple[str, ...]


def _d(day: int, known_by: int) -> str:
    return fmt(day) if day <= known_by else ""


def build_local(world: World, day: int, history_from: int) -> dict[str, list[Row]]:
    """Rows of every local table as at ``day`` (by ID, then in date order); interviews
    only for episodes that ended since the history starts."""
    tables: dict[str, list[Row]] = {}
    tables["teams"] = [(t.team_id, t.name, t.district, t.service) for t in world.teams]
    spells = sorted((s for s in world.spells if s.start <= day), key=lambda s: (s.sw_id, s.start))
    tables["workers"] = [
        (
            s.sw_id,
            s.team_id,
            s.role,
            f"{s.fte:.1f}",
            "Y" if s.agency else "N",
            fmt(s.start),
            _d(s.end, day),
        )
        for s in spells
    ]
    allocations = sorted((a for a in world.allocations if a[3] <= day), key=lambda a: (a[0], a[3]))
    tables["allocations"] = [
        (child, sw_id, case_type, fmt(start), _d(end, day))
        for child, sw_id, case_type, start, end, _ in allocations
    ]
    missing = sorted(world.missing, key=lambda m: (m.child, m.start))
    tables["missing_from_home"] = [
        (m.child, fmt(m.dob), m.kind, fmt(m.start), _d(m.end, day))
        for m in missing
        if not m.from_care and m.start <= day
    ]
    interviews = []
    for m in missing:
        if m.kind != "M" or m.end > day or m.recorded > day or m.end < history_from:
            continue
        if m.offered:
            interviews.append(
                (
                    m.child,
                    fmt(m.start),
                    "Y",
                    fmt(m.offered_on),
                    "Y" if m.accepted else "N",
                    _d(m.rhi_on, day),
                )
            )
        else:
            interviews.append((m.child, fmt(m.start), "N", "", "", ""))
    tables["return_interviews"] = interviews
    peps = sorted((p for p in world.peps if p.day <= day), key=lambda p: (p.child, p.day))
    tables["peps"] = [
        (
            p.child,
            fmt(p.day),
            p.kind,
            "COMPLETE" if p.complete_on <= day else "IN_PROGRESS",
            p.quality if p.rated_on <= day else "",
        )
        for p in peps
    ]
    return tables
