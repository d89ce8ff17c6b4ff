"""Cells for files that people open in a spreadsheet program (CSV and XLSX downloads).

Text that starts with one of FORMULA_PREFIXES is run as a formula by Excel, LibreOffice and Google
Sheets, so a child ID or an action title such as `=HYPERLINK(...)` could run when an inspector opens
the file (CSV injection, OWASP ASVS 1.2.10). Every download writes its cells through `inert`, which
puts a `'` in front of such text; the spreadsheet shows the text and runs nothing. One definition
for every app: the lowest layer, so casework and readiness can both use it.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """Return the value, with text that a spreadsheet would run as a formula made inert.

    Numbers, dates and None pass through unchanged (a workbook keeps their type).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def inert_text(value: object) -> str:
    """Return the value as text for a CSV cell (None as blank), made inert like `inert`."""
    return inert("" if value is None else str(value))
