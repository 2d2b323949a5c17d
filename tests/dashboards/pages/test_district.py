"""/district/<district> — one district for its managers, and /district, the list."""

from __future__ import annotations

from auth_helpers import sign_in
from dash_helpers import find_by_id, text_of

from dashboards import ids

KPI_GRID = ids.grid(ids.DISTRICT_KPI_TABLE)
TEAM_GRID = ids.grid(ids.DISTRICT_TEAM_TABLE)
WORKER_GRID = ids.grid(ids.DISTRICT_WORKER_TABLE)


def rows_of(tree, name):
    grid = find_by_id(tree, ids.grid(name))
    return None if grid is None else grid["props"]["rowData"]


def kpi_rows(tree):
    return {r["name"].split("](")[0].lstrip("["): r for r in rows_of(tree, ids.DISTRICT_KPI_TABLE)}


def test_the_district_page_compares_every_kpi_with_the_la_and_the_other_districts(callbacks):
    page = callbacks.route("/district/Winchester", "?la=850")
    text = text_of(page)
    assert "Winchester" in text and "Child-level information for team managers" in text
    assert "KPIs against the LA and the other districts — Feb 2025 (to 14 Feb 2025)" in text
    rows = kpi_rows(page)
    assert len(rows) == 10  # every catalogue KPI the district has
    offered = rows["RHI offered"]
    # Winchester 5/10 = 50.0 against the LA's 18/20 = 90.0 and Basingstoke and Deane's 9/10
    assert offered["name"] == (
        "[RHI offered](/kpi/rhi_offered_pct?la=850&district=Winchester&breakdown=all)"
    )
    assert (offered["shown"], offered["counts"], offered["la_shown"]) == (
        "50.0%",
        "5 of 10",
        "90.0%",
    )
    assert (offered["low"], offered["high"]) == (
        "50.0% (Winchester)",
        "90.0% (Basingstoke and Deane)",
    )
    assert offered["rag"] == "■ Red"  # 40 short of 90
    # 5 of 10: Wilson 23.7 % to 76.3 %, clear of the LA's 90.0 %
    assert (offered["ci"], offered["compared"]) == (
        "23.7% to 76.3%",
        "significantly worse than the LA",
    )
    # RHI taken up: none offered in Winchester this month
    taken_up = rows["RHI taken up"]
    assert (taken_up["shown"], taken_up["ci"], taken_up["compared"]) == ("no cases", "", "–")
    # lower is better: 13/20 = 65.0 % (43.3 % to 81.9 %) against the LA's 11.5 %
    missing = rows["Children looked after who went missing"]
    assert (missing["ci"], missing["compared"]) == (
        "43.3% to 81.9%",
        "significantly worse than the LA",
    )
    # care leavers: 62 of 100 everywhere (52.2 % to 70.9 %): similar to the LA's 62.0 %
    eet = rows["Care leavers in education, employment or training"]
    assert (eet["compared"], eet["period"]) == (
        "similar to the LA",
        "2024-25 (to 14 Feb 2025) · Aged 17–21",
    )
    assert "best" not in text.lower() and "worst" not in text.lower()
    assert rows["PEP completed this term"]["shown"] == "not supplied"
    spine = find_by_id(page, ids.DISTRICT_SPINE)["props"]["figure"]
    winchester = next(t for t in spine["data"] if t["name"] == "Winchester")
    assert winchester["y"][0] == "RHI offered" and winchester["x"][0] == 0.0  # the low end
    assert (
        "RHI offered — Winchester: 50.0% (significantly worse than the LA)"
        in (winchester["hovertext"])
    )


def test_the_district_page_shows_caseloads_by_team_and_by_worker(callbacks):
    page = callbacks.route("/district/Winchester", "?la=850")
    assert (
        "On 14 Feb 2025, 4 case holders (2.5 FTE) hold 43 cases: 17.2 per FTE. 2 are above "
        "the threshold of 20 cases per FTE" in text_of(page)
    )
    teams = rows_of(page, ids.DISTRICT_TEAM_TABLE)
    assert [(t["team"], t["case_holders"], t["fte"], t["cases"], t["cases_per_fte"]) for t in teams] == [
        ("Winchester CIC", 3, 1.5, 33, 22.0),
        ("Winchester Care Leavers", 1, 1.0, 10, 10.0),
    ]  # fmt: skip
    workers = {w["sw_id"]: w for w in rows_of(page, ids.DISTRICT_WORKER_TABLE)}
    assert set(workers) == {"SW10", "SW12", "SW13", "SW14", "SW15"}
    assert (workers["SW12"]["role"], workers["SW12"]["agency"]) == ("Senior practitioner", "Yes")
    assert (workers["SW12"]["cases_per_fte"], workers["SW12"]["above"]) == (24.0, "Yes")
    assert (workers["SW13"]["cases_per_fte"], workers["SW13"]["above"]) == (None, "Yes")


