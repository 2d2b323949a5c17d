"""The Partners page: for each partner the board holds to account (the NHS integrated
care board, the Virtual School, the district councils' housing...), the KPIs it is
accountable for with their SPC status and targets, and the board's open actions for it.
Partners and owners come from the catalogue (seeds ``partners`` and
``kpi_accountability``, which the council edits). Aggregates only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import html

from dashboards import data, spc, urlstate
from dashboards import formatting as fmt
from dashboards.board import service
from dashboards.board.store import Action
from dashboards.components import messages
from dashboards.components.board_bits import (
    action_counts,
    actions_table,
    judgement_cells,
    plain_table,
)
from dashboards.views import scorecard
from dashboards.views.common import kpi_href

NO_PARTNER = ""


def _anchor(partner_id: str) -> str:
    return f"partner-{partner_id or 'none'}"


def _kpi_table(rows: list[dict[str, Any]], la: str, name: str) -> html.Div:
    head = [
        "KPI",
        "Latest",
        "Target",
        "RAG",
        "Variation",
        "Assurance",
        "Direction of travel",
        "Owner",
    ]
    body = [
        html.Tr(
            [
                *judgement_cells(r, kpi_href(r["kpi_id"], la=la)),
                html.Td(r.get("direction_of_travel") or "", className="small"),
                html.Td(
                    "–" if fmt.is_missing(r.get("owner_role")) else r["owner_role"],
                    className="small",
                ),
            ],
            **{"data-kpi": r["kpi_id"]},
        )
        for r in rows
    ]
    return plain_table(head, body, f"KPIs {name} is accountable for", "partner-kpis")


def _summary_line(rows: list[dict[str, Any]], actions: list[Action], today) -> str:
    concerning = sum(1 for r in rows if r.get("variation") in (spc.CONCERN_HIGH, spc.CONCERN_LOW))
    failing = sum(1 for r in rows if r.get("assurance") == spc.FAIL)
    parts = [f"{len(rows)} KPI{'s' if len(rows) != 1 else ''}"]
    if concerning:
        parts.append(f"{concerning} special cause concerning")
    if failing:
        parts.append(f"{failing} consistently failing the target")
    parts.append(action_counts(actions, today) or "no open board actions")
    return " · ".join(parts)


def page(query: Mapping[str, Any]) -> list:
    notes: list[str] = []
    la = urlstate.resolve_la(query.get("la"), data.las(), notes)
    head = [
        html.H1(f"Partners — {data.la_label(la)}" if la else "Partners"),
        html.P(
            "Who is accountable for each KPI, how those KPIs are doing (Making Data Count "
            "variation and assurance), and what the board has asked of each partner. The "
            "council sets the partners and owners (dbt_project/seeds/kpi_accountability.csv).",
            className="lead",
        ),
    ]
    if la is None:
        return [*head, messages.notice("The published snapshot holds no KPI values yet.", "info")]
    records = scorecard.records(la)
    partners = data.partners()
    names = dict(zip(partners["partner_id"], partners["name"], strict=True))
    catalogue = data.catalogue()
    partner_of = (
        dict(zip(catalogue["kpi_id"], catalogue["partner_id"], strict=True))
        if "partner_id" in catalogue.columns
        else {}
    )
    actions = service.actions(la)
    today = service.today()
    groups: list[tuple[str, str, str, str]] = [
        (
            str(p["partner_id"]),
            str(p["name"]),
            str(p.get("kind") or ""),
            str(p.get("description") or ""),
        )
        for p in partners.to_dict("records")
    ]
    # the partners outside the council first, then the council's own services
    groups.sort(key=lambda g: (g[2] == "council service", g[1]))
    sections, index = [], []
    for partner_id, name, kind, description in [*groups, (NO_PARTNER, "No partner set", "", "")]:
        mine = [
            r
            for r in records
            if (partner_of.get(r["kpi_id"]) or NO_PARTNER) == partner_id
            or (fmt.is_missing(partner_of.get(r["kpi_id"])) and partner_id == NO_PARTNER)
        ]
        own_actions = [a for a in actions if (a.partner_id or NO_PARTNER) == partner_id]
        if not mine and not own_actions:
            continue
        open_actions = [a for a in own_actions if a.is_open]
        index.append(html.Li(html.A(name, href=f"#{_anchor(partner_id)}")))
        sections.append(
            html.Section(
                [
                    html.H2(name, className="h4 mt-4", id=_anchor(partner_id)),
                    html.P(
                        [
                            html.Span(kind, className="badge text-bg-light me-2") if kind else "",
                            description,
                        ],
                        className="small mb-1",
                    ),
                    html.P(_summary_line(mine, own_actions, today), className="fw-semibold"),
                    _kpi_table(mine, la, name) if mine else html.P("No KPIs."),
                    html.H3("The board's open actions", className="h6"),
                    actions_table(
                        open_actions,
                        today,
                        partners=names,
                        kpi_names=dict(zip(catalogue["kpi_id"], catalogue["name"], strict=True)),
                        la=la,
                        caption=f"Open board actions for {name}",
                    ),
                ],
                className="partner",
                **{"data-partner": partner_id or "none"},
            )
        )
    return [
        *head,
        *messages.query_messages(notes),
        html.Nav(
            [html.H2("Partners", className="h6"), html.Ul(index, className="list-inline")],
            **{"aria-label": "Partners on this page"},
            className="d-print-none",
        ),
        *sections,
    ]
