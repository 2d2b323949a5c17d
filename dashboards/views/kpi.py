"""One KPI: trend with target and comparators, districts side by side, figures by period,
and its definition from the catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboards import data, figures, ids, scoring, signals, spc, spc_figures, urlstate
from dashboards import formatting as fmt
from dashboards.components import messages, spc_bits
from dashboards.components.chart import chart
from dashboards.components.controls import filters_section, labelled_select
from dashboards.components.grid import column, data_grid
from dashboards.components.kpi_bits import rag_badge
from dashboards.views import board_memory, placement_locations
from dashboards.views.common import (
    PERIOD_COLUMNS,
    district_href,
    kpi_meta,
    lookup,
    markdown_link,
    period_rows,
    resolve_la,
)

#: The district column links to each district's page (a Markdown link in the cell).
DISTRICT_COLUMNS = [
    column("district", "District", cellRenderer="markdown"),
    *PERIOD_COLUMNS[1:],
    column("ci", "95% interval"),
    column("compared", "Compared with the LA"),
]
MID_STORY_NOTE = (
    "Where the data starts part-way through a child's story (a period of care or a "
    "placement that began before the earliest year supplied), it is counted from the "
    "first start date the data shows."
)
#: Said under the districts table when a district's rate has no population (status
#: ``no_population``): the children are counted, only the population is missing.
NO_POPULATION_NOTE = (
    "No population (not a place): {districts} have no population estimate, because they "
    "are not places (County holds county-wide teams; Unallocated children have no "
    "allocated worker) or the population reference has no figure for them. Their "
    "children are counted (the numerator is children looked after × 10,000) and are in "
    "the LA total, but no rate per 10,000 is given for them."
)


def status_notes(by_district: pd.DataFrame) -> list:
    """Plain-English notes for the statuses shown in the districts table."""
    if by_district.empty or "status" not in by_district:
        return []
    names = [str(d) for d in by_district.loc[by_district["status"] == "no_population", "district"]]
    if not names:
        return []
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return [html.P(NO_POPULATION_NOTE.format(districts=listed), className="small status-note")]


def period_type_for(splits: pd.DataFrame, breakdown: str | None, frequency: str | None) -> str:
    types = list(splits.loc[splits["breakdown"] == breakdown, "period_type"])
    for preferred in (frequency, "month"):
        if preferred in types:
            return str(preferred)
    return str(types[0]) if types else (frequency or "month")


def _splits(la: str | None, kpi_id: str) -> pd.DataFrame:
    if la is None:
        return pd.DataFrame(columns=["kpi_id", "breakdown", "period_type"])
    splits = data.kpi_splits(la)
    return splits[splits["kpi_id"] == kpi_id]


def resolve(query: Mapping[str, Any], la: str | None = None, kpi_id: str | None = None):
    notes: list[str] = []
    la = resolve_la(query.get("la"), notes, stored=la)
    breakdowns = sorted(set(_splits(la, kpi_id or "")["breakdown"]))
    return urlstate.resolve_kpi(
        query,
        kpi_id=kpi_id,
        la=la,
        districts=data.districts(la) if la else [],
        breakdowns=breakdowns,
        default_breakdown=scoring.headline_breakdown(breakdowns),
        messages=notes,
    )


def _spc_lines(signal: signals.Signal, series: pd.DataFrame, kpi: dict) -> list:
    """Variation, assurance and direction of travel from SPC (the summary card)."""
    if signal.applied:
        return [
            html.P(
                [
                    spc_bits.variation_badge(signal.variation),
                    " ",
                    spc_bits.assurance_badge(signal.assurance, "no target or no better direction"),
                ],
                className="mb-1",
            ),
            html.P(f"Direction of travel: {signal.travel}.", className="mb-1 fw-semibold"),
            html.P(signal.note(), className="small text-body-secondary"),
        ]
    return [
        html.P(
            "Direction of travel: "
            + signals.plain_change(series, kpi.get("unit"), kpi.get("decimals"))
            + ".",
            className="mb-1",
        ),
        html.P(signal.note(), className="small text-body-secondary"),
    ]


def _summary(
    kpi: dict,
    series: pd.DataFrame,
    target,
    tolerance,
    comparators,
    signal: signals.Signal,
    la: str = "",
    district: str = data.LA_TOTAL,
) -> dbc.Card:
    unit, polarity = kpi.get("unit"), kpi.get("polarity") or "info"
    places = fmt.decimals_for(unit, kpi.get("decimals"))
    points = scoring.comparison_points(series)
    latest = points.latest
    if latest is None:
        return dbc.Card(dbc.CardBody(html.P(fmt.NO_FIGURE)), className="mb-3")
    status = latest.get("status")
    body = [
        html.P(fmt.format_value(latest["value"], unit, places, status), className="tile-value"),
        html.P(
            fmt.period_label(
                latest["period_type"],
                latest["period_start"],
                latest["period_end"],
                latest["is_partial"],
            ),
            className="text-body-secondary mb-1",
        ),
    ]
    if unit == "percent" and status == "ok":
        body.append(html.P(fmt.fraction_text(latest["numerator"], latest["denominator"])))
    body += placement_locations.not_known_note(la, kpi["kpi_id"], district, latest)
    if target is not None:
        body.append(
            html.P(
                [
                    f"Target {fmt.format_value(target, unit, places)}"
                    + (f" (tolerance {fmt.format_number(tolerance, places)})" if tolerance else "")
                    + " · ",
                    rag_badge(
                        scoring.rag(latest["value"], target, tolerance, polarity, places, status)
                    ),
                ]
            )
        )
    else:
        body.append(html.P("No target set.", className="text-body-secondary"))
    body += [
        *_spc_lines(signal, series, kpi),
        html.H3("Comparators", className="h6"),
        html.Ul(
            [
                html.Li(f"{name}: {scoring.comparator_text(figure, unit, places)}")
                for name, figure in comparators.items()
            ],
            className="mb-0",
        ),
    ]
    return dbc.Card(dbc.CardBody(body), className="mb-3")


def district_rows(rows: list[dict], links: dict[str, str]) -> list[dict]:
    """The districts table's rows with each district linking to its page."""
    return [
        {**r, "district": markdown_link(r["district"], links[r["district"]])}
        if r["district"] in links
        else r
        for r in rows
    ]


