"""The board's test accounts and signed-in clients (a module of its own, not conftest: test
modules import these by name). Every account signs in through the real sign-in form
(``auth_helpers``); nothing in the app is switched off for the board's tests."""

from __future__ import annotations

from auth_helpers import add_accounts, signed_in
from dash_helpers import DashCallbacks

from dashboards.auth import roles

#: name -> (roles, LAs, districts): writers, readers and people of another LA (forgeries).
BOARD_ACCOUNTS: dict[str, tuple[list[str], list[str] | None, list[str] | None]] = {
    "ann": (["analyst"], ["850"], None),
    "max": (["manager"], ["850"], ["Winchester"]),
    "bea": (["board"], ["850"], None),
    "eve": (["engineer"], ["850"], None),
    "adam": (["admin"], None, None),
    "mo-851": (["manager"], ["851"], ["North"]),  # writes for 851 only
    "bob-851": (["board"], ["851"], None),  # reads 851 only
}


def as_user(app, name: str | None = None, role: str | None = None) -> DashCallbacks:
    """Callbacks of a client signed in as the board account ``name`` (``role``, when given,
    must be its role: it says in the test what the account is); nobody with no name."""
    if name is None:
        return DashCallbacks(app.server.test_client())
    roles, _las, _districts = BOARD_ACCOUNTS[name]
    assert role is None or roles == [role], (name, roles, role)
    add_accounts(app, {name: BOARD_ACCOUNTS[name]})
    return DashCallbacks(signed_in(app, name))


def principal_of(name: str) -> roles.Principal:
    """The principal of a board account, for reads made outside a request."""
    role_names, las, districts = BOARD_ACCOUNTS[name]
    return roles.user(name, role_names, las, districts)
