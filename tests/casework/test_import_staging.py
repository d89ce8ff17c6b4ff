"""The PostgreSQL staging path gives exactly what the in-memory path gives.

`cases_import` streams rows into a staging table and upserts set-wise on PostgreSQL, and reads the
file into memory on SQLite (the demo). Each test here runs one scenario through both paths on the
same database, each inside a savepoint that is rolled back, and compares the result (counts,
every problem in order) and the tables afterwards, history rows included (who, what, '+' or '~').
They need PostgreSQL and are skipped on SQLite; CI runs them. The first test runs anywhere: it pins
the messages for a file with every kind of problem, so both paths are held to the same words.
"""

import io
from unittest import mock

import pytest
from django.db import transaction
from openpyxl import Workbook

from casework.imports import case_list, staging
from casework.models import Child, Episode, Event, ImportRun, Placement
from casework.services import cases_import
from tests.casework.conftest import FILES, casework_table_counts
from tests.factories.casework import ChildFactory, EpisodeFactory, EventFactory, PlacementFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.postgresql("the staging path runs on PostgreSQL only")

HEADER = (
    "child_id,date_of_birth,gender,ethnicity,disability,uasc,cohort,episode_start,episode_end,"
    "legal_status,placement_type,placement_in_area,placement_start,placement_end,event_type,event_date,"
    "event_value,Team"
)
# Row numbers as the user sees them: the header is row 1.
MESSY_ROWS = [
    "C1,03/2015,M,WBRI,no,no,cin,02/01/2024,,,,,,,referral,02/01/2024,,A",  # 2
    "C1,04/2015,F,WBRI,yes,yes,cin,02/01/2024,31/03/2024,V2,,,,,visit,03/01/2024,,A",  # 3: child differs
    "c1 ,03/2015,m,wbri,no,no,CIN,02/01/2024,,,,,,,REFERRAL,02/01/2024,,a",  # 4: repeats row 2
    "C1,03/2015,M,WBRI,no,no,cin,02/01/2024,30/04/2024,C2,,,,,visit,04/01/2024,,A",  # 5: episode differs
    "C2,,,,,,looked_after,01/09/2023,,C2,foster,yes,01/09/2023,,cla_review,20/09/2023,,B",  # 6
    "C2,,,,,,looked_after,01/09/2023,,,K2,no,01/09/2023,01/10/2023,pep,21/09/2023,,B",  # 7: placement
    "C2,,,,,,looked_after,01/09/2023,,,foster,no,01/09/2023,02/10/2023,cla_review,20/09/2023,,C",  # 8
    "C3,13/2015,Q,ZZZZ,maybe,,cin,31/02/2024,,,,,,,,,,C",  # 9: bad cells
    "C3,13/2015,Q,ZZZZ,maybe,,cin,31/02/2024,,,,,,,,,,C",  # 10: repeats a bad row
    "C 4,,,,,,,,,,,,,,referral,,,D",  # 11
    "C5,,,,,,cin,,,,,,,,,,,",  # 12
    "C5,,,,,,,,,,foster,,,,,,,",  # 13
    "C6,,,,,,cin,05/01/2024,01/01/2024,,,,,,visit,05/01/2024,NFA,",  # 14
    "C1,03/2015,M,WBRI,no,no,cin,02/01/2024,,,,,,,referral,02/01/2024,,B",  # 15: same event as row 2
    'C7,2015-03,M,,,,,,,,,,,,contact,01/02/2024,"tab\there, back\\slash, ""quoted""",',  # 16
    'C7,2015-03,M,,,,,,,,,,,,contact,01/02/2024,"back\\slash",',  # 17
]
MESSY_PROBLEMS = [
    "row 3, column gender: 'female' differs from 'male' on row 2 for child C1; a child has one gender",
    "row 3, column disability: 'yes' differs from 'no' on row 2 for child C1; a child has one disability",
    "row 3, column uasc: 'yes' differs from 'no' on row 2 for child C1; a child has one uasc",
    "row 3, column date_of_birth: '04/2015' differs from '03/2015' on row 2 for child C1; "
    "a child has one date_of_birth",
    "row 4: this row repeats row 2 exactly; delete one of them",
    "row 5, column episode_end: '30/04/2024' differs from '31/03/2024' on row 2 for the same episode "
    "(child C1, starting 02/01/2024)",
    "row 5, column legal_status: 'C2' differs from 'V2' on row 2 for the same episode "
    "(child C1, starting 02/01/2024)",
    "row 7, column placement_type: 'childrens_home' differs from 'foster' on row 6 for the same placement "
    "(child C2, starting 01/09/2023)",
    "row 7, column placement_in_area: 'no' differs from 'yes' on row 6 for the same placement "
    "(child C2, starting 01/09/2023)",
    "row 8, column placement_in_area: 'no' differs from 'yes' on row 6 for the same placement "
    "(child C2, starting 01/09/2023)",
    "row 8, column placement_end: '02/10/2023' differs from '01/10/2023' on row 6 for the same placement "
    "(child C2, starting 01/09/2023)",
    "row 8, column event_type: the same event (cla_review on 20/09/2023) is already on row 6 for child C2; "
    "delete one of them",
    "row 9, column gender: 'Q' is not a gender we know; use male, female, other or not known (or 1, 2, 0)",
    "row 9, column ethnicity: 'ZZZZ' is not a DfE ethnicity code we know; use a DfE code such as WBRI, "
    "MWBA or NOBT",
    "row 9, column disability: 'maybe' is not yes or no; use yes or no (also y/n, true/false, 1/0)",
    "row 9, column date_of_birth: '13/2015' is not a month and year: there is no month 13",
    "row 9, column episode_start: '31/02/2024' is not a real date: February 2024 has 29 days",
    "row 10: this row repeats row 9 exactly; delete one of them",
    "row 11, column child_id: 'C 4' contains a space; a child ID is one word, for example C0012",
    "row 11, column event_date: the event date is missing; a row with an event type needs one",
    "row 12, column episode_start: the episode start date is missing; a row with a cohort needs one",
    "row 13, column placement_in_area: say whether the placement is in the council's area (yes or no)",
    "row 13, column placement_start: the placement start date is missing",
    "row 14, column episode_end: the episode ends (01/01/2024) before it starts (05/01/2024)",
    "row 15, column event_type: the same event (referral on 02/01/2024) is already on row 2 for child C1; "
    "delete one of them",
]


