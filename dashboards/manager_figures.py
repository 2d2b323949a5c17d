"""Charts of the managers' pages, with their text alternatives: where a district sits
among the districts on every KPI (a spine chart), and one child's timeline. Pure
functions from DataFrames to ``go.Figure``; no Dash, no I/O.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboards import formatting as fmt
from dashboards.figures import BLUE, DARK, GREY, base_layout, empty_figure, figure, vline

RANGE_GREY = "#dee0e2"
#: A child's timeline, top to bottom: event type -> (lane, what one is called, and many).
LANES = {
    "period_of_care": ("Periods of care", "period of care", "periods of care"),
    "placement": ("Placements", "placement", "placements"),
    "allocation": ("Allocations", "allocation", "allocations"),
    "missing": ("Missing episodes", "missing episode", "missing episodes"),
    "rhi": ("Return interviews", "return interview record", "return interview records"),
    "pep": ("PEPs", "PEP", "PEPs"),
    "review": ("Reviews", "review", "reviews"),
}
#: Event types drawn as bars from start to end; the others are markers on their date.
SPANS = ("period_of_care", "placement", "allocation")
#: Alternating colours, so that back-to-back bars in one lane can be told apart.
SPAN_COLOURS = {
    "period_of_care": ("#505a5f", "#505a5f"),
    "placement": (BLUE, "#5694ca"),
    "allocation": ("#4c2c92", "#912b88"),
}
MARKERS = {  # GOV.UK colours; shapes differ too, so colour is never the only cue
    "missing": ("circle", "#aa2a16"),
    "rhi": ("diamond", "#00703c"),
    "pep": ("square", "#b58840"),
    "review": ("triangle-up", DARK),
}
_DAY_MS = 86_400_000
#: A story whose bars start this long before its first dated event opens zoomed in on the
#: events (the range slider below the chart shows the whole story).
ZOOM_AFTER = pd.Timedelta(days=365)
ZOOM_MARGIN = pd.Timedelta(days=60)


def spine_rows(comparison: pd.DataFrame) -> pd.DataFrame:
    """The KPIs the spine chart can place: a better direction, a figure and places."""
    if comparison.empty:
        return comparison
    keep = (
        comparison["polarity"].isin(["higher", "lower"])
        & comparison["value"].notna()
        & comparison["places"].map(bool)
    )
    return comparison[keep].reset_index(drop=True)


def _position(value: float, low: float, high: float, polarity: str) -> float:
    """0 = the worst figure on the row, 1 = the best."""
    if high - low < 1e-12:
        return 0.5
    share = (value - low) / (high - low)
    return share if polarity == "higher" else 1 - share


def spine_figure(comparison: pd.DataFrame, district: str) -> go.Figure:
    """Each KPI a row across the range of the places, the worse end left and the better
    end right: the range as a grey bar, each place a dot, the LA a black bar, ``district``
    a blue diamond. Where a figure sits in the range is not a judgement: the hover text and
    the table say whether ``district`` is significantly better or worse than the LA.

    ``comparison`` is ``managers.compare_district``'s frame; KPIs shown for information
    (no better direction) are left out: their table rows still show the figures.
    """
    rows = spine_rows(comparison)
    if rows.empty:
        return empty_figure(f"No KPI figures to compare for {district}", height=220)
    names, bar_base, bar_len = [], [], []
    dots_x, dots_y, dots_text = [], [], []
    la_x, la_y, la_text = [], [], []
    me_x, me_y, me_text = [], [], []
    for row in rows.to_dict("records"):
        unit, places, polarity = row["unit"], row["places"], row["polarity"]
        everything = [*places.values(), row["value"]]
        if row["la_value"] is not None and not pd.isna(row["la_value"]):
            everything.append(row["la_value"])
        low, high = min(everything), max(everything)

        def at(value: float, low: float = low, high: float = high, polarity: str = polarity):
            return _position(value, low, high, polarity)

        def shown(value: float, unit: Any = unit, places_dp: int = row["decimals"]) -> str:
            return fmt.format_value(value, unit, places_dp)

        name = row["name"]
        names.append(name)
        spots = [at(v) for v in places.values()]
        bar_base.append(min(spots))
        bar_len.append(max(spots) - min(spots))
        for place, value in places.items():
            dots_x.append(at(value))
            dots_y.append(name)
            dots_text.append(f"{name} — {place}: {shown(value)}")
        if row["la_value"] is not None and not pd.isna(row["la_value"]):
            la_x.append(at(row["la_value"]))
            la_y.append(name)
            la_text.append(f"{name} — LA: {shown(row['la_value'])}")
        me_x.append(at(row["value"]))
        me_y.append(name)
        me_text.append(f"{name} — {district}: {row['shown']} ({row['compared']})")
    data = [
        {
            "type": "bar",
            "x": bar_len,
            "base": bar_base,
            "y": names,
            "orientation": "h",
            "marker": {"color": RANGE_GREY},
            "width": 0.35,
            "hoverinfo": "skip",
            "name": "Range of the districts",
        },
        {
            "type": "scatter",
            "x": dots_x,
            "y": dots_y,
            "mode": "markers",
            "marker": {"color": GREY, "size": 8, "symbol": "circle"},
            "hovertext": dots_text,
            "hoverinfo": "text",
            "name": "Other districts",
        },
        {
            "type": "scatter",
            "x": la_x,
            "y": la_y,
            "mode": "markers",
            "marker": {"color": DARK, "size": 20, "symbol": "line-ns", "line": {"width": 3}},
            "hovertext": la_text,
            "hoverinfo": "text",
            "name": "LA total",
        },
        {
            "type": "scatter",
            "x": me_x,
            "y": me_y,
            "mode": "markers",
            "marker": {"color": BLUE, "size": 14, "symbol": "diamond", "line": {"width": 0}},
            "hovertext": me_text,
            "hoverinfo": "text",
            "name": district,
        },
    ]
    layout = base_layout(
        height=32 * len(names) + 130,
        margin={"l": 20, "r": 20, "t": 20, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        yaxis={
            "categoryorder": "array",
            "categoryarray": names,
            "autorange": "reversed",
            "automargin": True,
            "showgrid": False,
        },
        xaxis={
            "range": [-0.05, 1.05],
            "tickvals": [0, 1],
            "ticktext": ["Worse end of the range", "Better end of the range"],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
    )
    return figure(data, layout)


def describe_spine(comparison: pd.DataFrame, district: str) -> str:
    """One sentence saying what the spine chart shows (its text alternative)."""
    rows = spine_rows(comparison)
    if rows.empty:
        return f"Chart comparing {district} with the other districts: no KPI figures."
    better = list(rows[rows["verdict"] == "better"]["name"])
    worse = list(rows[rows["verdict"] == "worse"]["name"])
    text = (
        f"Chart placing {district} within the range of the districts on {len(rows)} KPIs, "
        "with the LA total"
    )
    if better:
        text += f"; significantly better than the LA on {len(better)} ({', '.join(better)})"
    if worse:
        text += f"; significantly worse than the LA on {len(worse)} ({', '.join(worse)})"
    if not better and not worse:
        text += "; not significantly different from the LA on any"
    return text + ". The table below lists every figure with its 95% interval."


def _count_text(events: pd.DataFrame) -> str:
    parts = []
    for event_type, (_lane, one, many) in LANES.items():
        n = int((events["event_type"] == event_type).sum())
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else "no events"


def timeline_figure(events: pd.DataFrame, as_at: Any = None, height: int | None = None):
    """A child's events on one time axis, one lane per kind (``LANES``): periods of care,
    placements and allocations as bars (open ones run to ``as_at``), missing episodes,
    return interviews, PEPs and reviews as markers on their date."""
    if events.empty:
        return empty_figure("No events recorded for this child", height=220)
    events = events.copy()
    events["start_date"] = pd.to_datetime(events["start_date"])
    events["end_date"] = pd.to_datetime(events["end_date"])
    last = pd.Timestamp(as_at) if not fmt.is_missing(as_at) else None
    if last is None:
        last = pd.concat([events["start_date"], events["end_date"]]).max()
    present = [t for t in LANES if (events["event_type"] == t).any()]
    lanes = [LANES[t][0] for t in present]
    traces = []
    for event_type in present:
        lane = LANES[event_type][0]
        rows = events[events["event_type"] == event_type].to_dict("records")
        if event_type in SPANS:
            bases, lengths, colours, texts, hovers = [], [], [], [], []
            for i, row in enumerate(rows):
                start, end = row["start_date"], row["end_date"]
                ongoing = pd.isna(end)
                stop = last if ongoing else end
                days = max((stop - start).days, 1)
                bases.append(start.date().isoformat())
                lengths.append(days * _DAY_MS)
                colours.append(SPAN_COLOURS[event_type][i % 2])
                texts.append(row["label"])
                until = "ongoing" if ongoing else fmt.format_date(end)
                detail = f"; {row['detail']}" if not fmt.is_missing(row.get("detail")) else ""
                hovers.append(f"{row['label']}: {fmt.format_date(start)} – {until}{detail}")
            traces.append(
                {
                    "type": "bar",
                    "base": bases,
                    "x": lengths,
                    "y": [lane] * len(rows),
                    "orientation": "h",
                    "marker": {"color": colours, "line": {"color": "#ffffff", "width": 1}},
                    "opacity": 0.9,
                    "text": texts,
                    "textposition": "inside",
                    "insidetextanchor": "start",
                    "textfont": {"color": "#ffffff"},
                    "hovertext": hovers,
                    "hoverinfo": "text",
                    "name": lane,
                }
            )
        else:
            symbol, colour = MARKERS[event_type]
            hovers = []
            for row in rows:
                when = fmt.format_date(row["start_date"])
                if event_type == "missing":
                    back = row["end_date"]
                    when += " – " + ("still missing" if pd.isna(back) else fmt.format_date(back))
                detail = f"; {row['detail']}" if not fmt.is_missing(row.get("detail")) else ""
                hovers.append(f"{row['label']}: {when}{detail}")
            traces.append(
                {
                    "type": "scatter",
                    "x": [r["start_date"] for r in rows],
                    "y": [lane] * len(rows),
                    "mode": "markers",
                    "marker": {"symbol": symbol, "color": colour, "size": 13},
                    "hovertext": hovers,
                    "hoverinfo": "text",
                    "name": lane,
                }
            )
    xaxis: dict[str, Any] = {
        "type": "date",
        "title": {"text": ""},
        "showgrid": True,
        "gridcolor": "#e6e6e6",
        "rangeslider": {"visible": True, "thickness": 0.08},
    }
    window = zoom_window(events, last)
    if window is not None:
        xaxis["range"] = [d.date().isoformat() for d in window]
    shape, note = vline(
        last.timestamp() * 1000,
        {"color": GREY, "dash": "dash", "width": 1.5},
        f"Data as at {fmt.format_date(last)}",
        "top left",
    )
    layout = base_layout(
        height=height or 70 * len(lanes) + 110,
        showlegend=False,
        barmode="overlay",
        uniformtext={"minsize": 10, "mode": "hide"},
        margin={"l": 20, "r": 30, "t": 40, "b": 40},
        yaxis={
            "categoryorder": "array",
            "categoryarray": lanes,
            "autorange": "reversed",
            "automargin": True,
            "showgrid": True,
        },
        xaxis=xaxis,
        shapes=[shape],
        annotations=[note],
    )
    return figure(traces, layout)


def zoom_window(events: pd.DataFrame, last: pd.Timestamp) -> tuple[pd.Timestamp, ...] | None:
    """Where the timeline opens: from a little before the first allocation, missing
    episode, interview, PEP or review to the date of the data, when periods of care or
    placements start much earlier (a long care history squeezes the recent events)."""
    starts = pd.to_datetime(events["start_date"])
    dated = starts[~events["event_type"].isin(["period_of_care", "placement"])]
    if dated.empty or dated.min() - starts.min() <= ZOOM_AFTER:
        return None
    return dated.min() - ZOOM_MARGIN, last + pd.Timedelta(days=15)


def describe_timeline(events: pd.DataFrame, child: str, as_at: Any = None) -> str:
    """One sentence saying what the timeline shows (its text alternative)."""
    if events.empty:
        return f"Timeline of child {child}: no events recorded."
    first = fmt.format_date(pd.to_datetime(events["start_date"]).min())
    until = f" to {fmt.format_date(as_at)}" if not fmt.is_missing(as_at) else ""
    text = f"Timeline of child {child} from {first}{until}: {_count_text(events)}."
    last = pd.Timestamp(as_at) if not fmt.is_missing(as_at) else None
    window = zoom_window(events, last) if last is not None else None
    if window is not None:
        text += f" It opens at {fmt.format_date(window[0])}; the slider below shows every year."
    return text + " The tables below list every event."
