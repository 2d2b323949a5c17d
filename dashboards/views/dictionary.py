"""The KPI dictionary: every KPI of the catalogue with its definition and target."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboards import data, ids, scoring
from dashboards import formatting as fmt
from dashboards.components.grid import column, data_grid, records

_WRAP = {
    "wrapText": True,
    "autoHeight": True,
    "cellStyle": {"lineHeight": "1.45", "padding": "6px 12px"},
}
COLUMNS = [
    column("name", "KPI", cellRenderer="markdown", pinned="left", width=240, **_WRAP),
    column("area", "Area", width=150, **_WRAP),
    column("description", "Description", width=340, **_WRAP),
    column("numerator", "Numerator", width=300, **_WRAP),
    column("denominator", "Denominator", width=300, **_WRAP),
    column("polarity", "Better when", width=170, **_WRAP),
    column("unit", "Unit", width=100),
    column("frequency", "Frequency", width=120),
    column("breakdowns", "Breakdowns", width=150, **_WRAP),
    column("source", "Source", width=180, **_WRAP),
    column("partner", "Accountable partner", width=220, **_WRAP),
    column("owner", "Owner", width=220, **_WRAP),
    column("target", "Target", numeric=True, width=110),
    column("tolerance", "Tolerance", numeric=True, width=120),
    column("kpi_id", "Id", width=190),
]


def _text(value) -> str:
    return "" if fmt.is_missing(value) else str(value)


def rows(catalogue: pd.DataFrame, targets: pd.DataFrame) -> list[dict]:
    out = []
    board = scoring.Lookup(targets, None)
    for kpi in catalogue.to_dict("records"):
        target, tolerance = board.target(kpi["kpi_id"])
        out.append(
            {
                **{key: kpi.get(key) for key in ("area", "description", "numerator", "unit")},
                **{key: kpi.get(key) for key in ("frequency", "breakdowns", "source", "kpi_id")},
                # Markdown link: AG Grid renders it as <a>; the CSV keeps the text.
                "name": f"[{kpi['name']}](/kpi/{kpi['kpi_id']})",
                "denominator": kpi.get("denominator") or "— (a count)",
                "polarity": fmt.POLARITY_TEXT.get(kpi.get("polarity") or "", kpi.get("polarity")),
                "target": target,
                "tolerance": tolerance,
                "partner": _text(kpi.get("partner_name")),
                "owner": _text(kpi.get("owner_role")),
            }
        )
    return records(pd.DataFrame(out)) if out else []


def page() -> list:
    catalogue = data.catalogue()
    return [
        html.H1("KPI dictionary"),
        html.P(
            "What each KPI counts, whether higher or lower is better, where its data comes "
            "from, the board's target and who is accountable for it. Select a KPI to see "
            "its figures.",
            className="lead",
        ),
        data_grid(
            ids.DICTIONARY_TABLE,
            rows(catalogue, data.targets()),
            COLUMNS,
            label="KPI dictionary",
            height=640,
            column_size=None,
        ),
    ]
