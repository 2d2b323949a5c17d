"""The board scorecard: every KPI of the catalogue, grouped by area, for the whole LA.

Board pages show aggregate figures only, never child-level data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import data, export, figures, ids, scoring, signals, urlstate
from dashboards import formatting as fmt
from dashboards.auth import acting_as, audit
from dashboards.board import service
from dashboards.board.store import Action, Commentary
from dashboards.components import messages, spc_bits
from dashboards.components.board_bits import action_counts
from dashboards.components.controls import download_button
from dashboards.components.kpi_bits import rag_badge
from dashboards.views.common import kpi_href, lookup, resolve_la

CSV_COLUMNS = [
    "area",
    "kpi_id",
    "name",
    "period",
    "breakdown",
    "value",
    "display",
    "status",
    "numerator",
    "denominator",
    "target",
    "tolerance",
    "rag",
    "variation",
    "assurance",
    "direction_of_travel",
    "spc_note",
    *scoring.COMPARATORS,
    "partner",
    "owner_role",
]
SVG_DATA = "data:image/svg+xml;charset=utf-8,"
#: The sparkline of a KPI with no figures: an empty box.
EMPTY_SPARKLINE = SVG_DATA + quote(figures.sparkline_svg(pd.DataFrame()))


@data.memo
def frame(la: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scorecard rows, headline series) of ``la`` (shared: read-only)."""
    headline = data.headline_series(la)
    catalogue = data.catalogue()
    rows = scoring.scorecard_frame(catalogue, headline, data.targets(), data.comparators(), la)
    return with_signals(rows, catalogue, headline, la), headline


def with_signals(
    rows: pd.DataFrame, catalogue: pd.DataFrame, headline: pd.DataFrame, la: str
) -> pd.DataFrame:
    """The scorecard rows with SPC's variation, assurance and direction of travel (from
    SPC, never from the last two points: a KPI without SPC says how it changed in numbers,
    untested), and the accountable partner."""
    if rows.empty:
        return rows
    found = signals.headline_signals(catalogue, headline, lookup(), la)
    series_of = {str(k): g for k, g in headline.groupby("kpi_id")} if not headline.empty else {}
    kpis = catalogue.set_index("kpi_id").to_dict("index")
    out = rows.copy()
    out["variation"] = [found[k].variation if k in found else None for k in out["kpi_id"]]
    out["assurance"] = [found[k].assurance if k in found else None for k in out["kpi_id"]]
    out["spc_note"] = [found[k].note() if k in found else "" for k in out["kpi_id"]]
    out["spc_travel"] = [found[k].travel if k in found else None for k in out["kpi_id"]]
    travel = []
    for record in out.to_dict("records"):
        signal = found.get(record["kpi_id"])
        if signal is not None and signal.applied:
            travel.append(f"{signal.travel} (SPC to {signal.judged_to})")
        else:
            series = series_of.get(record["kpi_id"], pd.DataFrame())
            travel.append(
                signals.plain_change(series, record["unit"], record["decimals"])
                if not series.empty
                else "no figures"
            )
    out["direction_of_travel"] = travel
    out["partner"] = [kpis.get(k, {}).get("partner_name") for k in out["kpi_id"]]
    out["owner_role"] = [kpis.get(k, {}).get("owner_role") for k in out["kpi_id"]]
    return out


@data.memo
def records(la: str) -> list[dict[str, Any]]:
    """The scorecard's rows as records (shared: read-only)."""
    return frame(la)[0].to_dict("records")


@data.memo
def sparklines(la: str) -> dict[str, str]:
    """Each KPI's sparkline (its headline series) as an ``<img>`` source: {kpi_id: URI}."""
    rows, headline = frame(la)
    units = dict(zip(rows["kpi_id"], rows["unit"], strict=True)) if not rows.empty else {}
    return {
        kpi_id: SVG_DATA + quote(svg)
        for kpi_id, svg in figures.sparkline_svgs(headline, units).items()
    }


@dataclass(frozen=True)
class BoardNotes:
    """The board's memory for the scorecard, read per request (it changes without a
    publish, so it is never cached with the snapshot's figures)."""

    commentary: dict[str, Commentary]
    actions: list[Action]
    today: dt.date

    @classmethod
    def read(cls, la: str) -> BoardNotes:
        return cls(service.latest_commentary(la), service.actions(la), service.today())


