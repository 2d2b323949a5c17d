"""Whole-file checks of one landing file, streamed in chunks before any parsing.

Every byte of the file is looked at, not just its first kilobytes, and nothing is held in
memory but one chunk (:data:`CHUNK_BYTES`): a file ten times its usual size costs the same
memory as a small one. Each check is a C-speed operation on the chunk (numpy counts of
byte values, ``bytes.find`` / ``count`` / ``isascii``, an incremental UTF-8 decoder only
for chunks that are not ASCII, SHA-256), never a loop over characters in Python. The checks are separate from parsing on purpose: whatever reads the rows
(Python's ``csv`` today, DuckDB's ``read_csv`` later) gets a file already known to be UTF-8
text with CSV line ends and one header row.

What is checked, in the order a file is rejected for it (rule codes in
``expectations/structural.py``):

- not text at all: an Excel workbook, a zip, gzip or PDF file saved with a ``.csv`` name
  (``FILE-EXCEL``, ``FILE-BINARY``), or mostly control bytes (``FILE-BINARY``);
- another encoding: UTF-16 or UTF-32 (with or without a byte order mark), named, with the
  fix (``FILE-ENCODING``);
- a NUL byte anywhere (``FILE-NUL``) or another control character (``FILE-CONTROL-CHARACTER``),
  with the line;
- bytes that are not UTF-8, with the line, the byte and what it is in Latin-1 /
  Windows-1252 (``FILE-ENCODING``);
- carriage returns that do not end a line, or lines ended by CR alone (``FILE-LINE-ENDINGS``);
- the header row repeated further down, as when two exports are joined
  (``FILE-REPEATED-HEADER``, every such line counted).

A UTF-8 byte order mark is accepted, and so are ``\\n`` and ``\\r\\n`` line ends (a file that
mixes the two is accepted with a warning, ``FILE-MIXED-LINE-ENDS``).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

#: Bytes read at a time. Memory used by a scan is about twice this, whatever the file size.
CHUNK_BYTES = 8 << 20
#: Bytes looked at to recognise a file type or a UTF-16/32 encoding without a byte order mark.
SNIFF_BYTES = 4096
#: Longest header line looked for whole in the first chunk.
HEADER_BYTES = 1 << 20
#: Lines of a repeated header named in the message (all are counted).
LINES_NAMED = 5

UTF8_BOM = b"\xef\xbb\xbf"
SAVE_AS_UTF8 = "save it as UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma delimited)')"

_SIGNATURES = (
    (b"PK\x03\x04", "FILE-EXCEL", "an Excel workbook (.xlsx) or another zip archive"),
    (b"\xd0\xcf\x11\xe0", "FILE-EXCEL", "an Excel 97-2003 workbook (.xls)"),
    (b"\x1f\x8b", "FILE-BINARY", "a gzip-compressed file"),
    (b"%PDF", "FILE-BINARY", "a PDF document"),
)
_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian, with a byte order mark)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian, with a byte order mark)"),
    (b"\xfe\xff", "UTF-16 (big-endian, with a byte order mark)"),
    (b"\xff\xfe", "UTF-16 (little-endian, with a byte order mark)"),
)
#: C0 control characters that have no place in CSV text (tab, LF and CR do), and DEL.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"
_CONTROL_RE = re.compile(b"[" + re.escape(_CONTROL) + b"]")
_CONTROL_NAMES = {0: "NUL", 8: "backspace", 12: "form feed", 26: "Ctrl-Z (SUB)", 27: "ESC"}
_LONE_CR = re.compile(rb"\r(?!\n)")


class FileRejected(Exception):
    """The file breaks the contract; the message names the file, the line and the rule."""

    def __init__(self, path: Path | str, rule: str, message: str, line: int | None = None):
        self.path, self.rule, self.line = str(path), rule, line
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message} [rule {rule}]")
        self.message = message


@dataclass
class FileScan:
    """What the whole-file scan found in a file that passed it."""

    size: int
    fingerprint: str  # SHA-256 of the bytes
    lines: int  # physical lines (a last line without a line end counts)
    header: bytes  # the first line, without byte order mark or line end
    has_bom: bool
    line_ends: str  # "LF", "CRLF", "mixed" or "" (a single line without a line end)
    warnings: list[str] = field(default_factory=list)

    @property
    def data_lines(self) -> int:
        """Physical lines after the header (an upper bound on the rows)."""
        return max(self.lines - 1, 0)


def open_regular(path: Path, shown: str) -> BinaryIO:
    """Open ``path`` for reading without following a symbolic link; only a regular file.

    ``O_NOFOLLOW`` makes the open itself refuse a link, so a file swapped for a link after
    the folder was listed is refused too; ``O_NONBLOCK`` keeps a named pipe from blocking.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if os.path.islink(path):
            raise FileRejected(
                shown,
                "LANDING-SYMLINK",
                "the file is a symbolic link; links are never followed: copy the file itself "
                "into the extract folder",
            ) from None
        raise FileRejected(shown, "FILE-UNREADABLE", f"cannot be read: {exc.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise FileRejected(shown, "FILE-UNREADABLE", f"cannot be read: it is {what}, not a file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32, by byte order mark or by where the NUL bytes of ASCII text fall."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    n = len(head) - len(head) % 4
    if n < 8:
        return None
    share = [head[i:n:4].count(0) / (n // 4) for i in range(4)]
    if share[0] < 0.5 and min(share[1:]) > 0.9:
        return "UTF-32 (little-endian, no byte order mark)"
    if share[3] < 0.5 and min(share[:3]) > 0.9:
        return "UTF-32 (big-endian, no byte order mark)"
    if max(share[0], share[2]) < 0.3 and min(share[1], share[3]) > 0.7:
        return "UTF-16 (little-endian, no byte order mark)"
    if max(share[1], share[3]) < 0.3 and min(share[0], share[2]) > 0.7:
        return "UTF-16 (big-endian, no byte order mark)"
    return None


def _sniff(head: bytes, shown: str) -> None:
    """Reject a file that is not text, or is text in a wide encoding, from its first bytes."""
    for signature, rule, what in _SIGNATURES:
        if head.startswith(signature):
            raise FileRejected(shown, rule, f"the file is {what} saved with a .csv name; "
                               "export the table as CSV (UTF-8)")  # fmt: skip
    wide = _wide_encoding(head)
    if wide:
        raise FileRejected(shown, "FILE-ENCODING", f"the file is {wide}, not UTF-8: {SAVE_AS_UTF8}")
    if head and len(head.translate(None, _CONTROL)) < 0.9 * len(head):
        raise FileRejected(
            shown,
            "FILE-BINARY",
            "the file is binary (more than 1 byte in 10 is a control character), not CSV "
            "text; export the table as CSV (UTF-8)",
        )


def _latin1_hint(bad: bytes) -> str:
    """What an undecodable byte is in the usual 8-bit encodings, to name the file's encoding."""
    byte = bad[0]
    if 0x80 <= byte <= 0x9F:
        char = bytes([byte]).decode("cp1252", errors="replace")
        return f"'{char}' in Windows-1252: the file looks like Windows-1252 (ANSI)"
    char = bytes([byte]).decode("latin-1")
    return f"'{char}' in Latin-1: the file looks like Latin-1 (ISO-8859-1) or Windows-1252"


def _line_of(lines_before: int, buffer: bytes, position: int) -> int:
    return lines_before + buffer.count(b"\n", 0, position) + 1


def _control_message(byte: int) -> tuple[str, str]:
    if byte == 0:
        return "FILE-NUL", (
            "a NUL byte (0x00) is in the middle of the text: a NUL is never valid in a CSV "
            "value (the case system wrote binary data into a field); fix the record and "
            "export the file again"
        )
    name = _CONTROL_NAMES.get(byte, "a control character")
    return "FILE-CONTROL-CHARACTER", (
        f"control character 0x{byte:02X} ({name}) in the text: control characters are never "
        "valid in a CSV value; fix the record and export the file again"
    )


class _HeaderRepeats:
    """Finds lines equal to the header line (with or without a byte order mark) across chunks."""

    def __init__(self, header: bytes):
        self.needles = (b"\n" + header, b"\n" + UTF8_BOM + header) if header else ()
        self.keep = max((len(n) for n in self.needles), default=0) + 1
        self.carry = b""
        self.carry_lines = 0  # newlines in the data before ``carry``
        self.found: list[int] = []
        self.last = -1  # absolute offset of the last match counted

    def feed(self, chunk: bytes, offset: int, lines_before: int, final: bool) -> None:
        """``chunk`` starts at absolute ``offset``; ``lines_before`` newlines precede it."""
        if not self.needles:
            return
        buffer = self.carry + chunk
        start = offset - len(self.carry)
        base_lines = lines_before - self.carry.count(b"\n")
        for needle in self.needles:
            at = buffer.find(needle)
            while at != -1:
                end = at + len(needle)
                if end >= len(buffer) and not final:
                    break  # the next byte decides; the carry brings it back next time
                if (end == len(buffer) or buffer[end] in b"\r\n") and start + at > self.last:
                    self.last = start + at
                    self.found.append(base_lines + buffer.count(b"\n", 0, at) + 2)
                at = buffer.find(needle, at + 1)
        self.carry = buffer[-self.keep :]


def scan_file(handle: BinaryIO, shown: str, chunk_bytes: int = CHUNK_BYTES) -> FileScan:
    """Read ``handle`` once, chunk by chunk; raise :class:`FileRejected` for the first fault.

    ``shown`` is the file as named in messages (relative to the landing folder).
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    first = handle.read(max(chunk_bytes, SNIFF_BYTES))
    while b"\n" not in first and len(first) < HEADER_BYTES:  # the header line, whole
        more = handle.read(chunk_bytes)
        if not more:
            break
        first += more
    if not first.strip(UTF8_BOM + b" \t\r\n"):
        raise FileRejected(shown, "FILE-EMPTY", "the file is empty (not even a header row)")
    _sniff(first[:SNIFF_BYTES], shown)
    has_bom = first.startswith(UTF8_BOM)
    body = first[len(UTF8_BOM) :] if has_bom else first
    header = body.split(b"\n", 1)[0].rstrip(b"\r")
    repeats = _HeaderRepeats(header)

    offset = lines = crlf = 0
    cr_pending = False  # the previous chunk ended with CR
    last_byte = b""
    chunk = first
    while chunk:
        nxt = handle.read(chunk_bytes)
        digest.update(chunk)
        codes = np.frombuffer(chunk, dtype=np.uint8)
        n_lf = int(np.count_nonzero(codes == 10))
        n_cr = int(np.count_nonzero(codes == 13)) if b"\r" in chunk else 0
        low = int(np.count_nonzero(codes < 32)) + int(np.count_nonzero(codes == 127))
        if low != n_lf + n_cr + chunk.count(b"\t"):  # a control character
            at = _CONTROL_RE.search(chunk).start()
            rule, message = _control_message(chunk[at])
            raise FileRejected(shown, rule, message, _line_of(lines, chunk, at))
        if not (chunk.isascii() and not decoder.getstate()[0]):
            pending = decoder.getstate()[0]
            try:
                decoder.decode(chunk, final=not nxt)
            except UnicodeDecodeError as exc:
                at = max(exc.start - len(pending), 0)
                bad = (pending + chunk)[exc.start : exc.start + 1] or chunk[at : at + 1]
                raise FileRejected(
                    shown,
                    "FILE-ENCODING",
                    f"not UTF-8: byte 0x{bad.hex()} cannot be decoded (it is "
                    f"{_latin1_hint(bad)}); {SAVE_AS_UTF8}",
                    _line_of(lines, chunk, at),
                ) from None
        joined = cr_pending and chunk.startswith(b"\n")  # a CRLF split between chunks
        if cr_pending and not joined:
            _reject_lone_cr(shown, b"\r", lines, True)
        if n_cr:
            pairs = chunk.count(b"\r\n")
            crlf += pairs + joined
            if n_cr - pairs - chunk.endswith(b"\r") > 0 or (chunk.endswith(b"\r") and not nxt):
                _reject_lone_cr(shown, chunk, lines, n_lf > 0 or lines > 0)
        else:
            crlf += joined
        repeats.feed(chunk, offset, lines, final=not nxt)
        lines += n_lf
        cr_pending = chunk.endswith(b"\r")
        last_byte = chunk[-1:]
        offset += len(chunk)
        chunk = nxt
    total_lines = lines + (0 if last_byte == b"\n" else 1)
    lf_only = lines - crlf
    line_ends = "CRLF" if crlf and not lf_only else "LF" if lf_only and not crlf else ""
    warnings = []
    if crlf and lf_only:
        line_ends = "mixed"
        warnings.append(
            f"{shown}: mixed line ends ({crlf:,} lines end CRLF, {lf_only:,} LF): the file "
            "may be several exports joined together [rule FILE-MIXED-LINE-ENDS]"
        )
    if repeats.found:
        named = ", ".join(str(n) for n in repeats.found[:LINES_NAMED])
        more = len(repeats.found) - LINES_NAMED
        raise FileRejected(
            shown,
            "FILE-REPEATED-HEADER",
            f"the header row is repeated at line{'s' if len(repeats.found) > 1 else ''} {named}"
            + (f" and {more:,} more" if more > 0 else "")
            + ": the file looks like several exports joined together; keep the first header "
            "row only (the rows of a repeated header are not data)",
            repeats.found[0],
        )
    return FileScan(
        offset,
        digest.hexdigest(),
        total_lines,
        header,
        has_bom,
        line_ends,
        warnings,
    )


def _reject_lone_cr(shown: str, chunk: bytes, lines_before: int, has_lf: bool) -> None:
    match = _LONE_CR.search(chunk)
    at = match.start() if match else len(chunk) - 1
    if not has_lf:
        raise FileRejected(
            shown,
            "FILE-LINE-ENDINGS",
            "lines end with a carriage return (CR) alone, as on classic Mac OS: save the file "
            "with Windows (CRLF) or Unix (LF) line ends",
        )
    raise FileRejected(
        shown,
        "FILE-LINE-ENDINGS",
        "a carriage return (CR) that does not end the line: a CR is only valid before a line "
        "feed; remove it from the value, or save the file again with CRLF or LF line ends",
        _line_of(lines_before, chunk, at),
    )
