"""Disclosure control on generated Hampshire (csc-synth, LA 850, through the whole
pipeline), where districts do have small counts: what the board is given, its downloads
and the board pack PDF hold no count from 1 to 5 and no child's id.

The PDF is read as printed: every table row of every KPI page (period, numerator,
denominator, value, shown as, status) is parsed and its counts checked.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import duckdb
import pytest
from auth_helpers import sign_in
from forge_helpers import callback_body, router_body
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboards import data, disclosure, ids
from dashboards.auth import acting_as, user
from pipelines.synth import SynthConfig, generate
from tests.test_end_to_end import materialize

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[3]
STATUSES = {"ok", "no_cases", "not_supplied", "suppressed", "suppressed_small"}
SHOWN_WORDS = ["fewer than 6", "suppressed", "no cases", "not supplied", "no figure"]
NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?%?$")
PARTIAL = re.compile(r"\(to \d{1,2} \w{3} \d{4}\)")  # "(to 3 Nov 2026)": a date, not a count
BOARD = user("board-test", ["board"], ["850"])
ANALYST = user("analyst-test", ["analyst"], ["850"])


@pytest.fixture(scope="module")
def hampshire(tmp_path_factory, dbt_manifest) -> Path:
    """Generated Hampshire (a year, a quarter of its size: smaller districts, more small
    counts), loaded, checked, built and published: the snapshot's path."""
    from pipelines.settings import Settings

    root = tmp_path_factory.mktemp("hampshire")
    settings = Settings(
        landing_dir=root / "landing",
        warehouse_path=root / "warehouse.duckdb",
        serving_dir=root / "serving",
    )
    generate(
        SynthConfig(
            out=settings.landing_dir,
            las=("850",),
            years=1,
            seed=42,
            scale=0.25,
            as_at=dt.date(2025, 10, 31),
            quiet=True,
        )
    )
    assert materialize(settings).success
    return settings.serving_path


@pytest.fixture(scope="module")
def child_ids(hampshire) -> set[str]:
    with duckdb.connect(str(hampshire), read_only=True) as con:
        return {str(r[0]) for r in con.execute("select child from marts.dim_children").fetchall()}


def counts(frame) -> list[float]:
    """The numerators and denominators of ``frame`` that are counts of people or events,
    as shown (null when hidden)."""
    out = []
    for measure in ("numerator", "denominator"):
        rows = frame[~frame["kpi_id"].map(lambda k, m=measure: (k, m) in disclosure.NOT_COUNTS)]
        scale = rows["kpi_id"].map(lambda k, m=measure: disclosure.SCALE.get((k, m), 1.0))
        out += list((rows[measure] / scale).dropna())
    return out


def small(values) -> list[float]:
    return [v for v in values if 1 <= float(v) < 6]


def test_districts_do_have_small_counts_and_the_board_is_given_none(hampshire):
    with data.use_snapshot(hampshire):
        with acting_as(ANALYST):
            raw = data.kpi_table("850")
        with acting_as(BOARD):
            board = data.kpi_table("850")
            headline = data.headline_series("850")
    assert len(small(counts(raw))) > 100  # what there is to protect
    assert small(counts(board)) == [] and small(counts(headline)) == []
    assert (board["status"] == "suppressed_small").sum() > 50
    assert (board["status"] == "suppressed").sum() > 50  # secondary suppression too


@pytest.fixture(scope="module")
def board_client(hampshire, make_app):
    app = make_app(hampshire)
    return app, sign_in(app, "board")


def test_the_boards_downloads_hold_no_small_count_and_no_child(board_client, child_ids):
    app, client = board_client
    key = next(k for k in app.callback_map if k.startswith("scorecard-download."))
    files = []
    for changed in (0, 1):  # the CSV button, the Excel button

        def values(component, prop):
            return "850" if component == ids.SCORECARD_LA else 1

        body = callback_body(app, key, values, changed)
        body["inputs"][1 - changed]["value"] = None
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200
        files.append(response.get_json()["response"][ids.SCORECARD_DOWNLOAD]["data"])
    scorecard_csv = list(csv.DictReader(io.StringIO(files[0]["content"])))
    assert len(scorecard_csv) >= 25
    numbers = [float(r[c]) for r in scorecard_csv for c in ("numerator", "denominator") if r[c]]
    assert small(numbers) == []
    sheet = load_workbook(io.BytesIO(base64.b64decode(files[1]["content"]))).active
    header = [c.value for c in sheet[1]]
    cells = [
        row[header.index(c)]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        for c in ("numerator", "denominator")
    ]
    assert small([v for v in cells if isinstance(v, int | float)]) == []
    text = files[0]["content"] + str(list(sheet.values))
    assert not child_ids & set(re.findall(r"\d+", text))


