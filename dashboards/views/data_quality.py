"""The data-quality page, for data engineers: what happened to the newest extract of every
LA, source and year (published, published with warnings, or blocked and why), how fresh
each LA's published figures are, and the failing rows of the latest checks by rule, file
and child, filtered and downloadable.

It reads ``status.duckdb`` (written on every ingest, even when nothing is published) and
the snapshot's load bookkeeping, and works when either is missing: an LA whose every
extract was blocked has no published data but is explained here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import data, export, ids, quality, urlstate
from dashboards import formatting as fmt
from dashboards.auth import audit
from dashboards.components import messages
from dashboards.components.chart import chart
from dashboards.components.controls import (
    download_button,
    filters_section,
    labelled_select,
    options,
)
from dashboards.components.grid import column, data_grid

NOTHING_PUBLISHED = (
    "No published data yet — run make demo (or make materialize). If the pipeline has "
    "run, the tables below say what it loaded and what it blocked."
)
#: Failing rows shown in the grid; the downloads above it hold every row.
ROW_LIMIT = 2_000
_WRAP = {"wrapText": True, "autoHeight": True, "cellStyle": {"lineHeight": "1.45"}}

STATUS_COLUMNS = [
    column("la_code", "LA", width=80),
    column("source", "Source", width=100),
    column("collection_year", "Year", width=100),
    column("latest_extract_date", "Newest extract", width=140),
    column("status", "Status", width=200),
    column("latest_errors", "Error rows", numeric=True, width=110),
    column("latest_warnings", "Warning rows", numeric=True, width=120),
    column("why", "Why (in short)", flex=1, minWidth=320, **_WRAP),
    column("served_extract_date", "Extract in use", width=140),
    column("serving_older", "Older than newest?", width=150),
    column("served_age_days", "Days old when checked", numeric=True, width=160),
]
LANDING_COLUMNS = [
    column("la_code", "LA", width=80),
    column("what", "What happened", width=170),
    column("path", "Where, in the landing folder", width=340, **_WRAP),
    column("rule_code", "Rule", width=190),
    column("message", "Why, and the fix", flex=1, minWidth=320, **_WRAP),
]
VOLUME_COLUMNS = [
    column("la_code", "LA", width=80),
    column("collection_year", "Year", width=100),
    column("extract_date", "Extract", width=120),
    column("previous_extract_date", "Compared with", width=140),
    column("table_name", "Table", width=140),
    column("rule_code", "Check", width=170),
    column("what", "Outcome", width=170),
    column("before", "Before", numeric=True, width=100),
    column("now", "Now", numeric=True, width=100),
    column("in_use", "Extract in use?", width=130),
    column("message", "Message", flex=1, minWidth=320, **_WRAP),
]
FRESHNESS_COLUMNS = [
    column("la_code", "LA"),
    column("published_as_at", "Published figures as at"),
    column("days_old", "Days old today", numeric=True),
    column("newest_loaded", "Newest extract loaded"),
    column("newest_received", "Newest extract received"),
    column("blocked", "Blocked extracts", numeric=True),
    column("state", "State"),
]
RULE_COLUMNS = [
    column("rule_code", "Rule", width=150),
    column("severity", "Severity", width=110),
    column("message", "Message", flex=1, minWidth=320, **_WRAP),
    column("rows", "Failing rows", numeric=True, width=120),
    column("children", "Children", numeric=True, width=110),
    column("files", "Files", numeric=True, width=90),
    column("las", "LAs", numeric=True, width=80),
]
FILE_COLUMNS = [
    column("la_code", "LA", width=80),
    column("source_file", "File", flex=1, minWidth=320, **_WRAP),
    column("table_name", "Table", width=140),
    column("rows", "Failing rows", numeric=True, width=120),
    column("errors", "Errors", numeric=True, width=100),
    column("warnings", "Warnings", numeric=True, width=110),
    column("rules", "Rules", width=200, **_WRAP),
    column("children", "Children", numeric=True, width=110),
    column("first_line", "First line", numeric=True, width=110),
]
CHILD_COLUMNS = [
    column("la_code", "LA"),
    column("child", "Child"),
    column("rows", "Failing rows", numeric=True),
    column("errors", "Errors", numeric=True),
    column("warnings", "Warnings", numeric=True),
    column("rules", "Rules"),
    column("files", "Files", numeric=True),
]
ROW_COLUMNS = [
    column("la_code", "LA", width=80),
    column("collection_year", "Year", width=100),
    column("extract_date", "Extract", width=120),
    column("source_file", "File", width=340, tooltipField="source_file"),
    column("source_row", "Line", numeric=True, width=90),
    column("child", "Child", width=110),
    column("rule_code", "Rule", width=140),
    column("severity", "Severity", width=110),
    column("message", "Message", width=420, tooltipField="message"),
    column("value", "Values", width=260, tooltipField="value"),
]

DFE_EXTRACT_COLUMNS = [
    column("la_code", "LA", width=80),
    column("collection_year", "Year", width=100),
    column("extract_date", "Extract", width=120),
    column("kind", "Return", width=190),
    column("previous", "Last year's return supplied", width=170),
    column("readiness", "Readiness", flex=1, minWidth=260, **_WRAP),
    column("rules_failed", "Failing rules", numeric=True, width=120),
    column("failing_rows", "Rows", numeric=True, width=90),
    column("children", "Children affected", numeric=True, width=150),
    column("rules_known", "Known validator defects (rules)", numeric=True, width=150),
    column("known_rows", "Known defect rows", numeric=True, width=130),
    column("rules_not_run", "Rules not run", numeric=True, width=120),
    column("rules_run", "Rules run", numeric=True, width=100),
    column("seconds", "Seconds", numeric=True, width=100),
]
DFE_RULE_COLUMNS = [
    column("la_code", "LA", width=80),
    column("collection_year", "Year", width=100),
    column("extract_date", "Extract", width=120),
    column("rule_code", "DfE rule", width=110),
    column("what", "Status", width=200),
    column("message", "Message", flex=1, minWidth=320, **_WRAP),
    column("rows", "Rows", numeric=True, width=90),
    column("children", "Children", numeric=True, width=100),
    column("tables", "Files", width=160),
    column("reason", "Why (a known defect: the documented reason)", width=360, **_WRAP),
]
DFE_ROW_COLUMNS = [
    column("la_code", "LA", width=80),
    column("collection_year", "Year", width=100),
    column("extract_date", "Extract", width=120),
    column("rule_code", "DfE rule", width=110),
    column("what", "Status", width=190),
    column("source_file", "File", width=340, tooltipField="source_file"),
    column("source_row", "Line", numeric=True, width=90),
    column("child", "Child", width=110),
    column("message", "Message", width=420, tooltipField="message"),
    column("value", "Note", width=260, tooltipField="value"),
]
#: What the page says about how the DfE's rules are run (the lead's decision, issue 13).
DFE_ABOUT = (
    "The DfE's SSDA903 validation rules, as Data to Insight's csc-validator-be-903 implements "
    "them (the engine of the validator councils run before every return), run on the newest "
    "extract of each LA and collection year (loaded or blocked), with last year's return. "
    "They warn and never block: the data-quality gate above decides what is published. An "
    "extract is checked again only when its files change."
)
DFE_MODE = (
    "Each rule runs on its own copy of the data. The D2I tool run unchanged (the runner's "
    "--shared-frames) also shows rules 575 and 577 on missing periods still open at 31 "
    "March: its rule 365 writes 31 March into every blank DEC before they run, so an open "
    "missing period looks as if it outlived its placement. Those, and the other validator "
    "defects listed with their reasons in pipelines/lib/dfe903_known.py, are shown below as "
    "known validator defects, not hidden. In-year extracts (taken before 31 March) are "
    "checked as readiness: findings that come only from the year not having ended (the "
    "validator reads open episodes as open at 31 March: rules 359 and 365) are known "
    "defects too; every other finding is what would fail if the year ended now."
)

#: Every stored column of a failing row, for the downloads.
DOWNLOAD_COLUMNS = [
    *ROW_COLUMNS[:3],
    column("source", "Source"),
    column("table_name", "Table"),
    *ROW_COLUMNS[3:],
    column("checked_at", "Checked at"),
]


def _years(la: str | None) -> list[str]:
    return quality.years(data.extract_status(la), data.dq_issues(la))


def _rules(la: str | None) -> list[str]:
    return quality.rules(data.dq_issues(la))


def _files(la: str | None) -> list[str]:
    return quality.files(data.dq_issues(la))


def resolve(query: Mapping[str, Any]) -> urlstate.DataQualityState:
    las = data.dq_las()
    asked = urlstate.first(query.get("la"))
    notes: list[str] = []
    if asked and asked.upper() != urlstate.ALL and asked not in las:
        notes.append(
            f"LA “{asked}” is not available to you (not in your scope, or not in the data): "
            "showing all your LAs instead."
        )
        audit(
            "denied",
            result="denied",
            what="dq_rows",
            la=asked,
            detail="the link asked for an LA outside the scope",
        )
        query = {**query, "la": None}
    return urlstate.resolve_data_quality(
        query, las=las, years=_years, rules=_rules, files=_files, messages=notes
    )


def issues(state: urlstate.DataQualityState) -> pd.DataFrame:
    """The failing rows ``state`` selects."""
    return data.dq_issues(
        state.value("la"),
        state.value("year"),
        state.value("severity"),
        state.value("rule"),
        state.value("file"),
    )


def choices(state: urlstate.DataQualityState) -> tuple[dict, dict, dict]:
    """Choices (value → label) of the year, rule and file filters for the state's LA."""
    la = state.value("la")
    return (
        {urlstate.ALL: "Every year", **{y: y for y in _years(la)}},
        {urlstate.ALL: "Every rule", **{r: r for r in _rules(la)}},
        {urlstate.ALL: "Every file", **{f: f for f in _files(la)}},
    )


