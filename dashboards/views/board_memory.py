"""The KPI page's "Commentary and the board's actions": the current commentary (carried
forward, with its history), the board's actions on this KPI with overdue ones flagged,
and, for the roles that write, the forms to write them. The forms only call
``board.service``, which checks the user, the input and the snapshot again on the
server: a forged request gets the same refusal as the page would show.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import data, ids
from dashboards import formatting as fmt
from dashboards.board import access, service
from dashboards.board.store import (
    MAX_ASKED,
    MAX_COMMENTARY,
    MAX_NOTE,
    STATUS_TEXT,
    STATUSES,
)
from dashboards.components.board_bits import actions_table, commentary_block, written_by


def _partner_names() -> dict[str, str]:
    frame = data.partners()
    return dict(zip(frame["partner_id"], frame["name"], strict=True))


def _message(text: str | None, ok: bool) -> list:
    if not text:
        return []
    return [
        html.Div(
            text,
            className=f"alert alert-{'success' if ok else 'danger'} board-message",
            role="status" if ok else "alert",
        )
    ]


def section(la: str, kpi_id: str) -> html.Section:
    """The whole section, as the page first shows it."""
    return html.Section(
        content(la, kpi_id),
        id=ids.BOARD_SECTION,
        className="board-memory mt-4",
        **{"aria-live": "polite"},
    )


def content(
    la: str,
    kpi_id: str,
    *,
    message: str | None = None,
    ok: bool = True,
    draft: dict[str, Any] | None = None,
) -> list:
    """The section's children: what is stored, then the forms (for writers). ``draft``
    keeps what the writer typed when a write was refused, so nothing is lost."""
    draft = draft or {}
    catalogue = data.catalogue()
    kpi = catalogue[catalogue["kpi_id"] == kpi_id].to_dict("records")
    kpi = kpi[0] if kpi else {"kpi_id": kpi_id}
    period = service.headline_period(la, kpi_id)
    memory = service.memory(la)
    current = memory.current_commentary(kpi_id, upto=period["period_start"] if period else None)
    history = memory.commentary_history(kpi_id)
    actions = memory.actions(kpi_id)
    today = service.today()
    partners = _partner_names()
    user = access.current_user()
    writer = access.may_write(user, la)
    earlier = [c for c in history if current is None or c.id != current.id]
    body: list = [
        html.H2("Commentary and the board's actions", className="h4"),
        html.P(
            "What is behind this figure and what is being done, written by the analysts "
            "and managers for the board; and what the board asked, of whom, by when.",
            className="small text-body-secondary",
        ),
        dcc.Store(id=ids.BOARD_KEY, data={"la": la, "kpi_id": kpi_id}),
        dcc.Store(id=ids.BOARD_COMMENT_SEEN, data=current.id if current else None),
        html.Div(_message(message, ok), id=ids.BOARD_MESSAGE),
        html.H3("Commentary", className="h5"),
        commentary_block(
            current,
            period["period_start"] if period else None,
            period["period_label"] if period else "",
        ),
    ]
    if earlier:
        body.append(
            html.Details(
                [
                    html.Summary(f"Earlier commentary ({len(earlier)})", className="small"),
                    html.Ul(
                        [
                            html.Li(
                                [
                                    html.P(c.body, className="mb-0"),
                                    html.P(written_by(c), className="small text-body-secondary"),
                                ]
                            )
                            for c in earlier
                        ],
                        className="list-unstyled mt-2",
                    ),
                ],
                className="mb-3 commentary-history",
            )
        )
    if writer:
        body.append(_commentary_form(current, draft, period["period_label"] if period else None))
    body += [
        html.H3("Board actions", className="h5 mt-4"),
        actions_table(
            actions,
            today,
            partners=partners,
            la=la,
            table_id=ids.BOARD_TABLE,
            caption=f"The board's actions on {kpi.get('name', kpi_id)}",
        ),
    ]
    if writer:
        body.append(_action_forms(kpi, actions, partners, draft))
    elif user is None:
        body.append(
            html.P(
                "Analysts and managers sign in to write commentary and board actions.",
                className="small text-body-secondary",
            )
        )
    else:
        body.append(
            html.P(
                f"Signed in as {access.role_text(user)}: you read the commentary and "
                f"actions; analysts and managers of {data.la_label(la)} write them.",
                className="small text-body-secondary",
            )
        )
    return body


def _commentary_form(current, draft: dict[str, Any], label: str | None) -> html.Div:
    what = f"commentary for {label}" if label else "commentary (this KPI has no figures yet)"
    return html.Div(
        [
            dbc.Label(
                f"{'Replace the' if current else 'Write the'} {what}",
                html_for=ids.BOARD_COMMENT_TEXT,
                className="fw-semibold",
            ),
            dbc.Textarea(
                id=ids.BOARD_COMMENT_TEXT,
                value=draft.get("comment", ""),
                maxLength=MAX_COMMENTARY,
                rows=4,
                placeholder="What is behind this figure, and what we are doing about it.",
            ),
            dbc.FormText(
                f"Plain text, up to {MAX_COMMENTARY:,} characters. The earlier commentary is kept."
            ),
            html.Div(
                dbc.Button(
                    "Save commentary",
                    id=ids.BOARD_COMMENT_SAVE,
                    n_clicks=0,
                    color="primary",
                    size="sm",
                    className="mt-2",
                    disabled=label is None,
                ),
            ),
        ],
        className="board-form mb-3",
    )


def _action_forms(kpi: dict, actions, partners: dict[str, str], draft: dict[str, Any]):
    partner_options = [{"label": "No partner", "value": ""}] + [
        {"label": name, "value": pid} for pid, name in sorted(partners.items(), key=lambda p: p[1])
    ]
    default_partner = draft.get("partner", kpi.get("partner_id") or "")
    if fmt.is_missing(default_partner):
        default_partner = ""
    default_owner = draft.get("owner", kpi.get("owner_role") or "")
    if fmt.is_missing(default_owner):
        default_owner = ""
    new = html.Fieldset(
        [
            html.Legend("Record a board action", className="h6"),
            dbc.Label("What the board asked", html_for=ids.BOARD_ACTION_ASKED),
            dbc.Textarea(
                id=ids.BOARD_ACTION_ASKED, value=draft.get("asked", ""), maxLength=MAX_ASKED, rows=2
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Of which partner", html_for=ids.BOARD_ACTION_PARTNER),
                            dbc.Select(
                                id=ids.BOARD_ACTION_PARTNER,
                                options=partner_options,
                                value=default_partner,
                            ),
                        ],
                        md=5,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Owner", html_for=ids.BOARD_ACTION_OWNER),
                            dbc.Input(
                                id=ids.BOARD_ACTION_OWNER, value=default_owner, maxLength=200
                            ),
                        ],
                        md=4,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Due", html_for=ids.BOARD_ACTION_DUE),
                            dbc.Input(
                                id=ids.BOARD_ACTION_DUE, type="date", value=draft.get("due", "")
                            ),
                        ],
                        md=3,
                    ),
                ],
                className="mt-2",
            ),
            dbc.Button(
                "Save action",
                id=ids.BOARD_ACTION_SAVE,
                n_clicks=0,
                color="primary",
                size="sm",
                className="mt-2",
            ),
        ],
        className="board-form mb-3",
    )
    choices = [
        {"label": f"#{a.id}: {a.asked[:60]}", "value": f"{a.id}:{a.version}"} for a in actions
    ]
    update = html.Fieldset(
        [
            html.Legend("Update an action", className="h6"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Action", html_for=ids.BOARD_UPDATE_ACTION),
                            dbc.Select(
                                id=ids.BOARD_UPDATE_ACTION,
                                options=choices,
                                value=draft.get("action")
                                or (choices[0]["value"] if choices else None),
                            ),
                        ],
                        md=5,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Status", html_for=ids.BOARD_UPDATE_STATUS),
                            dbc.Select(
                                id=ids.BOARD_UPDATE_STATUS,
                                options=[{"label": STATUS_TEXT[s], "value": s} for s in STATUSES],
                                value=draft.get("status", "in_progress"),
                            ),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("New due date (optional)", html_for=ids.BOARD_UPDATE_DUE),
                            dbc.Input(
                                id=ids.BOARD_UPDATE_DUE, type="date", value=draft.get("new_due", "")
                            ),
                        ],
                        md=4,
                    ),
                ]
            ),
            dbc.Label("Update note", html_for=ids.BOARD_UPDATE_NOTE, className="mt-2"),
            dbc.Textarea(
                id=ids.BOARD_UPDATE_NOTE, value=draft.get("note", ""), maxLength=MAX_NOTE, rows=2
            ),
            dbc.Button(
                "Save update",
                id=ids.BOARD_UPDATE_SAVE,
                n_clicks=0,
                color="primary",
                size="sm",
                className="mt-2",
                disabled=not choices,
            ),
        ],
        className="board-form mb-3",
    )
    return html.Div([new, update], className="board-forms")


def register_callbacks(app: dash.Dash) -> None:
    """The section's one write callback (the KPI page registers it)."""

    @app.callback(
        Output(ids.BOARD_SECTION, "children"),
        Input(ids.BOARD_COMMENT_SAVE, "n_clicks"),
        Input(ids.BOARD_ACTION_SAVE, "n_clicks"),
        Input(ids.BOARD_UPDATE_SAVE, "n_clicks"),
        State(ids.BOARD_KEY, "data"),
        State(ids.BOARD_COMMENT_SEEN, "data"),
        State(ids.BOARD_COMMENT_TEXT, "value"),
        State(ids.BOARD_ACTION_ASKED, "value"),
        State(ids.BOARD_ACTION_PARTNER, "value"),
        State(ids.BOARD_ACTION_OWNER, "value"),
        State(ids.BOARD_ACTION_DUE, "value"),
        State(ids.BOARD_UPDATE_ACTION, "value"),
        State(ids.BOARD_UPDATE_STATUS, "value"),
        State(ids.BOARD_UPDATE_NOTE, "value"),
        State(ids.BOARD_UPDATE_DUE, "value"),
        prevent_initial_call=True,
    )
    def write(
        _c, _a, _u, key, seen, comment, asked, partner, owner, due, chosen, status, note, new_due
    ):
        if not isinstance(key, dict) or not ctx.triggered_id:
            raise PreventUpdate  # a forged state that is not the section's key
        if not any(t.get("value") for t in ctx.triggered):
            raise PreventUpdate
        la, kpi_id = str(key.get("la")), str(key.get("kpi_id"))
        draft = {
            "comment": comment,
            "asked": asked,
            "partner": partner,
            "owner": owner,
            "due": due,
            "action": chosen,
            "status": status,
            "note": note,
            "new_due": new_due,
        }
        try:
            if ctx.triggered_id == ids.BOARD_COMMENT_SAVE:
                saved = service.write_commentary(la, kpi_id, comment, seen)
                draft["comment"] = ""
            elif ctx.triggered_id == ids.BOARD_ACTION_SAVE:
                saved = service.create_action(la, kpi_id, partner or None, asked, owner, due)
                draft.update(asked="", due="")
            else:
                action_id, _, version = str(chosen or "").partition(":")
                saved = service.update_action(la, action_id, version, status, note, new_due)
                draft.update(note="", new_due="", action=None)
        except service.Refused as err:
            return content(la, kpi_id, message=str(err), ok=False, draft=draft)
        except data.NoSnapshot:
            raise PreventUpdate from None
        return content(la, kpi_id, message=saved.message, ok=True, draft=draft)
