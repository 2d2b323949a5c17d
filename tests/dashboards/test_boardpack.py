"""The board pack's command line, without a browser: what it prints, and its refusals
(the PDF itself is checked in e2e/test_boardpack_pdf.py)."""

from __future__ import annotations

from dashboards import boardpack


def test_the_pack_leads_with_the_board_summary_then_the_appendix(use_snapshot):
    sections = boardpack.sections("850")
    assert [(s.path, s.part) for s in sections[:4]] == [
        ("/board?la=850&part=summary", "front"),
        ("/board?la=850&part=changes", "front"),
        ("/board?la=850&part=exceptions", "front"),
        ("/board?la=850&part=actions", "front"),
    ]
    assert sections[4] == boardpack.Section("Board scorecard", "/?la=850", "")
    assert sections[5] == boardpack.Section("Partners", "/partners?la=850", "")
    assert [s.path for s in sections[6:9]] == [
        "/kpi/rhi_offered_pct?la=850",
        "/kpi/rhi_accepted_pct?la=850",
        "/kpi/rhi_within_72h_pct?la=850",
    ]
    assert len(sections) == 16 and sections[-1].area == "Children looked after"


def test_the_contents_page_escapes_names_and_says_how_fresh_the_data_is(use_snapshot):
    page = boardpack._contents_html(
        "850",
        [(boardpack.Section("Caseload <per FTE> & more", "/kpi/x", "Workforce"), 2)],
        {"extract_date": None, "published_at": None},
    )
    assert "Caseload &lt;per FTE&gt; &amp; more" in page and '<span class="n">2</span>' in page
    assert "Board pack — Hampshire" in page
    assert 'lang="en-GB"' in page


def test_an_unknown_la_is_refused_with_the_las_there_are(snapshot, capsys):
    assert boardpack.main(["--la", "999", "--serving", str(snapshot)]) == 2
    assert "LA 999 is not in the snapshot; it has: 850, 851." in capsys.readouterr().err


def test_without_a_snapshot_it_says_run_make_demo(tmp_path, capsys):
    assert boardpack.main(["--la", "850", "--serving", str(tmp_path / "serving.duckdb")]) == 2
    assert "run `make demo`" in capsys.readouterr().err


def test_without_chromium_it_says_how_to_install_it(snapshot, tmp_path, capsys):
    argv = ["--la", "850", "--serving", str(snapshot), "--chromium", str(tmp_path / "none")]
    assert boardpack.main(argv) == 2
    assert "make chromium" in capsys.readouterr().err
