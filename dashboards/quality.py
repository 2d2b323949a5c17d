"""Data-quality tables for the data-quality page: issues by rule, file and child, extract
status and each LA's freshness. Pure functions of the frames ``data`` returns, no Dash."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from dashboards import formatting as fmt

#: The status of an extract as words with a shape (never colour alone).
STATUS_TEXT = {
    "published": "● Published",
    "warnings": "▲ Published with warnings",
    "blocked": "■ Blocked",
}
#: What happened to an entry of the landing folder that is not an extract.
LANDING_TEXT = {"error": "■ Rejected", "warning": "▲ Listed, not read"}
#: A volume finding, in words with a shape.
VOLUME_TEXT = {"error": "■ Blocks the extract", "warning": "▲ Warning"}
CROSS_EXTRACT_FILE = "(checked across extracts)"
NO_YEAR = "–"  # local extracts have no collection year
SHORT_REASON = 240  # characters of a reason shown in the extract-status grid


def rule_sort_key(code: str) -> tuple:
    """DfE rule numbers in number order first, then the named rules A–Z."""
    text = str(code)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def years(status: pd.DataFrame, issues: pd.DataFrame) -> list[str]:
    """Collection years in either frame, newest first."""
    found = set(status["collection_year"].dropna()) | set(issues["collection_year"].dropna())
    return sorted((str(y) for y in found), reverse=True)


def rules(issues: pd.DataFrame) -> list[str]:
    return sorted({str(r) for r in issues["rule_code"].dropna()}, key=rule_sort_key)


def files(issues: pd.DataFrame) -> list[str]:
    return sorted({str(f) for f in issues["source_file"].dropna()})


def _count(frame: pd.DataFrame, severity: str) -> pd.Series:
    return (frame["severity"] == severity).astype(int)


def by_rule(issues: pd.DataFrame) -> pd.DataFrame:
    """One row per rule: failing rows, children, files and LAs, and the rule's message."""
    cols = ["rule_code", "severity", "message", "rows", "children", "files", "las"]
    if issues.empty:
        return pd.DataFrame(columns=cols)
    out = (
        issues.groupby(["rule_code", "severity"], dropna=False)
        .agg(
            message=("message", "first"),
            rows=("rule_code", "size"),
            children=("child", "nunique"),
            files=("source_file", "nunique"),
            las=("la_code", "nunique"),
        )
        .reset_index()
    )
    out["_errors_first"] = out["severity"] != "error"
    out = out.sort_values(["_errors_first", "rows", "rule_code"], ascending=[True, False, True])
    return out[cols].reset_index(drop=True)


def by_file(issues: pd.DataFrame) -> pd.DataFrame:
    """One row per file: failing rows by severity, rules, children and the first line."""
    cols = [
        "la_code",
        "source_file",
        "table_name",
        "rows",
        "errors",
        "warnings",
        "rules",
        "children",
        "first_line",
    ]
    if issues.empty:
        return pd.DataFrame(columns=cols)
    frame = issues.assign(
        source_file=issues["source_file"].fillna(CROSS_EXTRACT_FILE),
        errors=_count(issues, "error"),
        warnings=_count(issues, "warning"),
    )
    out = (
        frame.groupby(["la_code", "source_file", "table_name"], dropna=False)
        .agg(
            rows=("rule_code", "size"),
            errors=("errors", "sum"),
            warnings=("warnings", "sum"),
            rules=("rule_code", lambda s: ", ".join(sorted(set(s), key=rule_sort_key))),
            children=("child", "nunique"),
            first_line=("source_row", "min"),
        )
        .reset_index()
    )
    out = out.sort_values(["errors", "rows", "source_file"], ascending=[False, False, True])
    return out[cols].reset_index(drop=True)


def by_child(issues: pd.DataFrame) -> pd.DataFrame:
    """One row per child with failing rows: how many, of which rules, in which files."""
    cols = ["la_code", "child", "rows", "errors", "warnings", "rules", "files"]
    frame = issues[issues["child"].notna()] if not issues.empty else issues
    if frame.empty:
        return pd.DataFrame(columns=cols)
    frame = frame.assign(errors=_count(frame, "error"), warnings=_count(frame, "warning"))
    out = (
        frame.groupby(["la_code", "child"])
        .agg(
            rows=("rule_code", "size"),
            errors=("errors", "sum"),
            warnings=("warnings", "sum"),
            rules=("rule_code", lambda s: ", ".join(sorted(set(s), key=rule_sort_key))),
            files=("source_file", "nunique"),
        )
        .reset_index()
    )
    out = out.sort_values(
        ["errors", "rows", "la_code", "child"], ascending=[False, False, True, True]
    )
    return out[cols].reset_index(drop=True)


