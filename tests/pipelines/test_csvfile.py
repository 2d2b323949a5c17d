"""Reading one contract CSV: what is accepted, and what rejects the file with which rule."""

from __future__ import annotations

import pytest

from pipelines.lib.contract import table_spec
from pipelines.lib.csvfile import FileRejected, read_contract_csv

MISSING = table_spec("ssda903", "missing")
GOOD = "CHILD,DOB,MISSING,MIS_START,MIS_END\nC1,01/01/2010,M,01/06/2024,02/06/2024\n"


def read(tmp_path, content: bytes):
    path = tmp_path / "missing.csv"
    path.write_bytes(content)
    return read_contract_csv(path, MISSING, display_path="850/x/missing.csv")


def rejected(tmp_path, content: bytes) -> FileRejected:
    with pytest.raises(FileRejected) as info:
        read(tmp_path, content)
    return info.value


def test_header_is_matched_case_insensitively_after_trimming_in_any_order(tmp_path):
    parsed = read(
        tmp_path, b" mis_end ,Child,dob,MISSING, Mis_Start\n02/06/2024,C1,x,M,01/06/2024\n"
    )
    assert parsed.columns["child"] == ["C1"]
    assert parsed.columns["mis_start"] == ["01/06/2024"]
    assert parsed.columns["mis_end"] == ["02/06/2024"]


def test_byte_order_mark_and_crlf_line_ends_are_accepted(tmp_path):
    parsed = read(tmp_path, b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    assert parsed.row_count == 1
    assert parsed.columns["mis_end"] == ["02/06/2024"]


def test_values_are_trimmed_and_blank_becomes_none(tmp_path):
    parsed = read(
        tmp_path, b"CHILD,DOB,MISSING,MIS_START,MIS_END\n C1 ,01/01/2010,M,01/06/2024,  \n"
    )
    assert parsed.columns["child"] == ["C1"]
    assert parsed.columns["mis_end"] == [None]


def test_equal_values_of_a_column_share_one_string(tmp_path):
    """A gate batch holds millions of cells: equal values of a column (codes, dates, IDs)
    are one str object, not one per cell (a 2 M-row batch of the national landing: 1,030 MB
    of candidates without sharing, 588 MB with it)."""
    parsed = read(
        tmp_path,
        (GOOD + "C1 ,01/01/2010,M,03/06/2024,\nC22,01/01/2010,M,01/06/2024,02/06/2024\n").encode(),
    )
    dob, start, child = (parsed.columns[c] for c in ("dob", "mis_start", "child"))
    assert dob == ["01/01/2010"] * 3 and dob[0] is dob[1] is dob[2]
    assert start[0] is start[2] and start[0] is not start[1]
    assert child == ["C1", "C1", "C22"] and child[0] is child[1]  # equal once trimmed
    assert parsed.columns["mis_end"] == ["02/06/2024", None, "02/06/2024"]


def test_released_values_leave_the_row_count(tmp_path):
    parsed = read(tmp_path, (GOOD + "C2,01/01/2011,A,03/06/2024,\n").encode())
    parsed.release()
    assert (parsed.row_count, parsed.columns, parsed.source_rows) == (2, {}, [])


def test_source_rows_are_file_line_numbers_with_the_header_as_line_one(tmp_path):
    parsed = read(tmp_path, (GOOD + "\nC2,01/01/2011,A,03/06/2024,\n").encode())
    assert parsed.source_rows == [2, 4]  # the blank line 3 is skipped, not renumbered


def test_extra_column_is_ignored_with_a_warning_naming_it(tmp_path):
    parsed = read(tmp_path, b"CHILD,DOB,MISSING,MIS_START,MIS_END,NOTES\nC1,x,M,01/06/2024,,hi\n")
    assert "NOTES" not in parsed.columns and "notes" not in parsed.columns
    assert parsed.warnings == [
        "850/x/missing.csv: extra column 'NOTES' ignored [rule FILE-EXTRA-COLUMN]"
    ]


def test_header_only_file_loads_no_rows_with_a_warning(tmp_path):
    parsed = read(tmp_path, b"CHILD,DOB,MISSING,MIS_START,MIS_END\n")
    assert parsed.row_count == 0
    assert "header only" in parsed.warnings[0]


@pytest.mark.parametrize(
    ("content", "rule", "line", "words"),
    [
        (b"CHILD,DOB,MISSING,MIS_START\nC1,x,M,01/06/2024\n", "FILE-MISSING-COLUMN", 1, "MIS_END"),
        (b"", "FILE-EMPTY", None, "empty"),
        (b"\xef\xbb\xbf\r\n", "FILE-EMPTY", None, "empty"),
        (b"PK\x03\x04\x14\x00\x06\x00rest-of-zip", "FILE-EXCEL", None, "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "FILE-EXCEL", None, "Excel 97-2003"),
        (GOOD.encode() + b"C\xe9,01/01/2010,M,01/06/2024,\n", "FILE-ENCODING", 3, "0xe9"),
        (GOOD.encode() + b"C2,01/01/2010,M", "FILE-FIELD-COUNT", 3, "cut short"),
        (GOOD.encode() + b"C2,01/01/2010,M,01/06/2024,,x\n", "FILE-FIELD-COUNT", 3, "6 fields"),
        (b"CHILD,DOB,MISSING,MIS_START,MIS_END,child\n", "FILE-DUPLICATE-COLUMN", 1, "twice"),
        (b'CHILD,DOB,MISSING,MIS_START,MIS_END\n"C1,x,M,a,b\n', "FILE-CSV", 2, "not valid CSV"),
    ],
)
def test_broken_file_is_rejected_naming_file_line_and_rule(tmp_path, content, rule, line, words):
    exc = rejected(tmp_path, content)
    assert exc.rule == rule
    assert exc.line == line
    assert words in str(exc)
    assert str(exc).startswith("850/x/missing.csv")
    assert f"[rule {rule}]" in str(exc)
