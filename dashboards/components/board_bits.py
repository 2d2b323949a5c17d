"""Pieces that show the board's working memory: a commentary with what period it was
written for, the board's actions as a printable table with overdue ones flagged (a word
and a shape, never colour alone), and an action's status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from dash import dcc, html

from dashboards import formatting as fmt
from dashboards.board.store import STATUS_TEXT, Action, Commentary
from dashboards.components import spc_bits
from dashboards.components.kpi_bits import rag_badge

OVERDUE_ICON = "■"


def written_by(item: Commentary) -> str:
    return (
        f"Written for {item.period_label} by {item.author} ({item.author_role}), "
        f"{fmt.format_datetime(item.written_at[:19])} UTC"
    )


def commentary_block(
    item: Commentary | None,
    shown_period_start: str | None,
    shown_label: str = "",
    clip: int | None = None,
) -> html.Div:
    """The current commentary: its text (its first ``clip`` characters, saying so), who
    wrote it for which period, and "carried forward" when it was written for an earlier
    period than the one shown."""
    if item is None:
        return html.Div(
            html.P("No commentary yet.", className="text-body-secondary mb-0"),
            className="commentary commentary-none",
        )
    carried = shown_period_start is not None and item.period_start < shown_period_start
    head: list = []
    if carried:
        head.append(
            html.P(
                [
                    html.Span("Carried forward", className="badge text-bg-secondary me-2"),
                    f"written for {item.period_label}"
                    + (f"; the latest figures are for {shown_label}" if shown_label else ""),
                ],
                className="small mb-1 carried-forward",
            )
        )
    return html.Div(
        [
            *head,
            html.P(
                item.body
                if clip is None or len(item.body) <= clip
                else item.body[: clip - 1].rstrip() + "… (in full on the KPI's page)",
                className="commentary-body mb-1",
            ),
            html.P(written_by(item), className="small text-body-secondary mb-0"),
        ],
        className="commentary",
        **{"data-commentary": str(item.id)},
    )


def status_text(action: Action, today: dt.date) -> html.Span:
    """The action's status; an open action past its due date says "Overdue"."""
    if action.is_overdue(today):
        days = (today - action.due()).days
        return html.Span(
            [
                html.Span(OVERDUE_ICON, **{"aria-hidden": "true"}),
                f" Overdue by {days} day{'s' if days != 1 else ''}",
                html.Span(f" ({STATUS_TEXT[action.status].lower()})", className="small"),
            ],
            className="action-status overdue",
        )
    return html.Span(STATUS_TEXT[action.status], className=f"action-status status-{action.status}")


def actions_table(
    actions: Sequence[Action],
    today: dt.date,
    *,
    partners: Mapping[str, str],
    kpi_names: Mapping[str, str] | None = None,
    la: str | None = None,
    caption: str = "The board's actions",
    table_id: str | None = None,
) -> html.Div:
    """The actions as a plain table (prints whole), overdue first-class: each row says
    what was asked, of whom, linked to which KPI, due when, its status and latest update."""
    if not actions:
        return html.P("No board actions.", className="text-body-secondary")
    head = ["#", "Asked", "Partner", "Owner", "Due", "Status", "Latest update"]
    if kpi_names is not None:
        head.insert(2, "KPI")
    rows = []
    for item in actions:
        cells: list = [
            html.Td(str(item.id)),
            html.Td(item.asked, className="action-asked"),
        ]
        if kpi_names is not None:
            name = kpi_names.get(item.kpi_id, item.kpi_id)
            href = f"/kpi/{item.kpi_id}" + (f"?la={la}" if la else "")
            cells.append(html.Td(dcc.Link(name, href=href)))
        update = (
            f"{item.note} ({item.written_by}, {fmt.format_date(item.written_at[:10])})"
            if item.note
            else f"Asked by {item.created_by}, {fmt.format_date(item.created_at[:10])}"
        )
        cells += [
            html.Td(partners.get(item.partner_id or "", item.partner_id or "–")),
            html.Td(item.owner),
            html.Td(fmt.format_date(item.due_date)),
            html.Td(status_text(item, today)),
            html.Td(update, className="small"),
        ]
        rows.append(
            html.Tr(
                cells,
                className="action-row" + (" table-warning" if item.is_overdue(today) else ""),
                **{"data-action": str(item.id)},
            )
        )
    table = plain_table(head, rows, caption, "board-actions")
    if table_id:
        table.children.id = table_id
    return table


def action_counts(actions: Sequence[Action], today: dt.date) -> str:
    """``"2 open actions, 1 overdue"``, or ``""`` when none is open."""
    open_ = [a for a in actions if a.is_open]
    if not open_:
        return ""
    overdue = sum(1 for a in open_ if a.is_overdue(today))
    text = f"{len(open_)} open action{'s' if len(open_) != 1 else ''}"
    return text + (f", {overdue} overdue" if overdue else "")


def plain_table(head: Sequence[str], rows: Sequence, caption: str, class_name: str) -> html.Div:
    """A table that prints whole (not a grid): a hidden caption, a header row, the rows."""
    return html.Div(
        html.Table(
            [
                html.Caption(caption, className="visually-hidden"),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                html.Tbody(list(rows)),
            ],
            className=f"table table-sm {class_name}",
        ),
        className="table-responsive",
    )


def judgement_cells(record: Mapping, href: str) -> list:
    """A scorecard row's KPI (linked), latest value, target, RAG and Making Data Count
    icons as table cells (the board summary and the Partners page)."""
    rag = record.get("rag")
    return [
        html.Th(dcc.Link(record["name"], href=href), scope="row"),
        html.Td(record["display"], className="text-end text-nowrap"),
        html.Td(record["target_display"] or "–", className="text-end"),
        html.Td(rag_badge(rag) if isinstance(rag, str) else "–"),
        html.Td(spc_bits.variation_badge(record.get("variation"), record.get("spc_note", ""))),
        html.Td(spc_bits.assurance_badge(record.get("assurance"))),
    ]
