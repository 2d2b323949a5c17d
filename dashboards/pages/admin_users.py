"""/admin/users — the local accounts, their roles, scope and state (administrators)."""

from __future__ import annotations

import dash

from dashboards.auth import Access
from dashboards.views import admin as view

dash.register_page(
    __name__,
    path="/admin/users",
    name="Accounts",
    title="Accounts",
    description="Local accounts, their roles and scope; single sign-on's role mapping.",
    order=9,
    nav=True,
    access=Access.ADMIN,
)


def layout(**_query):
    return view.users_page()
