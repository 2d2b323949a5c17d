"""Whole-file checks: every byte is looked at, chunk by chunk, and each fault is named.

Each test runs with the default chunk size and with tiny chunks, so that a fault (or a
CRLF, a UTF-8 character, a repeated header) split between two chunks is handled the same.
"""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from pipelines.lib.filecheck import FileRejected, open_regular, scan_file

HEADER = "CHILD,DOB,MISSING,MIS_START,MIS_END"
ROW = "C1,01/01/2010,M,01/06/2024,02/06/2024"
CHUNKS = [8 << 20, 7, 3]


def body(rows: int = 3, newline: str = "\n") -> str:
    lines = [HEADER] + [ROW.replace("C1", f"C{i}") for i in range(1, rows + 1)]
    return newline.join(lines) + newline


def scan(content: bytes, chunk: int):
    return scan_file(io.BytesIO(content), "850/x/missing.csv", chunk_bytes=chunk)


def rejected(content: bytes, chunk: int) -> FileRejected:
    with pytest.raises(FileRejected) as info:
        scan(content, chunk)
    return info.value


@pytest.mark.parametrize("chunk", CHUNKS)
def test_a_good_file_is_counted_and_fingerprinted_whole(chunk):
    content = body(200).encode()
    found = scan(content, chunk)
    assert found.lines == 201 and found.data_lines == 200
    assert found.fingerprint == hashlib.sha256(content).hexdigest()
    assert found.header == HEADER.encode() and not found.has_bom
    assert found.line_ends == "LF" and found.warnings == []


@pytest.mark.parametrize("chunk", CHUNKS)
def test_bom_crlf_and_utf8_characters_across_chunks_are_accepted(chunk):
    content = b"\xef\xbb\xbf" + body(20, "\r\n").replace("C7,", "Zo\u00eb7,").encode()
    found = scan(content, chunk)
    assert found.has_bom and found.line_ends == "CRLF" and found.lines == 21


@pytest.mark.parametrize("chunk", CHUNKS)
def test_a_nul_far_past_the_first_kilobytes_is_found_with_its_line(chunk):
    rows = body(400).split("\n")
    rows[299] = rows[299].replace("M,", "M\x00,")
    content = "\n".join(rows).encode()
    assert content.index(b"\x00") > 4096
    exc = rejected(content, chunk)
    assert (exc.rule, exc.line) == ("FILE-NUL", 300)
    assert "850/x/missing.csv, line 300" in str(exc) and "export the file again" in str(exc)


@pytest.mark.parametrize("chunk", CHUNKS)
def test_another_control_character_is_named(chunk):
    content = body(5).replace("C4,", "C4\x1b,").encode()
    exc = rejected(content, chunk)
    assert (exc.rule, exc.line) == ("FILE-CONTROL-CHARACTER", 5)
    assert "0x1B (ESC)" in exc.message


@pytest.mark.parametrize(
    ("encoding", "bom", "words"),
    [
        ("utf-16", b"", "UTF-16 (little-endian, with a byte order mark)"),
        ("utf-16-be", b"\xfe\xff", "UTF-16 (big-endian, with a byte order mark)"),
        ("utf-16-le", b"", "UTF-16 (little-endian, no byte order mark)"),
        ("utf-16-be", b"", "UTF-16 (big-endian, no byte order mark)"),
        ("utf-32", b"", "UTF-32 (little-endian, with a byte order mark)"),
        ("utf-32-le", b"", "UTF-32 (little-endian, no byte order mark)"),
    ],
)
def test_utf16_and_utf32_are_named_with_the_fix_not_called_binary(encoding, bom, words):
    exc = rejected(bom + body(3).encode(encoding), 8 << 20)
    assert exc.rule == "FILE-ENCODING"
    assert words in exc.message and "save it as UTF-8" in exc.message