def breakdowns_text(raw: Any) -> str:
    """``"all|care|home"`` → ``"Care and home, From care, From home"``."""
    if fmt.is_missing(raw):
        return ""
    parts = [p.strip() for p in str(raw).replace(",", "|").split("|") if p.strip()]
    return ", ".join(urlstate.BREAKDOWN_LABELS.get(p, p) for p in parts)


def _definition(kpi: dict, target, tolerance, comparators) -> html.Dl:
    unit = kpi.get("unit")
    places = fmt.decimals_for(unit, kpi.get("decimals"))
    sources = sorted({f["source"] for f in comparators.values() if f and f.get("source")})
    rows = [
        ("Description", kpi.get("description")),
        ("Numerator", kpi.get("numerator")),
        ("Denominator", kpi.get("denominator") or "— (a count)"),
        ("Polarity", fmt.POLARITY_TEXT.get(kpi.get("polarity") or "", kpi.get("polarity"))),
        ("Unit", unit),
        ("Frequency", kpi.get("frequency")),
        ("Breakdowns", breakdowns_text(kpi.get("breakdowns"))),
        ("Source", kpi.get("source")),
        ("Target", "none set" if target is None else fmt.format_value(target, unit, places)),
        ("Tolerance (amber)", "" if tolerance is None else fmt.format_number(tolerance, places)),
        ("Comparator sources", "; ".join(sources) or fmt.NOT_PUBLISHED),
        ("Accountable partner", kpi.get("partner_name")),
        ("Owner", kpi.get("owner_role")),
        ("About the data", MID_STORY_NOTE),
    ]
    items: list = []
    for term, text in rows:
        if fmt.is_missing(text) or text == "":
            continue
        items += [html.Dt(term, className="col-sm-3"), html.Dd(str(text), className="col-sm-9")]
    return html.Dl(items, className="row definition")


