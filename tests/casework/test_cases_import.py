"""cases_import: all or nothing, idempotent, and a clear report for every malformed file."""

import io

import pytest
from openpyxl import Workbook

from casework.models import Child, Episode, Event, ImportRun, Placement
from casework.services import cases_import
from tests.casework.conftest import FILES, casework_table_counts
from tests.factories.casework import ChildFactory

pytestmark = pytest.mark.django_db


def _import(name, **kwargs):
    return cases_import(path=FILES / name, **kwargs)


def test_cases_import_creates_children_episodes_placements_and_events_when_file_is_good():
    result = _import("good.csv")
    assert result.ok, result.problems
    assert result.rows == 11
    assert (
        Child.objects.count(),
        Episode.objects.count(),
        Placement.objects.count(),
        Event.objects.count(),
    ) == (
        4,
        4,
        1,
        11,
    )
    assert (result.created, result.updated, result.unchanged) == (20, 0, 0)
    child = Child.objects.get(child_id="C0003")
    assert (child.birth_year, child.birth_month, child.gender, child.ethnicity, child.uasc) == (
        2009,
        11,
        "male",
        "AOTH",
        True,
    )
    placement = Placement.objects.get()
    assert (placement.placement_type, placement.in_area) == ("foster", False)
    assert (
        Event.objects.get(child=child, kind="iha").occurred_on.isoformat() == "2023-09-21"
    )  # Excel serial 45190
    run = ImportRun.objects.get()
    assert run.status == "succeeded" and run.created == 20 and len(run.sha256) == 64
    assert Child.history.filter(history_type="+").count() == 4


def test_cases_import_changes_nothing_when_the_same_file_is_imported_twice():
    _import("good.csv")
    before = casework_table_counts()
    second = _import("good.csv")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 20)
    assert casework_table_counts() == before
    runs = list(ImportRun.objects.values_list("sha256", flat=True))
    assert len(runs) == 2 and runs[0] == runs[1]


@pytest.mark.parametrize("name", ["bom.csv", "windows_line_endings.csv", "bom_windows_line_endings.csv"])
def test_cases_import_reads_bom_and_windows_line_endings_like_a_plain_file(name):
    result = _import(name)
    assert result.ok, result.problems
    assert result.created == 20
    assert Child.objects.filter(child_id="C0001").exists()


def test_cases_import_reads_the_example_workbook_and_then_finds_nothing_new_in_the_csv():
    from pathlib import Path

    examples = Path(__file__).resolve().parents[2] / "casework" / "imports" / "examples"
    assert cases_import(path=examples / "case_list.xlsx").created == 20
    assert cases_import(path=examples / "case_list.csv").unchanged == 20


def test_cases_import_dry_run_counts_but_saves_nothing():
    before = casework_table_counts()
    result = _import("good.csv", dry_run=True)
    assert result.ok and result.created == 20
    assert casework_table_counts() == before
    assert ImportRun.objects.get().dry_run


def test_cases_import_updates_a_child_whose_details_changed():
    ChildFactory(child_id="C0001", gender="female", birth_year=2015, birth_month=3)
    result = _import("good.csv")
    assert result.counts["children"] == {"created": 3, "updated": 1, "unchanged": 0}
    assert Child.objects.get(child_id="C0001").gender == "male"


MALFORMED = [
    (
        "zero_bytes.csv",
        ["The file is empty (0 bytes). Choose the file again, or export it again from your system."],
    ),
    ("empty.csv", ["The file has no header row. The first row must name the columns, for example child_id."]),
    ("header_only.csv", ["The file has a header row but no data rows."]),
    (
        "wrong_headers.csv",
        [
            "row 1: there is no Child ID column; name one of the headers 'Child ID', 'child_id', "
            "'child unique id', 'child ref'"
        ],
    ),
    (
        "impossible_date.csv",
        ["row 3, column event_date: '31/02/2024' is not a real date: February 2024 has 29 days"],
    ),
    ("duplicate_rows.csv", ["row 4: this row repeats row 2 exactly; delete one of them"]),
    (
        "child_id_with_spaces.csv",
        ["row 3, column child_id: 'C 0012' contains a space; a child ID is one word, for example C0012"],
    ),
    (
        "name_column.csv",
        [
            "row 1, column Name: 'Name' looks like a personal identifier; "
            "we keep pseudonymous child IDs only, so delete this column and import again"
        ],
    ),
    (
        "merged_cells.xlsx",
        ["row 1: cells B1:C1 are merged; unmerge them so that every value sits in its own cell"],
    ),
    (
        "picture.xlsx",
        [
            "'picture.xlsx' is not an Excel workbook, although its name ends in .xlsx. "
            "Save it from Excel as .xlsx."
        ],
    ),
]


@pytest.mark.parametrize(("name", "expected"), MALFORMED, ids=[name for name, _ in MALFORMED])
def test_cases_import_reports_every_problem_and_saves_nothing_when_file_is_malformed(name, expected):
    before = casework_table_counts()
    result = _import(name)
    assert [str(problem) for problem in result.problems] == expected
    assert not result.ok
    assert casework_table_counts() == before
    run = ImportRun.objects.get()
    assert run.status == "failed" and run.problem_count == len(expected)


