"""``csc-export``: a pseudonymised KPI-and-member extract. It refuses to run without a key,
replaces every child and worker id by an HMAC-SHA256 pseudonym (the same under one key,
different under another), gives dates of birth as months, and is audited."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
from pathlib import Path

import duckdb
import pytest

from dashboards import pseudonymise
from dashboards.auth.auditlog import AuditLog

KEY = "k" * 40
OTHER_KEY = "o" * 40


@pytest.fixture
def serving(snapshot, tmp_path):
    """The fixture snapshot with members and birth dates for three of LA 850's children."""
    path = tmp_path / "serving.duckdb"
    path.write_bytes(snapshot.read_bytes())
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table marts.kpi_members as select '850' as la_code, district, 'all' as "
            "breakdown, 'month' as period_type, date '2025-02-14' as period_end, 'cla_count' "
            "as kpi_id, 'child' as member_type, child, sw_id, null::date as event_date, "
            "null as source, true as in_numerator, false as in_denominator, 1.0 as "
            "numerator_weight, 0.0 as denominator_weight from marts.dim_children "
            "where la_code = '850' and child in ('C001', 'C002', 'C006')"
        )
        con.execute("update marts.dim_children set dob = date '2013-05-17', upn = 'A123456789012'")
    return path


def rows(path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run(monkeypatch, serving, out, key=KEY, extra=()):
    monkeypatch.delenv("CSC_PSEUDONYM_KEY_FILE", raising=False)
    if key is None:
        monkeypatch.delenv("CSC_PSEUDONYM_KEY", raising=False)
    else:
        monkeypatch.setenv("CSC_PSEUDONYM_KEY", key)
    argv = ["--la", "850", "--out", str(out), "--serving", str(serving), *extra]
    return pseudonymise.main(argv)


def test_without_a_key_it_refuses_to_run(monkeypatch, serving, tmp_path, capsys):
    assert run(monkeypatch, serving, tmp_path / "x", key=None) == 2
    assert "no pseudonymisation key" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
    assert run(monkeypatch, serving, tmp_path / "y", key="short") == 2
    assert "at least 32 characters" in capsys.readouterr().err


def test_a_key_file_readable_by_others_is_refused(monkeypatch, serving, tmp_path, capsys):
    key = tmp_path / "pseudonym.key"
    key.write_text(KEY)
    key.chmod(0o644)
    monkeypatch.delenv("CSC_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("CSC_PSEUDONYM_KEY_FILE", str(key))
    argv = ["--la", "850", "--out", str(tmp_path / "x"), "--serving", str(serving)]
    assert pseudonymise.main(argv) == 2
    assert "chmod 600" in capsys.readouterr().err
    key.chmod(0o600)
    assert pseudonymise.main(argv) == 0


def test_ids_become_pseudonyms_and_dates_of_birth_months(monkeypatch, serving, tmp_path):
    out = tmp_path / "extract"
    assert run(monkeypatch, serving, out) == 0
    members, children = rows(out / "kpi_members.csv"), rows(out / "children.csv")
    expected = hmac.new(KEY.encode(), b"child\x00850\x00C001", hashlib.sha256).hexdigest()[:32]
    assert expected in {m["child_pseudonym"] for m in members}
    assert len(members) == 3 and len(children) == 3
    assert {c["birth_month"] for c in children} == {"2013-05"}
    text = "".join(p.read_text() for p in out.iterdir())
    for identifier in ("C001", "C002", "C006", "SW10", "SW11", "2013-05-17", "A123456789012"):
        assert identifier not in text, identifier
    assert "upn" not in children[0] and "dob" not in children[0]
    assert {p.name for p in out.iterdir()} == {
        "kpi_values.csv",
        "kpi_members.csv",
        "children.csv",
        "manifest.json",
    }
    assert all(p.stat().st_mode & 0o077 == 0 for p in out.iterdir())
    assert out.stat().st_mode & 0o077 == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]["kpi_members.csv"] == 3 and KEY not in json.dumps(manifest)


def test_the_same_child_gets_the_same_pseudonym_under_one_key_only(monkeypatch, serving, tmp_path):
    for name, key in (("a", KEY), ("b", KEY), ("c", OTHER_KEY)):
        assert run(monkeypatch, serving, tmp_path / name, key=key) == 0
    ids = {n: {r["child_pseudonym"] for r in rows(tmp_path / n / "children.csv")} for n in "abc"}
    assert ids["a"] == ids["b"] and not ids["a"] & ids["c"]
    key_ids = {json.loads((tmp_path / n / "manifest.json").read_text())["key_id"] for n in "abc"}
    assert len(key_ids) == 2


def test_an_existing_folder_is_never_overwritten(monkeypatch, serving, tmp_path, capsys):
    (tmp_path / "extract").mkdir()
    assert run(monkeypatch, serving, tmp_path / "extract") == 2
    assert "exists already" in capsys.readouterr().err


def test_the_export_and_what_it_read_are_in_the_audit_log(monkeypatch, serving, tmp_path):
    assert run(monkeypatch, serving, tmp_path / "extract", extra=["--disclosure-control"]) == 0
    log = AuditLog(Path(os.environ["CSC_AUTH_DIR"]) / "audit.sqlite")  # the session's
    export = log.search(event="export", limit=1)[0]
    assert export["la"] == "850" and export["rows"] == 3 and export["user"].startswith("os:")
    reads = {r["what"] for r in log.search(user="service:csc-export", limit=10)}
    assert {"member_list", "children"} <= reads
    values = rows(tmp_path / "extract" / "kpi_values.csv")
    shown = [float(v["numerator"]) for v in values if v["status"] == "ok" and v["numerator"]]
    assert not [n for n in shown if 1 <= n <= 5]  # --disclosure-control