SPC_HOW = (
    "The chart is a Making Data Count SPC chart: the mean and process limits show the "
    "month-to-month variation to expect; coloured points are special cause "
    f"(outside the limits, a run of {spc.SHIFT_POINTS} on one side of the mean, a trend "
    f"of {spc.TREND_POINTS}, or two of three near a limit)."
)


def small_numbers() -> int:
    """The small-numbers threshold (``CSC_SMALL_NUMBERS``, default 10)."""
    from pipelines.settings import get_settings

    return get_settings().small_numbers


def _method(unit: str | None) -> str:
    if unit == "percent":
        return "Wilson score method"
    return "exact Poisson method"


def _with_intervals(rows: list[dict], stats: dict[str, dict]) -> list[dict]:
    out = []
    for row in rows:
        found = stats.get(row["district"], {"ci": "", "words": ""})
        out.append({**row, "ci": found["ci"], "compared": found["words"]})
    return out


def _district_chart_choice(state, kpi_id: str, period_type: str, unit: str | None) -> html.Div:
    """Intervals (default) or a funnel plot, redrawn by a callback (pages/kpi.py)."""
    options = [{"label": " Intervals", "value": "intervals"}]
    if unit in ("percent", "rate", "ratio"):
        options.append({"label": " Funnel plot", "value": "funnel"})
    return html.Div(
        [
            dcc.Store(
                id=ids.KPI_DISTRICT_CHART_STATE,
                data={
                    "la": state.la,
                    "kpi_id": kpi_id,
                    "breakdown": state.breakdown,
                    "period_type": period_type,
                },
            ),
            dbc.Label("Show districts as", html_for=ids.KPI_DISTRICT_CHART, className="me-2"),
            dbc.RadioItems(
                id=ids.KPI_DISTRICT_CHART,
                options=options,
                value="intervals",
                inline=True,
            ),
        ],
        className="d-flex align-items-center mb-2 district-chart-choice",
    )


def _district_stats(by_district: pd.DataFrame, kpi: dict, threshold: int):
    """(each district's interval and verdict against the LA, the LA's row)."""
    return spc_figures.district_stats(
        by_district,
        kpi_id=kpi["kpi_id"],
        unit=kpi.get("unit"),
        decimals=kpi.get("decimals"),
        polarity=kpi.get("polarity"),
        threshold=threshold,
    )


def _intervals_chart(stats: list[dict], la_row, kpi: dict, la: str, target) -> go.Figure:
    la_value = fmt.safe_float(la_row.get("value")) if la_row else None
    links = {d["district"]: district_href(d["district"], la=la) for d in stats}
    return spc_figures.district_intervals_figure(
        stats,
        unit=kpi.get("unit"),
        decimals=kpi.get("decimals"),
        la_value=la_value,
        target=target,
        links=links,
    )


def district_chart(choice: str, stored: dict) -> go.Figure:
    """The districts chart chosen (``intervals`` or ``funnel``) for the stored state."""
    kpi = kpi_meta(data.catalogue(), stored["kpi_id"])
    la, breakdown = stored["la"], stored["breakdown"]
    by_district = data.district_latest(la, kpi["kpi_id"], breakdown, stored["period_type"])
    stats, la_row = _district_stats(by_district, kpi, small_numbers())
    if choice == "funnel":
        return spc_figures.funnel_figure(
            stats,
            unit=kpi.get("unit"),
            decimals=kpi.get("decimals"),
            kpi_id=kpi["kpi_id"],
            la_row=la_row,
        )
    target, _tolerance = lookup().target(kpi["kpi_id"], breakdown, la)
    return _intervals_chart(stats, la_row, kpi, la, target)


