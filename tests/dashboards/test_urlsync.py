"""The decision behind every filter ↔ URL sync callback."""

from __future__ import annotations

import dash
import pytest
from dash.exceptions import PreventUpdate

from dashboards import urlstate
from dashboards.components.urlsync import sync_step


def resolve(query):
    return urlstate.resolve_kpi(
        query,
        kpi_id="k",
        la="850",
        districts=["Winchester"],
        breakdowns=["all", "care"],
        default_breakdown="all",
    )


def test_a_filter_change_pushes_the_new_query_string():
    state, push, controls = sync_step(
        from_url=False,
        search="?la=850",
        values={"district": "Winchester", "breakdown": "all"},
        resolve=resolve,
    )
    assert state.district == "Winchester"
    assert push == "?la=850&district=Winchester&breakdown=all"
    assert controls == {"district": dash.no_update, "breakdown": dash.no_update}


def test_the_back_button_sets_the_filters_from_the_url_without_pushing():
    _state, push, controls = sync_step(
        from_url=True,
        search="?la=850&district=Winchester&breakdown=care",
        values={"district": "ALL", "breakdown": "all"},
        resolve=resolve,
    )
    assert push is dash.no_update
    assert controls == {"district": "Winchester", "breakdown": "care"}


def test_the_url_reporting_what_the_filters_show_changes_nothing():
    with pytest.raises(PreventUpdate):
        sync_step(
            from_url=True,
            search="?district=Nowhere",  # falls back to ALL, which the filter shows
            values={"district": "ALL", "breakdown": "all"},
            resolve=resolve,
        )
