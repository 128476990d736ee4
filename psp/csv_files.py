"""Reading an uploaded CSV for an import (KPI values, CPD transcripts): its size, its text, its
header and its rows, each row with its line in the file (the header is line 1; a row whose quoted
text runs over several lines, its last), so every problem can be named where a person finds it in
their spreadsheet.

Only the reading is shared; what the columns mean is each import's own.
"""

import csv
import io
from dataclasses import dataclass

# The first bytes of files people export by mistake instead of a CSV.
SPREADSHEETS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (a zip), .xls (OLE)


@dataclass(frozen=True)
class RowError:
    line: int  # the line of the file, the header being line 1; 0 for the file as a whole
    column: str
    message: str


@dataclass(frozen=True)
class CsvFile:
    header: list[str]  # the column names as given, trimmed and in lower case
    rows: list[tuple[int, dict]]  # (line, {column: text}) for each row that is not blank


def size_problem(size: int, max_bytes: int) -> str:
    """The message for a file over `max_bytes`, or "" when it is within it."""
    if size <= max_bytes:
        return ""
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; an import takes at most "
        f"{max_bytes / 1024 / 1024:g} MB: split it into smaller files."
    )


def _text(data: bytes) -> tuple[str, str]:
    """The file as text, or why it is not: UTF-8, with or without the byte-order mark Excel's
    "CSV UTF-8" writes."""
    if data.startswith(SPREADSHEETS):
        return "", "This is a spreadsheet file, not a CSV: save it as “CSV UTF-8” and try again."
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "", "The file is not UTF-8 text: save it as “CSV UTF-8”."
    if "\x00" in text:
        return "", "The file is not plain text: save it as “CSV UTF-8”."
    return text, ""


def read_csv(
    data: bytes,
    *,
    columns: list[str],
    required: set[str],
    max_bytes: int,
    max_rows: int,
    what: str = "rows",
) -> tuple[CsvFile | None, list[RowError]]:
    """The file read whole, or the reasons it cannot be read at all (line 0 for the file, line 1
    for its header). Blank lines are skipped; `what` names the rows in messages ("rows of
    values"). Columns outside `columns` are left to the caller (kept in each row)."""
    problem = size_problem(len(data), max_bytes)
    text, unreadable = _text(data) if not problem else ("", problem)
    if unreadable:
        return None, [RowError(0, "", unreadable)]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as error:
        return None, [RowError(1, "", f"The first line cannot be read as CSV: {error}.")]
    missing = [name for name in columns if name in required and name not in header]
    if missing:
        return None, [
            RowError(1, "", f"The first line must name the columns; missing: {', '.join(missing)}.")
        ]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        return None, [RowError(1, "", f"The first line names {', '.join(repeated)} twice.")]
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if not any((value or "").strip() for key, value in row.items() if key):
                continue  # a blank line
            rows.append((reader.line_num, row))
            if len(rows) > max_rows:
                message = f"The file has more than {max_rows:,} rows: split it into smaller files."
                return None, [RowError(0, "", message)]
    except csv.Error as error:
        return None, [RowError(reader.line_num, "", f"This line cannot be read as CSV: {error}.")]
    if not rows:
        return None, [RowError(0, "", f"The file has no {what} under its header.")]
    return CsvFile(header=header, rows=rows), []