def render(state: urlstate.KpiState) -> tuple[list, list]:
    """(messages, content) of a KPI page for ``state``."""
    catalogue = data.catalogue()
    kpi = kpi_meta(catalogue, state.kpi_id or "")
    if state.la is None:
        return [], [messages.notice("The published snapshot holds no KPI values yet.", "info")]
    splits = _splits(state.la, kpi["kpi_id"])
    if splits.empty:
        return messages.query_messages(state.messages), [
            messages.notice(f"No figures for {kpi['name']} in {data.la_label(state.la)}.", "info"),
            html.H2("Definition", className="h4"),
            _definition(kpi, None, None, {}),
        ]
    unit, name = kpi.get("unit"), kpi["name"]
    period_type = period_type_for(splits, state.breakdown, kpi.get("frequency"))
    target, tolerance = lookup().target(kpi["kpi_id"], state.breakdown, state.la)
    comparators = lookup().comparators(kpi["kpi_id"], state.breakdown)
    series = data.kpi_series(state.la, kpi["kpi_id"], state.district, state.breakdown, period_type)
    reference = None
    if state.district != urlstate.ALL_DISTRICTS:
        reference = data.kpi_series(
            state.la, kpi["kpi_id"], data.LA_TOTAL, state.breakdown, period_type
        )
    place = "all districts" if state.district == urlstate.ALL_DISTRICTS else state.district
    signal = signals.kpi_signal(series, kpi, target)
    trend = figures.trend_figure(
        series,
        name=f"{name} — {place}",
        unit=unit,
        decimals=kpi.get("decimals"),
        polarity=kpi.get("polarity"),
        target=target,
        tolerance=tolerance,
        comparators=comparators,
        reference=reference,
    )
    trend = spc_figures.with_spc(trend, signal, unit, kpi.get("decimals"))
    by_district = data.district_latest(state.la, kpi["kpi_id"], state.breakdown, period_type)
    links = {
        d: district_href(d, la=state.la) for d in by_district["district"] if d != data.LA_TOTAL
    }
    threshold = small_numbers()
    stats, la_record = _district_stats(by_district, kpi, threshold)
    ranking = _intervals_chart(stats, la_record, kpi, state.la, target)
    ranking_period = (
        fmt.period_label(
            period_type,
            by_district["period_start"].iloc[0],
            by_district["period_end"].iloc[0],
            by_district["is_partial"].iloc[0],
        )
        if not by_district.empty
        else ""
    )
    districts = by_district.copy()
    districts["district"] = districts["district"].replace({data.LA_TOTAL: "All districts"})
    by_name = {r["district"]: r for r in stats}
    by_name["All districts"] = {
        "ci": spc_figures.la_interval_text(
            la_record, kpi_id=kpi["kpi_id"], unit=unit, decimals=kpi.get("decimals")
        ),
        "words": "the LA: what each district is compared with",
    }
    content = [
        dbc.Row(
            [
                dbc.Col(
                    [
                        html.H2(f"Latest — {place}", className="h4"),
                        _summary(
                            kpi,
                            series,
                            target,
                            tolerance,
                            comparators,
                            signal,
                            state.la,
                            state.district,
                        ),
                    ],
                    lg=4,
                ),
                dbc.Col(
                    [
                        html.H2("Trend", className="h4"),
                        chart(
                            ids.KPI_TREND,
                            trend,
                            figures.describe_trend(
                                series,
                                name=f"{name} ({place})",
                                unit=unit,
                                decimals=kpi.get("decimals"),
                                target=target,
                            )
                            + " "
                            + spc_figures.describe_spc(signal, name, unit, kpi.get("decimals")),
                        ),
                        html.P(
                            spc_figures.baseline_text(signal)
                            + (". " if signal.applied else "")
                            + SPC_HOW,
                            className="small text-body-secondary",
                        ),
                    ],
                    lg=8,
                ),
            ]
        ),
        html.H2(f"Districts compared with the LA — {ranking_period}", className="h4"),
        html.P(
            f"Each district with its 95% confidence interval ({_method(unit)}). A district "
            "is significantly better or worse than the LA only when its interval leaves "
            "out the LA's figure; otherwise it is similar, however the figures rank. "
            f"Districts with fewer than {threshold} cases are marked “small numbers” and "
            "never compared.",
            className="small text-body-secondary",
        ),
        _district_chart_choice(state, kpi["kpi_id"], period_type, unit),
        chart(
            ids.KPI_RANKING,
            ranking,
            spc_figures.describe_districts(stats, name, threshold),
        ),
        data_grid(
            ids.KPI_RANKING_TABLE,
            district_rows(
                _with_intervals(period_rows(districts, kpi, label_column="district"), by_name),
                links,
            ),
            DISTRICT_COLUMNS,
            label=f"{name} by district",
        ),
        *status_notes(by_district),
        *placement_locations.kpi_section(
            state.la,
            kpi["kpi_id"],
            state.district,
            place,
            scoring.comparison_points(series).latest,
        ),
        html.H2(f"Figures by period — {place}", className="h4"),
        data_grid(
            ids.KPI_PERIOD_TABLE,
            period_rows(series.sort_values("period_end", ascending=False), kpi),
            PERIOD_COLUMNS,
            label=f"{name} by period",
        ),
        html.H2("Definition", className="h4"),
        _definition(kpi, target, tolerance, comparators),
    ]
    return messages.query_messages(state.messages), content


