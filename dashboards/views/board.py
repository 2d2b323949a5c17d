"""The board summary: what a board paper leads with, on screen and as the front of the
board pack. Four parts (``?part=`` shows one; the pack prints them one by one):

- ``summary``: every KPI on one page with its RAG, SPC variation and assurance, direction
  of travel, accountable partner, what changed since the last board, and the board's
  notes (commentary, open and overdue actions);
- ``exceptions``: the KPIs that need the board's attention (special cause concerning, or
  consistently failing their target): the SPC chart, the commentary, the partner and the
  board's actions on it;
- ``actions``: the partners' actions due and overdue;
- ``changes``: what changed since the last board (RAG, special-cause signals, assurance,
  actions opened, closed and gone overdue, commentary written).

Aggregates only: no child-level data.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import data, figures, ids, signals, spc, spc_figures, urlstate
from dashboards import formatting as fmt
from dashboards.board import access, changes, service
from dashboards.board.store import Action
from dashboards.components import messages
from dashboards.components.board_bits import (
    actions_table,
    commentary_block,
    judgement_cells,
    plain_table,
    status_text,
)
from dashboards.components.chart import chart
from dashboards.views import scorecard
from dashboards.views.common import kpi_href, lookup

PARTS = ("summary", "exceptions", "actions", "changes")
PART_TITLES = {
    "summary": "Summary",
    "exceptions": "Exceptions",
    "actions": "Partners' actions due and overdue",
    "changes": "What changed since the last board",
}
#: Exceptions drawn in full (chart, commentary, actions), two to a printed page; any more
#: are listed by name and are in the appendix.
MAX_EXCEPTIONS = 8
#: Small enough for three exceptions to a printed page.
EXCEPTION_CHART_HEIGHT = 190
#: An exception shows the first characters of its commentary (the KPI page has it all).
COMMENTARY_CLIP = 260
#: Actions due within this many days are listed with the overdue ones.
DUE_SOON_DAYS = 92
CONCERNS = (spc.CONCERN_HIGH, spc.CONCERN_LOW)


def is_exception(record: Mapping[str, Any]) -> bool:
    """Special cause concerning, or consistently failing the target."""
    return record.get("variation") in CONCERNS or record.get("assurance") == spc.FAIL


def exception_reason(record: Mapping[str, Any]) -> str:
    reasons = []
    if record.get("variation") in CONCERNS:
        reasons.append(spc.VARIATION_TEXT[record["variation"]])
    if record.get("assurance") == spc.FAIL:
        reasons.append(spc.ASSURANCE_TEXT[spc.FAIL])
    return "; ".join(reasons)


class Context:
    """What every part reads, once."""

    def __init__(self, la: str):
        self.la = la
        self.rows, self.headline = scorecard.frame(la)
        self.records = scorecard.records(la)
        self.catalogue = data.catalogue()
        self.today = service.today()
        memory = service.memory(la)
        self.actions = memory.actions()
        self.versions = memory.all_action_versions()
        self.commentary = memory.latest_commentary()
        self.meetings = memory.meetings()
        partners = data.partners()
        self.partners = dict(zip(partners["partner_id"], partners["name"], strict=True))
        short = partners["short_name"] if "short_name" in partners.columns else partners["name"]
        self.short_names = dict(
            zip(partners["partner_id"], short.fillna(partners["name"]), strict=True)
        )
        partner_ids = (
            self.catalogue["partner_id"]
            if "partner_id" in self.catalogue.columns
            else [None] * len(self.catalogue)
        )
        self.partner_of = dict(zip(self.catalogue["kpi_id"], partner_ids, strict=True))
        self.kpis = {str(k["kpi_id"]): k for k in self.catalogue.to_dict("records")}
        self.kpi_names = {k: str(v["name"]) for k, v in self.kpis.items()}
        self.since = changes.since(self.meetings, previous_month_end(la), self.today)
        self.changes = kpi_changes(la, self.since.date if self.since else None)
        self.action_changes = changes.action_changes(
            self.versions,
            self.actions,
            self.since.date if self.since else self.today,
            self.today,
        )

    def open_actions(self, kpi_id: str | None = None) -> list[Action]:
        return [a for a in self.actions if a.is_open and (kpi_id is None or a.kpi_id == kpi_id)]

    def changes_of(self, kpi_id: str) -> list[changes.Change]:
        return [c for c in self.changes if c.kpi_id == kpi_id]


@data.memo
def previous_month_end(la: str) -> dt.date | None:
    return changes.previous_month_end(scorecard.frame(la)[1])


@data.memo
def kpi_changes(la: str, since_day: dt.date | None) -> list[changes.Change]:
    """The KPIs' changes since ``since_day`` (once per snapshot and date; read-only)."""
    if since_day is None:
        return []
    _rows, headline = scorecard.frame(la)
    catalogue = data.catalogue()
    before = changes.kpi_states(catalogue, headline, lookup(), la, at=since_day)
    now = changes.kpi_states(catalogue, headline, lookup(), la)
    return changes.kpi_changes(before, now)