def _csv(rows: list[str], header: str = HEADER) -> io.BytesIO:
    return io.BytesIO("\n".join([header, *rows]).encode())


def _xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _summary(result) -> tuple:
    return (
        result.ok,
        result.rows,
        (result.created, result.updated, result.unchanged),
        result.counts,
        [str(problem) for problem in result.problems],
        result.problem_count,
        result.ignored_columns,
        result.dry_run,
    )


def _rows(model, *fields) -> list:
    return sorted(model.objects.values_list(*fields), key=repr)


def _history(model) -> list:
    """Every history row, with the child by its ID (primary keys differ between the two runs)."""
    historical = model.history.model
    fields = [
        "child__child_id" if field.name == "child" else field.name
        for field in historical.tracked_fields
        if field.name not in ("id", "created_at")
    ]
    fields += ["history_type", "history_user_id", "history_change_reason"]
    return sorted(historical.objects.values_list(*fields), key=repr)


def _tables() -> dict:
    return {
        "children": _rows(
            Child, "child_id", "birth_year", "birth_month", "gender", "ethnicity", "disability", "uasc"
        ),
        "episodes": _rows(Episode, "child__child_id", "cohort", "start_on", "end_on", "legal_status"),
        "placements": _rows(Placement, "child__child_id", "start_on", "placement_type", "in_area", "end_on"),
        "events": _rows(Event, "child__child_id", "kind", "occurred_on", "value", "source_row"),
        "history": {model.__name__: _history(model) for model in (Child, Episode, Placement, Event)},
        "runs": _rows(ImportRun, "status", "rows", "created", "updated", "unchanged", "problem_count"),
    }


class _Undo(Exception):
    pass


def _both_paths(scenario) -> tuple:
    """Run scenario() (setup and imports, returning the results) once per path; return what both gave."""
    outcomes = {}
    for staged in (False, True):
        with (
            mock.patch("casework.services.uses_staging", return_value=staged),
            mock.patch("casework.services.read_case_list_staged", wraps=staging.read_case_list_staged) as spy,
        ):
            try:
                with transaction.atomic():
                    results = scenario()
                    outcomes[staged] = ([_summary(result) for result in results], _tables())
                    raise _Undo
            except _Undo:
                pass
        assert spy.called == staged
    in_memory, staged = outcomes[False], outcomes[True]
    assert staged[0] == in_memory[0]  # results: counts and every problem, in order
    assert staged[1] == in_memory[1]  # tables and history
    return staged


def test_a_file_with_every_kind_of_problem_is_reported_row_by_row_and_saves_nothing():
    before = casework_table_counts()
    result = cases_import(file=_csv(MESSY_ROWS), filename="messy.csv")
    assert [str(problem) for problem in result.problems] == MESSY_PROBLEMS
    assert result.problem_count == len(MESSY_PROBLEMS) and result.rows == len(MESSY_ROWS)
    assert result.ignored_columns == ["Team"]
    assert casework_table_counts() == before


@postgresql_only
@pytest.mark.parametrize("batch_rows", [3, staging.BATCH_ROWS])
def test_staging_reports_the_same_problems_in_the_same_order(monkeypatch, batch_rows):
    monkeypatch.setattr(staging, "BATCH_ROWS", batch_rows)
    (summary,), tables = _both_paths(lambda: [cases_import(file=_csv(MESSY_ROWS), filename="messy.csv")])
    assert summary[4] == MESSY_PROBLEMS
    assert tables["children"] == [] and tables["history"]["Child"] == []


@postgresql_only
def test_staging_keeps_the_first_problems_and_counts_them_all(monkeypatch):
    monkeypatch.setattr(case_list, "MAX_PROBLEMS_KEPT", 5)
    (summary,), _ = _both_paths(lambda: [cases_import(file=_csv(MESSY_ROWS), filename="messy.csv")])
    assert summary[4] == MESSY_PROBLEMS[:5] and summary[5] == len(MESSY_PROBLEMS)


