"""/dictionary — the KPI catalogue, with links to each KPI page."""

from __future__ import annotations

from dash_helpers import find_by_id

from dashboards import ids


def test_the_dictionary_lists_every_kpi_with_its_definition_and_target(callbacks):
    page = callbacks.route("/dictionary", "")
    rows = find_by_id(page, ids.grid(ids.DICTIONARY_TABLE))["props"]["rowData"]
    assert len(rows) == 10
    first = rows[0]
    assert first["name"] == "[RHI offered](/kpi/rhi_offered_pct)"
    assert first["polarity"] == "higher is better"
    assert (first["target"], first["tolerance"]) == (90.0, 5.0)
    assert (first["partner"], first["owner"]) == ("RHI Provider Ltd", "RHI contract manager")
    count = next(r for r in rows if r["kpi_id"] == "cla_count")
    assert count["polarity"].startswith("for information") and count["target"] is None
