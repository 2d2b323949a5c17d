"""The code sets by collection year (domain.md §1.3)."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.lib import codesets as cs


def test_sex_codes_change_from_2024_25():
    assert cs.codes("SEX", "2023-24") == {"1", "2"}
    assert cs.codes("SEX", "2024-25") == {"M", "F", "U"}
    assert cs.sex_code("F", 2023) == "2" and cs.sex_code("F", 2024) == "F"
    assert cs.SEX_AS_MFU["1"] == cs.SEX_AS_MFU["M"] == "M"


def test_place_lists_by_year():
    p22, p24, p25 = cs.codes("PLACE", 2022), cs.codes("PLACE", 2024), cs.codes("PLACE", 2025)
    assert len(p22) == 27 and {"H5", "P2", "Z1"} <= p22 and "K3" not in p22
    assert cs.codes("PLACE", 2023) == p22
    assert p24 == p22 | {"K3"}
    assert not {"H5", "P2", "Z1"} & p25
    assert {"Z11", "Z12", "Z13", "Z14", "K3"} <= p25 and len(p25) == 29
    assert cs.codes("PLACE", 2026) == p25


def test_p2_not_allowed_for_episodes_open_after_28_october_2023():
    assert cs.place_allowed("P2", date(2023, 1, 1), date(2023, 10, 28), 2023)
    assert not cs.place_allowed("P2", date(2023, 1, 1), date(2023, 10, 29), 2023)
    assert not cs.place_allowed("P2", date(2023, 1, 1), None, 2023)  # open at 31/03/2024
    assert cs.place_allowed("P2", date(2023, 1, 1), None, 2023, as_at=date(2023, 9, 30))
    assert cs.place_allowed("P2", date(2022, 1, 1), None, 2022)  # open at 31/03/2023
    assert not cs.place_allowed("K3", date(2024, 1, 1), None, 2023)


def test_provider_rules():
    assert cs.provider_allowed("P1", "PR0", 2024)
    assert not cs.provider_allowed("U4", "PR0", 2024)  # rule 550
    for place in ("P1", "R2", "R5"):
        assert not cs.provider_allowed(place, "PR1", 2024)  # rules 527/528
        assert not cs.provider_allowed(place, "PR2", 2024)
    assert not cs.provider_allowed("T3", "PR1", 2024)  # rule 178: none for T0–T4, Z1
    assert not cs.provider_allowed("Z1", "PR4", 2024) and cs.provider_allowed("T4", "", 2024)
    assert not cs.provider_allowed("T3", "PR1", 2025)  # and for T0–T3, Z11–Z14 from 2025-26
    assert cs.provider_allowed("T3", "", 2025) and cs.provider_allowed("Z12", "", 2025)
    assert cs.provider_allowed("T4", "PR4", 2025)
    assert not cs.provider_allowed("U4", "PR9", 2024)


def test_static_lists_match_domain_md():
    assert len(cs.codes("ETHNIC", 2024)) == 20
    assert len(cs.codes("REC", 2024)) == 22 and "X1" in cs.REC and "E4A" in cs.REC
    assert len(cs.codes("ACCOM", 2024)) == 31 and "S1" not in cs.ACCOM and "X1" not in cs.ACCOM
    assert cs.codes("LS", 2024) >= {"C1", "C2", "E1", "V2", "V3", "V4", "J1", "L1"}
    assert cs.codes("REVIEW_CODE", 2024) == {f"PN{i}" for i in range(8)}
    assert cs.codes("ROLE", 2024) == {"1", "2", "3", "4", "5", "6"}
    assert cs.codes("case_type", "2024-25") == {"CIN", "CP", "CLA", "CARE_LEAVER", "FAMILY_HELP"}
    assert cs.codes("MOTHER", 2024) == {"0", "1"} and cs.codes("AGENCY", 2024) == {"Y", "N"}
    with pytest.raises(KeyError):
        cs.codes("CHILD", 2024)


def test_accommodation_not_allowed_at_17():
    assert cs.accom_allowed("Z1", 18) and not cs.accom_allowed("Z1", 17)
    assert not cs.accom_allowed("T1", 17) and cs.accom_allowed("U1", 17)
    assert cs.accom_suitable("U1") and not cs.accom_suitable("S2") and not cs.accom_suitable("0")


def test_upn_check_letter():
    body = "850123421001"
    weights = sum(w * int(c) for w, c in zip(range(2, 14), body, strict=True))
    assert cs.upn_check_letter(body) == "ABCDEFGHJKLMNPQRTUVWXYZ"[weights % 23]
    upn = cs.upn_check_letter(body) + body
    assert cs.upn_valid(upn) and cs.upn_valid("UN3")
    wrong = ("A" if upn[0] != "A" else "B") + body
    assert not cs.upn_valid(wrong) and not cs.upn_valid("UN9") and not cs.upn_valid(upn[:-1])


def test_collection_years():
    assert cs.year_start("2024-25") == 2024 and cs.year_label(2024) == "2024-25"
    assert cs.year_label(1999) == "1999-00"
    assert cs.year_bounds("2024-25") == (date(2024, 4, 1), date(2025, 3, 31))
    assert cs.year_of(date(2025, 3, 31)) == 2024 and cs.year_of(date(2025, 4, 1)) == 2025
    with pytest.raises(ValueError):
        cs.year_start("2024-26")
