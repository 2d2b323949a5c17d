"""The board's write paths, as the pages call them: who is writing (``access``), what
they wrote checked against the published snapshot and the store's rules, the write, and
its audit. Every refusal raises ``Refused`` with the message to show and is audited too;
nothing is stored for it.

Reads go through ``memory(la)`` (``access.memory``): the reader's access to ``la`` is
checked first, and every read is bound to that LA.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboards import data
from dashboards import formatting as fmt
from dashboards.auth.roles import Principal
from dashboards.board import access
from dashboards.board.store import Action, BoardStoreError, Commentary, Meeting, board_store

memory = access.memory


class Refused(RuntimeError):
    """A write that was not made; ``str()`` says why, for the person writing."""


def today() -> dt.date:
    """Today's date (overdue actions; a function so that tests can fix it)."""
    return dt.date.today()


def writer(what: str, target: str, la: str | None) -> Principal:
    """The signed-in user if they may write for ``la``, else ``Refused`` (audited as
    denied)."""
    user = access.current_user()
    if access.may_write(user, la):
        assert user is not None
        return user
    access.audit(user, what, target, "denied", la)
    if user is None:
        raise Refused("Sign in as an analyst or a manager to write for the board.")
    if any(user.has_role(r) for r in access.WRITER_ROLES):
        raise Refused(f"LA {la} is not in your scope: you write for the board of your LAs only.")
    raise Refused(
        f"You are signed in as {access.role_text(user)}: only analysts and managers write "
        "for the board; the board reads."
    )


def latest_commentary(la: str) -> dict[str, Commentary]:
    """The newest commentary of each KPI of ``la`` (read access checked)."""
    return memory(la).latest_commentary()


def actions(la: str, kpi_id: str | None = None) -> list[Action]:
    """The board's actions of ``la`` (of one KPI), newest version each (read access checked)."""
    return memory(la).actions(kpi_id)


def _known(la: str, kpi_id: str, partner_id: str | None = None) -> None:
    if la not in data.las():
        raise Refused(f"There is no LA {la} in the published data.")
    if kpi_id not in set(data.catalogue()["kpi_id"]):
        raise Refused(f"There is no KPI “{kpi_id}” in the catalogue.")
    if partner_id:
        known = set(data.partners()["partner_id"])
        if known and partner_id not in known:
            raise Refused(f"There is no partner “{partner_id}” in the partners list.")


def _run(user: Principal, what: str, target: str, la: str, write) -> Any:
    try:
        result = write()
    except BoardStoreError as err:
        access.audit(user, what, target, f"refused: {err}", la)
        raise Refused(str(err)) from None
    return result


def headline_period(la: str, kpi_id: str) -> dict[str, str] | None:
    """The latest period of the KPI's headline series: what a commentary is written for."""
    series = data.headline_series(la)
    rows = series[series["kpi_id"] == kpi_id].sort_values("period_end")
    if rows.empty:
        return None
    row = rows.iloc[-1]
    ptype = str(row["period_type"])
    return {
        "period_type": ptype,
        "period_start": str(pd.Timestamp(row["period_start"]).date()),
        "period_end": str(pd.Timestamp(row["period_end"]).date()),
        "period_label": fmt.period_label(ptype, row["period_start"], row["period_end"]),
    }


@dataclass(frozen=True)
class Saved:
    message: str
    item: Commentary | Action | Meeting


def write_commentary(la: str, kpi_id: str, body: Any, seen_id: int | None) -> Saved:
    what, target = "commentary", f"{la}/{kpi_id}"
    user = writer(what, target, la)
    _known(la, kpi_id)
    period = headline_period(la, kpi_id)
    if period is None:
        access.audit(user, what, target, "refused: no figures", la)
        raise Refused("This KPI has no figures yet: there is nothing to comment on.")
    saved = _run(
        user,
        what,
        target,
        la,
        lambda: board_store().add_commentary(
            la=la,
            kpi_id=kpi_id,
            period=period,
            body=body,
            author=user.name,
            role=access.role_text(user, la),
            seen_id=seen_id,
        ),
    )
    access.audit(user, what, target, f"stored commentary {saved.id}", la)
    return Saved(f"Commentary saved for {period['period_label']}.", saved)


def create_action(
    la: str, kpi_id: str, partner_id: str | None, asked: Any, owner: Any, due_date: Any
) -> Saved:
    what, target = "action.create", f"{la}/{kpi_id}"
    user = writer(what, target, la)
    _known(la, kpi_id, partner_id)
    saved = _run(
        user,
        what,
        target,
        la,
        lambda: board_store().add_action(
            la=la,
            kpi_id=kpi_id,
            partner_id=partner_id or None,
            asked=asked,
            owner=owner,
            due_date=due_date,
            author=user.name,
            role=access.role_text(user, la),
            today=today(),
        ),
    )
    access.audit(user, what, f"{target}/action {saved.id}", "stored version 1", la)
    return Saved(f"Board action {saved.id} saved, due {fmt.format_date(saved.due_date)}.", saved)


def update_action(
    la: str, action_id: Any, seen_version: Any, status: Any, note: Any, due_date: Any = None
) -> Saved:
    what = "action.update"
    target = f"{la}/action {action_id}"
    user = writer(what, target, la)
    try:
        number, version = int(action_id), int(seen_version)
    except (TypeError, ValueError):
        access.audit(user, what, target, "refused: no action chosen", la)
        raise Refused("Choose the action to update.") from None
    current = memory(la).action(number)
    if current is None:
        access.audit(user, what, target, "refused: unknown action", la)
        raise Refused(f"There is no board action {number} for this LA.")
    saved = _run(
        user,
        what,
        target,
        la,
        lambda: board_store().update_action(
            action_id=number,
            seen_version=version,
            status=status,
            note=note,
            author=user.name,
            role=access.role_text(user, la),
            due_date=due_date,
            today=today(),
        ),
    )
    access.audit(user, what, target, f"stored version {saved.version}", la)
    return Saved(f"Board action {saved.id} updated (version {saved.version}).", saved)


def record_meeting(la: str, meeting_date: Any) -> Saved:
    what, target = "meeting", la
    user = writer(what, target, la)
    if la not in data.las():
        raise Refused(f"There is no LA {la} in the published data.")
    saved = _run(
        user,
        what,
        target,
        la,
        lambda: board_store().add_meeting(
            la=la, meeting_date=meeting_date, author=user.name, today=today()
        ),
    )
    access.audit(user, what, target, f"stored meeting {saved.meeting_date}", la)
    return Saved(f"Board meeting of {fmt.format_date(saved.meeting_date)} recorded.", saved)