def _status_line() -> list:
    info = data.status_info()
    if info["written_at"] is None:
        return [
            messages.notice(
                "No data-quality status yet: the ingest step writes status.duckdb beside the "
                "serving snapshot on every run (make materialize). Until then only the "
                "published snapshot's load history is shown.",
                "info",
            )
        ]
    run = f" by run {info['run_id']}" if isinstance(info["run_id"], str) else ""
    return [
        html.P(
            f"Checks as at {fmt.format_datetime(info['written_at'])}{run}. The published "
            "figures may be older: a blocked extract is never published.",
            className="text-body-secondary",
        )
    ]


def _status_section(state: urlstate.DataQualityState) -> html.Section:
    status = data.extract_status(state.value("la"))
    if state.year != urlstate.ALL:
        status = status[status["collection_year"] == state.year]
    rows = quality.status_rows(status)
    blocked = int((status["latest_status"] == "blocked").sum())
    return html.Section(
        [
            html.H2("Newest extract of each LA, source and year", className="h4"),
            html.P(
                f"{quality.plural(len(status), 'extract')}, {blocked} blocked. A blocked "
                "extract is not loaded: the dashboard keeps the extract in use, and the "
                "reason names the file, the line and the rule.",
            ),
            data_grid(
                ids.DQ_STATUS_TABLE, rows, STATUS_COLUMNS, label="Newest extracts", column_size=None
            ),
            *_reasons(rows),
        ]
    )


