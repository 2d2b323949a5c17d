"""Sign-in, roles, scope and audit: what pages, callbacks and downloads use.

    from dashboards import auth

    who = auth.current_user()                     # the signed-in Principal (or None)
    auth.require_role(auth.Role.ANALYST, auth.Role.MANAGER)   # else NotAllowed (403), audited
    auth.audit("commentary_saved", what="kpi:rhi_offered_pct", la="850")

Reads of data go through ``dashboards.data``, which applies the principal's scope itself;
these are for what is not a read of the snapshot (writing commentary, admin actions).
A page declares who may open it with ``dash.register_page(..., access=auth.Access.X)``;
its callbacks inherit it. See docs/security.md.
"""

from __future__ import annotations

from dashboards.auth.auditlog import audit
from dashboards.auth.context import acting_as, current_principal
from dashboards.auth.errors import NotAllowed, NotSignedIn
from dashboards.auth.roles import Access, Grant, Principal, Role, service, user

__all__ = [
    "Access",
    "Grant",
    "NotAllowed",
    "NotSignedIn",
    "Principal",
    "Role",
    "acting_as",
    "audit",
    "current_user",
    "require_access",
    "require_role",
    "service",
    "user",
]


def current_user() -> Principal | None:
    """The signed-in user of this request (or whoever an ``acting_as`` block names)."""
    return current_principal()


def require_role(*roles: Role | str, what: str = "action") -> Principal:
    """The current user, if they hold one of ``roles``; else ``NotAllowed`` (audited)."""
    who = current_principal()
    if who is None:
        raise NotSignedIn("Sign in first.", what=what)
    if not who.has_role(*roles):
        names = ", ".join(Role(r).value for r in roles)
        message = f"This needs one of the roles: {names}."
        audit("denied", result="denied", what=what, detail=message)
        raise NotAllowed(message, what=what)
    return who


def require_access(access: Access, la: str | None = None, *, what: str = "action") -> Principal:
    """The current user, if a grant gives them ``access`` (for ``la``); else ``NotAllowed``."""
    who = current_principal()
    if who is None:
        raise NotSignedIn("Sign in first.", what=what)
    if not who.can(access, la):
        message = f"Your role does not give {access.value.replace('_', ' ')}."
        audit("denied", result="denied", what=what, la=la, detail=message)
        raise NotAllowed(message, what=what, la=la)
    return who
