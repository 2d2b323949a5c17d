"""The rules the loader applies before any row is validated: landing folder, whole file,
parsing, volume against the previous extract, and the diagnoses that lead a message.

The row-level rules are Great Expectations suites (``expectations/suites/``) with their
severities in :mod:`expectations.severity`. These are the others: each code below is the
``[rule CODE]`` that ends a message of ``pipelines/lib/landing.py``, ``filecheck.py``,
``csvfile.py``, ``loader.py`` or ``volume.py``, and this is the one place that says what it
means, what happens to the extract, and how to fix it. ``python -m expectations.docs``
writes them into ``docs/data-quality.md``; ``tests/expectations/test_registry.py`` fails if
the code uses a code that is not listed here, or lists one the code no longer uses.
"""

from __future__ import annotations

from dataclasses import dataclass

#: What happens, in words the data-quality page and the docs use.
REJECTED = "extract rejected"  # nothing of the extract is loaded; what was loaded stays
NOT_READ = "listed, not read"  # reported on the data-quality page; the rest loads
WARNING = "loaded, warning"
BLOCKED_UNLESS = "extract blocked unless confirmed"


@dataclass(frozen=True)
class StructuralRule:
    code: str
    stage: str  # landing folder | whole file | parsing | extract | volume | gate | diagnosis
    outcome: str
    what: str
    fix: str


def _r(code: str, stage: str, outcome: str, what: str, fix: str) -> StructuralRule:
    return StructuralRule(code, stage, outcome, what, fix)