def test_the_district_page_lists_the_four_action_lists_with_links_to_each_childs_timeline(
    callbacks,
):
    page = callbacks.route("/district/Winchester", "?la=850")
    text = text_of(page)
    assert "Action lists — as at 14 Feb 2025" in text
    rhi = rows_of(page, ids.DISTRICT_ACTION_TABLES["rhi"])
    assert [r["child"] for r in rhi] == ["[C001](/child/C001?la=850)"]
    assert rhi[0]["days_since_return"] == 13 and "district" not in rhi[0]
    # 850 did not supply PEPs: the list says so rather than "none"
    assert rows_of(page, ids.DISTRICT_ACTION_TABLES["pep"]) is None
    assert "Not supplied: the LA's latest extract lacks the data" in text
    leavers = rows_of(page, ids.DISTRICT_ACTION_TABLES["care_leavers"])
    assert [(r["child"], r["reason"]) for r in leavers] == [
        ("[L001](/child/L001?la=850)", "Not in touch and NEET")
    ]
    # C006 has no worker: counted in Unallocated, listed here as their last worker's district
    unallocated = rows_of(page, ids.DISTRICT_ACTION_TABLES["cla_unallocated"])
    assert [(r["child"], r["reason"], r["last_sw_id"]) for r in unallocated] == [
        ("[C006](/child/C006?la=850)", "Allocated worker not in post", "SW16")
    ]


def test_unallocated_lists_every_child_without_a_worker_and_is_not_placed(callbacks):
    page = callbacks.route("/district/unallocated", "?la=850")  # any case
    text = text_of(page)
    assert "Unallocated is not a place" in text
    assert not any("Unallocated" in r["low"] + r["high"] for r in kpi_rows(page).values())
    unallocated = rows_of(page, ids.DISTRICT_ACTION_TABLES["cla_unallocated"])
    assert [r["child"].split("]")[0] for r in unallocated] == ["[C006", "[C005"]
    assert "None — Unallocated has nothing on this list." in text  # no RHI waiting
    assert "No workers with ROLE 4 or 5 in post in Unallocated on 14 Feb 2025." in text


def test_a_district_name_with_spaces_is_read_from_the_encoded_path(callbacks):
    page = callbacks.route("/district/Basingstoke%20and%20Deane", "?la=850")
    assert find_by_id(page, ids.DISTRICT_NAME)["props"]["data"] == "Basingstoke and Deane"
    assert "1 case holder (1 FTE) holds 21 cases: 21.0 per FTE. 1 is above" in text_of(page)


def test_choosing_a_month_updates_the_kpis_caseloads_and_url(callbacks):
    response = callbacks.call(
        [
            (ids.DISTRICT_MESSAGES, "children"),
            (ids.DISTRICT_CONTENT, "children"),
            (ids.DISTRICT_URL, "search"),
            (ids.DISTRICT_PERIOD, "value"),
        ],
        [(ids.DISTRICT_PERIOD, "value", "2025-01"), (ids.DISTRICT_URL, "search", "?la=850")],
        state=[(ids.DISTRICT_LA, "data", "850"), (ids.DISTRICT_NAME, "data", "Winchester")],
    )
    out = response.get_json()["response"]
    assert out[ids.DISTRICT_URL]["search"] == "?la=850&period=2025-01"
    content = out[ids.DISTRICT_CONTENT]["children"]
    rows = kpi_rows(content)
    # January: Winchester 12/20 = 60.0 %, 38.7 % to 78.1 %, still clear of the LA's 85.0 %
    offered = rows["RHI offered"]
    assert (offered["shown"], offered["la_shown"], offered["ci"]) == (
        "60.0%",
        "85.0%",
        "38.7% to 78.1%",
    )
    assert offered["compared"] == "significantly worse than the LA"
    # the collection year 2024-25 had not ended by January: 2023-24's 55.0
    eet = rows["Care leavers in education, employment or training"]
    assert (eet["shown"], eet["period"]) == ("55.0%", "2023-24 · Aged 17–21")
    teams = rows_of(content, ids.DISTRICT_TEAM_TABLE)
    assert [(t["team"], t["cases"], t["cases_per_fte"]) for t in teams] == [
        ("Winchester CIC", 26, 17.3)  # 26 cases over 1.5 FTE
    ]


def test_the_back_button_restores_the_month_from_the_url(callbacks):
    response = callbacks.call(
        [
            (ids.DISTRICT_MESSAGES, "children"),
            (ids.DISTRICT_CONTENT, "children"),
            (ids.DISTRICT_URL, "search"),
            (ids.DISTRICT_PERIOD, "value"),
        ],
        [
            (ids.DISTRICT_PERIOD, "value", "2025-01"),
            (ids.DISTRICT_URL, "search", "?la=850&period=2025-02"),
        ],
        state=[(ids.DISTRICT_LA, "data", "850"), (ids.DISTRICT_NAME, "data", "Winchester")],
        changed=[(ids.DISTRICT_URL, "search")],
    )
    out = response.get_json()["response"]
    assert out[ids.DISTRICT_PERIOD]["value"] == "2025-02"
    assert ids.DISTRICT_URL not in out  # nothing pushed: the URL is where it came from