def _legend() -> html.Div:
    rag_items = [
        html.Li([rag_badge(r), f" {scoring.RAG_MEANING[r]}"], className="list-inline-item me-3")
        for r in (scoring.GREEN, scoring.AMBER, scoring.RED)
    ]
    return html.Div(
        [
            html.H2("How to read this page", className="h6"),
            html.Ul(rag_items, className="list-inline mb-1"),
            html.Details(
                [
                    html.Summary("Variation, assurance and direction of travel", className="small"),
                    spc_bits.legend(),
                    html.P(
                        "Direction of travel comes from the SPC chart: improving or "
                        "deteriorating only when the latest point is special cause. A KPI "
                        "with too few points (termly and yearly figures) or a rolling "
                        "12-month figure says how it changed in numbers, not tested. "
                        "Comparators are the latest published figure with its year, or "
                        "“not published”.",
                        className="small mb-0",
                    ),
                ],
                open=True,
            ),
        ],
        className="mb-3",
    )


def _period_text(record: dict[str, Any]) -> str:
    """``"Feb 2025 (to 14 Feb 2025) · Aged 17–21"``, or why there is no figure."""
    if not record.get("period") or fmt.is_missing(record.get("period")):
        return "no figures published yet"
    breakdown = record.get("breakdown")
    if not isinstance(breakdown, str) or breakdown == "all":
        return record["period"]
    return f"{record['period']} · {urlstate.BREAKDOWN_LABELS.get(breakdown, breakdown)}"


def _notes(kpi_id: str, notes: BoardNotes) -> html.Td:
    """The board's notes on a KPI: its commentary (shortened, with the period it was
    written for) and its open and overdue actions."""
    parts: list = []
    written = notes.commentary.get(kpi_id)
    if written is not None:
        text = written.body if len(written.body) <= 140 else written.body[:139].rstrip() + "…"
        parts += [
            html.Span(text),
            html.Br(),
            html.Span(f"Written for {written.period_label}", className="text-body-secondary"),
        ]
    counts = action_counts([a for a in notes.actions if a.kpi_id == kpi_id], notes.today)
    if counts:
        parts += [html.Br() if parts else "", html.Span(counts, className="fw-semibold")]
    return html.Td(parts or "–", className="small board-notes")


def _row(record: dict[str, Any], sparkline: str, la: str, notes: BoardNotes) -> html.Tr:
    polarity = record.get("polarity")
    if isinstance(record["rag"], str):
        rag = rag_badge(record["rag"])
    elif polarity not in ("higher", "lower"):
        rag = html.Span("–", className="rag rag-none", title="shown for information")
    elif fmt.is_missing(record["target"]):
        rag = html.Span("no target", className="rag rag-none")
    else:
        rag = rag_badge(None)
    return html.Tr(
        [
            html.Th(
                [
                    dcc.Link(record["name"], href=kpi_href(record["kpi_id"], la=la)),
                    html.Div(_period_text(record), className="small text-body-secondary"),
                ],
                scope="row",
            ),
            html.Td(record["display"], className="fw-bold text-end"),
            html.Td(record["target_display"] or "–", className="text-end"),
            html.Td(rag),
            html.Td(spc_bits.variation_badge(record.get("variation"), record.get("spc_note", ""))),
            html.Td(spc_bits.assurance_badge(record.get("assurance"), _no_assurance(record))),
            html.Td(record.get("direction_of_travel") or "", className="small travel-spc"),
            *[html.Td(record[name], className="small") for name in scoring.COMPARATORS],
            _notes(record["kpi_id"], notes),
            html.Td(
                html.Img(
                    src=sparkline,
                    alt="",  # decorative: the row states the figures
                    className="sparkline",
                    width=figures.SPARK_WIDTH,
                    height=figures.SPARK_HEIGHT,
                )
            ),
        ],
        **{"data-kpi": record["kpi_id"]},
    )


