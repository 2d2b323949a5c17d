"""Where children are placed, seen from home (kpis.md F): a polar chart of the children
looked after on a date by compass direction from their home postcode and distance band.

No boundary file ships with the product (none could be shipped under an open licence
here), so the chart places children by direction and distance from home rather than on a
map. It is built from ``marts.mart_placement_distance_bands`` (counts only), so board
pages may show it; the district and distance tables beside it give the same figures as
text.
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


def rose_figure(bands: pd.DataFrame, *, height: int = 420) -> go.Figure:
    """Stacked polar bars: one spoke per compass direction from home, one colour per
    distance band, length = children. Children placed at their home postcode have no
    direction and are told in the description instead."""
    placed = bands[bands["direction"].isin(DIRECTIONS)] if not bands.empty else bands
    if placed.empty:
        return empty_figure("No child has both a home and a placement postcode known.", height)
    counts = placed.pivot_table(
        index="direction", columns="distance_band", values="children", aggfunc="sum"
    ).reindex(index=DIRECTIONS, columns=list(BANDS), fill_value=0)
    counts = counts.fillna(0).astype(int)
    data = [
        {
            "type": "barpolar",
            "name": band,
            "theta": DIRECTIONS,
            "r": [int(v) for v in counts[band]],
            "marker": {"color": colour, "line": {"color": "#ffffff", "width": 1}},
            "hovertemplate": "%{r} children placed %{theta} of home, " + band + "<extra></extra>",
        }
        for band, colour in BANDS.items()
    ]
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
    """The chart in words (its text alternative)."""
    if bands.empty:
        return f"Where children in {place} are placed: no child has both postcodes known."
    total = int(bands["children"].sum())
    by_band = bands.groupby("distance_band")["children"].sum()
    far = int(by_band.get("20-50 miles", 0) + by_band.get("over 50 miles", 0))
    parts = [
        f"Where the {total} children in {place} with both postcodes known are placed, by "
        f"direction and distance from home: {far} more than 20 miles away"
    ]
    directions = bands[bands["direction"].isin(DIRECTIONS)]
    if not directions.empty:
        top = directions.groupby("direction")["children"].sum().sort_values(ascending=False)
        parts.append(f"most often to the {DIRECTION_NAMES[str(top.index[0])]} ({int(top.iloc[0])})")
    same = int(bands.loc[bands["direction"] == SAME_PLACE, "children"].sum())
    if same:
        parts.append(f"{same} at their home postcode")
    return "; ".join(parts) + "."


def band_rows(bands: pd.DataFrame) -> list[dict]:
    """The chart's figures as a table: one row per distance band, one column per direction."""
    if bands.empty:
        return []
    table = bands.pivot_table(
        index="distance_band", columns="direction", values="children", aggfunc="sum"
    ).reindex(index=list(BANDS), columns=[*DIRECTIONS, SAME_PLACE], fill_value=0)
    table = table.fillna(0).astype(int)
    rows = []
    for band, values in table.iterrows():
        row = {"band": band, **{d: int(values[d]) for d in DIRECTIONS}}
        row["same_place"] = int(values[SAME_PLACE])
        row["total"] = int(values.sum())
        rows.append(row)
    return rows
