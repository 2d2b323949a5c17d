"""The seeds the council edits for the board (partners, KPI accountability) and the LAs'
names, checked without building the warehouse (dbt's own tests check them again on
every build: unique ids, relationships, every catalogue KPI with a partner)."""

from __future__ import annotations

import csv

from pipelines.settings import DBT_PROJECT_DIR
from pipelines.synth.la_codes import LAS

SEEDS = DBT_PROJECT_DIR / "seeds"


def rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_las_names_are_the_generators_list():
    seed = {(r["la_code"], r["la_name"]) for r in rows("local_authorities")}
    assert seed == {(code, name) for code, name, _kind in LAS}
    assert len(seed) == 153
    assert ("850", "Hampshire") in seed


def test_every_catalogue_kpi_has_one_accountable_partner_and_owner():
    catalogue = [r["kpi_id"] for r in rows("kpi_catalogue")]
    accountable = {r["kpi_id"]: r for r in rows("kpi_accountability")}
    assert sorted(accountable) == sorted(catalogue)
    partners = {r["partner_id"] for r in rows("partners")}
    assert {r["partner_id"] for r in accountable.values()} <= partners
    assert all(r["owner_role"].strip() for r in accountable.values())


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
