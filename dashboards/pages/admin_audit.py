"""/admin/audit — the audit log, filtered (administrators). Query string: ``user``,
``event``, ``result``, ``la``, ``child``, ``since`` and ``until`` (YYYY-MM-DD)."""

from __future__ import annotations

import dash
from dash import Output

from dashboards import ids
from dashboards.auth import Access
from dashboards.components.urlsync import register_url_sync
from dashboards.views import admin as view

dash.register_page(
    __name__,
    path="/admin/audit",
    name="Audit log",
    title="Audit log",
    description="Who saw which child's data, every download and every refused request.",
    order=8,
    nav=True,
    access=Access.ADMIN,
)


def layout(**query):
    return view.audit_page(query)


def register_callbacks(app: dash.Dash) -> None:
    register_url_sync(
        app,
        location=ids.ADMIN_AUDIT_URL,
        stores=[],
        controls={
            "user": ids.ADMIN_AUDIT_USER,
            "event": ids.ADMIN_AUDIT_EVENT,
            "result": ids.ADMIN_AUDIT_RESULT,
            "la": ids.ADMIN_AUDIT_LA,
            "child": ids.ADMIN_AUDIT_CHILD,
            "since": ids.ADMIN_AUDIT_SINCE,
            "until": ids.ADMIN_AUDIT_UNTIL,
        },
        outputs=[
            Output(ids.ADMIN_AUDIT_MESSAGES, "children"),
            Output(ids.ADMIN_AUDIT_CONTENT, "children"),
        ],
        resolve=view.resolve,
        render=view.render,
    )