def test_a_bad_month_falls_back_to_the_latest_and_says_so(callbacks):
    page = callbacks.route("/district/Winchester", "?la=850&period=2025-13")
    messages = text_of(find_by_id(page, ids.DISTRICT_MESSAGES))
    assert "The chosen month “2025-13” is not a month (write it as YYYY-MM" in messages
    assert find_by_id(page, ids.DISTRICT_PERIOD)["props"]["value"] == "2025-02"
    page = callbacks.route("/district/Winchester", "?period=2019-01")
    assert "There are no figures for 2019-01: showing 2025-02 instead." in text_of(page)


def test_an_unknown_district_says_so_and_lists_the_las_districts(callbacks):
    page = callbacks.route("/district/Nowhere", "?la=850")
    text = text_of(page)
    assert "District not found" in text
    assert "There is no district “Nowhere” in Hampshire." in text
    assert "Basingstoke and Deane Winchester County Unallocated" in text
    assert find_by_id(page, ids.DISTRICT_CONTENT) is None
    total = text_of(callbacks.route("/district/ALL", ""))
    assert "“ALL” is the whole authority, not a district" in total


def test_an_unknown_la_falls_back_to_the_first_and_says_so(callbacks):
    text = text_of(callbacks.route("/district/Winchester", "?la=999"))
    assert (
        "LA “999” is not available to you (not in your scope, or not published): showing LA 850 instead."
        in text
    )
    assert "Action lists — as at 14 Feb 2025" in text


def test_another_las_district_is_not_found_in_this_la(callbacks):
    text = text_of(callbacks.route("/district/Winchester", "?la=851"))
    assert "There is no district “Winchester” in Portsmouth." in text
    assert "North South Unallocated" in text  # 851's districts, one only in dim_districts


def test_a_district_of_the_second_la_has_its_own_figures_and_lists(callbacks):
    page = callbacks.route("/district/North", "?la=851")
    assert "On 14 Feb 2025, 1 case holder (1 FTE) holds 7 cases" in text_of(page)
    peps = rows_of(page, ids.DISTRICT_ACTION_TABLES["pep"])
    assert [(r["child"], r["school_year_group"]) for r in peps] == [
        ("[P002](/child/P002?la=851)", "Year 4")
    ]
    assert "Action lists — as at 31 Jan 2025" in text_of(page)


def test_the_districts_page_lists_each_district_with_its_action_lists(callbacks):
    page = callbacks.route("/district", "?la=850")
    table = find_by_id(page, ids.DISTRICTS_TABLE)
    rows = [text_of(tr) for tr in table["props"]["children"][2]["props"]["children"]]
    # district, teams, population, looked after (5 + 1 + district index), RHI, PEP, care
    # leavers, without a worker
    assert rows == [
        "Basingstoke and Deane 1 40,000 7 1 not supplied 0 0",
        "Winchester 2 25,000 8 1 not supplied 1 1",
        "County 1 – 9 0 not supplied 0 0",
        "Unallocated 0 – 10 0 not supplied 1 2",
    ]
    first = table["props"]["children"][2]["props"]["children"][0]["props"]["children"][0]
    assert first["props"]["children"]["props"]["href"] == (
        "/district/Basingstoke%20and%20Deane?la=850"
    )


def test_the_kpi_page_links_each_district_to_its_page(callbacks):
    page = callbacks.route("/kpi/rhi_offered_pct", "?la=850")
    rows = find_by_id(page, ids.grid(ids.KPI_RANKING_TABLE))["props"]["rowData"]
    assert [r["district"] for r in rows] == [
        "All districts",
        "[Basingstoke and Deane](/district/Basingstoke%20and%20Deane?la=850)",
        "[County](/district/County?la=850)",
        "[Unallocated](/district/Unallocated?la=850)",
        "[Winchester](/district/Winchester?la=850)",
    ]
    ranking = find_by_id(page, ids.KPI_RANKING)["props"]["figure"]
    assert ranking["layout"]["yaxis"]["ticktext"][-1] == (
        '<a href="/district/Basingstoke%20and%20Deane?la=850" target="_self">'
        "Basingstoke and Deane</a>"
    )


def test_without_a_snapshot_the_district_pages_say_run_make_demo(empty_app):
    from dash_helpers import DashCallbacks

    driver = DashCallbacks(sign_in(empty_app))
    for path in ["/district", "/district/Winchester"]:
        assert "No published data yet" in text_of(driver.route(path)), path


def test_the_browser_tab_is_titled_with_the_districts_name(callbacks):
    response = callbacks.call(
        [("_pages_content", "children"), ("_pages_store", "data")],
        [
            ("_pages_location", "pathname", "/district/Basingstoke%20and%20Deane"),
            ("_pages_location", "search", "?la=850"),
        ],
    )
    title = response.get_json()["response"]["_pages_store"]["data"]["title"]
    assert title == "District: Basingstoke and Deane"