def _reasons(rows: pd.DataFrame) -> list:
    """The full reason of each blocked or flagged extract (the grid has the first clause),
    one disclosure each: a reason can list dozens of rules."""
    flagged = rows[(rows["latest_status"] != "published") & rows["latest_message"].notna()]
    if flagged.empty:
        return []
    return [
        html.H3("Why, in full", className="h5"),
        *[
            html.Details(
                [
                    html.Summary(
                        f"{r['la_code']} {r['source']} {r['collection_year']}, extract of "
                        f"{fmt.format_date(r['latest_extract_date'])}: {r['status']}"
                    ),
                    html.P(r["latest_message"], className="small mt-1 reason"),
                ],
                className="mb-2",
            )
            for r in flagged.to_dict("records")
        ],
    ]


def _landing_section(state: urlstate.DataQualityState) -> html.Section | None:
    """Entries of the landing folder that are not extracts: rejected ones block their LA's
    extracts (malformed folder names, links, files in the wrong place); the others are
    listed, never read."""
    if not data.status_exists():
        return None
    found = data.landing_problems(state.value("la"))
    if state.year != urlstate.ALL:
        found = found[found["collection_year"].isna() | (found["collection_year"] == state.year)]
    heading = html.H2("Landing folder: what was not loaded", className="h4")
    if found.empty:
        return html.Section([heading, html.P("The landing folder holds extracts only.")])
    rejected = int((found["severity"] == "error").sum())
    return html.Section(
        [
            heading,
            html.P(
                f"{quality.plural(rejected, 'entry', 'entries')} rejected (the extracts of "
                "their LA, source and year show as blocked until they are renamed, moved or "
                f"replaced), {quality.plural(len(found) - rejected, 'entry', 'entries')} "
                "listed, not read. Symbolic links are never followed."
            ),
            data_grid(
                ids.DQ_LANDING_TABLE,
                quality.landing_rows(found),
                LANDING_COLUMNS,
                label="Landing folder",
                column_size=None,
            ),
        ]
    )


