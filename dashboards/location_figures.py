"""Where children are placed, seen from home (kpis.md F): a polar chart of the children
looked after on a date by compass direction from their home postcode and distance band.

No boundary file ships with the product (none could be shipped under an open licence
here), so the chart places children by direction and distance from home rather than on a
map. It is built from ``marts.mart_placement_distance_bands`` (counts only, read by
``data.placement_distance_bands`` with their totals), so board pages may show it: the
board's figures come disclosure-controlled, a hidden count saying "fewer than 6" or
"suppressed" and drawn as nothing. The district and distance tables beside it give the
same figures as text.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures import base_layout, empty_figure, figure

DIRECTIONS = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]
DIRECTION_NAMES = {
    "N": "north",
    "NE": "north-east",
    "E": "east",
    "SE": "south-east",
    "S": "south",
    "SW": "south-west",
    "W": "west",
    "NW": "north-west",
}
#: Bands from near to far, with colours from light to dark (GOV.UK blues, then the
#: "over 20 miles" KPI bands in orange and red, so far-from-home reads at a glance).
BANDS = {
    "up to 5 miles": "#9ecae1",
    "5-10 miles": "#4292c6",
    "10-20 miles": "#1d70b8",
    "20-50 miles": "#f47738",
    "over 50 miles": "#d4351c",
}
SAME_PLACE = "same_place"
ALL = "ALL"
OVER_20 = "over 20 miles"


def _cells(bands: pd.DataFrame) -> pd.DataFrame:
    """The counts of one direction (or same place) and one band: not the totals."""
    if bands.empty:
        return bands
    keep = bands["direction"].isin([*DIRECTIONS, SAME_PLACE]) & bands["distance_band"].isin(
        list(BANDS)
    )
    return bands[keep]


def _shown(bands: pd.DataFrame, direction: str, band: str) -> tuple[int | None, str]:
    """(count, as shown) of one cell or total: (0, "0") when there is none, (None, "fewer
    than 6" or "suppressed") when it is hidden."""
    if bands.empty:
        return 0, "0"
    row = bands[(bands["direction"] == direction) & (bands["distance_band"] == band)]
    if row.empty:
        return 0, "0"
    hidden = str(row["shown_as"].iloc[0] or "") if "shown_as" in row.columns else ""
    if hidden:
        return None, hidden
    count = int(row["children"].iloc[0])
    return count, f"{count:,}"


def rose_figure(bands: pd.DataFrame, *, height: int = 420) -> go.Figure:
    """Stacked polar bars: one spoke per compass direction from home, one colour per
    distance band, length = children. Children placed at their home postcode have no
    direction and are told in the description instead."""
    placed = _cells(bands)
    placed = placed[placed["direction"].isin(DIRECTIONS)] if not placed.empty else placed
    if placed.empty:
        return empty_figure("No child has both a home and a placement postcode known.", height)
    data = []
    for band, colour in BANDS.items():
        shown = [_shown(placed, d, band) for d in DIRECTIONS]
        data.append(
            {
                "type": "barpolar",
                "name": band,
                "theta": DIRECTIONS,
                "r": [count or 0 for count, _text in shown],
                "customdata": [text for _count, text in shown],
                "marker": {"color": colour, "line": {"color": "#ffffff", "width": 1}},
                "hovertemplate": "%{customdata} children placed %{theta} of home, "
                + band
                + "<extra></extra>",
            }
        )
    layout = base_layout(
        height=height,
        margin={"l": 30, "r": 30, "t": 30, "b": 30},
        barmode="stack",
        legend={"orientation": "v", "y": 0.5, "yanchor": "middle", "x": 1.05},
        polar={
            "angularaxis": {"direction": "clockwise", "rotation": 90, "tickfont": {"size": 13}},
            "radialaxis": {"tickfont": {"size": 11}, "angle": 90, "dtick": None},
        },
    )
    return figure(data, layout)


def describe_rose(bands: pd.DataFrame, place: str) -> str:
    """The chart in words (its text alternative), from the totals as shown."""
    if bands.empty:
        return f"Where children in {place} are placed: no child has both postcodes known."
    _total, total = _shown(bands, ALL, ALL)
    _far, far = _shown(bands, ALL, OVER_20)
    parts = [
        f"Where the {total} children in {place} with both postcodes known are placed, by "
        f"direction and distance from home: {far} more than 20 miles away"
    ]
    counts = {d: _shown(bands, d, ALL)[0] for d in DIRECTIONS}
    counts = {d: n for d, n in counts.items() if n}
    if counts:
        top = max(DIRECTIONS, key=lambda d: (counts.get(d) or 0, -DIRECTIONS.index(d)))
        parts.append(f"most often to the {DIRECTION_NAMES[top]} ({counts[top]:,})")
    same, same_text = _shown(bands, SAME_PLACE, ALL)
    if same != 0:
        parts.append(f"{same_text} at their home postcode")
    hidden = int((_cells(bands)["shown_as"] != "").sum()) if "shown_as" in bands else 0
    if hidden:
        parts.append(f"{hidden} small or suppressed figures are not drawn (disclosure control)")
    return "; ".join(parts) + "."


def band_rows(bands: pd.DataFrame) -> list[dict]:
    """The chart's figures as a table: one row per distance band, one column per direction,
    and the band's total (a hidden figure as its words)."""
    cells = _cells(bands)
    if cells.empty:
        return []
    rows = []
    for band in BANDS:

        def value(direction: str, band: str = band) -> int | str:
            count, text = _shown(bands, direction, band)
            return text if count is None else count

        row = {"band": band, **{d: value(d) for d in DIRECTIONS}}
        row["same_place"] = value(SAME_PLACE)
        row["total"] = value(ALL)
        rows.append(row)
    return rows
