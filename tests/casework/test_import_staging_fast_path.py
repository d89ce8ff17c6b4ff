"""The staging path's fast event reader gives exactly what the generic group reader gives.

`staging._event_reader` answers a row whose event type, date and value it has seen before without
running the group's checks; any other row goes to the generic reader. Both must agree on every row,
good or bad, seen or new, text or workbook cells. No database needed.
"""

from datetime import date, datetime

import pytest

from casework.imports import staging
from casework.imports.case_list import RowReader
from casework.imports.columns import header_map

HEADER = ["child_id", "event_type", "event_date", "event_value"]
ROWS = [
    ["C1", "referral", "02/01/2024", ""],
    ["C1", "referral", "02/01/2024", ""],  # seen: the fast path answers
    ["C2", "REFERRAL", "2024-01-02", "NFA"],
    ["C3", "visit", "31/02/2024", ""],  # bad date
    ["C3", "visit", "31/02/2024", ""],  # bad date again (never remembered)
    ["C4", "", "03/01/2024", ""],  # no type
    ["C4", "visit", "", "x"],  # no date
    ["C5", "nonsense", "03/01/2024", ""],
    ["C6", "visit", "03/01/2024", "tab\there\\"],
    ["C6", "visit", "03/01/2024", "tab\there\\"],
    ["C7", "visit", "03/01/2024", "x" * 101],  # too long
    ["C8", "visit", "45292", "a\x00b"],  # hidden control character
    ["C9", "visit"],  # short row
    ["C9", "visit", "03/01/2024"],
    ["C10", "visit", date(2024, 1, 3), None],  # workbook cells
    ["C10", "visit", datetime(2024, 1, 3, 0, 0), "ok"],
    ["C11", "visit", 45292, 1],
    ["C11", "visit", "45292", "1"],
    ["C12", "", "", ""],
]


def _readers():
    header, problems = header_map(HEADER)
    assert not problems
    generic = RowReader(header, formats=staging.STAGE_FORMATS).groups[3]
    fast = staging._event_reader(header, RowReader(header, formats=staging.STAGE_FORMATS).groups[3])
    return generic, fast


@pytest.mark.parametrize("passes", [1, 2])
def test_fast_event_reader_agrees_with_the_generic_reader_on_every_row(passes):
    generic, fast = _readers()
    for _ in range(passes):
        for cells in ROWS:
            expected, got = generic(list(cells)), fast(list(cells))
            assert (got[1], got[2]) == (expected[1], expected[2]), cells


def test_fast_event_reader_is_used_only_when_all_three_event_columns_are_there():
    header, _ = header_map(["child_id", "event_type", "event_date"])
    generic = RowReader(header, formats=staging.STAGE_FORMATS).groups[3]
    assert staging._event_reader(header, generic) is generic


def test_fast_event_reader_memory_stays_bounded(monkeypatch):
    monkeypatch.setattr("casework.imports.case_list.CELL_CACHE_SIZE", 8)
    generic, fast = _readers()
    for day in range(1, 29):
        cells = ["C1", "visit", f"{day:02d}/02/2024", f"v{day}"]
        assert fast(cells)[2] == generic(cells)[2]
    memories = [cell.cell_contents for cell in fast.__closure__ if isinstance(cell.cell_contents, dict)]
    assert memories and all(len(memory) <= 8 for memory in memories)
