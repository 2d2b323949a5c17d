"""One child's timeline for managers: periods of care, placements, allocations, missing
episodes with their return interviews, PEPs and reviews on one time axis, and the same
facts as tables. Personal data: reached from the managers' action lists, never from board
pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import data, ids, managers, urlstate
from dashboards import formatting as fmt
from dashboards.components import messages
from dashboards.components.chart import chart
from dashboards.components.grid import column, data_grid, records
from dashboards.manager_figures import LANES, describe_timeline, timeline_figure
from dashboards.views.common import child_href, district_href, resolve_la

#: The tables below the chart: event type -> (heading, [(field, column heading)]).
TABLES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "period_of_care": (
        "Periods of care",
        [("label", "Period"), ("start", "Started"), ("end", "Ended"), ("detail", "Details"),
         ("sw_id", "Worker at start")],
    ),
    "placement": (
        "Placements",
        [("label", "Placement"), ("start", "Started"), ("end", "Ended"), ("detail", "Details")],
    ),
    "allocation": (
        "Allocations",
        [("label", "Allocation"), ("start", "From"), ("end", "To"),
         ("detail", "Case type; team; district")],
    ),
    "missing": (
        "Missing episodes and return interviews",
        [("label", "Episode"), ("start", "Went missing"), ("end", "Returned"),
         ("detail", "Details"), ("rhi", "Return interview"), ("rhi_date", "Interview date"),
         ("rhi_detail", "Interview details"), ("sw_id", "Worker")],
    ),
    "pep": (
        "Personal education plans",
        [("start", "Date"), ("label", "PEP"), ("detail", "Status and quality"),
         ("sw_id", "Worker")],
    ),
    "review": ("Reviews", [("start", "Date"), ("label", "What"), ("detail", "Review code")]),
}  # fmt: skip
OPEN_END = {"missing": "still missing"}


def _iso(value: Any) -> str | None:
    return None if fmt.is_missing(value) else pd.Timestamp(value).date().isoformat()


def table_rows(events: pd.DataFrame, event_type: str) -> list[dict[str, Any]]:
    """The rows of one table: dates as ISO text (they sort), an open end as "ongoing"."""
    if event_type == "missing":
        rows = managers.missing_with_interviews(events)
    else:
        rows = events[events["event_type"] == event_type]
    fields = [f for f, _ in TABLES[event_type][1]]
    out = []
    for row in rows.to_dict("records"):
        item = {
            "label": row.get("label"),
            "start": _iso(row.get("start_date")),
            "end": _iso(row.get("end_date")) or OPEN_END.get(event_type, "ongoing"),
            "detail": row.get("detail"),
            "sw_id": row.get("sw_id"),
            "rhi": row.get("rhi") if isinstance(row.get("rhi"), str) else "none recorded",
            "rhi_date": _iso(row.get("rhi_date")),
            "rhi_detail": row.get("rhi_detail"),
        }
        out.append({f: item[f] for f in fields})
    return records(pd.DataFrame(out, columns=fields))


def _column(field: str, heading: str) -> dict[str, Any]:
    # An end is a date or "ongoing": as text, or AG Grid would infer a date column from the
    # first row and blank the words.
    return column(field, heading, **({"cellDataType": "text"} if field == "end" else {}))


def _as_at(la: str, profile: dict[str, Any] | None) -> pd.Timestamp | None:
    if profile and not fmt.is_missing(profile.get("as_at_date")):
        return pd.Timestamp(profile["as_at_date"])
    return data.freshness(la)["extract_date"]


def _summary(la: str, profile: dict[str, Any] | None, as_at: pd.Timestamp | None) -> list:
    if not profile:
        return []
    when = fmt.format_date(as_at) if as_at is not None else "the latest extract"
    looked_after = "No"
    flag = profile.get("is_looked_after_at_as_at")
    if not fmt.is_missing(flag) and bool(flag):
        since = profile.get("current_care_start")
        looked_after = "Yes" + (
            "" if fmt.is_missing(since) else f", since {fmt.format_date(since)}"
        )
    district = profile.get("district")
    worker = profile.get("sw_id")
    team = profile.get("team_name")
    items = [
        (f"Looked after on {when}", looked_after),
        (
            "District",
            dcc.Link(district, href=district_href(district, la=la))
            if isinstance(district, str)
            else "–",
        ),
        (
            "Worker",
            f"{worker}" + (f" ({team})" if isinstance(team, str) else "")
            if isinstance(worker, str)
            else "No allocated worker in post",
        ),
        ("Periods of care", fmt.format_count(profile.get("periods_of_care")) or "0"),
        (f"Age on {when}", fmt.format_count(profile.get("age_at_as_at")) or "not recorded"),
    ]
    body: list = []
    for term, text in items:
        body += [html.Dt(term, className="col-sm-3"), html.Dd(text, className="col-sm-9")]
    return [html.Dl(body, className="row child-summary")]


def resolve(query: Mapping[str, Any]) -> tuple[str | None, list[str]]:
    notes: list[str] = []
    la = resolve_la(query.get("la"), notes)
    return la, notes


def not_found(child: str, la: str, notes: list[str]) -> list:
    elsewhere = [other for other in data.child_las(child) if other != la]
    found = []
    if elsewhere:
        found = [
            " The published data has a child with this id in ",
            *[
                dcc.Link(data.la_label(other), href=child_href(child, la=other))
                for other in elsewhere[:1]
            ],
            ".",
        ]
    return [
        html.H1("Child not found"),
        *messages.query_messages(notes),
        dbc.Alert(
            [
                f"There is no child “{child}” you may see in the published data of "
                f"{data.la_label(la)}.",
                *found,
            ],
            color="warning",
            className="child-not-found",
        ),
        html.P(
            [
                "Open a child from a district's action lists: ",
                dcc.Link("districts", href="/district" + urlstate.encode({"la": la})),
                ".",
            ]
        ),
    ]


def page(raw_child: str | None, query: Mapping[str, Any]) -> list:
    """The whole child page (the page's ``layout``)."""
    child = unquote(raw_child or "").strip()
    la, notes = resolve(query)
    if la is None:
        return [
            html.H1("Child timeline"),
            messages.notice("The published snapshot holds no data yet.", "info"),
        ]
    if not child:
        return not_found(child, la, notes)
    try:
        events = data.child_events(la, child)
        profile = data.child_profile(la, child)
    except data.NotAllowed:  # refused and audited; said as for a child that is not there
        return not_found(child, la, notes)
    if events.empty and profile is None:
        return not_found(child, la, notes)
    as_at = _as_at(la, profile)
    sections = []
    for event_type, (heading, fields) in TABLES.items():
        rows = table_rows(events, event_type)
        body = (
            data_grid(
                ids.CHILD_TABLES[event_type],
                rows,
                [_column(f, h) for f, h in fields],
                label=f"{heading} of child {child}",
            )
            if rows
            else html.P("None recorded.", className="text-body-secondary")
        )
        sections.append(html.Section([html.H2(heading, className="h4"), body]))
    lanes = ", ".join(many for _lane, _one, many in LANES.values())
    return [
        html.P(f"Child of {data.la_label(la)}", className="text-body-secondary mb-0 mt-3"),
        html.H1(f"Child {child}", className="mt-0"),
        html.P(
            f"Everything the published data records for this child on one time axis: {lanes}. "
            "Bars run from start to end (open ones to the date of the data); markers are "
            "single days.",
            className="lead",
        ),
        dbc.Alert(
            "Personal information for practitioners and managers. Do not copy it into board "
            "papers.",
            color="warning",
        ),
        *messages.query_messages(notes),
        *_summary(la, profile, as_at),
        html.Section(
            [
                html.H2("Timeline", className="h4"),
                chart(
                    ids.CHILD_TIMELINE,
                    timeline_figure(events, as_at),
                    describe_timeline(events, child, as_at),
                ),
            ]
        ),
        *sections,
    ]
