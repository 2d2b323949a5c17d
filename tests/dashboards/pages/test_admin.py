"""The administrators' pages: the audit log filtered from the link, and the accounts
(never a password hash)."""

from __future__ import annotations

from auth_helpers import ACCOUNTS, sign_in
from dash_helpers import DashCallbacks, find_by_id, text_of

from dashboards import ids


def grid_rows(page, name):
    return find_by_id(page, ids.grid(name))["props"]["rowData"]


def test_the_audit_log_is_filtered_by_the_link(app):
    manager = DashCallbacks(sign_in(app, "manager"))
    manager.route("/child/C002", "?la=850")  # refused: another district's child
    admin = DashCallbacks(sign_in(app, "admin"))
    page = admin.route("/admin/audit", "?result=denied&user=manager&child=c002")
    rows = grid_rows(page, ids.ADMIN_AUDIT_TABLE)
    assert rows[0]["child"] == "C002" and rows[0]["what"] == "child_timeline"
    assert rows[0]["roles"] == "manager (850: Winchester)" and rows[0]["client"] == "127.0.0.1"
    assert all(r["result"] == "denied" and r["user"] == "local:manager:0" for r in rows)
    assert all("c002" in r["child"].lower() for r in rows)  # part of the id, any case
    bad = text_of(admin.route("/admin/audit", "?since=yesterday&result=maybe"))
    assert "The from date “yesterday” is not a date" in bad and "Unknown result “maybe”" in bad


def test_the_accounts_page_lists_roles_and_scope_but_no_secret(app):
    admin = DashCallbacks(sign_in(app, "admin"))
    page = admin.route("/admin/users")
    rows = {r["username"]: r for r in grid_rows(page, ids.ADMIN_USERS_TABLE)}
    assert set(ACCOUNTS) <= set(rows)
    assert (rows["manager"]["roles"], rows["manager"]["las"], rows["manager"]["districts"]) == (
        "manager",
        "850",
        "Winchester",
    )
    assert rows["analyst"]["las"] == "every LA"
    assert "argon2" not in str(page) and "csc-users" in text_of(page)
