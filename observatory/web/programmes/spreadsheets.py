"""A spreadsheet a person uploads, read as rows of text cells: CSV (UTF-8 with or without a
byte-order mark, or Excel's Windows-1252; comma, semicolon or tab separated, as Excel saves
it in different countries) or an Excel workbook (.xlsx).

Used by the register's import (tabular.py) and by return templates (tabular_returns.py), so
both accept the same files and refuse the same files with the same sentences.
"""

import csv
import datetime
import io
import zipfile


class UnreadableFile(Exception):
    """The file cannot be read as a table at all; the message says why, for a person."""


def read_table(name: str, content: bytes, sheet: str | None = None) -> list[list[str]]:
    """The rows of the uploaded file `name` as lists of text (Excel: the sheet named `sheet`
    if the workbook has it, else the first). Raises UnreadableFile."""
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return _read_csv(content)
    if lowered.endswith(".xlsx"):
        return _read_xlsx(content, sheet)
    if lowered.endswith(".xls"):
        raise UnreadableFile(
            "This is an old Excel (.xls) file: save it as an Excel Workbook (.xlsx) or as CSV "
            "and upload that."
        )
    raise UnreadableFile("This is not a CSV or Excel (.xlsx) file.")


def cell_text(value) -> str:
    """A cell as the text a person sees: 12.0 as "12", a date as 2025-04-01, empty as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_csv(content: bytes) -> list[list[str]]:
    if b"\x00" in content[:4096]:
        # UTF-16 ("Unicode Text" in Excel) or a binary file: Windows-1252 would decode it
        # into nonsense rather than fail, so refuse it here.
        raise UnreadableFile("The file could not be read as text: save it as CSV UTF-8.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile("The file could not be read as text: save it as CSV UTF-8.")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise UnreadableFile(f"The file is not valid CSV ({error}).") from None


def _read_xlsx(content: bytes, sheet: str | None) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableFile("The file is not a valid Excel (.xlsx) workbook.") from None
    try:
        chosen = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
        return [[cell_text(cell) for cell in row] for row in chosen.iter_rows(values_only=True)]
    finally:
        book.close()