@pytest.mark.parametrize(
    ("byte", "words"),
    [(b"\xe9", "'\u00e9' in Latin-1"), (b"\x92", "Windows-1252 (ANSI)")],
)
@pytest.mark.parametrize("chunk", CHUNKS)
def test_an_8_bit_byte_names_its_line_and_the_likely_encoding(byte, words, chunk):
    content = body(6).encode().replace(b"C5,", b"C5" + byte + b",")
    exc = rejected(content, chunk)
    assert (exc.rule, exc.line) == ("FILE-ENCODING", 6)
    assert words in exc.message and "save it as UTF-8" in exc.message


@pytest.mark.parametrize("chunk", CHUNKS)
def test_lines_ended_by_cr_alone_are_rejected_as_classic_mac(chunk):
    exc = rejected(body(3, "\r").encode(), chunk)
    assert exc.rule == "FILE-LINE-ENDINGS" and "classic Mac OS" in exc.message


@pytest.mark.parametrize("chunk", CHUNKS)
def test_a_stray_carriage_return_names_its_line(chunk):
    content = body(6).replace("C3,01", "C3,0\r1").encode()
    exc = rejected(content, chunk)
    assert (exc.rule, exc.line) == ("FILE-LINE-ENDINGS", 4)


@pytest.mark.parametrize("chunk", CHUNKS)
def test_mixed_line_ends_are_accepted_with_a_warning(chunk):
    content = (body(2, "\r\n") + ROW + "\n").encode()
    found = scan(content, chunk)
    assert found.line_ends == "mixed"
    assert found.warnings == [
        "850/x/missing.csv: mixed line ends (3 lines end CRLF, 1 LF): the file may be several "
        "exports joined together [rule FILE-MIXED-LINE-ENDS]"
    ]


@pytest.mark.parametrize("chunk", CHUNKS)
def test_every_repeated_header_row_is_counted_and_the_first_are_named(chunk):
    part = body(3)
    content = (part * 8).encode()  # eight exports joined: the header at lines 5, 9, ... 29
    exc = rejected(content, chunk)
    assert (exc.rule, exc.line) == ("FILE-REPEATED-HEADER", 5)
    assert "repeated at lines 5, 9, 13, 17, 21 and 2 more" in exc.message


@pytest.mark.parametrize("chunk", CHUNKS)
def test_a_repeated_header_with_its_own_byte_order_mark_is_found(chunk):
    content = (body(2) + "\ufeff" + body(2)).encode()
    assert rejected(content, chunk).rule == "FILE-REPEATED-HEADER"


def test_a_value_that_starts_like_the_header_is_not_a_repeat():
    content = (body(2) + HEADER + "X,1,2,3,4\n").encode()  # not the header line itself
    assert scan(content, 5).lines == 4


@pytest.mark.parametrize(
    ("head", "rule", "words"),
    [
        (b"\x1f\x8b\x08\x00", "FILE-BINARY", "gzip"),
        (b"%PDF-1.7\n", "FILE-BINARY", "PDF"),
        (b"PK\x03\x04\x14\x00", "FILE-EXCEL", "Excel workbook"),
        (b"\x01\x02\x03\x04\x05\x06CHILD", "FILE-BINARY", "binary"),
    ],
)
def test_files_that_are_not_text_are_named_by_what_they_are(head, rule, words):
    exc = rejected(head + b"rest", 8 << 20)
    assert exc.rule == rule and words in exc.message


def test_a_symbolic_link_is_never_opened(tmp_path):
    target = tmp_path / "outside.csv"
    target.write_text(body(1))
    link = tmp_path / "missing.csv"
    link.symlink_to(target)
    with pytest.raises(FileRejected) as info:
        open_regular(link, "850/x/missing.csv")
    assert info.value.rule == "LANDING-SYMLINK"


def test_a_folder_or_a_named_pipe_is_not_read_and_never_blocks(tmp_path):
    folder = tmp_path / "header.csv"
    folder.mkdir()
    pipe = tmp_path / "episodes.csv"
    os.mkfifo(pipe)  # opening it for reading would wait for a writer for ever
    for path in (folder, pipe):
        with pytest.raises(FileRejected) as info:
            open_regular(path, path.name)
        assert info.value.rule == "FILE-UNREADABLE"