# ##### The summary


def _notes(ctx: Context, kpi_id: str) -> str:
    parts = []
    written = ctx.commentary.get(kpi_id)
    if written is not None:
        parts.append(f"commentary ({written.period_label})")
    mine = [a for a in ctx.actions if a.kpi_id == kpi_id and a.is_open]
    if mine:
        overdue = sum(1 for a in mine if a.is_overdue(ctx.today))
        parts.append(f"{len(mine)} open" + (f" ({overdue} overdue)" if overdue else ""))
    return "; ".join(parts) or "–"


def summary(ctx: Context) -> list:
    rows = []
    for record in ctx.records:
        changed = "; ".join(c.text() for c in ctx.changes_of(record["kpi_id"])) or "–"
        partner_id = ctx.partner_of.get(record["kpi_id"])
        partner = ctx.short_names.get(partner_id) if isinstance(partner_id, str) else None
        rows.append(
            html.Tr(
                [
                    *judgement_cells(record, kpi_href(record["kpi_id"], la=ctx.la)),
                    html.Td(_short_travel(record)),
                    html.Td("–" if fmt.is_missing(partner) else partner),
                    html.Td(changed),
                    html.Td(_notes(ctx, record["kpi_id"])),
                ],
                **{"data-kpi": record["kpi_id"]},
            )
        )
    head = [
        "KPI",
        "Latest",
        "Target",
        "RAG",
        "Variation",
        "Assurance",
        "Direction",
        "Partner",
        "Since last board",
        "Notes",
    ]
    exceptions = [r for r in ctx.records if is_exception(r)]
    signals_new = [c for c in ctx.changes if changes.is_new_signal(c)]
    rag_changes = [c for c in ctx.changes if c.kind == "rag"]
    overdue = [a for a in ctx.actions if a.is_overdue(ctx.today)]
    facts = [
        f"{len(ctx.rows)} KPIs",
        f"{len(exceptions)} need attention (special cause concerning or consistently "
        "failing the target)",
        f"{len(ctx.open_actions())} open board actions, {len(overdue)} overdue",
    ]
    if ctx.since is not None:
        facts.append(
            f"since {ctx.since.label}: {len(rag_changes)} RAG changes, {len(signals_new)} new "
            f"special-cause signals, {len(ctx.action_changes.closed)} actions closed"
        )
    return [
        html.H2(PART_TITLES["summary"], className="h4"),
        html.P(" · ".join(facts), className="board-facts"),
        plain_table(head, rows, f"Every KPI of {data.la_label(ctx.la)}", "board-summary"),
        html.P(
            "Variation and assurance: NHS England's Making Data Count (H and L: a high or low "
            "special cause; P, F, ?: the target is consistently passed, consistently failed, "
            "or hit and miss). Direction of travel comes from SPC; a KPI without SPC says how "
            "it changed, untested.",
            className="small text-body-secondary board-legend",
        ),
    ]


def _short_travel(record: Mapping[str, Any]) -> str:
    """ "improving" (SPC), or "up (not tested)" for a KPI without SPC."""
    if isinstance(record.get("spc_travel"), str):
        return record["spc_travel"]
    text = str(record.get("direction_of_travel") or "")
    return text.split(" from ")[0] + " (not tested)" if " from " in text else text