def summary(issues: pd.DataFrame) -> str:
    """``"5 failing rows (3 errors, 2 warnings) in 2 files, for 4 children, of 3 rules."``"""
    if issues.empty:
        return "No failing rows."
    errors = int((issues["severity"] == "error").sum())
    warnings = int((issues["severity"] == "warning").sum())
    return (
        f"{plural(len(issues), 'failing row')} ({plural(errors, 'error')}, "
        f"{plural(warnings, 'warning')}) in {plural(issues['source_file'].nunique(), 'file')}, "
        f"for {plural(issues['child'].nunique(), 'child', 'children')}, "
        f"of {plural(issues['rule_code'].nunique(), 'rule')}."
    )


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def status_rows(status: pd.DataFrame) -> pd.DataFrame:
    """The extract-status table as shown: status in words, "Yes"/"No", no-year dash."""
    out = status.copy()
    out["collection_year"] = out["collection_year"].fillna(NO_YEAR)
    out["status"] = [STATUS_TEXT.get(s, s) for s in out["latest_status"]]
    out["serving_older"] = ["Yes" if v is True else "No" for v in out["is_serving_older_data"]]
    out["why"] = [short_reason(m) for m in out["latest_message"]]
    return out


def short_reason(message: Any, limit: int = SHORT_REASON) -> str | None:
    """The first clause of a rejection message (it names the file, the line and the rule),
    cut to ``limit`` characters; the whole message can list dozens of rules."""
    if fmt.is_missing(message) or not str(message).strip():
        return None
    first = str(message).split("; ", 1)[0]
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _date(value: Any) -> dt.date | None:
    return None if fmt.is_missing(value) else pd.Timestamp(value).date()


def freshness_rows(
    status: pd.DataFrame, published: pd.DataFrame, las: list[str], today: dt.date
) -> pd.DataFrame:
    """Each LA's freshness: the date its published figures are as at and how old that is
    today, the newest extract loaded and received, and blocked extracts."""
    rows = []
    for la in las:
        mine = status[status["la_code"] == la]
        shown = published[published["la_code"] == la]
        as_at = _date(shown["extract_date"].max()) if not shown.empty else None
        loaded = _date(mine["served_extract_date"].max()) if not mine.empty else None
        received = _date(mine["latest_extract_date"].max()) if not mine.empty else None
        blocked = int((mine["latest_status"] == "blocked").sum())
        if blocked:
            state = f"■ {plural(blocked, 'newer extract')} blocked"
        elif as_at is None:
            state = "■ Not published"
        elif loaded is not None and loaded > as_at:
            state = "▲ Loaded, not yet published"
        else:
            state = "● Up to date"
        rows.append(
            {
                "la_code": la,
                "published_as_at": _timestamp(as_at),
                "days_old": None if as_at is None else (today - as_at).days,
                "newest_loaded": _timestamp(loaded),
                "newest_received": _timestamp(received),
                "blocked": blocked,
                "state": state,
            }
        )
    cols = [
        "la_code",
        "published_as_at",
        "days_old",
        "newest_loaded",
        "newest_received",
        "blocked",
        "state",
    ]
    out = pd.DataFrame(rows, columns=cols)
    out["days_old"] = out["days_old"].astype("Int64")
    return out


def _timestamp(value: dt.date | None) -> pd.Timestamp:
    return pd.NaT if value is None else pd.Timestamp(value)


def landing_rows(problems: pd.DataFrame) -> pd.DataFrame:
    """The landing folder's entries that are not extracts, as shown: what happened in words."""
    out = problems.copy()
    out["what"] = [LANDING_TEXT.get(s, s) for s in out["severity"]]
    out["la_code"] = out["la_code"].fillna(NO_YEAR)
    return out


def volume_rows(findings: pd.DataFrame) -> pd.DataFrame:
    """Volume findings as shown: before and now as rows, events or a blank share."""
    out = findings.copy()
    share = out["rule_code"] == "VOLUME-BLANKS"
    out["before"] = [_amount(v, s) for v, s in zip(out["previous_value"], share, strict=True)]
    out["now"] = [_amount(v, s) for v, s in zip(out["current_value"], share, strict=True)]
    out["what"] = [VOLUME_TEXT.get(s, s) for s in out["severity"]]
    out["in_use"] = ["Yes" if v is True else "No" for v in out["is_served"]]
    out["collection_year"] = out["collection_year"].fillna(NO_YEAR)
    return out


def _amount(value: Any, is_share: bool) -> str | None:
    if fmt.is_missing(value):
        return None
    return f"{float(value):.0%}" if is_share else f"{int(value):,}"


def volume_alerts(findings: pd.DataFrame) -> list[str]:
    """One line per volume finding, for the freshness banner: its first clause (the file and
    the numbers) and its rule."""
    lines = []
    for r in findings.to_dict("records"):
        first = short_reason(r["message"]) or ""
        lines.append(first if "[rule " in first else f"{first} [rule {r['rule_code']}]")
    return lines


# ----------------------------------------------------------------------------- DfE rules
# Submission readiness: what the DfE's 903 rules (csc-validator-be-903) say about each
# extract. Words and shapes, never colour alone.

