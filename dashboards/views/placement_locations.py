"""Placement location (kpis.md F) on the pages: beside a KPI's figure, the children whose
location is not known, and the chart of where children are placed seen from home
(aggregate); on the district page, where its children live now, one row per child looked
after on the LA's as-at date, farthest from home first, each linking to the child's
timeline (child-level: managers only, never a board page)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from dash import html

from dashboards import data, disclosure, ids, location_figures
from dashboards import formatting as fmt
from dashboards.components.chart import chart
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
#: Placement location (kpis.md F): each KPI and the count of children it leaves out.
NOT_KNOWN_KPIS = {
    "placed_outside_la_pct": ("placed_location_not_known", "location not known"),
    "placed_20_miles_pct": ("placed_distance_not_known", "distance from home not known"),
}
NOT_KNOWN_WHY = (
    "blank, a placeholder such as XXXXXXX, or not in the ONS Postcode Directory: never "
    "guessed, and left out of the percentage"
)
BAND_COLUMNS = [
    column("band", "Distance from home"),
    *[column(d, d, numeric=True) for d in location_figures.DIRECTIONS],
    column("same_place", "Same postcode", numeric=True),
    column("total", "Total", numeric=True),
]


def not_known_note(la: str, kpi_id: str, district: str, latest: Mapping | None) -> list:
    """The line "Location not known: N children" beside a placement-location figure."""
    if kpi_id not in NOT_KNOWN_KPIS or latest is None:
        return []
    companion, words = NOT_KNOWN_KPIS[kpi_id]
    series = data.kpi_series(la, companion, district)
    same = series[pd.to_datetime(series["period_end"]) == pd.Timestamp(latest["period_end"])]
    if same.empty:
        return []
    status = same["status"].iloc[0]
    if status == disclosure.SUPPRESSED_SMALL:  # the board's copy: a small count is hidden
        figure = f"{disclosure.small_count_text()} children"
    elif status == disclosure.SUPPRESSED:
        figure = "suppressed"
    elif fmt.is_missing(same["numerator"].iloc[0]):
        return []
    else:
        count = int(same["numerator"].iloc[0])
        figure = f"{count:,} {'child' if count == 1 else 'children'}"
    return [
        html.P(
            [html.Strong(f"{words.capitalize()}: {figure}"), f" ({NOT_KNOWN_WHY})."],
            id=ids.KPI_NOT_KNOWN,
            className="small not-known",
        )
    ]


def kpi_section(la: str, kpi_id: str, district: str, place: str, latest) -> list:
    """The KPI page's chart and table of where children are placed, by direction and
    distance from home (aggregate counts: board-safe)."""
    if kpi_id not in NOT_KNOWN_KPIS or latest is None:
        return []
    end = latest["period_end"]
    bands = data.placement_distance_bands(la, district, end)
    label = fmt.period_label(
        latest["period_type"], latest["period_start"], end, latest["is_partial"]
    )
    return [
        html.H2(f"Where children are placed, seen from home — {label}", className="h4"),
        html.P(
            "Each spoke points from the child's home postcode towards the placement; its "
            "length is the number of children, coloured by distance. Only children with "
            "both postcodes known are drawn.",
            className="small text-body-secondary",
        ),
        chart(
            ids.KPI_PLACEMENT_CHART,
            location_figures.rose_figure(bands),
            location_figures.describe_rose(bands, place),
        ),
        data_grid(
            ids.KPI_PLACEMENT_TABLE,
            location_figures.band_rows(bands),
            BAND_COLUMNS,
            label=f"Children by distance and direction from home, {place}",
        ),
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