def _volume_section(state: urlstate.DataQualityState) -> html.Section | None:
    """Tables that moved beyond their band against the previous accepted extract."""
    if not data.status_exists():
        return None
    found = data.volume_checks(state.value("la"))
    if state.year != urlstate.ALL:
        found = found[found["collection_year"] == state.year]
    heading = html.H2("Volume and distribution against the previous extract", className="h4")
    if found.empty:
        return html.Section(
            [heading, html.P("No table moved beyond its band in the latest checks.")]
        )
    return html.Section(
        [
            heading,
            html.P(
                "Rows, blank values and events per month of each new extract, against the "
                "extract of the same LA and year that was in use when it was checked. A table "
                "that had rows and has none blocks its extract until it is confirmed "
                "(CSC_CONFIRM_EMPTY); the rest are warnings. Bands: expectations/volume.py."
            ),
            data_grid(
                ids.DQ_VOLUME_TABLE,
                quality.volume_rows(found),
                VOLUME_COLUMNS,
                label="Volume and distribution",
                column_size=None,
            ),
        ]
    )


def _dfe_section(state: urlstate.DataQualityState) -> html.Section | None:
    """DfE submission readiness: the DfE's rules on each extract, the trend from extract
    to extract, the failing rules (known validator defects marked) and the rows flagged."""
    if not data.status_exists():
        return None
    year = None if state.year == urlstate.ALL else state.year
    runs = data.dfe903_runs(state.value("la"), year)
    heading = html.H2("DfE submission readiness", className="h4", id="dfe-readiness")
    if runs.empty:
        return html.Section(
            [
                heading,
                html.P(DFE_ABOUT),
                html.P(
                    "Not checked yet: the DfE's rules run after each refresh has published "
                    "(their environment is made by make validator)."
                ),
            ],
            className="dfe-readiness",
        )
    rules = quality.dfe_rule_rows(data.dfe903_rules(state.value("la"), year))
    in_use = runs.sort_values("extract_date").groupby(["la_code", "collection_year"]).tail(1)
    keys = set(
        zip(in_use["la_code"], in_use["collection_year"], in_use["extract_date"], strict=True)
    )
    current = rules[
        [
            (la, y, d) in keys
            for la, y, d in zip(
                rules["la_code"], rules["collection_year"], rules["extract_date"], strict=True
            )
        ]
    ]
    rows = quality.dfe_issue_rows(data.dfe903_issues(state.value("la"), year))
    versions = sorted({str(v) for v in runs["validator_version"].dropna()})
    shown = rows.head(ROW_LIMIT)
    return html.Section(
        [
            heading,
            html.P(DFE_ABOUT),
            html.P(DFE_MODE, className="small text-body-secondary"),
            html.P(
                [
                    quality.dfe_summary(runs),
                    f" Validator: csc-validator-be-903 {', '.join(versions)}." if versions else "",
                ]
            ),
            html.H3("Each extract checked", className="h5"),
            data_grid(
                ids.DQ_DFE_EXTRACTS_TABLE,
                quality.dfe_extract_rows(runs),
                DFE_EXTRACT_COLUMNS,
                label="DfE rules: each extract checked",
                column_size=None,
            ),
            html.H3("From extract to extract", className="h5"),
            chart(
                ids.DQ_DFE_TREND,
                quality.dfe_trend_figure(runs),
                quality.describe_dfe_trend(runs),
            ),
            html.H3("Failing rules of the newest extract of each year", className="h5"),
            data_grid(
                ids.DQ_DFE_RULES_TABLE,
                current,
                DFE_RULE_COLUMNS,
                label="DfE rules: failing rules",
                column_size=None,
            )
            if not current.empty
            else html.P("No DfE rule fails on the newest extract of each year."),
            html.H3("Rows flagged", className="h5"),
            html.P(
                f"The first {ROW_LIMIT:,} of {len(rows):,} rows are listed; download the grid "
                "for those shown."
                if len(rows) > ROW_LIMIT
                else f"{plural_rows(len(rows))} flagged in the newest extract of each year (known validator "
                "defects included, marked ◆)."
            ),
            data_grid(
                ids.DQ_DFE_ROWS_TABLE,
                shown,
                DFE_ROW_COLUMNS,
                label="DfE rules: rows flagged",
                column_size=None,
            ),
        ],
        className="dfe-readiness",
    )


