"""docs/kpis.md is generated from the KPI catalogue seed and the decisions (pipelines/lib/kpi_docs.py)."""

from __future__ import annotations

from pipelines.lib import kpi_docs


def test_docs_kpis_md_is_up_to_date_with_the_catalogue_seed():
    assert kpi_docs.is_up_to_date(), (
        "docs/kpis.md is out of date: run `python -m pipelines.lib.kpi_docs`"
    )


def test_every_catalogue_kpi_has_a_section_with_its_target():
    catalogue = kpi_docs.read_csv(kpi_docs.CATALOGUE)
    text = kpi_docs.render(catalogue, kpi_docs.read_csv(kpi_docs.TARGETS))
    for row in catalogue:
        assert f"### {row['name']} (`{row['kpi_id']}`)" in text
    assert "at or below 16 (amber within 2)" in text  # caseload_avg, lower is better
    assert "threshold 20" in text  # caseload_high_pct


def test_every_area_names_the_model_that_computes_it():
    areas = {row["area"][:1] for row in kpi_docs.read_csv(kpi_docs.CATALOGUE)}
    assert areas == set(kpi_docs.AREA_MODELS)


def test_check_mode_fails_on_a_stale_file(tmp_path, monkeypatch):
    stale = tmp_path / "kpis.md"
    stale.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(kpi_docs, "OUTPUT", stale)
    monkeypatch.setattr(kpi_docs, "ROOT", tmp_path)
    assert kpi_docs.main(["--check"]) == 1
    assert kpi_docs.main([]) == 0
    assert kpi_docs.main(["--check"]) == 0


def test_the_decisions_close_the_page_with_their_headings_one_level_down():
    decisions = "# KPI decisions\n\nIntro.\n\n## Time\n\n1. **As-at date.** Latest extract.\n"
    text = kpi_docs.render([], [], decisions)
    assert text.endswith(
        "## Decisions\n\nIntro.\n\n### Time\n\n1. **As-at date.** Latest extract.\n"
    )
    assert "# KPI decisions" not in text


def test_the_generated_page_carries_every_numbered_decision():
    decisions = kpi_docs.DECISIONS.read_text(encoding="utf-8")
    page = kpi_docs.OUTPUT.read_text(encoding="utf-8")
    numbered = [line for line in decisions.splitlines() if line[:1].isdigit() and ". **" in line]
    assert len(numbered) >= 50
    assert all(line in page for line in numbered)
