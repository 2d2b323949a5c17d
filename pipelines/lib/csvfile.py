"""Read one contract CSV strictly: every structural problem rejects the file, by name.

Rules of the data contract, "File format": UTF-8 (a byte order mark is accepted), ``\\n``
or ``\\r\\n`` line ends, header row, column names matched case-insensitively after
trimming, column order free, extra columns ignored with a warning, a missing required
column rejects the file. Values are kept as trimmed text (blank becomes ``None``): typing
and row-level rules belong to dbt and the data-quality gate, so a bad value never stops
a load. A file that is structurally broken (not text, not CSV, cut short) is rejected
whole: loading part of it would be "half-loaded".
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lib.contract import TableSpec

_EXCEL_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook (.xlsx) saved with a .csv name",
    b"\xd0\xcf\x11\xe0": "an Excel 97-2003 workbook (.xls) saved with a .csv name",
}


class FileRejected(Exception):
    """The file breaks the contract; the message names the file, the line and the rule."""

    def __init__(self, path: Path | str, rule: str, message: str, line: int | None = None):
        self.path, self.rule, self.line = str(path), rule, line
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message} [rule {rule}]")
        self.message = message


@dataclass
class ParsedFile:
    spec: TableSpec
    path: Path
    columns: dict[str, list[str | None]]  # contract column (lower case) -> values
    source_rows: list[int]  # line number of each row (header = 1)
    fingerprint: str
    warnings: list[str] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.source_rows)


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _decode(path: Path, data: bytes) -> str:
    for signature, what in _EXCEL_SIGNATURES.items():
        if data.startswith(signature):
            raise FileRejected(path, "FILE-EXCEL", f"the file is {what}; export it as CSV")
    if b"\x00" in data[:4096]:
        raise FileRejected(path, "FILE-BINARY", "the file is binary (NUL bytes), not CSV text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise FileRejected(
            path,
            "FILE-ENCODING",
            f"not UTF-8: byte 0x{byte} cannot be decoded (the file looks like Latin-1 or "
            "Windows-1252); save it as UTF-8",
            line=line,
        ) from None


def _header_map(path: Path, spec: TableSpec, header: list[str]) -> tuple[dict[str, int], list[str]]:
    names = [h.strip().upper() for h in header]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen and name:
            raise FileRejected(
                path,
                "FILE-DUPLICATE-COLUMN",
                f"column {header[i].strip()!r} appears twice in the header",
                line=1,
            )
        seen[name] = i
    missing = [c for c in spec.columns if c not in seen]
    if missing:
        raise FileRejected(
            path,
            "FILE-MISSING-COLUMN",
            f"required column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"missing from the header of {spec.file_name}",
            line=1,
        )
    extra = [h.strip() for h, n in zip(header, names, strict=True) if n not in spec.columns]
    warnings = []
    if extra:
        warnings.append(
            f"{path}: extra column{'s' if len(extra) > 1 else ''} "
            f"{', '.join(repr(e) for e in extra)} ignored [rule FILE-EXTRA-COLUMN]"
        )
    return {c: seen[c] for c in spec.columns}, warnings


def read_contract_csv(path: Path, spec: TableSpec, display_path: str | None = None) -> ParsedFile:
    """Parse ``path`` as table ``spec``; raise :class:`FileRejected` if it breaks the contract."""
    shown = display_path or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRejected(shown, "FILE-UNREADABLE", f"cannot be read: {exc.strerror}") from None
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FileRejected(shown, "FILE-EMPTY", "the file is empty (not even a header row)")
    text = _decode(shown, data)

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        index, warnings = _header_map(shown, spec, header)
        width = len(header)
        columns: dict[str, list[str | None]] = {c.lower(): [] for c in spec.columns}
        source_rows: list[int] = []
        line = 1
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if len(row) != width:
                last = reader.line_num >= text.count("\n") + (0 if text.endswith("\n") else 1)
                hint = " (the file looks cut short)" if last and len(row) < width else ""
                raise FileRejected(
                    shown,
                    "FILE-FIELD-COUNT",
                    f"row has {len(row)} fields but the header has {width}{hint}",
                    line=line,
                )
            for col, i in index.items():
                value = row[i].strip()
                columns[col.lower()].append(value or None)
            source_rows.append(line)
    except csv.Error as exc:
        raise FileRejected(
            shown, "FILE-CSV", f"not valid CSV: {exc}", line=reader.line_num
        ) from None

    if not source_rows:
        warnings.append(f"{shown}: header only, no data rows [rule FILE-NO-ROWS]")
    return ParsedFile(spec, path, columns, source_rows, fingerprint(data), warnings)
