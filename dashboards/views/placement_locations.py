"""Where the children of a district live now (kpis.md F), for its managers: one row per
child looked after on the LA's as-at date, farthest from home first, each linking to the
child's timeline. Child-level: the district page only, never a board page."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboards import data, ids
from dashboards import formatting as fmt
from dashboards.components.grid import column, data_grid
from dashboards.views.common import child_href, markdown_link

COLUMNS = [
    column("child", "Child", cellRenderer="markdown"),
    column("placement_start", "Placed since"),
    column("place", "Placement type"),
    column("placed_in", "Placed in"),
    column("inside", "Inside the LA?"),
    column("miles", "Miles from home", numeric=True),
    column("not_known", "Not known because"),
    column("sw_id_at_as_at", "Worker"),
]
WHY = {
    "pl_post_blank": "no placement postcode",
    "pl_post_not_in_directory": "placement postcode not in the ONS Postcode Directory",
    "pl_post_no_authority": "placement postcode has no local authority",
    "la_not_in_lookup": "the LA has no ONS code",
    "home_post_blank": "no home postcode",
    "home_post_not_in_directory": "home postcode not in the ONS Postcode Directory",
    "no_grid_reference": "a postcode with no grid reference",
    "different_grids": "one postcode in Northern Ireland (another grid)",
}


def rows(frame: pd.DataFrame, la: str) -> list[dict]:
    """Grid rows of ``data.placement_locations``: plain words, links to the timeline."""
    out = []
    for r in frame.to_dict("records"):
        known = r["outside_status"] == "known"
        reasons = [WHY.get(s, s) for s in (r["outside_status"], r["distance_status"])]
        reasons = [
            why for i, why in enumerate(reasons) if why != "known" and why not in reasons[:i]
        ]
        out.append(
            {
                "child": markdown_link(r["child"], child_href(str(r["child"]), la=la)),
                "placement_start": fmt.format_date(r["placement_start"]),
                "place": r["place"],
                "placed_in": r["pl_upper_tier_name"] if known else "",
                "inside": "" if not known else ("no" if r["is_outside_la"] else "yes"),
                "miles": None
                if fmt.is_missing(r["distance_miles"])
                else round(float(r["distance_miles"]), 1),
                "not_known": "; ".join(reasons),
                "sw_id_at_as_at": r["sw_id_at_as_at"],
            }
        )
    return out


def section(la: str | None, district: str) -> html.Section:
    """The district page's "Where children live now" section."""
    frame = data.placement_locations(la or "", district) if la else pd.DataFrame()
    total = len(frame)
    far = 0 if frame.empty else int(frame["is_over_20_miles"].fillna(False).astype(bool).sum())
    return html.Section(
        [
            html.H2("Where its children looked after live now", className="h4 mt-4"),
            html.P(
                f"{total:,} children looked after on the latest extract date, farthest "
                f"from home first; {far:,} placed more than 20 miles from home. Postcodes "
                "are looked up in the ONS Postcode Directory; a location or distance that "
                "cannot be found is said, never guessed.",
                className="small text-body-secondary",
            ),
            data_grid(
                ids.DISTRICT_PLACEMENT_TABLE,
                rows(frame, la or ""),
                COLUMNS,
                label=f"Where the children of {district} live now",
            ),
        ]
    )
