"""Who is reading or writing the board's working memory, whether they may, and the audit
of every write: the one place where the board's memory meets sign-in (``dashboards.auth``).
Nothing else in ``dashboards.board`` (or the pages) reads the request or decides who may
read or write.

- **Who:** the signed-in user of the request (or the principal of an ``acting_as`` block:
  the warm-up, the board pack), ``dashboards.auth.context.current_principal``. Nobody
  signed in: nothing is read and every write is refused.
- **Read** (``memory(la)``): whoever may read ``la``'s aggregates (the board, managers,
  analysts and engineers of that LA; not an administrator without another role). The
  memory is aggregate text about KPIs; every read is bound to one LA, checked here, so a
  forged ``la`` in a callback's state reads nothing of another LA (and is audited as
  denied, like every refused read of ``dashboards.data``).
- **Write** (``writer_role(who, la)``): analysts and managers whose grant covers ``la``
  (docs/security.md, "The board's working memory"). The board, engineers and admins read
  only; a manager's districts do not limit it (commentary is about the whole LA's KPIs).
- **Audit** (``audit``): every write and refused write, twice: in the install's audit log
  (``dashboards.auth.auditlog``: who, role, LA, what, result, client) and in the store's
  own ``write_audit`` table, which travels with the store's backups.
"""

from __future__ import annotations

import flask

from dashboards import data
from dashboards.auth.auditlog import audit as audit_log
from dashboards.auth.context import current_principal
from dashboards.auth.roles import Access, Principal, Role
from dashboards.board.store import Action, BoardStore, Commentary, Meeting, board_store

#: The roles that write commentary, board actions and meetings (for the LAs they cover).
WRITER_ROLES = (Role.ANALYST, Role.MANAGER)


def current_user() -> Principal | None:
    """The signed-in user (or the acting principal), or None."""
    return current_principal()


def writer_role(who: Principal | None, la: str | None) -> Role | None:
    """The role in which ``who`` writes for ``la`` (analyst before manager), or None."""
    if who is None or la is None:
        return None
    for role in WRITER_ROLES:
        if any(g.role == role and g.covers(str(la)) for g in who.grants):
            return role
    return None


def may_write(who: Principal | None, la: str | None = None) -> bool:
    """Whether ``who`` may write the board's commentary, actions and meetings for ``la``."""
    return writer_role(who, la) is not None


def role_text(who: Principal | None, la: str | None = None) -> str:
    """What a refusal or the store calls the user's role ("board", "analyst"...)."""
    if who is None:
        return ""
    role = writer_role(who, la)
    if role is not None:
        return role.value
    return ", ".join(sorted(r.value for r in who.roles)) or "no role"


def audit(who: Principal | None, what: str, target: str, result: str, la: str | None) -> None:
    """Record a write, or a refused one, in the audit log and in the store."""
    client = flask.request.remote_addr if flask.has_request_context() else None
    denied = result == "denied"
    audit_log(
        "board_write",
        result="denied" if denied else "allowed",
        what=f"board.{what}",
        la=la,
        detail=f"{target}: {result}"[:300],
    )
    board_store().audit(
        user=None if who is None else who.name,
        role=role_text(who, la) or None,
        what=what,
        target=target,
        result=result,
        client=client,
    )


class Memory:
    """The board's memory of one LA, read only: what the pages and the board pack read.
    Made by ``memory(la)`` once the reader's access to ``la`` was checked; every method
    reads that LA alone."""

    def __init__(self, la: str, store: BoardStore):
        self.la = la
        self._store = store

    def current_commentary(self, kpi_id: str, upto: str | None = None) -> Commentary | None:
        return self._store.current_commentary(self.la, kpi_id, upto=upto)

    def commentary_history(self, kpi_id: str) -> list[Commentary]:
        return self._store.commentary_history(self.la, kpi_id)

    def latest_commentary(self) -> dict[str, Commentary]:
        return self._store.latest_commentary(self.la)

    def actions(self, kpi_id: str | None = None) -> list[Action]:
        return self._store.actions(self.la, kpi_id=kpi_id)

    def action(self, action_id: int) -> Action | None:
        found = self._store.action(action_id)
        return found if found is not None and found.la_code == self.la else None

    def all_action_versions(self) -> list[Action]:
        return self._store.all_action_versions(self.la)

    def meetings(self) -> list[Meeting]:
        return self._store.meetings(self.la)


def memory(la: str) -> Memory:
    """The board's memory of ``la`` for the current principal: ``NotAllowed`` (audited) when
    nobody is signed in or the principal may not read ``la``'s aggregates."""
    who = data.principal()
    if not who.can(Access.AGGREGATES, str(la)):
        raise data.deny(
            f"The board's commentary and actions of LA {la} are not in your scope.",
            what="board_memory",
            la=str(la),
        )
    return Memory(str(la), board_store())
