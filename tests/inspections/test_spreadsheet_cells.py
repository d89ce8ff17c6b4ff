"""Cells written to CSV and XLSX downloads never run as formulas (ASVS 1.2.10)."""

import datetime as dt

import pytest

from inspections.spreadsheet_cells import FORMULA_PREFIXES, inert, inert_text


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_text_a_spreadsheet_would_run_gets_a_quote(prefix):
    value = f'{prefix}HYPERLINK("http://evil.example","C001")'
    assert inert(value) == "'" + value
    assert inert_text(value) == "'" + value


@pytest.mark.parametrize("value", ["C0012", "Audit 20 cases", "", "a=b", "3-2"])
def test_ordinary_text_is_unchanged(value):
    assert inert(value) == value
    assert inert_text(value) == value


def test_numbers_dates_and_blanks_keep_their_type_in_a_workbook():
    assert inert(-3) == -3
    assert inert(dt.date(2026, 3, 2)) == dt.date(2026, 3, 2)
    assert inert(None) is None


def test_csv_cells_are_text_and_negative_numbers_are_made_inert_too():
    # In a CSV everything is text, so "-3" would be read as a formula start by some programs.
    assert inert_text(None) == ""
    assert inert_text(-3) == "'-3"
    assert inert_text(12) == "12"
