"""/child/<child_id> — one child's timeline (personal data; managers only, reached from
the action lists, never from board pages). Query string: ``la``."""

from __future__ import annotations

import dash
from dash import html

from dashboards import data
from dashboards.auth import Access
from dashboards.components import messages
from dashboards.views import child as view

dash.register_page(
    __name__,
    path_template="/child/<child_id>",
    name="Child timeline",
    title="Child timeline",
    description="One child's care, placements, missing episodes, PEPs and allocations.",
    nav=False,
    access=Access.CHILD_LEVEL,
)


def layout(child_id: str | None = None, **query):
    try:
        return view.page(child_id, query)
    except data.NoSnapshot:
        return [html.H1("Child timeline"), messages.no_snapshot()]