def test_the_boards_kpi_pages_and_their_grids_hold_no_small_count(board_client, child_ids):
    app, client = board_client
    with data.use_snapshot(app.server.config[data.SERVING_PATH_KEY]), acting_as(BOARD):
        kpi_ids = list(data.catalogue()["kpi_id"])
    rows = []
    for kpi_id in kpi_ids:
        response = client.post(
            "/_dash-update-component", json=router_body(f"/kpi/{kpi_id}", "?la=850")
        )
        assert not child_ids & set(re.findall(r"\b\d{6,}\b", response.get_data(as_text=True)))
        for grid in grids(response.get_json()):
            for row in grid:
                for measure in ("numerator", "denominator"):
                    if row.get(measure) is None or (kpi_id, measure) in disclosure.NOT_COUNTS:
                        continue
                    rows.append(row[measure] / disclosure.SCALE.get((kpi_id, measure), 1.0))
    assert len(rows) > 500 and small(rows) == []


def grids(tree) -> list[list[dict]]:
    """The ``rowData`` of every grid in a callback's answer."""
    found = []
    if isinstance(tree, list):
        for item in tree:
            found += grids(item)
    elif isinstance(tree, dict):
        if isinstance(tree.get("rowData"), list):
            found.append(tree["rowData"])
        for value in tree.values():
            found += grids(value)
    return found


@pytest.fixture(scope="module")
def board_pack(hampshire, tmp_path_factory):
    """``make boardpack`` on generated Hampshire (its own process: Playwright's sync API
    cannot start inside another browser session)."""
    out = tmp_path_factory.mktemp("pack") / "boardpack-850.pdf"
    command = [
        sys.executable,
        "-m",
        "dashboards.boardpack",
        "--la",
        "850",
        "--out",
        str(out),
        "--serving",
        str(hampshire),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    reader = PdfReader(out)
    pages = [unicodedata.normalize("NFKC", page.extract_text()) for page in reader.pages]
    marks = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline]
    ends = [start for _title, start in marks[1:]] + [len(pages)]
    return [
        ("\n".join(pages[start:end]), title)
        for (title, start), end in zip(marks, ends, strict=True)
    ]


def table_counts(line: str) -> tuple[str, list[str]] | None:
    """(status, numbers) of a printed table row of a KPI page (district or period, then
    numerator, denominator, value, shown as, status), or None for another line. The
    numbers are those left of "shown as", the value left out: the denominator (if the row
    shows one), then the numerator, then any number of the row's label (a year)."""
    tokens = PARTIAL.sub(" ", line).split()
    if len(tokens) < 2 or tokens[-1] not in STATUSES:
        return None
    status, body = tokens[-1], tokens[:-1]
    text = " ".join(body)
    words = next((w for w in SHOWN_WORDS if text.endswith(w)), None)
    body = body[: len(body) - len(words.split())] if words else body[:-1]
    numbers = []
    while body and NUMBER.match(body[-1]):
        numbers.append(body.pop())
    if words is None and status == "ok" and numbers:
        numbers.pop(0)  # the value column (a percentage of 5.0 is not a count)
    return status, numbers


def row_counts(kpi: dict, status: str, numbers: list[str]) -> list[float]:
    """The counts of people or events among a row's numbers, for the KPI's unit."""
    values = [float(n.replace(",", "").rstrip("%")) for n in numbers]
    kpi_id = kpi["kpi_id"]
    denominator_is_count = (kpi_id, "denominator") not in disclosure.NOT_COUNTS
    if (kpi_id, "numerator") in disclosure.NOT_COUNTS:
        return []  # FTE over FTE (agency_fte_pct)
    if not isinstance(kpi.get("denominator"), str) or not kpi["denominator"].strip():
        return values  # a count: the numerator alone (and a year label)
    if status != "ok":
        # the numerator is hidden: what is left is the denominator
        return values if denominator_is_count else []
    scale = disclosure.SCALE.get((kpi_id, "numerator"), 1.0)
    numerator = [values[1] / scale] if len(values) > 1 else []
    return ([values[0]] if denominator_is_count else []) + numerator


def test_the_board_pack_holds_no_count_from_1_to_5_and_no_child_id(
    board_pack, child_ids, hampshire
):
    with data.use_snapshot(hampshire), acting_as(BOARD):
        kpis = {k["name"]: k for k in data.catalogue().to_dict("records")}
    checked, found, read = 0, [], {}
    for text, title in board_pack:
        if title not in kpis:
            continue  # the contents, the summary and the scorecard: no table of counts
        read.setdefault(title, 0)
        for line in text.splitlines():
            row = table_counts(line)
            if row is not None:
                checked += 1
                read[title] += 1
                found += [(title, line) for v in row_counts(kpis[title], *row) if 1 <= v < 6]
    # the KPI pages of the appendix are there, and tables of counts were read on at least
    # 25 of them (a page whose every district is suppressed, or whose rows are held in a
    # chart, has no table line of counts to read)
    assert len(read) >= 28, sorted(read)
    assert len([title for title, rows in read.items() if rows > 0]) >= 25, read
    assert checked > 150
    assert found == []
    everything = "\n".join(text for text, _title in board_pack)
    assert "fewer than 6" in everything and "suppressed" in everything
    # A rate's numerator is a count x 10,000: a multiple of 10,000 is never a child's id.
    tokens = {t for t in re.findall(r"\d+", everything) if not t.endswith("0000")}
    assert not child_ids & tokens
