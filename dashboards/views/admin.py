"""The administrators' pages: the audit log, filtered, and the accounts.

They read the audit log and the account store (``dashboards.auth``), not the snapshot;
both check the administrator role themselves as well as through the page's access. The
audit log names children by their id (which child's data someone opened), never their
data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import ids, urlstate
from dashboards.auth import Access, Role, require_access
from dashboards.auth.auditlog import COLUMNS, log
from dashboards.auth.roles import ROLE_TEXT
from dashboards.auth.web import gatekeeper
from dashboards.components import messages
from dashboards.components.controls import filters_section, labelled_select
from dashboards.components.grid import column, data_grid

ROW_LIMIT = 2_000
RESULTS = {urlstate.ALL: "Any result", "allowed": "allowed", "denied": "denied", "failed": "failed"}
AUDIT_COLUMNS = [
    column("at", "When (UTC)", width=200),
    column("user", "User", width=170),
    column("roles", "Roles", width=200),
    column("event", "Event", width=110),
    column("what", "What", width=200),
    column("la", "LA", width=70),
    column("district", "District", width=140),
    column("child", "Child", width=100),
    column("result", "Result", width=90),
    column("rows", "Rows", numeric=True, width=80),
    column("detail", "Detail", width=320, tooltipField="detail"),
    column("client", "Client", width=120),
    column("pid", "Process", numeric=True, width=90),
]
USER_COLUMNS = [
    column("username", "Account", width=150),
    column("display_name", "Name", width=160),
    column("roles", "Roles", width=170),
    column("las", "LAs", width=110),
    column("districts", "Districts", width=200),
    column("state", "State", width=200),
    column("last_sign_in_at", "Last sign-in (UTC)", width=190),
    column("created_at", "Created (UTC)", width=190),
]


@dataclass
class AuditState:
    user: str | None = None
    event: str = urlstate.ALL
    result: str = urlstate.ALL
    la: str = urlstate.ALL
    child: str | None = None
    since: str | None = None  # YYYY-MM-DD
    until: str | None = None
    messages: list[str] = field(default_factory=list)

    def query(self) -> dict[str, str | None]:
        return {
            "user": self.user,
            "event": None if self.event == urlstate.ALL else self.event,
            "result": None if self.result == urlstate.ALL else self.result,
            "la": None if self.la == urlstate.ALL else self.la,
            "child": self.child,
            "since": self.since,
            "until": self.until,
        }


def _date(label: str, raw: Any, notes: list[str]) -> str | None:
    value = urlstate.first(raw)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        notes.append(f"The {label} date “{value}” is not a date (YYYY-MM-DD): ignored.")
        return None


def resolve(query: Mapping[str, Any]) -> AuditState:
    require_access(Access.ADMIN, what="audit_log")
    audit_log = log()
    notes: list[str] = []
    events = audit_log.values("event") if audit_log else []
    las = audit_log.values("la") if audit_log else []
    state = AuditState(messages=notes)
    state.user = (urlstate.first(query.get("user")) or "")[:128] or None
    state.child = (urlstate.first(query.get("child")) or "")[:64] or None
    state.event = (
        urlstate.pick("event", query.get("event"), [urlstate.ALL, *events], urlstate.ALL, notes)
        or urlstate.ALL
    )
    state.result = (
        urlstate.pick("result", query.get("result"), list(RESULTS), urlstate.ALL, notes)
        or urlstate.ALL
    )
    state.la = (
        urlstate.pick("local authority", query.get("la"), [urlstate.ALL, *las], urlstate.ALL, notes)
        or urlstate.ALL
    )
    state.since = _date("from", query.get("since"), notes)
    state.until = _date("to", query.get("until"), notes)
    return state


def rows(state: AuditState) -> pd.DataFrame:
    audit_log = log()
    if audit_log is None:
        return pd.DataFrame(columns=COLUMNS)
    found = audit_log.search(
        user=state.user,
        event=None if state.event == urlstate.ALL else state.event,
        result=None if state.result == urlstate.ALL else state.result,
        la=None if state.la == urlstate.ALL else state.la,
        child=state.child,
        since=dt.date.fromisoformat(state.since) if state.since else None,
        until=dt.date.fromisoformat(state.until) if state.until else None,
        limit=ROW_LIMIT,
    )
    return pd.DataFrame(found, columns=COLUMNS)


def render(state: AuditState) -> tuple[list, list]:
    found = rows(state)
    retention = gatekeeper().settings.audit_retention_days
    summary = (
        f"{len(found):,} rows, newest first"
        + (
            f" (the first {ROW_LIMIT:,}: narrow the filters for older ones)"
            if len(found) >= ROW_LIMIT
            else ""
        )
        + f". Rows are kept {retention:,} days (CSC_AUDIT_RETENTION_DAYS)."
    )
    return messages.query_messages(state.messages), [
        html.P(summary),
        data_grid(ids.ADMIN_AUDIT_TABLE, found, AUDIT_COLUMNS, label="Audit log", column_size=None),
    ]


def _text_filter(id: str, label: str, value: str | None, width: int) -> dbc.Col:
    return dbc.Col(
        html.Div(
            [
                dbc.Label(label, html_for=id, className="fw-semibold"),
                dcc.Input(
                    id=id, type="text", value=value or "", debounce=True, className="form-control"
                ),
            ]
        ),
        md=width,
        xs=12,
        className="mb-3",
    )


def _date_filter(id: str, label: str, value: str | None) -> dbc.Col:
    return dbc.Col(
        html.Div(
            [
                dbc.Label(label, html_for=id, className="fw-semibold"),
                dcc.Input(
                    id=id, type="date", value=value or "", debounce=True, className="form-control"
                ),
            ]
        ),
        md=2,
        xs=12,
        className="mb-3",
    )


def audit_page(query: Mapping[str, Any]) -> list:
    state = resolve(query)
    notes, content = render(state)
    audit_log = log()
    events = audit_log.values("event") if audit_log else []
    las = audit_log.values("la") if audit_log else []
    filters = dbc.Row(
        [
            _text_filter(ids.ADMIN_AUDIT_USER, "User (part of)", state.user, 2),
            labelled_select(
                ids.ADMIN_AUDIT_EVENT,
                "Event",
                {urlstate.ALL: "Any event", **{e: e for e in events}},
                state.event,
                width=2,
            ),
            labelled_select(ids.ADMIN_AUDIT_RESULT, "Result", RESULTS, state.result, width=2),
            labelled_select(
                ids.ADMIN_AUDIT_LA,
                "LA",
                {urlstate.ALL: "Any LA", **{la: la for la in las}},
                state.la,
                width=1,
            ),
            _text_filter(ids.ADMIN_AUDIT_CHILD, "Child id (part of)", state.child, 1),
            _date_filter(ids.ADMIN_AUDIT_SINCE, "From", state.since),
            _date_filter(ids.ADMIN_AUDIT_UNTIL, "To", state.until),
        ],
        className="filters",
    )
    return [
        dcc.Location(id=ids.ADMIN_AUDIT_URL, refresh=False),
        html.H1("Audit log"),
        html.P(
            "Every sign-in and sign-out, every view of child-level data (a child's timeline, "
            "action lists, member lists, data-quality rows), every download and every refused "
            "request: when, who, with which roles, what, for which LA, district or child, "
            "the result and from where.",
            className="lead",
        ),
        html.Div(notes, id=ids.ADMIN_AUDIT_MESSAGES, **{"aria-live": "polite"}),
        filters_section(filters),
        html.Div(content, id=ids.ADMIN_AUDIT_CONTENT),
    ]


def _state(account, failures: int, limit: int) -> str:
    if account.disabled:
        return "disabled"
    if failures >= limit:
        return f"locked ({failures} failed sign-ins)"
    return f"active ({failures} failed sign-ins lately)" if failures else "active"


def users_page() -> list:
    require_access(Access.ADMIN, what="accounts")
    keeper = gatekeeper()
    store, settings = keeper.store, keeper.settings
    accounts = [
        {
            "username": a.username,
            "display_name": a.display_name,
            "roles": ", ".join(r.value for r in a.roles),
            "las": "every LA" if a.las is None else ", ".join(a.las),
            "districts": ", ".join(a.districts),
            "state": _state(a, store.failures(username=a.username), settings.login_max_failures),
            "last_sign_in_at": a.last_sign_in_at,
            "created_at": a.created_at,
        }
        for a in store.accounts()
    ]
    sso: list = [html.H2("Single sign-on", className="h4 mt-4")]
    if keeper.role_map is None or settings.oidc is None:
        sso.append(html.P("Not configured: people sign in with local accounts only."))
    else:
        sso += [
            html.P(
                f"Provider {settings.oidc.issuer}; roles from the ID token's "
                f"“{keeper.role_map.claim}” claim:"
            ),
            html.Ul(
                [
                    html.Li(
                        f"{rule.value} → {rule.role.value}, "
                        + ("every LA" if rule.las is None else "LA " + ", ".join(rule.las))
                        + (f": {', '.join(rule.districts)}" if rule.districts else "")
                    )
                    for rule in keeper.role_map.rules
                ]
            ),
        ]
    return [
        html.H1("Accounts"),
        html.P(
            "Local accounts, their roles and scope. Accounts are managed on the server with "
            "csc-users (add, set, reset, disable, enable, unlock): every change ends the "
            "account's sessions and is written to the audit log.",
            className="lead",
        ),
        data_grid(
            ids.ADMIN_USERS_TABLE, accounts, USER_COLUMNS, label="Accounts", column_size=None
        ),
        *sso,
        html.H2("Roles", className="h4 mt-4"),
        html.Dl(
            [
                part
                for role in Role
                for part in (
                    html.Dt(role.value, className="col-sm-2"),
                    html.Dd(ROLE_TEXT[role], className="col-sm-10"),
                )
            ],
            className="row",
        ),
        html.P(
            f"Sessions end after {settings.session_idle_minutes} idle minutes or "
            f"{settings.session_max_hours} hours; an account is locked for "
            f"{settings.login_window_minutes} minutes after {settings.login_max_failures} "
            "failed sign-ins.",
            className="small text-body-secondary",
        ),
        *(
            [
                messages.notice(
                    "Demo mode: the demo-* accounts are remade at every make demo.", "warning"
                )
            ]
            if settings.demo
            else []
        ),
    ]