def page(kpi_id: str | None, query: Mapping[str, Any]) -> list:
    """The whole KPI page (the page's ``layout``)."""
    catalogue = data.catalogue()
    if not kpi_id or kpi_id not in set(catalogue["kpi_id"]):
        return [
            html.H1("KPI not found"),
            dbc.Alert(
                [
                    f"There is no KPI called “{kpi_id or ''}”. ",
                    dcc.Link("See the KPI dictionary", href="/dictionary"),
                    " for the KPIs the dashboard knows.",
                ],
                color="warning",
            ),
        ]
    kpi = kpi_meta(catalogue, kpi_id)
    state = resolve(query, kpi_id=kpi_id)
    notes, content = render(state)
    breakdowns = sorted(set(_splits(state.la, kpi_id)["breakdown"]))
    filters = dbc.Row(
        [
            labelled_select(
                ids.KPI_DISTRICT,
                "District (trend and table by period)",
                {
                    urlstate.ALL_DISTRICTS: "All districts",
                    **{d: d for d in (data.districts(state.la) if state.la else [])},
                },
                state.district,
                width=4,
            ),
            labelled_select(
                ids.KPI_BREAKDOWN,
                "Breakdown",
                {b: urlstate.BREAKDOWN_LABELS.get(b, b) for b in breakdowns},
                state.breakdown,
                width=3,
            ),
        ],
        className="filters",
    )
    return [
        dcc.Location(id=ids.KPI_URL, refresh=False),
        dcc.Store(id=ids.KPI_LA, data=state.la),
        dcc.Store(id=ids.KPI_ID, data=kpi_id),
        html.P(kpi.get("area") or "", className="text-body-secondary mb-0 mt-3"),
        html.H1(kpi["name"], className="mt-0"),
        html.P(kpi.get("description") or "", className="lead"),
        html.Div(notes, id=ids.KPI_MESSAGES, **{"aria-live": "polite"}),
        filters_section(filters),
        html.Div(content, id=ids.KPI_CONTENT),
        *([board_memory.section(state.la, kpi_id)] if state.la else []),
    ]