def test_cases_import_saves_nothing_when_the_last_of_many_rows_is_bad():
    lines = ["child_id,event_type,event_date"] + [f"C{n:04d},referral,02/01/2024" for n in range(1, 200)]
    lines.append("C9999,referral,2024-13-01")
    result = cases_import(file=io.BytesIO("\n".join(lines).encode()), filename="long.csv")
    assert [str(p) for p in result.problems] == [
        "row 201, column event_date: '2024-13-01' is not a real date: there is no month 13; "
        "use dd/mm/yyyy, for example 07/03/2024"
    ]
    assert Child.objects.count() == 0 and Child.history.count() == 0


def test_cases_import_names_each_bad_row_and_column_as_the_user_wrote_it():
    rows = ["Child ID,Sex,Activity,Activity date"]
    rows += [f"C{n:04d},M,referral,02/01/2024" for n in range(2, 37)]
    rows.append("C0037,M,referral,30/02/2024")
    rows += [f"C{n:04d},F,visit,03/01/2024" for n in range(38, 112)]
    rows.append("C0112,Z,visit,03/01/2024")
    result = cases_import(file=io.BytesIO("\r\n".join(rows).encode("utf-8-sig")), filename="annex.csv")
    assert [problem.display for problem in result.problems] == [
        "Row 37, Activity date: '30/02/2024' is not a real date: February 2024 has 29 days",
        "Row 112, Sex: 'Z' is not a gender we know; use male, female, other or not known (or 1, 2, 0)",
    ]
    assert Child.objects.count() == 0


def test_cases_import_refuses_a_file_over_the_size_cap(monkeypatch):
    monkeypatch.setattr("casework.imports.reader.MAX_FILE_BYTES", 100)
    result = cases_import(file=io.BytesIO(b"child_id\n" + b"C1\n" * 100), filename="big.csv")
    assert [str(p) for p in result.problems] == [
        "The file is 309 bytes; the largest file you can import is 100 bytes. Split it into smaller files."
    ]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "cases.pdf",
            b"%PDF-1.4",
            "The file must be a CSV or an Excel workbook (.xlsx); 'cases.pdf' is neither.",
        ),
        (
            "cases.csv",
            b"\x89PNG\r\n\x1a\n....",
            "'cases.csv' is not a CSV file, although its name ends in .csv. Export it as CSV UTF-8. "
            "It looks like a PNG image.",
        ),
        (
            "cases.xls",
            b"\xd0\xcf\x11\xe0",
            "'cases.xls' is an old Excel file (.xls) or has macros. "
            "Save it as .xlsx or CSV UTF-8 and try again.",
        ),
        (
            "cases.csv",
            "child_id\nC1\nCafé\n".encode("cp1252"),
            "The file is not UTF-8 text (the first unreadable byte is in row 3). "
            "In Excel choose Save as, then 'CSV UTF-8 (Comma delimited)'.",
        ),
    ],
)
def test_cases_import_refuses_files_that_are_not_what_they_say(filename, content, message):
    result = cases_import(file=io.BytesIO(content), filename=filename)
    assert [str(p) for p in result.problems] == [message]


def _xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_cases_import_reads_real_date_cells_and_numbers_from_a_workbook():
    import datetime

    handle = _xlsx(
        [
            ["CHILD UNIQUE ID", "Date of birth", "Gender", "Event type", "Event date"],
            [1234, datetime.datetime(2015, 3, 17), 2, "Referral", datetime.datetime(2024, 1, 2)],
            [1234, None, None, "S47", 45293],
        ]
    )
    result = cases_import(file=handle, filename="annex.xlsx")
    assert result.ok, result.problems
    child = Child.objects.get()
    assert (child.child_id, child.birth_year, child.birth_month, child.gender) == ("1234", 2015, 3, "female")
    assert sorted(Event.objects.values_list("kind", "occurred_on")) == [
        ("referral", datetime.date(2024, 1, 2)),
        ("section_47", datetime.date(2024, 1, 2)),
    ]


def test_cases_import_reports_two_rows_that_disagree_about_a_child():
    content = b"child_id,gender,event_type,event_date\nC1,M,referral,02/01/2024\nC1,F,visit,03/01/2024\n"
    result = cases_import(file=io.BytesIO(content), filename="x.csv")
    assert [str(p) for p in result.problems] == [
        "row 3, column gender: 'female' differs from 'male' on row 2 for child C1; a child has one gender"
    ]


def test_cases_import_reports_an_event_given_twice_with_different_spellings():
    content = b"child_id,event_type,event_date\nC1,S47,02/01/2024\nc1 ,section 47,2024-01-02\n"
    result = cases_import(file=io.BytesIO(content), filename="x.csv")
    assert [str(p) for p in result.problems] == [
        "row 3, column event_type: the same event (section_47 on 02/01/2024) is already on row 2 for "
        "child C1; delete one of them"
    ]


def test_cases_import_records_a_failed_run_and_saves_nothing_when_writing_crashes(monkeypatch):
    from casework import services

    def explode(*args, **kwargs):
        Child.objects.create(child_id="HALFWAY")
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "write_plan", explode)
    with pytest.raises(RuntimeError):
        _import("good.csv")
    assert Child.objects.count() == 0 and Child.history.count() == 0
