"""/missing through the Flask test client: tiles, chart, table, filters and the URL."""

from __future__ import annotations

from dash_helpers import find_by_id, text_of

from dashboards import ids

CONTROLS = {
    "district": ids.MISSING_DISTRICT,
    "breakdown": ids.MISSING_BREAKDOWN,
    "kpi": ids.MISSING_KPI,
    "start": ids.MISSING_START,
    "end": ids.MISSING_END,
}
DEFAULTS = {
    "district": "ALL",
    "breakdown": "all",
    "kpi": "rhi_offered_pct",
    "start": "2024-02",
    "end": "2025-02",
}
CONTENT = [
    (ids.MISSING_MESSAGES, "children"),
    (ids.MISSING_TILES, "children"),
    (ids.MISSING_TREND_WRAPPER, "children"),
    (ids.MISSING_TABLE_HEADING, "children"),
    (ids.grid(ids.MISSING_TABLE), "rowData"),
]
GRID_KEY = '{"index":"missing-by-period","type":"grid"}'


def sync(callbacks, values, search="", changed="district"):
    """POST the filters ↔ URL callback as the browser does after a change."""
    changed_id = ids.MISSING_URL if changed == "search" else CONTROLS[changed]
    response = callbacks.call(
        [*CONTENT, (ids.MISSING_URL, "search"), *[(c, "value") for c in CONTROLS.values()]],
        [
            *[(CONTROLS[k], "value", values[k]) for k in CONTROLS],
            (ids.MISSING_URL, "search", search),
        ],
        state=[(ids.MISSING_LA, "data", "850")],
        changed=[(changed_id, "search" if changed == "search" else "value")],
    )
    return response


def tile_texts(tiles) -> list[str]:
    """The text of each tile (the tiles section is [heading, row of columns])."""
    return [text_of(col) for col in tiles[1]["props"]["children"]]


def test_the_page_opens_on_the_latest_month_for_the_whole_la(callbacks):
    page = callbacks.route("/missing", "?la=850")
    text = text_of(page)
    assert "Figures for Feb 2025 (to 14 Feb 2025)" in text
    tiles = tile_texts(find_by_id(page, ids.MISSING_TILES)["props"]["children"])
    assert len(tiles) == 6
    assert tiles[0].startswith("RHI offered 90.0% Feb 2025 (to 14 Feb 2025) 18 of 20")
    assert "Target 90.0% · ● Green meets target" in tiles[0]
    # direction of travel from SPC (Jul 2024 to Jan 2025 rise seven months: a trend), not
    # from the last two points; missing_cla_pct is a rolling figure: two points, untested
    assert "Direction of travel: improving (SPC)" in tiles[0]
    assert "since last month" not in tiles[0]
    assert "since last month" in tiles[5] and "two points, not tested" in tiles[5]
    assert "no cases" in tiles[2] and "no RAG" in tiles[2]  # RHI within 72 hours, 0 due
    assert "Amber" in tiles[5]  # missing_cla_pct 11.5 against 10 ± 2
    assert find_by_id(page, ids.MISSING_MESSAGES)["props"]["children"] == []


def test_the_table_lists_the_charted_kpi_by_month_newest_first(callbacks):
    page = callbacks.route("/missing", "")
    rows = find_by_id(page, ids.grid(ids.MISSING_TABLE))["props"]["rowData"]
    assert len(rows) == 13  # Feb 2024 to Feb 2025
    assert rows[0] == {
        "period": "Feb 2025 (to 14 Feb 2025)",
        "numerator": 18.0,
        "denominator": 20.0,
        "value": 90.0,
        "shown": "90.0%",
        "status": "ok",
    }
    assert rows[-1]["period"] == "Feb 2024"


def test_the_chart_is_drawn_with_a_text_alternative(callbacks):
    page = callbacks.route("/missing", "?district=Winchester")
    wrapper = find_by_id(page, ids.MISSING_TREND_WRAPPER)["props"]["children"]
    assert wrapper["props"]["role"] == "figure"
    assert wrapper["props"]["aria-label"].startswith("Line chart of RHI offered (Winchester)")
    figure = find_by_id(page, ids.MISSING_TREND)["props"]["figure"]
    assert [t["name"] for t in figure["data"]] == ["LA total", "RHI offered — Winchester"]


def test_a_district_in_the_link_shows_that_district(callbacks):
    page = callbacks.route("/missing", "?district=Winchester")
    tiles = tile_texts(find_by_id(page, ids.MISSING_TILES)["props"]["children"])
    assert "50.0%" in tiles[0] and "5 of 10" in tiles[0] and "Red" in tiles[0]
    assert "no cases" in tiles[1]  # nothing offered in Winchester, so no take-up rate
    assert find_by_id(page, ids.MISSING_DISTRICT)["props"]["value"] == "Winchester"


def test_kpis_not_split_by_source_say_so_for_care_or_home(callbacks):
    page = callbacks.route("/missing", "?breakdown=care")
    tiles = tile_texts(find_by_id(page, ids.MISSING_TILES)["props"]["children"])
    assert "80.0%" in tiles[0] and "12 of 15" in tiles[0]
    assert "no figure" in tiles[5] and "not available for “From care”" in tiles[5]


def test_bad_query_values_give_a_message_and_the_defaults(callbacks):
    page = callbacks.route("/missing", "?district=Atlantis&end=2024-13&breakdown=x&la=999")
    messages = text_of(find_by_id(page, ids.MISSING_MESSAGES))
    assert (
        "LA “999” is not available to you (not in your scope, or not published): showing LA 850 instead."
        in messages
    )
    assert "Unknown district “Atlantis”: showing All districts instead." in messages
    assert "The end month “2024-13” is not a month" in messages
    assert "Unknown breakdown “x”" in messages
    assert find_by_id(page, ids.MISSING_DISTRICT)["props"]["value"] == "ALL"
    assert "90.0%" in text_of(find_by_id(page, ids.MISSING_TILES))


def test_changing_the_district_updates_tiles_chart_table_and_url(callbacks):
    response = sync(callbacks, {**DEFAULTS, "district": "Winchester"}, search="?la=850")
    assert response.status_code == 200
    out = response.get_json()["response"]
    assert out[ids.MISSING_URL]["search"] == (
        "?la=850&district=Winchester&breakdown=all&kpi=rhi_offered_pct&start=2024-02&end=2025-02"
    )
    tiles = tile_texts(out[ids.MISSING_TILES]["children"])
    assert "50.0%" in tiles[0]
    assert out[GRID_KEY]["rowData"][0]["numerator"] == 5.0
    assert out[ids.MISSING_TABLE_HEADING]["children"] == (
        "RHI offered by month — Winchester, care and home"
    )
    assert ids.MISSING_DISTRICT not in out  # the filter already shows it: left alone


def test_the_back_button_restores_filters_and_content_from_the_url(callbacks):
    search = "?la=850&district=Winchester&breakdown=care&kpi=missing_episodes"
    response = sync(callbacks, DEFAULTS, search=search, changed="search")
    out = response.get_json()["response"]
    assert out[ids.MISSING_DISTRICT]["value"] == "Winchester"
    assert out[ids.MISSING_BREAKDOWN]["value"] == "care"
    assert out[ids.MISSING_KPI]["value"] == "missing_episodes"
    assert ids.MISSING_URL not in out  # nothing pushed onto the history
    assert out[ids.MISSING_TABLE_HEADING]["children"].startswith("Missing episodes ended")


def test_the_url_reporting_what_the_filters_show_changes_nothing(callbacks):
    response = sync(callbacks, DEFAULTS, search="?la=850", changed="search")
    assert response.status_code == 204
