"""Open an uploaded file safely and stream its rows, whatever spreadsheet wrote it.

Checks run before any parsing: size cap, file type by name *and* by content (a PNG renamed .xlsx is
refused), zip limits for workbooks (entry count and uncompressed size, against zip bombs), and merged
cells, which hide values. Rows come out one at a time as (row number the user sees, cells).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import BinaryIO

from casework.imports.problems import FileRefused, Problem

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_XLSX_ENTRIES = 1000
MAX_COLUMNS = 200
CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx"}
CASE_LIST_SHEET = "Case list"

TOO_BIG = "The file is {size}; the largest file you can import is {cap}. Split it into smaller files."
EMPTY = "The file is empty (0 bytes). Choose the file again, or export it again from your system."
NO_HEADER = "The file has no header row. The first row must name the columns, for example child_id."
NO_ROWS = "The file has a header row but no data rows."
WRONG_TYPE = "The file must be a CSV or an Excel workbook (.xlsx); '{name}' is neither."
OLD_EXCEL = "'{name}' is an old Excel file (.xls) or has macros. Save it as .xlsx or CSV UTF-8 and try again."
NOT_XLSX = "'{name}' is not an Excel workbook, although its name ends in .xlsx. Save it from Excel as .xlsx."
NOT_CSV = "'{name}' is not a CSV file, although its name ends in {suffix}. Export it as CSV UTF-8."
NOT_UTF8 = (
    "The file is not UTF-8 text (the first unreadable byte is in row {row}). "
    "In Excel choose Save as, then 'CSV UTF-8 (Comma delimited)'."
)
ZIP_TOO_BIG = "The workbook is too large once unpacked; split it into smaller files."
MERGED = "cells {ref} are merged; unmerge them so that every value sits in its own cell"
BAD_CSV = "the row cannot be read as CSV ({reason}); check for a stray quote mark"

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"%PDF": "a PDF",
    b"\xd0\xcf\x11\xe0": "an old Office file",
    b"PK\x03\x04": "a zip or Office file",
    b"GIF8": "a GIF image",
}


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def _size_of(handle: BinaryIO) -> int:
    position = handle.tell()
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(position)
    return size


def check_file(handle: BinaryIO, filename: str, *, max_bytes: int | None = None) -> str:
    """Refuse a file we should not parse; return its format, "csv" or "xlsx"."""
    max_bytes = max_bytes or MAX_FILE_BYTES
    name = PurePath(filename or "").name or "the file"
    suffix = PurePath(name).suffix.lower()
    size = _size_of(handle)
    if size == 0:
        raise FileRefused(Problem(EMPTY))
    if size > max_bytes:
        raise FileRefused(Problem(TOO_BIG.format(size=human_size(size), cap=human_size(max_bytes))))
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if suffix in (".xls", ".xlsm", ".xlsb"):
        raise FileRefused(Problem(OLD_EXCEL.format(name=name)))
    if suffix in XLSX_SUFFIXES:
        if not head.startswith(b"PK\x03\x04"):
            raise FileRefused(Problem(NOT_XLSX.format(name=name)))
        return "xlsx"
    if suffix in CSV_SUFFIXES:
        for magic, what in _MAGIC.items():
            if head.startswith(magic):
                raise FileRefused(
                    Problem(NOT_CSV.format(name=name, suffix=suffix) + f" It looks like {what}.")
                )
        return "csv"
    raise FileRefused(Problem(WRONG_TYPE.format(name=name)))


def iter_rows(handle: BinaryIO, kind: str) -> Iterator[tuple[int, list]]:
    """Yield (row number, cells) for every row, header first as row 1. Blank rows are skipped."""
    rows = _csv_rows(handle) if kind == "csv" else _xlsx_rows(handle)
    for number, cells in rows:
        if any(cell not in (None, "") and str(cell).strip() for cell in cells):
            yield number, cells


def _csv_rows(handle: BinaryIO) -> Iterator[tuple[int, list]]:
    handle.seek(0)
    # utf-8-sig drops the byte order mark Excel writes; newline="" lets csv handle CRLF itself.
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    stream = _DecodedLines(handle, decoder)
    reader = csv.reader(stream, strict=False)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise FileRefused(Problem(NOT_UTF8.format(row=number + 1))) from None
        except csv.Error as exc:
            raise FileRefused(Problem(BAD_CSV.format(reason=exc), row=number + 1)) from None
        number += 1
        if "\x00" in "".join(cells):
            raise FileRefused(Problem("The file contains binary data; it is not a CSV file."))
        yield number, cells[:MAX_COLUMNS]


class _DecodedLines:
    """Decode bytes to text lazily, one line at a time, keeping line endings for the csv module."""

    def __init__(self, handle: BinaryIO, decoder: codecs.IncrementalDecoder) -> None:
        self._lines = iter(handle)
        self._decoder = decoder
        self._done = False

    def __iter__(self) -> _DecodedLines:
        return self

    def __next__(self) -> str:
        if self._done:
            raise StopIteration
        for raw in self._lines:
            text = self._decoder.decode(raw)
            if text:
                return text
        self._done = True
        tail = self._decoder.decode(b"", final=True)
        if tail:
            return tail
        raise StopIteration


def _open_workbook(handle: BinaryIO):
    """Check a workbook's zip (size, entries, macros) and open it read-only; return (zip, workbook)."""
    from openpyxl import load_workbook

    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise FileRefused(Problem(NOT_XLSX.format(name="The file"))) from None
    if len(entries) > MAX_XLSX_ENTRIES or sum(e.file_size for e in entries) > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise FileRefused(Problem(ZIP_TOO_BIG))
    if any(e.filename.lower().endswith("vbaproject.bin") for e in entries):
        raise FileRefused(Problem(OLD_EXCEL.format(name="The workbook")))
    handle.seek(0)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file; all mean the same to the user
        raise FileRefused(Problem(NOT_XLSX.format(name="The file"))) from None
    return archive, workbook