# ##### Exceptions


def exceptions(ctx: Context) -> list:
    found = [r for r in ctx.records if is_exception(r)]
    out: list = [html.H2(PART_TITLES["exceptions"], className="h4")]
    if not found:
        return [*out, html.P("No KPI is special cause concerning or consistently failing.")]
    out.append(
        html.P(
            f"{len(found)} KPI{'s' if len(found) != 1 else ''} need the board's attention: "
            "special cause concerning, or consistently failing the target.",
            className="small",
        )
    )
    for record in found[:MAX_EXCEPTIONS]:
        out.append(_exception(ctx, record))
    if len(found) > MAX_EXCEPTIONS:
        rest = ", ".join(r["name"] for r in found[MAX_EXCEPTIONS:])
        out.append(html.P(f"Also needing attention (see the appendix): {rest}.", className="small"))
    return out


@data.memo
def exception_chart(la: str, kpi_id: str) -> tuple[dict, str, str | None]:
    """(the SPC chart of a KPI's headline series, its text alternative, the start of its
    latest period), once per snapshot (shared: read-only). The chart is kept as plain
    JSON: a page draws up to eight of them, and Plotly's conversion of a figure's arrays
    on every request cost more than the rest of the page."""
    rows, headline = scorecard.frame(la)
    record = rows[rows["kpi_id"] == kpi_id].iloc[0].to_dict()
    catalogue = data.catalogue()
    kpi = catalogue[catalogue["kpi_id"] == kpi_id].iloc[0].to_dict()
    series = headline[headline["kpi_id"] == kpi_id]
    signal = signals.kpi_signal(series, kpi, record.get("target"))
    trend = figures.trend_figure(
        series,
        name=str(record["name"]),
        unit=kpi.get("unit"),
        decimals=kpi.get("decimals"),
        polarity=kpi.get("polarity"),
        target=record.get("target"),
        tolerance=record.get("tolerance"),
        height=EXCEPTION_CHART_HEIGHT,
    )
    trend = spc_figures.with_spc(trend, signal, kpi.get("unit"), kpi.get("decimals"))
    text = spc_figures.describe_spc(
        signal, str(record["name"]), kpi.get("unit"), kpi.get("decimals")
    )
    latest = None if series.empty else str(pd.Timestamp(series["period_start"].max()).date())
    return json.loads(trend.to_json()), text, latest


def _exception(ctx: Context, record: Mapping[str, Any]) -> html.Section:
    kpi_id = record["kpi_id"]
    kpi = ctx.kpis[kpi_id]
    trend, description, latest_start = exception_chart(ctx.la, kpi_id)
    owner = kpi.get("owner_role")
    who = [
        html.Span("Partner: ", className="fw-semibold"),
        record.get("partner") if not fmt.is_missing(record.get("partner")) else "none set",
    ]
    if not fmt.is_missing(owner):
        who += [" · ", html.Span("Owner: ", className="fw-semibold"), str(owner)]
    return html.Section(
        [
            html.H3(dcc.Link(record["name"], href=kpi_href(kpi_id, la=ctx.la)), className="h5"),
            dbc.Row(
                [
                    dbc.Col(
                        chart(f"board-exception-{kpi_id}", trend, description),
                        md=6,
                    ),
                    dbc.Col(
                        [
                            html.P(
                                [
                                    html.Strong(f"{record['display']}, {record['period']}"),
                                    f" · target {record['target_display'] or 'none'} · ",
                                    exception_reason(record),
                                ],
                                className="mb-1 small",
                            ),
                            html.P(who, className="mb-1 small"),
                            html.H4("Commentary", className="h6"),
                            commentary_block(
                                ctx.commentary.get(kpi_id), latest_start, clip=COMMENTARY_CLIP
                            ),
                            html.H4("Board actions", className="h6 mt-2"),
                            _kpi_actions(
                                ctx,
                                [
                                    a
                                    for a in ctx.actions
                                    if a.kpi_id == kpi_id
                                    and (a.is_open or a in ctx.action_changes.closed)
                                ],
                            ),
                        ],
                        md=6,
                    ),
                ]
            ),
        ],
        className="board-exception",
        **{"data-kpi": kpi_id},
    )