@postgresql_only
@pytest.mark.parametrize("batch_rows", [4, staging.BATCH_ROWS])
def test_staging_creates_the_same_records_and_history_then_nothing_on_a_second_import(
    monkeypatch, django_user_model, batch_rows
):
    monkeypatch.setattr(staging, "BATCH_ROWS", batch_rows)
    user = django_user_model.objects.create(username="pm")

    def scenario():
        return [cases_import(path=FILES / "good.csv", user=user) for _ in range(2)]

    (first, second), tables = _both_paths(scenario)
    assert first[2] == (20, 0, 0) and second[2] == (0, 0, 20)
    assert {row[-2] for row in tables["history"]["Event"]} == {user.pk}
    assert len(tables["history"]["Child"]) == 4 and {row[-3] for row in tables["history"]["Child"]} == {"+"}


@postgresql_only
def test_staging_updates_what_changed_and_leaves_blanks_alone(django_user_model):
    user = django_user_model.objects.create(username="pm")

    def scenario():
        child = ChildFactory(child_id="C0001", gender="female", birth_year=2015, birth_month=3, ethnicity="")
        ChildFactory(child_id="C0004", gender="female", birth_year=2005, birth_month=5, ethnicity="WBRI")
        EpisodeFactory(child=child, cohort="child_in_need", start_on="2024-01-02", end_on="2024-06-30")
        c3 = ChildFactory(child_id="C0003", gender="male", birth_year=2009, birth_month=11, ethnicity="AOTH")
        EpisodeFactory(child=c3, cohort="looked_after", start_on="2023-09-01", legal_status="V2")
        PlacementFactory(child=c3, start_on="2023-09-01", placement_type="foster", in_area=True)
        EventFactory(child=child, kind="referral", occurred_on="2024-01-02", value="")
        return [cases_import(path=FILES / "good.csv", user=user), cases_import(path=FILES / "good.csv")]

    (first, second), tables = _both_paths(scenario)
    assert first[3]["children"]["updated"] >= 1 and first[3]["placements"]["updated"] == 1
    assert second[2][:2] == (0, 0)
    assert ("C0001", "child_in_need", mock.ANY, mock.ANY, "") in tables["episodes"]
    changed = [row for row in tables["history"]["Placement"] if row[-3] == "~"]
    assert len(changed) == 1 and changed[0][-2] == user.pk


@postgresql_only
def test_staging_dry_run_counts_the_same_and_saves_nothing():
    before = casework_table_counts()
    (summary,), tables = _both_paths(lambda: [cases_import(path=FILES / "good.csv", dry_run=True)])
    assert summary[2] == (20, 0, 0) and summary[-1] is True
    assert tables["children"] == [] and tables["history"]["Event"] == []
    assert casework_table_counts() == before


@postgresql_only
@pytest.mark.parametrize(
    "name", ["duplicate_rows.csv", "impossible_date.csv", "bom_windows_line_endings.csv", "merged_cells.xlsx"]
)
def test_staging_reads_the_example_files_as_the_in_memory_path_does(name):
    _both_paths(lambda: [cases_import(path=FILES / name)])


@postgresql_only
def test_staging_reads_workbook_cells_and_awkward_text_as_the_in_memory_path_does():
    import datetime

    rows = [
        ["CHILD UNIQUE ID", "Date of birth", "Gender", "UASC", "Event type", "Event date", "Outcome"],
        [1234, datetime.datetime(2015, 3, 17), 2, True, "Referral", datetime.datetime(2024, 1, 2), None],
        [1234, None, None, 1, "S47", 45293, "tab\there \\ and 'quotes'"],
        ["x9", "March 2015", "1 - Male", "no", "visit", "2024-02-03", 12.0],
        ["X9", None, "M", None, "visit", "03/02/2024", "12"],
    ]
    (summary,), tables = _both_paths(lambda: [cases_import(file=_xlsx(rows), filename="annex.xlsx")])
    assert summary[4] == [
        "row 5, column Event type: the same event (visit on 03/02/2024) is already on row 4 for child X9; "
        "delete one of them"
    ]
    rows[-1][-1] = "13"
    (summary,), tables = _both_paths(lambda: [cases_import(file=_xlsx(rows), filename="annex.xlsx")])
    assert summary[0] and ("1234", "section_47", datetime.date(2024, 1, 2), "tab\there \\ and 'quotes'") in [
        row[:4] for row in tables["events"]
    ]


@postgresql_only
def test_staging_saves_nothing_when_a_set_wise_write_fails(monkeypatch):
    from casework.imports import upsert

    monkeypatch.setattr(upsert, "EVENT_INSERT", "INSERT INTO casework_event (no_such_column) SELECT 1")
    with pytest.raises(Exception, match="no_such_column"):
        cases_import(path=FILES / "good.csv")
    assert Child.objects.count() == 0 and Child.history.count() == 0 and Episode.history.count() == 0
