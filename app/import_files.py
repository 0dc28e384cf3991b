"""Reading the order files shops have: CSV as Excel writes it in any locale, and .xlsx.

Excel in a Vietnamese locale separates with `;`, saves "CSV UTF-8" with a BOM, plain "CSV"
as Windows-1258, and "Unicode Text" as UTF-16; Google Sheets and most systems write UTF-8
with `,`. The encoding is told by the BOM, else UTF-8 if the bytes are valid UTF-8, else
Windows-1258; the separator by the header line. Rows come back as mappings of the file's own
header to the cell (text from CSV; numbers and datetimes as such from .xlsx).
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEPARATORS = ",;\t"


class UnreadableFile(Exception):
    """The file cannot be read as a table: one line for the user."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (the file's line or the sheet's row, for the report; the cells)


def read_table(path: Path) -> Table:
    try:
        data = path.read_bytes()
    except OSError as failure:
        raise UnreadableFile(f"cannot read {path}: {failure.strerror or failure}") from None
    if data.startswith(b"PK\x03\x04"):  # a zip: .xlsx whatever the file is called
        return _xlsx(data)
    return _csv(decode(data))


def decode(data: bytes) -> str:
    """The text of a CSV file in whichever encoding Excel or a system saved it."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)  # Windows-1258 writes tones as combining marks


def _csv(text: str) -> Table:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise UnreadableFile("the file is empty; the first line must name the columns")
    separator = max(SEPARATORS, key=lines[0].count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header = [cell.strip() for cell in next(reader)]
    return Table(header, [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)])


def _xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, OSError) as failure:
        raise UnreadableFile(f"not a readable .xlsx workbook ({type(failure).__name__})") from None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    if not rows:
        raise UnreadableFile("the first sheet is empty; its first row must name the columns")
    header = ["" if cell is None else str(cell).strip() for cell in rows[0]]
    return Table(header, [(n, row) for n, row in enumerate(rows[1:], start=2) if any(c not in (None, "") for c in row)])
