"""One KPI: trend with target and comparators, districts side by side, figures by period,
and its definition from the catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import data, figures, ids, scoring, urlstate
from dashboards import formatting as fmt
from dashboards.components import messages
from dashboards.components.chart import chart
from dashboards.components.controls import filters_section, labelled_select
from dashboards.components.grid import column, data_grid
from dashboards.components.kpi_bits import direction_text, rag_badge
from dashboards.views import placement_locations
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
DISTRICT_COLUMNS = [column("district", "District", cellRenderer="markdown"), *PERIOD_COLUMNS[1:]]
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


def _summary(
    kpi: dict,
    series: pd.DataFrame,
    target,
    tolerance,
    comparators,
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
        html.P(
            direction_text(
                scoring.change_between(latest, points.previous, polarity, places),
                "since the previous period",
            ),
            className="mb-0",
        ),
        html.P(
            direction_text(
                scoring.change_between(latest, points.year_ago, polarity, places),
                "since the same point last year",
            )
        ),
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
        ("About the data", MID_STORY_NOTE),
    ]
    items: list = []
    for term, text in rows:
        if fmt.is_missing(text) or text == "":
            continue
        items += [html.Dt(term, className="col-sm-3"), html.Dd(str(text), className="col-sm-9")]
    return html.Dl(items, className="row definition")


def render(state: urlstate.KpiState) -> tuple[list, list]:
    """(messages, content) of a KPI page for ``state``."""
    catalogue = data.catalogue()
    kpi = kpi_meta(catalogue, state.kpi_id or "")
    if state.la is None:
        return [], [messages.notice("The published snapshot holds no KPI values yet.", "info")]
    splits = _splits(state.la, kpi["kpi_id"])
    if splits.empty:
        return messages.query_messages(state.messages), [
            messages.notice(f"No figures for {kpi['name']} in LA {state.la}.", "info"),
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
    by_district = data.district_latest(state.la, kpi["kpi_id"], state.breakdown, period_type)
    la_row = by_district[by_district["district"] == data.LA_TOTAL]
    la_value = None if la_row.empty else fmt.safe_float(la_row["value"].iloc[0])
    links = {
        d: district_href(d, la=state.la) for d in by_district["district"] if d != data.LA_TOTAL
    }
    ranking = figures.ranking_figure(
        by_district,
        unit=unit,
        decimals=kpi.get("decimals"),
        polarity=kpi.get("polarity"),
        target=target,
        la_total=la_value,
        links=links,
    )
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
    content = [
        dbc.Row(
            [
                dbc.Col(
                    [
                        html.H2(f"Latest — {place}", className="h4"),
                        _summary(
                            kpi, series, target, tolerance, comparators, state.la, state.district
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
                            ),
                        ),
                    ],
                    lg=8,
                ),
            ]
        ),
        html.H2(f"Districts side by side — {ranking_period}", className="h4"),
        chart(
            ids.KPI_RANKING,
            ranking,
            figures.describe_ranking(
                by_district, name=name, unit=unit, decimals=kpi.get("decimals")
            ),
        ),
        data_grid(
            ids.KPI_RANKING_TABLE,
            district_rows(period_rows(districts, kpi, label_column="district"), links),
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
    ]
