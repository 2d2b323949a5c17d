"""Tables as downloadable files: Excel workbooks (openpyxl) and CSV text (pure, no Dash).

Every grid's "Download Excel" button (``components.grid``) and the pages' own downloads
come through here, so a table looks the same whichever page it was downloaded from:
one sheet, a bold frozen header row with the grid's column headings, numbers as numbers,
ISO dates as Excel dates, links written as their text.

Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first, the
OWASP "CSV injection" characters) is written as text in the workbook and prefixed with
``'`` in CSV: extracts are supplied by councils' systems and a cell must never execute.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel's limit on a sheet name, and the characters it does not allow in one.
_SHEET_NAME_LENGTH = 31
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WIDEST_COLUMN = 60


def plain(value: Any) -> Any:
    """A cell as a spreadsheet should hold it: markdown links as their text, NaN as blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        return _MARKDOWN_LINK.sub(r"\1", value)
    return value


def _excel_value(value: Any) -> tuple[Any, str | None]:
    """(value, number format) for one cell; ISO date text becomes a date."""
    value = plain(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value == dt.datetime.combine(value.date(), dt.time()):
            return value.date(), "yyyy-mm-dd"
        return value, "yyyy-mm-dd hh:mm"
    if isinstance(value, dt.date):
        return value, "yyyy-mm-dd"
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return dt.date.fromisoformat(value), "yyyy-mm-dd"
            except ValueError:
                return value, None
        if _ISO_DATETIME.match(value):
            try:
                return dt.datetime.fromisoformat(value), "yyyy-mm-dd hh:mm"
            except ValueError:
                return value, None
    return value, None


def sheet_name(name: str) -> str:
    """``name`` as a valid Excel sheet name (31 characters, no ``[]:*?/\\``)."""
    cleaned = _SHEET_NAME_BAD.sub("-", name).strip("'") or "Sheet"
    return cleaned[:_SHEET_NAME_LENGTH]


def columns_of(
    rows: Sequence[Mapping[str, Any]], column_defs: Sequence[Mapping[str, Any]] | None
) -> list[tuple[str, str]]:
    """(field, heading) of the grid's columns in order; every key of the rows without defs."""
    if column_defs:
        return [
            (str(c["field"]), str(c.get("headerName") or c["field"]))
            for c in column_defs
            if c.get("field")
        ]
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return [(k, k) for k in keys]


def xlsx_bytes(
    rows: Sequence[Mapping[str, Any]] | pd.DataFrame,
    column_defs: Sequence[Mapping[str, Any]] | None = None,
    *,
    sheet: str = "Sheet",
    title: str | None = None,
) -> bytes:
    """An .xlsx workbook of ``rows`` with the grid's column headings.

    ``column_defs`` are AG Grid column definitions (``field``, ``headerName``); without
    them every key of the rows is a column. ``title`` is stored as the workbook's title.
    """
    if isinstance(rows, pd.DataFrame):
        rows = rows.to_dict("records")
    cols = columns_of(rows, column_defs)
    book = Workbook()
    ws = book.active
    ws.title = sheet_name(sheet)
    if title:
        book.properties.title = title
    ws.append([heading for _, heading in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(heading) for _, heading in cols]
    for r, row in enumerate(rows, start=2):
        for c, (field, _) in enumerate(cols, start=1):
            value, number_format = _excel_value(row.get(field))
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control bytes from a file
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # openpyxl would store it as a formula
            if number_format:
                cell.number_format = number_format
            widths[c - 1] = max(widths[c - 1], len(str(value)) if value is not None else 0)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(width + 2, _WIDEST_COLUMN)
    ws.freeze_panes = "A2"
    if cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(len(rows) + 1, 1)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(
    rows: Sequence[Mapping[str, Any]] | pd.DataFrame,
    column_defs: Sequence[Mapping[str, Any]] | None = None,
) -> str:
    """CSV of ``rows`` with the grid's headings (or the frame's columns), formula-safe."""
    if isinstance(rows, pd.DataFrame):
        rows = rows.to_dict("records")
    cols = columns_of(rows, column_defs)
    frame = pd.DataFrame(
        [[_csv_cell(row.get(field)) for field, _ in cols] for row in rows],
        columns=[heading for _, heading in cols],
    )
    return frame.to_csv(index=False)