def _no_assurance(record: dict[str, Any]) -> str:
    if record.get("polarity") not in ("higher", "lower"):
        return "no assurance for a figure shown for information"
    if fmt.is_missing(record.get("target")):
        return "no assurance without a target"
    return "no assurance without SPC"


def _area_table(
    area: str, rows: pd.DataFrame, lines: Mapping[str, str], la: str, notes: BoardNotes
) -> html.Section:
    header = html.Thead(
        html.Tr(
            [
                html.Th(text, scope="col")
                for text in (
                    "KPI",
                    "Latest",
                    "Target",
                    "RAG",
                    "Variation",
                    "Assurance",
                    "Direction of travel",
                    *scoring.COMPARATORS,
                    "Commentary and actions",
                    "Trend",
                )
            ]
        )
    )
    body = html.Tbody(
        [
            _row(record, lines.get(record["kpi_id"], EMPTY_SPARKLINE), la, notes)
            for record in rows.to_dict("records")
        ]
    )
    return html.Section(
        [
            html.H2(area, className="h4 mt-4"),
            html.Div(
                html.Table(
                    [
                        html.Caption(
                            f"{area}: latest figures for {data.la_label(la)}",
                            className="visually-hidden",
                        ),
                        header,
                        body,
                    ],
                    className="table table-sm scorecard",
                ),
                className="table-responsive",
            ),
        ]
    )


def page(query: Mapping[str, Any]) -> list:
    notes: list[str] = []
    la = resolve_la(query.get("la"), notes)
    head = [
        html.H1(f"Board scorecard — {data.la_label(la)}" if la else "Board scorecard"),
        html.P(
            "Every KPI of the performance framework for the whole authority: the latest "
            "figure, the board's target, RAG, SPC variation and assurance, direction of "
            "travel, published comparators and who is accountable. Select a KPI for its "
            "trend, districts, commentary and the board's actions.",
            className="lead",
        ),
    ]
    if la is None:
        return [*head, messages.notice("The published snapshot holds no KPI values yet.", "info")]
    rows, _headline = frame(la)
    lines = sparklines(la)
    board_notes = BoardNotes.read(la)
    sections = [
        _area_table(str(area), group, lines, la, board_notes)
        for area, group in rows.groupby("area", sort=False, dropna=False)
    ]
    return [
        *head,
        *messages.query_messages(notes),
        dcc.Store(id=ids.SCORECARD_LA, data=la),
        dbc.Row(
            [
                dbc.Col(_legend(), md=9),
                dbc.Col(
                    [
                        download_button("Download scorecard (CSV)", ids.SCORECARD_DOWNLOAD_BUTTON),
                        download_button(
                            "Download scorecard (Excel)",
                            ids.SCORECARD_EXCEL_BUTTON,
                            className="ms-2",
                        ),
                        dcc.Download(id=ids.SCORECARD_DOWNLOAD),
                    ],
                    md=3,
                    className="text-md-end downloads",
                ),
            ]
        ),
        *sections,
        html.P(f"{len(rows)} KPIs.", className="text-body-secondary small"),
    ]


def download(la: str, kind: str = "csv") -> dict[str, Any]:
    """The scorecard of ``la`` as ``scorecard-<la>.csv``, or ``.xlsx`` for ``kind="excel"``.

    A board output whoever downloads it: always disclosure-controlled (small counts
    "fewer than 6", what they make "suppressed")."""
    who = data.principal()
    if la not in data.las():
        raise data.deny(f"LA {la} is not in your scope.", what="scorecard_download", la=la)
    with acting_as(who.with_suppression()):
        rows, _ = frame(la)
    audit(
        "download",
        what=f"scorecard.{'xlsx' if kind == 'excel' else 'csv'}",
        la=la,
        detail="disclosure-controlled",
    )
    table = rows.reindex(columns=CSV_COLUMNS)
    if kind == "excel":
        content = export.xlsx_bytes(
            table, sheet=f"Scorecard {la}", title=f"Scorecard {data.la_label(la)}"
        )
        return dcc.send_bytes(content, f"scorecard-{la}.xlsx", type=export.XLSX_MIMETYPE)
    return dcc.send_string(table.to_csv(index=False), f"scorecard-{la}.csv")
