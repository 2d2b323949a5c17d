"""One district for its managers: every KPI against the LA and the other districts, the
caseloads of its teams and workers, and its four action lists (child-level).

The district comes from the path (``/district/<district>``); ``period`` (a month) chooses
the KPIs' and caseloads' date. The action lists are always as at the latest extract.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import data, ids, managers, scoring, urlstate
from dashboards import formatting as fmt
from dashboards.components import messages
from dashboards.components.chart import chart
from dashboards.components.controls import filters_section, labelled_select
from dashboards.components.grid import column, data_grid
from dashboards.components.kpi_bits import RAG_ICON
from dashboards.manager_figures import describe_spine, spine_figure
from dashboards.views import action_lists, caseloads, placement_locations
from dashboards.views.common import district_href, is_mine, kpi_href, markdown_link, resolve_la

PERIOD_TYPE = "month"
NOTES = {
    "Unallocated": "Unallocated is not a place: it holds the children with no allocated "
    "worker in post, and workers whose team has no district. Its figures are shown but not "
    "ranked against the districts.",
    "County": "County holds the county-wide teams. Its figures are shown but not ranked "
    "against the districts.",
}


@data.memo
def months(la: str | None) -> tuple[list[str], dict[str, str], dict[str, pd.Timestamp]]:
    """("YYYY-MM" oldest first, their labels, their measurement dates) for ``la`` (shared:
    read-only)."""
    keys: list[str] = []
    labels: dict[str, str] = {}
    ends: dict[str, pd.Timestamp] = {}
    if la:
        for row in data.periods(la, PERIOD_TYPE).to_dict("records"):
            key = fmt.month_key(row["period_start"])
            keys.append(key)
            labels[key] = fmt.period_label(
                PERIOD_TYPE, row["period_start"], row["period_end"], row["is_partial"]
            )
            ends[key] = pd.Timestamp(row["period_end"])
    return keys, labels, ends


@data.memo
def known_districts(la: str | None) -> list[str]:
    """The LA's districts: those with KPI values, then any more in ``dim_districts``
    (shared: read-only)."""
    if not la:
        return []
    names = data.districts(la)
    extra = [d for d in data.district_table(la)["district"] if d not in names]
    return names + sorted(str(d) for d in extra)


def match_district(raw: str | None, districts: list[str]) -> str | None:
    """The district named ``raw`` (from the path, URL-encoded or not; any case), or None."""
    if not raw:
        return None
    name = unquote(str(raw)).strip()
    for district in districts:
        if district.lower() == name.lower():
            return district
    return None


def resolve(
    query: Mapping[str, Any], la: str | None = None, district: str | None = None
) -> urlstate.DistrictState:
    notes: list[str] = []
    la = resolve_la(query.get("la"), notes, stored=la)
    keys, _labels, _ends = months(la)
    return urlstate.resolve_district(query, district=district, la=la, months=keys, messages=notes)


def _rag_text(rag: Any) -> str:
    if not isinstance(rag, str):
        return "–"
    return f"{RAG_ICON[rag]} {scoring.RAG_TEXT[rag]}"


def kpi_rows(comparison: pd.DataFrame, state: urlstate.DistrictState) -> list[dict]:
    out = []
    for row in comparison.to_dict("records"):
        href = kpi_href(
            row["kpi_id"], la=state.la, district=state.district, breakdown=row["breakdown"]
        )
        breakdown = row["breakdown"]
        period = row["period"]
        if isinstance(breakdown, str) and breakdown != "all":
            period += f" · {urlstate.BREAKDOWN_LABELS.get(breakdown, breakdown)}"
        out.append(
            {
                "name": markdown_link(row["name"], href),
                "area": row["area"],
                "period": period,
                "shown": row["shown"],
                "counts": row["counts"],
                "la_shown": row["la_shown"],
                "low": row["low"],
                "high": row["high"],
                "ci": row["ci"],
                "compared": row["compared"],
                "rag": _rag_text(row["rag"]),
                "target": row["target"] or "–",
            }
        )
    return out


def kpi_columns(district: str) -> list[dict[str, Any]]:
    return [
        column("name", "KPI", cellRenderer="markdown", pinned="left", minWidth=260),
        column("area", "Area"),
        column("period", "Period"),
        column("shown", district, type="rightAligned"),
        column("counts", "Counts"),
        column("la_shown", "LA", type="rightAligned"),
        column("ci", "95% interval"),
        column("compared", "Compared with the LA"),
        column("low", "Lowest district"),
        column("high", "Highest district"),
        column("rag", "RAG"),
        column("target", "Target"),
    ]


@data.memo
def comparison(
    la: str, end: pd.Timestamp | None, district: str, threshold: int | None = None
) -> pd.DataFrame:
    """``managers.compare_district`` of ``district`` at ``end``, districts with fewer than
    ``threshold`` cases (default: the settings' ``small_numbers``) being small numbers
    (shared: read-only)."""
    if threshold is None:
        from pipelines.settings import get_settings

        threshold = get_settings().small_numbers
    return managers.compare_district(
        data.district_comparison(la, end),
        data.catalogue(),
        data.targets(),
        district,
        la,
        threshold=threshold,
    )


def _kpi_section(state: urlstate.DistrictState, label: str, end: pd.Timestamp | None) -> list:
    district = state.district or ""
    from pipelines.settings import get_settings

    compared = comparison(state.la or "", end, district, get_settings().small_numbers)
    heading = html.H2(f"KPIs against the LA and the other districts — {label}", className="h4")
    if compared.empty:
        return [heading, messages.notice(f"No KPI figures for {district} by {label}.", "info")]
    return [
        heading,
        html.P(
            f"Each KPI at its latest period ending by {label}, at its headline breakdown, "
            "with its 95% confidence interval. A district is significantly better or worse "
            "than the LA only when its interval leaves out the LA's figure; districts with "
            "small numbers are marked and never compared. Ranges cover the LA's districts "
            "with enough cases (not County or Unallocated); the chart leaves out KPIs shown "
            "for information.",
            className="small text-body-secondary",
        ),
        chart(
            ids.DISTRICT_SPINE,
            spine_figure(compared, district),
            describe_spine(compared, district),
        ),
        data_grid(
            ids.DISTRICT_KPI_TABLE,
            kpi_rows(compared, state),
            kpi_columns(district),
            label=f"KPIs of {district} against the LA and the other districts",
            column_size=None,
        ),
    ]


def render(state: urlstate.DistrictState) -> tuple[list, list]:
    """(messages, content): the KPIs and caseloads at the chosen month."""
    if state.la is None:
        return [], [messages.notice("The published snapshot holds no KPI values yet.", "info")]
    _keys, labels, ends = months(state.la)
    end = ends.get(state.period or "")
    label = labels.get(state.period or "", "the latest period")
    missing = action_lists.not_supplied_kpis(state.la)
    content = [
        html.Section(_kpi_section(state, label, end)),
        html.Section(
            caseloads.section(state.la, state.district or "", label, end, "caseload_avg" in missing)
        ),
    ]
    return messages.query_messages(state.messages), content


def _action_lists(state: urlstate.DistrictState) -> html.Section:
    la, district = state.la or "", state.district or ""
    missing = action_lists.not_supplied_kpis(la)
    frames = {name: data.action_list(name, la, district) for name in data.ACTION_LISTS}
    dates = [
        pd.Timestamp(d)
        for frame in frames.values()
        if frame is not None and "as_at_date" in frame.columns
        for d in frame["as_at_date"].dropna()
    ]
    as_at = max(dates) if dates else data.freshness(la)["extract_date"]
    when = f" — as at {fmt.format_date(as_at)}" if as_at is not None else ""
    sections = [
        action_lists.section(
            name,
            ids.DISTRICT_ACTION_TABLES[name],
            frame,
            la,
            district,
            not_supplied=action_lists.KPI_OF_LIST[name] in missing,
        )
        for name, frame in frames.items()
    ]
    return html.Section(
        [
            html.H2(f"Action lists{when}", className="h4 mt-4"),
            html.P(
                "Children to act on now, whatever month is chosen above. Select a child for "
                "their timeline.",
                className="small text-body-secondary",
            ),
            *sections,
        ]
    )


def not_found(raw: str, state: urlstate.DistrictState, districts: list[str]) -> list:
    name = unquote(raw or "").strip()
    if name.upper() == data.LA_TOTAL:
        why = f"“{name}” is the whole authority, not a district: see the "
        tail: list = [dcc.Link("board scorecard", href="/" + urlstate.encode({"la": state.la}))]
    else:
        why = f"There is no district “{name}” in {data.la_label(state.la)}. "
        tail = []
    links = [
        html.Li(dcc.Link(d, href=district_href(d, la=state.la, period=state.period)))
        for d in districts
        if is_mine(state.la, d)
    ]
    return [
        html.H1("District not found"),
        *messages.query_messages(state.messages),
        dbc.Alert([why, *tail], color="warning", className="district-not-found"),
        html.H2(f"Your districts of {data.la_label(state.la)}", className="h5"),
        html.Ul(links) if links else html.P("This LA has no districts in the published data."),
    ]


def page(raw_district: str | None, query: Mapping[str, Any]) -> list:
    """The whole district page (the page's ``layout``)."""
    state = resolve(query)
    if state.la is None:
        return [
            html.H1("District"),
            messages.notice("The published snapshot holds no KPI values yet.", "info"),
        ]
    districts = known_districts(state.la)
    district = match_district(raw_district, districts)
    if district is None:
        return not_found(raw_district or "", state, districts)
    if not is_mine(state.la, district):
        raise data.deny(
            f"{district} is not one of your districts: its action lists, caseloads by worker "
            "and children are for its own managers. Its figures are on the KPI pages.",
            what="district_page",
            la=state.la,
            district=district,
        )
    state.district = district
    notes, content = render(state)
    keys, labels, _ends = months(state.la)
    others = [
        dcc.Link(d, href=district_href(d, la=state.la, period=state.period))
        for d in districts
        if d != district and is_mine(state.la, d)
    ]
    filters = dbc.Row(
        [
            labelled_select(
                ids.DISTRICT_PERIOD,
                "Month (KPIs and caseloads)",
                {k: labels[k] for k in reversed(keys)},
                state.period,
                width=4,
            ),
            dbc.Col(
                html.Nav(
                    [html.Span("Other districts: ", className="fw-semibold"), *_joined(others)]
                    if others
                    else [],
                    **{"aria-label": "Other districts"},
                ),
                md=8,
                xs=12,
                className="mb-3 align-self-end",
            ),
        ],
        className="filters",
    )
    note = NOTES.get(district)
    return [
        dcc.Location(id=ids.DISTRICT_URL, refresh=False),
        dcc.Store(id=ids.DISTRICT_LA, data=state.la),
        dcc.Store(id=ids.DISTRICT_NAME, data=district),
        html.P(
            [
                f"District of {data.la_label(state.la)} · ",
                dcc.Link("all districts", href=_index(state)),
            ],
            className="text-body-secondary mb-0 mt-3",
        ),
        html.H1(district, className="mt-0"),
        html.P(
            f"How {district} compares with the whole authority and the other districts, its "
            "caseloads by team and worker, and the children its teams need to act on.",
            className="lead",
        ),
        *([html.P(note)] if note else []),
        dbc.Alert(
            "Child-level information for team managers. Do not copy it into board papers.",
            color="warning",
        ),
        html.Div(notes, id=ids.DISTRICT_MESSAGES, **{"aria-live": "polite"}),
        filters_section(filters),
        html.Div(content, id=ids.DISTRICT_CONTENT),
        _action_lists(state),
        placement_locations.section(state.la, district),
    ]


def _index(state: urlstate.DistrictState) -> str:
    return "/district" + urlstate.encode({"la": state.la})


def _joined(links: list) -> list:
    out: list = []
    for link in links:
        if out:
            out.append(" · ")
        out.append(link)
    return out