def _sheet_rows(archive: zipfile.ZipFile, sheet) -> Iterator[tuple[int, list]]:
    merged = _merged_ranges(archive, getattr(sheet, "_worksheet_path", ""))
    if merged:
        raise FileRefused(*(Problem(MERGED.format(ref=ref), row=row) for row, ref in merged))
    for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
        yield number, list(cells)


def _xlsx_rows(handle: BinaryIO, rows: Rows | None = None) -> Iterator[tuple[int, list]]:
    archive, workbook = _open_workbook(handle)
    try:
        # An exported Annex A workbook carries the importer's layout on a hidden "Case list" sheet.
        if CASE_LIST_SHEET in workbook.sheetnames:
            yield from _sheet_rows(archive, workbook[CASE_LIST_SHEET])
            return
        if rows is not None:
            # A council's Annex A workbook: one sheet per list, each read in its own layout.
            from casework.imports.annex_lists import open_lists

            lists = open_lists(workbook)
            if lists is not None:
                rows.annex = lists
                yield from lists.rows(
                    lambda sheet: _merged_ranges(archive, getattr(sheet, "_worksheet_path", ""))
                )
                return
        yield from _sheet_rows(archive, workbook.worksheets[0])
    finally:
        workbook.close()


class Rows:
    """A case-data file's rows, header first, as `iter_rows` gives them; Annex A workbooks per list.

    Iterate it like `iter_rows`, then call `finish(plan, problems)` with what the case-list reader
    made of the rows: for a workbook read list by list it names each problem's sheet, row and column
    as the user sees them, adds the problems found while reading the lists, and counts sheet rows.
    For any other file it changes nothing. `skipped_sheets` says which sheets were not read, and why.
    """

    def __init__(self, handle: BinaryIO, kind: str) -> None:
        self._handle = handle
        self._kind = kind
        self.annex = None  # an annex_lists.AnnexLists once the workbook is found to be per list

    def __iter__(self) -> Iterator[tuple[int, list]]:
        rows = _csv_rows(self._handle) if self._kind == "csv" else _xlsx_rows(self._handle, self)
        for number, cells in rows:
            if any(cell not in (None, "") and str(cell).strip() for cell in cells):
                yield number, cells

    def finish(self, plan, problems) -> None:
        if self.annex is not None:
            self.annex.finish(plan, problems)

    @property
    def skipped_sheets(self) -> list[str]:
        return self.annex.skipped_sheets if self.annex is not None else []


def read_rows(handle: BinaryIO, kind: str) -> Rows:
    """Return the rows of case data (`Rows`): a case list, or an Annex A workbook read list by list.

    Only case-data imports use this; other spreadsheets (improvement plans) keep `iter_rows`.
    """
    return Rows(handle, kind)


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, str]]:
    """Return (first row, range) of each merged range; read-only openpyxl cannot see them.

    The sheet XML is scanned in chunks so a large sheet never sits in memory whole.
    """
    if not path:
        return []
    path = path.lstrip("/")
    found: list[tuple[int, str]] = []
    carry = b""
    with archive.open(path) as xml:
        while chunk := xml.read(1 << 20):
            data = carry + chunk
            for match in _MERGE_REF.finditer(data):
                first_col, first_row, last_col, last_row = match.groups()
                ref = f"{first_col.decode()}{first_row.decode()}"
                if last_col:
                    ref += f":{last_col.decode()}{last_row.decode()}"
                found.append((int(first_row), ref))
            # A tag cut by the chunk boundary is found whole in the next pass; the set drops repeats.
            carry = data[-200:]
    return sorted(set(found))