# ##### Partners' actions due and overdue


def actions_due(ctx: Context) -> list:
    horizon = ctx.today + dt.timedelta(days=DUE_SOON_DAYS)
    due = [a for a in ctx.open_actions() if a.due() <= horizon]
    later = [a for a in ctx.open_actions() if a.due() > horizon]
    out: list = [
        html.H2(PART_TITLES["actions"], className="h4"),
        html.P(
            f"Open actions overdue or due by {fmt.format_date(horizon)}, by partner "
            f"({len(later)} more open actions are due later).",
            className="small",
        ),
    ]
    if not due:
        return [*out, html.P("No open action is overdue or due in the next three months.")]
    by_partner: dict[str, list[Action]] = {}
    for item in sorted(due, key=lambda a: (not a.is_overdue(ctx.today), a.due_date, a.id)):
        by_partner.setdefault(item.partner_id or "", []).append(item)
    for partner_id, items in sorted(by_partner.items(), key=lambda p: ctx.partners.get(p[0], "~")):
        name = ctx.partners.get(partner_id, "No partner named")
        overdue = sum(1 for a in items if a.is_overdue(ctx.today))
        out += [
            html.H3(
                f"{name}: {len(items)} due" + (f", {overdue} overdue" if overdue else ""),
                className="h6 mt-3",
            ),
            actions_table(
                items,
                ctx.today,
                partners=ctx.partners,
                kpi_names=ctx.kpi_names,
                la=ctx.la,
                caption=f"Actions of {name} due and overdue",
            ),
        ]
    return out


# ##### What changed since the last board


def what_changed(ctx: Context) -> list:
    out: list = [html.H2(PART_TITLES["changes"], className="h4")]
    if ctx.since is None:
        return [*out, html.P("Nothing to compare with yet.")]
    out.append(
        html.P(
            f"Since {ctx.since.label}. The KPIs as they stood then are worked out from the "
            "figures published now, cut at that date.",
            className="small",
        )
    )
    signals_new = [c for c in ctx.changes if changes.is_new_signal(c)]
    others = [c for c in ctx.changes if c not in signals_new]
    out += [
        html.H3("New special-cause signals", className="h6"),
        _change_list(signals_new, ctx.la, "No new special-cause signal."),
        html.H3("RAG and assurance changes, signals ended", className="h6"),
        _change_list(others, ctx.la, "No RAG or assurance change."),
    ]
    moved = ctx.action_changes
    for title, items in (
        ("Actions closed", moved.closed),
        ("Actions gone overdue", moved.became_overdue),
        ("Actions asked", moved.opened),
        ("Actions updated", moved.updated),
    ):
        out.append(html.H3(f"{title} ({len(items)})", className="h6"))
        if items:
            out.append(_action_list(ctx, items))
    written = changes.commentary_since(ctx.commentary, ctx.since.date)
    out.append(html.H3(f"Commentary written ({len(written)})", className="h6"))
    if written:
        out.append(
            html.Ul(
                [
                    html.Li(
                        [
                            dcc.Link(
                                ctx.kpi_names.get(c.kpi_id, c.kpi_id),
                                href=kpi_href(c.kpi_id, la=ctx.la),
                            ),
                            f" (for {c.period_label}, {c.author}): {_clip(c.body, 110)}",
                        ]
                    )
                    for c in written
                ],
                className="small board-changes",
            )
        )
    return out


#: Items of each list on "what changed" (the rest are counted; the tables hold them all).
MAX_LISTED = 10


def _action_list(ctx: Context, items: list[Action]) -> html.Ul:
    """Actions as one line each: the KPI, what was asked, of whom, due, status."""
    lines = [
        html.Li(
            [
                dcc.Link(ctx.kpi_names.get(a.kpi_id, a.kpi_id), href=kpi_href(a.kpi_id, la=ctx.la)),
                f": #{a.id} {_clip(a.asked, 80)} ({ctx.short_names.get(a.partner_id or '', 'no partner')}"
                f", due {fmt.format_date(a.due_date)}, ",
                status_text(a, ctx.today),
                ")",
            ]
        )
        for a in items[:MAX_LISTED]
    ]
    if len(items) > MAX_LISTED:
        lines.append(html.Li(f"and {len(items) - MAX_LISTED} more (Partners page, appendix)"))
    return html.Ul(lines, className="small board-changes")


