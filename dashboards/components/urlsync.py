"""Keep a page's filters and its URL query string in step.

The page renders itself from the query string (``layout(**query)``), so a link is
shareable. Changing a filter updates the content and pushes the new query string with the
page's own ``dcc.Location(refresh=False)``, which adds a history entry without
re-rendering the page (keyboard focus stays on the filter). The browser's back and
forward buttons change that Location's ``search``; the same callback then sets the
filters and the content back from the URL.

When the page's Location first mounts it reports the current URL; the filters already
show it (the layout rendered them), so nothing is recomputed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import dash
from dash import Input, Output, State, ctx
from dash.exceptions import PreventUpdate

from dashboards import data, urlstate


class PageState(Protocol):
    messages: list[str]

    def query(self) -> dict[str, str | None]: ...


def sync_step(
    *,
    from_url: bool,
    search: str | None,
    values: Mapping[str, Any],
    resolve: Callable[[Mapping[str, Any]], PageState],
) -> tuple[PageState, str | Any, dict[str, Any]]:
    """Decide what one sync callback does (pure, so it is tested without a browser).

    Returns the resolved state, the ``search`` to push (or ``no_update``) and the filter
    values to set (``no_update`` where a filter already shows the value). Raises
    ``PreventUpdate`` when the URL reports what the filters already show.
    """
    query = urlstate.parse_search(search) if from_url else dict(values)
    state = resolve(query)
    wanted = state.query()
    settable = {key: wanted.get(key) for key in values}
    if from_url and settable == dict(values):
        raise PreventUpdate
    new_search = urlstate.encode(wanted)
    push = dash.no_update if from_url or new_search == (search or "") else new_search
    control_values = {
        key: (dash.no_update if values[key] == value else value) for key, value in settable.items()
    }
    return state, push, control_values


def register_url_sync(
    app: dash.Dash,
    *,
    location: str,
    stores: Sequence[str],
    controls: Mapping[str, str],
    outputs: Sequence[Output],
    resolve: Callable[..., PageState],
    render: Callable[[PageState], Sequence[Any]],
) -> None:
    """Wire ``controls`` (query key → control id) and ``location`` to ``outputs``.

    ``resolve(query, *stored)`` checks a query against the data, given the ``data`` of
    each ``dcc.Store`` in ``stores`` (what the page fixed when it rendered: the LA, a KPI
    id from the path); ``render(state)`` returns one value per output.
    """
    keys = list(controls)

    @app.callback(
        *outputs,
        Output(location, "search"),
        *[Output(controls[key], "value") for key in keys],
        *[Input(controls[key], "value") for key in keys],
        Input(location, "search"),
        *[State(store, "data") for store in stores],
        prevent_initial_call=True,
    )
    def sync(*args):
        values = dict(zip(keys, args[: len(keys)], strict=True))
        search, stored = args[len(keys)], args[len(keys) + 1 :]
        try:
            state, push, control_values = sync_step(
                from_url=ctx.triggered_id == location,
                search=search,
                values=values,
                resolve=lambda query: resolve(query, *stored),
            )
            content = render(state)
        except data.NoSnapshot:
            raise PreventUpdate from None  # the page itself says so on its next load
        return (*content, push, *[control_values[key] for key in keys])
