"""Read one contract CSV strictly: every structural problem rejects the file, by name.

First the whole file is checked, streamed (:mod:`pipelines.lib.filecheck`: encoding, NUL
and control bytes, line ends, a repeated header row); then it is parsed, streamed too.

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
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pipelines.lib.contract import TableSpec
from pipelines.lib.filecheck import FileRejected, FileScan, open_regular, scan_file

__all__ = ["FileRejected", "ParsedFile", "parse_csv", "read_contract_csv"]


@dataclass
class ParsedFile:
    spec: TableSpec
    path: Path
    columns: dict[str, list[str | None]]  # contract column (lower case) -> values
    source_rows: list[int]  # line each row starts on (header = 1)
    fingerprint: str
    warnings: list[str] = field(default_factory=list)
    #: Rows, once :meth:`release` has dropped the values and lines.
    released_rows: int | None = None

    @property
    def row_count(self) -> int:
        return len(self.source_rows) if self.released_rows is None else self.released_rows

    @property
    def released(self) -> bool:
        return self.released_rows is not None

    def release(self) -> None:
        """Drop the values and lines (the row count stays) once they are in a frame that
        is used instead: a gate batch of 2 M rows would otherwise hold them twice."""
        if self.released_rows is None:
            self.released_rows = len(self.source_rows)
            self.columns = {}
            self.source_rows = []


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
    """Check ``path`` whole (:mod:`pipelines.lib.filecheck`), then parse it as table ``spec``.

    Raise :class:`FileRejected` if it breaks the contract. A symbolic link is never followed.
    """
    shown = display_path or str(path)
    with open_regular(path, shown) as handle:
        scan = scan_file(handle, shown)
        handle.seek(0)
        return parse_csv(handle, scan, spec, path, shown)


def parse_csv(
    handle: BinaryIO, scan: FileScan, spec: TableSpec, path: Path, shown: str
) -> ParsedFile:
    """Parse a file that passed :func:`~pipelines.lib.filecheck.scan_file`, from the start of
    ``handle``, streaming (the file is never held in memory whole)."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader)
        index, warnings = _header_map(shown, spec, header)
        width = len(header)
        columns: dict[str, list[str | None]] = {c.lower(): [] for c in spec.columns}
        # Equal values of a column share one str (codes, dates and IDs repeat down a file):
        # a gate batch holds millions of cells, and each str costs 50 bytes or more. Each
        # column's table of values starts with blank -> None.
        appenders = [
            (columns[col.lower()].append, {"": None}.setdefault, i) for col, i in index.items()
        ]
        source_rows: list[int] = []
        names = [h.strip().upper() for h in header]
        end = reader.line_num  # the line the previous record ended on
        for row in reader:
            start, end = end + 1, reader.line_num  # a quoted line break spans lines
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if row[0].strip().upper() == names[0] and [v.strip().upper() for v in row] == names:
                raise FileRejected(  # the whole-file check finds exact repeats; this, any case
                    shown,
                    "FILE-REPEATED-HEADER",
                    "the header row is repeated (in another case or spacing): the file looks "
                    "like several exports joined together; keep the first header row only",
                    line=start,
                )
            if len(row) != width:
                last = end >= scan.lines
                hint = " (the file looks cut short)" if last and len(row) < width else ""
                raise FileRejected(
                    shown,
                    "FILE-FIELD-COUNT",
                    f"row has {len(row)} fields but the header has {width}{hint}",
                    line=start,
                )
            for append, share, i in appenders:
                value = row[i].strip()
                append(share(value, value))
            source_rows.append(start)
    except csv.Error as exc:
        raise FileRejected(
            shown, "FILE-CSV", f"not valid CSV: {exc}", line=reader.line_num
        ) from None
    finally:
        text.detach()  # the caller owns the file

    warnings = scan.warnings + warnings
    if not source_rows:
        warnings.append(f"{shown}: header only, no data rows [rule FILE-NO-ROWS]")
    return ParsedFile(spec, path, columns, source_rows, scan.fingerprint, warnings)