DFE_RULE_TEXT = {
    "failed": "▲ Fails",
    "known": "◆ Known validator defect",
    "not_run": "○ Not run (the rule crashed)",
}
DFE_ISSUE_TEXT = {"dfe": "▲ DfE rule", "known": "◆ Known validator defect", "not_run": "○ Not run"}
#: A line per LA and collection year on the trend chart; dash patterns tell them apart.
DFE_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def dfe_extract_rows(runs: pd.DataFrame) -> pd.DataFrame:
    """The extracts checked against the DfE's rules, as shown: kind, previous year, and the
    readiness in words (failing rules, or ready, or why not checked)."""
    out = runs.copy()
    out["kind"] = [
        f"In-year (as at {fmt.format_date(d)})" if bool(y) else "Final return"
        for d, y in zip(out["extract_date"], out["in_year"], strict=True)
    ]
    out["previous"] = [
        "not supplied" if fmt.is_missing(p) else fmt.format_date(p)
        for p in out["previous_extract_date"]
    ]
    out["readiness"] = [_readiness(r) for r in out.to_dict("records")]
    return out


def _readiness(run: dict[str, Any]) -> str:
    if run["status"] != "ok":
        return f"■ Not checked: {short_reason(run['message']) or run['status']}"
    failed = int(run["rules_failed"] or 0)
    if failed:
        return f"▲ {plural(failed, 'rule')} fail for {plural(int(run['children'] or 0), 'child', 'children')}"
    return "● No DfE rule fails"


def dfe_rule_rows(rules: pd.DataFrame) -> pd.DataFrame:
    """Rules of the latest check of each extract, as shown: status in words."""
    out = rules.copy()
    out["what"] = [DFE_RULE_TEXT.get(s, s) for s in out["status"]]
    return out


def dfe_issue_rows(issues: pd.DataFrame) -> pd.DataFrame:
    out = issues.copy()
    out["what"] = [DFE_ISSUE_TEXT.get(s, s) for s in out["severity"]]
    return out


def dfe_summary(runs: pd.DataFrame) -> str:
    """``"5 extracts checked. Of the newest extract of each LA and year: 2 with failing DfE
    rules (14 children affected), 3 with none."``"""
    if runs.empty:
        return "No extract checked against the DfE's rules yet."
    newest = runs.sort_values("extract_date").groupby(["la_code", "collection_year"]).tail(1)
    ok = newest[newest["status"] == "ok"]
    failing = ok[ok["rules_failed"].fillna(0) > 0]
    parts = [f"{len(failing)} with failing DfE rules"]
    if len(failing):
        children = int(failing["children"].fillna(0).sum())
        parts[0] += f" ({plural(children, 'child', 'children')} affected)"
    parts.append(f"{len(ok) - len(failing)} with none")
    if len(newest) > len(ok):
        parts.append(f"{len(newest) - len(ok)} not checked")
    return (
        f"{plural(len(runs), 'extract')} checked. Of the newest extract of each LA and year: "
        + ", ".join(parts)
        + "."
    )


def dfe_trend_figure(runs: pd.DataFrame):
    """Children with a finding of a failing DfE rule, extract to extract: a line per LA and
    collection year (markers: final returns are squares, in-year extracts circles)."""
    from dashboards import figures

    ok = runs[runs["status"] == "ok"].sort_values("extract_date")
    if ok.empty:
        return figures.empty_figure("No extract checked against the DfE's rules yet")
    data = []
    groups = list(ok.groupby(["la_code", "collection_year"], sort=True))
    for i, ((la, year), rows) in enumerate(groups):
        label = f"{year}" if ok["la_code"].nunique() == 1 else f"{la} {year}"
        data.append(
            {
                "type": "scatter",
                "x": [pd.Timestamp(d) for d in rows["extract_date"]],
                "y": rows["children"].fillna(0).astype(int).tolist(),
                "name": label,
                "mode": "lines+markers",
                "line": {
                    "color": figures.BLUE if i % 2 == 0 else figures.DARK,
                    "width": 2,
                    "dash": DFE_DASHES[i % len(DFE_DASHES)],
                },
                "marker": {
                    "size": 9,
                    "symbol": ["circle" if bool(y) else "square" for y in rows["in_year"]],
                },
                "hovertext": [
                    f"{label}, extract of {fmt.format_date(d)}: {int(c or 0)} children, "
                    f"{int(r or 0)} failing rules"
                    for d, c, r in zip(
                        rows["extract_date"], rows["children"], rows["rules_failed"], strict=True
                    )
                ],
                "hoverinfo": "text",
            }
        )
    layout = figures.base_layout(
        height=340,
        y_title="Children with a failing DfE rule",
        xaxis={"tickformat": "%d %b %Y", "title": {"text": "Extract date"}},
        yaxis={"rangemode": "tozero"},
    )
    return figures.figure(data, layout)


def describe_dfe_trend(runs: pd.DataFrame) -> str:
    """The trend chart in words, for assistive technology."""
    ok = runs[runs["status"] == "ok"].sort_values("extract_date")
    if ok.empty:
        return "No extract checked against the DfE's rules yet."
    parts = [
        f"{r['la_code']} {r['collection_year']} extract of {fmt.format_date(r['extract_date'])}: "
        f"{int(r['children'] or 0)} children, {int(r['rules_failed'] or 0)} failing rules"
        for r in ok.to_dict("records")
    ]
    return "Children with a failing DfE rule, by extract. " + "; ".join(parts) + "."