def _kpi_actions(ctx: Context, items: list[Action]) -> html.Ul | html.P:
    """One KPI's actions, a line each: what was asked, of whom, due, status."""
    if not items:
        return html.P("No board actions.", className="small text-body-secondary")
    return html.Ul(
        [
            html.Li(
                [
                    f"#{a.id} {_clip(a.asked, 120)} "
                    f"({ctx.short_names.get(a.partner_id or '', 'no partner')}, due "
                    f"{fmt.format_date(a.due_date)}, ",
                    status_text(a, ctx.today),
                    ")",
                ],
                **{"data-action": str(a.id)},
            )
            for a in items
        ],
        className="small board-kpi-actions mb-0",
    )


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _change_list(items: list[changes.Change], la: str, empty: str) -> html.Ul | html.P:
    if not items:
        return html.P(empty, className="small text-body-secondary")
    by_kpi: dict[str, list[changes.Change]] = {}
    for item in items:
        by_kpi.setdefault(item.kpi_id, []).append(item)
    return html.Ul(
        [
            html.Li(
                [
                    dcc.Link(found[0].name, href=kpi_href(kpi_id, la=la)),
                    ": ",
                    "; ".join(c.text() for c in found),
                ]
            )
            for kpi_id, found in by_kpi.items()
        ],
        className="small board-changes",
    )


# ##### The page


def _meeting_form(ctx: Context) -> html.Div:
    recorded = ", ".join(fmt.format_date(m.meeting_date) for m in ctx.meetings[:4]) or "none"
    parts: list = [
        html.H2("Board meetings", className="h5"),
        html.P(f"Recorded: {recorded}.", className="small"),
    ]
    if access.may_write(access.current_user(), ctx.la):
        parts.append(
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Record a meeting held on", html_for=ids.BOARD_MEETING_DATE),
                            dbc.Input(id=ids.BOARD_MEETING_DATE, type="date"),
                        ],
                        md=4,
                    ),
                    dbc.Col(
                        dbc.Button(
                            "Record meeting",
                            id=ids.BOARD_MEETING_SAVE,
                            n_clicks=0,
                            size="sm",
                            color="primary",
                        ),
                        md=3,
                        className="align-self-end",
                    ),
                ]
            )
        )
    parts.append(html.Div(id=ids.BOARD_MEETING_MESSAGE, **{"aria-live": "polite"}))
    return html.Div(parts, className="board-meetings d-print-none mt-4")


RENDER = {
    "summary": summary,
    "exceptions": exceptions,
    "actions": actions_due,
    "changes": what_changed,
}


def page(query: Mapping[str, Any]) -> list:
    notes: list[str] = []
    la = urlstate.resolve_la(query.get("la"), data.las(), notes)
    part = query.get("part")
    head = [html.H1(f"Board summary — {data.la_label(la)}" if la else "Board summary")]
    if la is None:
        return [*head, messages.notice("The published snapshot holds no KPI values yet.", "info")]
    if part not in (None, "", *PARTS):
        notes.append(f"Unknown part “{part}”: showing every part.")
        part = None
    ctx = Context(la)
    wanted = [part] if part else list(PARTS)
    body: list = []
    for i, name in enumerate(wanted):
        body.append(
            html.Section(
                RENDER[name](ctx),
                className="board-part" + (" mt-4" if i else ""),
                **{"data-part": name},
            )
        )
    intro = html.P(
        "What the board needs to look at: every KPI with its Making Data Count icons and "
        "what changed since the last board, the exceptions, and the partners' actions.",
        className="lead d-print-none",
    )
    return [
        *head,
        *messages.query_messages(notes),
        dcc.Store(id=ids.BOARD_PAGE_LA, data=la),
        *([] if part else [intro]),
        *body,
        *([] if part else [_meeting_form(ctx)]),
    ]
