"""The board scorecard: every KPI of the catalogue, grouped by area, for the whole LA.

Board pages show aggregate figures only, never child-level data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import data, export, figures, ids, scoring, urlstate
from dashboards import formatting as fmt
from dashboards.auth import acting_as, audit
from dashboards.components import messages
from dashboards.components.controls import download_button
from dashboards.components.kpi_bits import DIRECTION_ICON, direction_text, rag_badge
from dashboards.views.common import kpi_href, resolve_la

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
    "vs_previous",
    "vs_year_ago",
    *scoring.COMPARATORS,
]
SVG_DATA = "data:image/svg+xml;charset=utf-8,"
#: The sparkline of a KPI with no figures: an empty box.
EMPTY_SPARKLINE = SVG_DATA + quote(figures.sparkline_svg(pd.DataFrame()))


@data.memo
def frame(la: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scorecard rows, headline series) of ``la`` (shared: read-only)."""
    headline = data.headline_series(la)
    rows = scoring.scorecard_frame(
        data.catalogue(), headline, data.targets(), data.comparators(), la
    )
    return rows, headline


@data.memo
def sparklines(la: str) -> dict[str, str]:
    """Each KPI's sparkline (its headline series) as an ``<img>`` source: {kpi_id: URI}."""
    rows, headline = frame(la)
    units = dict(zip(rows["kpi_id"], rows["unit"], strict=True)) if not rows.empty else {}
    return {
        kpi_id: SVG_DATA + quote(svg)
        for kpi_id, svg in figures.sparkline_svgs(headline, units).items()
    }


def _legend() -> html.Div:
    rag_items = [
        html.Li([rag_badge(r), f" {scoring.RAG_MEANING[r]}"], className="list-inline-item me-3")
        for r in (scoring.GREEN, scoring.AMBER, scoring.RED)
    ]
    travel = ", ".join(
        f"{DIRECTION_ICON[d]} {d}"
        for d in (scoring.IMPROVING, scoring.DECLINING, scoring.NO_CHANGE)
    )
    return html.Div(
        [
            html.H2("How to read this page", className="h6"),
            html.Ul(rag_items, className="list-inline mb-1"),
            html.P(
                f"Direction of travel, judged by whether higher or lower is better: {travel}; "
                f"{DIRECTION_ICON[scoring.UP]} up / {DIRECTION_ICON[scoring.DOWN]} down for "
                "figures shown for information. Comparators are the latest published figure "
                "with its year, or “not published”.",
                className="small mb-0",
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


def _row(record: dict[str, Any], sparkline: str, la: str) -> html.Tr:
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
            html.Td(direction_text(record["vs_previous"], "")),
            html.Td(direction_text(record["vs_year_ago"], "")),
            *[html.Td(record[name], className="small") for name in scoring.COMPARATORS],
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


def _area_table(area: str, rows: pd.DataFrame, lines: Mapping[str, str], la: str) -> html.Section:
    header = html.Thead(
        html.Tr(
            [
                html.Th(text, scope="col")
                for text in (
                    "KPI",
                    "Latest",
                    "Target",
                    "RAG",
                    "Since previous period",
                    "Since same point last year",
                    *scoring.COMPARATORS,
                    "Trend",
                )
            ]
        )
    )
    body = html.Tbody(
        [
            _row(record, lines.get(record["kpi_id"], EMPTY_SPARKLINE), la)
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
                            f"{area}: latest figures for LA {la}", className="visually-hidden"
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
        html.H1("Board scorecard"),
        html.P(
            "Every KPI of the performance framework for the whole authority: the latest "
            "figure, the board's target, RAG, direction of travel and published comparators. "
            "Select a KPI for its trend, districts and definition.",
            className="lead",
        ),
    ]
    if la is None:
        return [*head, messages.notice("The published snapshot holds no KPI values yet.", "info")]
    rows, _headline = frame(la)
    lines = sparklines(la)
    sections = [
        _area_table(str(area), group, lines, la)
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
        content = export.xlsx_bytes(table, sheet=f"Scorecard {la}", title=f"Scorecard LA {la}")
        return dcc.send_bytes(content, f"scorecard-{la}.xlsx", type=export.XLSX_MIMETYPE)
    return dcc.send_string(table.to_csv(index=False), f"scorecard-{la}.csv")
