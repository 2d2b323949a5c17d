"""The seeds the council edits for the board (partners, KPI accountability) and the LAs'
names, checked without building the warehouse (dbt's own tests check them again on
every build: unique ids, relationships, every catalogue KPI with a partner)."""

from __future__ import annotations

import csv

from pipelines.lib.la_codes import la_codes
from pipelines.settings import DBT_PROJECT_DIR
from pipelines.synth.authorities import KINDS, NAMES

SEEDS = DBT_PROJECT_DIR / "seeds"


def rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_one_list_of_las_names_them_for_the_pages_and_the_generator():
    """la_ons_codes is the one list: the pages' names (reference.la_ons_codes) and the
    synthetic generator's (which adds only a size kind per LA)."""
    seed = {r["la_code"]: r["la_name"] for r in rows("la_ons_codes")}
    assert len(seed) == 153 and seed["850"] == "Hampshire"
    assert len(set(seed.values())) == 153  # a name says which LA
    assert seed == NAMES
    assert set(KINDS) == set(seed)
    assert {code: la.la_name for code, la in la_codes().items()} == seed


def test_every_catalogue_kpi_has_one_accountable_partner_and_owner():
    catalogue = [r["kpi_id"] for r in rows("kpi_catalogue")]
    accountable = {r["kpi_id"]: r for r in rows("kpi_accountability")}
    assert sorted(accountable) == sorted(catalogue)
    partners = {r["partner_id"] for r in rows("partners")}
    assert {r["partner_id"] for r in accountable.values()} <= partners
    assert all(r["owner_role"].strip() for r in accountable.values())


def test_the_placement_location_kpis_have_their_partner():
    owner = {r["kpi_id"]: r for r in rows("kpi_accountability")}
    for kpi in (
        "placed_outside_la_pct",
        "placed_20_miles_pct",
        "placed_location_not_known",
        "placed_distance_not_known",
    ):
        assert owner[kpi]["partner_id"] == "cs_children_in_care"
    assert owner["placed_20_miles_pct"]["owner_role"] == "Head of Placements and Sufficiency"


def test_the_issues_partners_own_their_kpis():
    owner = {r["kpi_id"]: r["partner_id"] for r in rows("kpi_accountability")}
    for kpi in ("health_assessment_pct", "dental_check_pct", "immunisations_pct"):
        assert owner[kpi] == "nhs_icb"
    assert owner["cl_suitable_accom_pct"] == "district_housing"
    assert {owner[k] for k in ("pep_in_term_pct", "pep_initial_10wd_pct")} == {"virtual_school"}
    assert owner["rhi_offered_pct"] == "rhi_provider"


def test_the_kpi_docs_say_who_is_accountable():
    from pipelines.lib import kpi_docs

    catalogue = [r for r in rows("kpi_catalogue") if r["kpi_id"] == "dental_check_pct"]
    text = kpi_docs.render(catalogue, [], "", rows("kpi_accountability"), rows("partners"))
    assert (
        "- **Accountable:** NHS Hampshire and Isle of Wight Integrated Care Board; owner: "
        "Designated Nurse for children looked after (ICB)"
    ) in text
    assert kpi_docs.is_up_to_date()  # docs/kpis.md is regenerated from the seeds