def plural_rows(n: int) -> str:
    return quality.plural(n, "row")


def _freshness_section(state: urlstate.DataQualityState, today: dt.date) -> html.Section:
    las = data.dq_las() if state.la == urlstate.ALL else [state.la]
    rows = quality.freshness_rows(
        data.extract_status(state.value("la")), data.published_extracts(), las, today
    )
    return html.Section(
        [
            html.H2("Data freshness by LA", className="h4"),
            data_grid(ids.DQ_FRESHNESS_TABLE, rows, FRESHNESS_COLUMNS, label="Data freshness"),
        ]
    )


def _issues_section(state: urlstate.DataQualityState) -> html.Section:
    found = issues(state)
    heading = html.H2("Failing rows of the latest checks", className="h4")
    if found.empty:
        filtered = any(state.value(k) for k in ("la", "year", "severity", "rule", "file"))
        return html.Section(
            [heading, html.P("No failing rows" + (" for these filters." if filtered else "."))]
        )
    shown = found.head(ROW_LIMIT)
    capped = (
        f" The first {ROW_LIMIT:,} are listed; the downloads hold all {len(found):,}."
        if len(found) > ROW_LIMIT
        else ""
    )
    return html.Section(
        [
            heading,
            html.P(
                [
                    quality.summary(found),
                    " Errors block their extract; warnings are published, flagged.",
                    capped,
                ]
            ),
            html.Div(
                [
                    download_button("Download failing rows (CSV)", ids.DQ_DOWNLOAD_CSV),
                    download_button("Download failing rows (Excel)", ids.DQ_DOWNLOAD_EXCEL),
                ],
                className="d-flex gap-2 mb-3 downloads",
            ),
            html.H3("By rule", className="h5"),
            data_grid(ids.DQ_RULES_TABLE, quality.by_rule(found), RULE_COLUMNS, label="By rule"),
            html.H3("By file", className="h5"),
            data_grid(ids.DQ_FILES_TABLE, quality.by_file(found), FILE_COLUMNS, label="By file"),
            html.H3("By child", className="h5"),
            data_grid(
                ids.DQ_CHILDREN_TABLE, quality.by_child(found), CHILD_COLUMNS, label="By child"
            ),
            html.H3("Every failing row", className="h5"),
            # One line a row (values in a tooltip): thousands of wrapped rows are slow to draw.
            data_grid(
                ids.DQ_ROWS_TABLE, shown, ROW_COLUMNS, label="Failing rows", column_size=None
            ),
        ]
    )