RULES: tuple[StructuralRule, ...] = (
    # ----- landing folder (pipelines/lib/landing.py): nothing is followed, opened or read
    _r("LANDING-MISSING", "landing folder", REJECTED, "the landing folder does not exist",
       "set CSC_LANDING_DIR to the folder the case system writes to"),
    _r("LANDING-LA-FOLDER", "landing folder", NOT_READ,
       "a folder of the landing folder that is not a three-digit DfE LA code",
       "rename it to the LA code (Hampshire is 850) or move it out of the landing folder"),
    _r("LANDING-UNKNOWN-ENTRY", "landing folder", NOT_READ,
       "a file or folder the data contract has no place for (in an LA folder, or a folder "
       "inside an extract folder)",
       "move it out of the landing folder: it is listed, never read"),
    _r("LANDING-COLLECTION-YEAR", "landing folder", REJECTED,
       "a folder under ssda903/ that is not a collection year YYYY-YY (e.g. 2024-25)",
       "rename it to the collection year its extracts are for"),
    _r("LANDING-EXTRACT-DATE", "landing folder", REJECTED,
       "an extract folder whose name is not a real date YYYY-MM-DD (e.g. 2026-02-30), or a "
       "date before the start of its collection year",
       "rename the folder to the date the extract was run"),
    _r("LANDING-MISPLACED-FILE", "landing folder", REJECTED,
       "a file where the contract expects a folder (e.g. episodes.csv directly in the "
       "collection-year folder)",
       "move the file into its extract folder, named by the extract date"),
    _r("LANDING-SYMLINK", "landing folder", REJECTED,
       "a symbolic link (to a file or folder, inside the landing folder or not): links are "
       "never followed, so nothing outside the landing folder can be read",
       "copy the file or folder itself into the landing folder"),
    _r("LANDING-OUTSIDE", "landing folder", REJECTED,
       "a path that resolves outside the landing folder", "copy the files into the landing folder"),
    _r("LANDING-UNREADABLE", "landing folder", REJECTED,
       "a folder that cannot be listed (permissions)",
       "give the pipeline's account read access to the folder"),
    # ----- the files of an extract (pipelines/lib/loader.py, filecheck.py, csvfile.py)
    _r("FILE-REQUIRED", "extract", REJECTED,
       "a required file (header, episodes, missing, oc3) is missing from a 903 extract",
       "add the file; a table with no rows is a header-only file"),
    _r("FILE-UNKNOWN-TABLE", "extract", NOT_READ,
       "a file in an extract folder that is not a table of the contract",
       "nothing: it is listed, never read (move it out to silence the warning)"),
    _r("FILE-UNREADABLE", "extract", REJECTED,
       "a contract file that cannot be opened, or is a folder or a pipe rather than a file",
       "replace it with the CSV file, readable by the pipeline's account"),
    _r("FILE-EMPTY", "whole file", REJECTED, "the file is empty (not even a header row)",
       "export the table again; a table with no rows still has its header row"),
    _r("FILE-EXCEL", "whole file", REJECTED, "an Excel workbook saved with a .csv name",
       "export the table as 'CSV UTF-8 (Comma delimited)'"),
    _r("FILE-BINARY", "whole file", REJECTED,
       "not text: gzip, PDF, or mostly control bytes", "export the table as CSV (UTF-8)"),
    _r("FILE-ENCODING", "whole file", REJECTED,
       "not UTF-8: UTF-16 or UTF-32 (named, with or without a byte order mark), or bytes of "
       "an 8-bit encoding (the byte, its line and what it is in Latin-1 / Windows-1252)",
       "save the file as UTF-8 (a UTF-8 byte order mark is accepted)"),
    _r("FILE-NUL", "whole file", REJECTED,
       "a NUL byte (0x00) anywhere in the file, with its line",
       "fix the record in the case system and export the file again"),
    _r("FILE-CONTROL-CHARACTER", "whole file", REJECTED,
       "another control character (0x01–0x1F except tab, CR and LF, or 0x7F), with its line",
       "fix the record in the case system and export the file again"),
    _r("FILE-LINE-ENDINGS", "whole file", REJECTED,
       "lines ended by CR alone (classic Mac OS), or a CR that does not end a line",
       "save the file with CRLF or LF line ends"),
    _r("FILE-MIXED-LINE-ENDS", "whole file", WARNING,
       "some lines end CRLF and others LF: often several exports joined together",
       "check the file is one export; save it with one kind of line end"),
    _r("FILE-REPEATED-HEADER", "whole file", REJECTED,
       "the header row appears again further down (every such line is counted, the first "
       "are named): several exports joined together",
       "keep the first header row only"),
    _r("FILE-TOO-LARGE", "whole file", REJECTED,
       "more lines than any one LA's table can hold (MAX_FILE_ROWS in "
       "expectations/volume.py); the file is not parsed, so memory stays bounded",
       "check the export (a join that multiplied rows, junk appended)"),
    _r("FILE-MISSING-COLUMN", "parsing", REJECTED,
       "a required column is missing from the header (line 1)", "export every contract column"),
    _r("FILE-DUPLICATE-COLUMN", "parsing", REJECTED, "a column appears twice in the header",
       "remove the duplicate column"),
    _r("FILE-EXTRA-COLUMN", "parsing", WARNING, "a column the contract does not have; ignored",
       "nothing, or drop the column from the export"),
    _r("FILE-FIELD-COUNT", "parsing", REJECTED,
       "a row with more or fewer fields than the header (the last line: the file looks cut "
       "short)", "export the file again; quote values that contain commas"),
    _r("FILE-CSV", "parsing", REJECTED, "not valid CSV (an unterminated quote...)",
       "export the file again; quote values that contain commas, quotes or line breaks"),
    _r("FILE-NO-ROWS", "parsing", WARNING, "header only, no data rows",
       "nothing if the table really is empty (see VOLUME-EMPTY)"),
    # ----- loading (pipelines/lib/loader.py)
    _r("LOAD-OLDER-EXTRACT", "extract", "skipped, kept as history",
       "an extract older than the one loaded for its LA, source and year",
       "nothing: the newest extract wins"),
    # ----- volume against the previous accepted extract (pipelines/lib/volume.py)
    _r("VOLUME-SURGE", "volume", REJECTED,
       "a file with many times the rows of the same table in the previous accepted extract "
       "(SURGE_FACTOR in expectations/volume.py); rejected from its line count, before it is "
       "parsed, so memory stays bounded",
       "check the export for junk appended, duplicated or joined rows"),
    _r("VOLUME-EMPTY", "volume", BLOCKED_UNLESS,
       "a table that had rows in the previous accepted extract has none now",
       "export the table again; if it really is empty now, set CSC_CONFIRM_EMPTY to the "
       "file (as the message names it) to publish it, with a warning"),
    _r("VOLUME-ROWS", "volume", WARNING,
       "a table's rows fell or rose beyond its band against the previous accepted extract "
       "(BANDS in expectations/volume.py)", "check the export is complete"),
    _r("VOLUME-NOT-SUPPLIED", "volume", WARNING,
       "an optional table supplied in the previous accepted extract is missing now",
       "add the file if it was left out by mistake"),
    _r("VOLUME-BLANKS", "volume", WARNING,
       "a column's share of blank values jumped against the previous accepted extract",
       "check the case system still exports the column"),
    _r("VOLUME-MONTH-GAP", "volume", WARNING,
       "a month with no events (episodes, missing episodes, reviews, PEPs...) where the "
       "previous accepted extract had them",
       "check the export's date range and filters"),
    # ----- the gate itself (pipelines/lib/quality.py)
    _r("DQ-GATE-ERROR", "gate", REJECTED,
       "the data-quality gate could not run; nothing of the batch is loaded (fail closed)",
       "see the run log; the next run checks the extracts again"),
    # ----- diagnoses: the first words of a blocked extract's message, before the rules
    _r("DIAG-DATES-UNREADABLE", "diagnosis", REJECTED,
       "most dates of a column cannot be read as dd/mm/yyyy or yyyy-mm-dd: the rules that "
       "follow from it are listed after this cause", "export dates as dd/mm/yyyy"),
    _r("DIAG-DAY-MONTH-SWAPPED", "diagnosis", REJECTED,
       "as DIAG-DATES-UNREADABLE, and every unreadable date reads as mm/dd/yyyy: the file's "
       "day and month are swapped", "export dates as dd/mm/yyyy (day first)"),
)  # fmt: skip

RULES_BY_CODE: dict[str, StructuralRule] = {r.code: r for r in RULES}


def structural_rule(code: str) -> StructuralRule:
    """The rule ``code``; KeyError names a code missing from this module."""
    try:
        return RULES_BY_CODE[code]
    except KeyError:
        raise KeyError(f"rule {code} is not listed in expectations/structural.py") from None