def render(
    state: urlstate.DataQualityState, today: dt.date | None = None
) -> tuple[list, list, list, list, list]:
    """(messages, content, year options, rule options, file options) for ``state``."""
    today = today or dt.date.today()
    unpublished = [] if data.snapshot_exists() else [messages.notice(NOTHING_PUBLISHED, "info")]
    content = [
        *unpublished,
        *_status_line(),
        _status_section(state),
        *[s for s in (_landing_section(state), _volume_section(state)) if s is not None],
        _freshness_section(state, today),
        _issues_section(state),
        *[s for s in (_dfe_section(state),) if s is not None],
    ]
    years, rules, files = choices(state)
    return (
        messages.query_messages(state.messages),
        content,
        options(years),
        options(rules),
        options(files),
    )


def page(query: Mapping[str, Any]) -> list:
    """The whole page for a query string (the page's ``layout``)."""
    state = resolve(query)
    notes, content, *_ = render(state)
    years, rules, files = choices(state)
    las = data.dq_las()
    filters = dbc.Row(
        [
            labelled_select(
                ids.DQ_LA,
                "Local authority",
                {urlstate.ALL: "All LAs", **{la: la for la in las}},
                state.la,
                width=2,
            ),
            labelled_select(ids.DQ_YEAR, "Collection year", years, state.year, width=2),
            labelled_select(
                ids.DQ_SEVERITY, "Severity", urlstate.SEVERITIES, state.severity, width=2
            ),
            labelled_select(ids.DQ_RULE, "Rule", rules, state.rule, width=2),
            labelled_select(ids.DQ_FILE, "File", files, state.file, width=4),
        ],
        className="filters",
    )
    return [
        dcc.Location(id=ids.DQ_URL, refresh=False),
        dcc.Download(id=ids.DQ_DOWNLOAD),
        html.H1("Data quality"),
        html.P(
            "For data engineers: what happened to each LA's newest extracts, how fresh the "
            "published figures are, every failing row of the latest checks, by rule, file "
            "and child, and how ready each extract is for the DfE's return (the DfE's 903 "
            "rules). The LA and year filters apply to the whole page.",
            className="lead",
        ),
        dbc.Alert(
            "Child-level information, to fix extracts at source. Do not copy it into board papers.",
            color="warning",
        ),
        html.Div(notes, id=ids.DQ_MESSAGES, **{"aria-live": "polite"}),
        filters_section(filters),
        html.Div(content, id=ids.DQ_CONTENT),
    ]


def download(query: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """The failing rows the filters select, as ``dq-issues-<la>.csv`` or ``.xlsx``."""
    state = resolve(query)
    rows = issues(state)
    name = f"dq-issues-{state.la.lower() if state.la == urlstate.ALL else state.la}"
    audit(
        "download",
        what=f"{name}.{'xlsx' if kind == 'excel' else 'csv'}",
        la=state.value("la"),
        rows=len(rows),
    )
    if kind == "excel":
        content = export.xlsx_bytes(rows, DOWNLOAD_COLUMNS, sheet="Failing rows", title=name)
        return dcc.send_bytes(content, f"{name}.xlsx", type=export.XLSX_MIMETYPE)
    return dcc.send_string(export.csv_text(rows, DOWNLOAD_COLUMNS), f"{name}.csv")
