"""Annex A workbooks read list by list: each sheet in its own layout, problems named by sheet."""

import csv
import datetime as dt
import io
import random
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from casework import demo
from casework.annex_a import annex_a_write
from casework.imports.annex_lists import Digests
from casework.models import AdopterHousehold, Child, Cohort, Episode, Event, ImportRun, Placement
from casework.services import cases_import
from readiness import roles
from tests.casework.conftest import casework_table_counts
from tests.factories.casework import ChildFactory, EventFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
EXAMPLE = Path(__file__).parents[2] / "casework" / "imports" / "examples" / "annex_a_lists.xlsx"
D = dt.datetime  # workbook date cells come back as datetimes

# A fictional council's Annex A, as a case-management system writes it: one sheet per list, the
# spellings of D2I's Annex A queries on some sheets and our own export's on others, real date cells
# on some and dd/mm/yyyy text on others. Children: A001 (front door, then CIN), A002 (s47, CP plan),
# A003 (looked after), A004 (care leaver), A005 (early help).
SHEETS: dict[str, list[list]] = {
    "List 1 - Contacts": [
        ["ChildUniqueID", "Gender", "Ethnicity", "DateOfBirth", "Age", "DateOfContact", "ContactSource"],
        ["A001", "a) Male", "a) WBRI", "14/03/2015", 10, "02/01/2026", "g) 3A: Health services"],
        ["A002", "b) Female", "g) MWBA", "21/07/2012", 13, "05/01/2026", "q) 6: Police"],
        ["A005", "b) Female", "q) CHNE", "01/09/2019", 6, "06/01/2026", "e) 2A: Schools"],
    ],
    "L2 Early help": [
        ["Child ID", "Gender", "Date of birth", "Early help start date", "Early help end date", "Team"],
        ["A005", "Female", "09/2019", D(2026, 1, 12), None, "EH North"],
    ],
    "List 3 Referrals": [
        [
            "Child ID",
            "Gender",
            "Date of referral",
            "Referral NFA",
            "Referral source",
            "Allocated worker",
            "Allocation date",
        ],
        ["A001", "Male", D(2026, 1, 3), "b) No", "3A", "SW001", D(2026, 1, 4)],
        ["A002", "Female", D(2026, 1, 6), "No", "6", "SW002", D(2026, 1, 6)],
        ["A002", "Female", D(2025, 11, 20), "a) Yes", "6", "SW002", D(2026, 1, 6)],
    ],
    "List 4 Assessments": [
        ["Child ID", "Assessment start date", "Assessment authorised date", "Allocated worker"],
        ["A001", "05/01/2026", "20/02/2026", "SW001"],
        ["A002", "07/01/2026", "", "SW002"],
    ],
    "List 5 S47 enquiries and ICPCs": [
        ["Child ID", "Strategy discussion date", "Section 47 start date", "ICPC date", "NumberS47s12m"],
        ["A002", "07/01/2026", "07/01/2026", "27/01/2026", 0],
        ["A002", "07/01/2026", "09/01/2026", "", 1],  # two enquiries behind one strategy discussion
    ],
    "List 6 Children in need": [
        ["Child ID", "Gender", "CIN start date", "CIN closure date", "Date child last seen"],
        ["A001", "Male", D(2026, 2, 20), None, D(2026, 2, 25)],
    ],
    "List 7 Child protection": [
        [
            "Child ID",
            "Gender",
            "Child protection plan start date",
            "Child protection plan end date",
            "Date of last statutory visit",
            "Date of latest review conference",
            "Initial category of abuse",
        ],
        ["A002", "Female", D(2026, 1, 27), None, D(2026, 2, 24), None, "a) Neglect"],
    ],
    "List 8 Children in care": [
        [
            "Child ID",
            "Gender",
            "Ethnicity",
            "Date of birth",
            "Date started to be looked after",
            "Date ceased to be looked after",
            "Legal status",
            "Placement type",
            "Placement start date",
            "Placement location",
            "Date of latest statutory review",
            "IHA date",
            "Date of latest PEP",
        ],
        [
            "A003",
            "Male",
            "WBRI",
            "06/2011",
            "04/08/2025",
            "",
            "C2",
            "U4",
            "04/08/2025",
            "Out",
            "10/02/2026",
            "01/09/2025",
            "15/08/2025",
        ],
    ],
    "List 9 Care leavers": [
        ["Child ID", "Care leaver since", "Date of latest contact", "In touch", "Type of accommodation"],
        ["A004", D(2024, 5, 1), D(2026, 2, 10), "in touch", "Independent living"],
    ],
    "List 10 Adoption": [["Child ID", "Date of decision that child should be placed for adoption"]],
    "Notes": [["Extracted from the case-management system on 02/03/2026"]],
}
LIST5 = "List 5 S47 enquiries and ICPCs"


def build_workbook(path: Path, sheets: dict[str, list[list]] | None = None) -> Path:
    """Write a multi-sheet Annex A workbook (default: SHEETS) and return its path."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in (sheets or SHEETS).items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def edited(**changes) -> dict[str, list[list]]:
    """SHEETS with some cells changed: changes maps sheet title -> {(row, column index): value}."""
    sheets = {title: [list(row) for row in rows] for title, rows in SHEETS.items()}
    for title, cells in changes.items():
        for (row, column), value in cells.items():
            sheets[title][row - 1][column] = value
    return sheets


def events(child_id: str) -> set[tuple[str, dt.date, str]]:
    return set(Event.objects.filter(child__child_id=child_id).values_list("kind", "occurred_on", "value"))


def test_each_list_maps_to_the_right_records(tmp_path):
    result = cases_import(path=build_workbook(tmp_path / "annex.xlsx"))
    assert result.ok, [str(p) for p in result.problems]
    assert result.rows == 15  # sheet rows, not the case-list rows they become

    a001 = Child.objects.get(child_id="A001")
    assert (a001.gender, a001.ethnicity, a001.birth_year, a001.birth_month) == ("male", "WBRI", 2015, 3)
    a002 = Child.objects.get(child_id="A002")
    assert (a002.gender, a002.ethnicity, a002.birth_year, a002.birth_month) == ("female", "MWBA", 2012, 7)
    # The worker becomes an allocation where the list dates it (list 3), not where it does not (list 4).
    assert events("A001") == {
        ("contact", dt.date(2026, 1, 2), "3A: Health services"),
        ("referral", dt.date(2026, 1, 3), ""),
        ("assessment_start", dt.date(2026, 1, 5), ""),
        ("assessment_completed", dt.date(2026, 2, 20), ""),
        ("visit", dt.date(2026, 2, 25), ""),
        ("allocation", dt.date(2026, 1, 4), "SW001"),
    }
    assert events("A002") == {
        ("allocation", dt.date(2026, 1, 6), "SW002"),  # once, though two referrals give it
        ("contact", dt.date(2026, 1, 5), "6: Police"),
        ("referral", dt.date(2026, 1, 6), ""),
        ("referral", dt.date(2025, 11, 20), "NFA"),
        ("assessment_start", dt.date(2026, 1, 7), ""),
        ("strategy_discussion", dt.date(2026, 1, 7), ""),  # once, though two enquiries give it
        ("section_47", dt.date(2026, 1, 7), ""),
        ("section_47", dt.date(2026, 1, 9), ""),
        ("icpc", dt.date(2026, 1, 27), ""),
        ("visit", dt.date(2026, 2, 24), ""),
    }
    assert events("A003") == {
        ("cla_review", dt.date(2026, 2, 10), ""),
        ("iha", dt.date(2025, 9, 1), ""),
        ("pep", dt.date(2025, 8, 15), ""),
    }
    assert events("A004") == {("care_leaver_contact", dt.date(2026, 2, 10), "in touch")}
    assert events("A005") == {("contact", dt.date(2026, 1, 6), "2A: Schools")}

    episodes = set(
        Episode.objects.values_list("child__child_id", "cohort", "start_on", "end_on", "legal_status")
    )
    assert episodes == {
        ("A001", Cohort.CHILD_IN_NEED, dt.date(2026, 2, 20), None, ""),
        ("A002", Cohort.CHILD_PROTECTION, dt.date(2026, 1, 27), None, ""),
        ("A003", Cohort.LOOKED_AFTER, dt.date(2025, 8, 4), None, "C2"),
        ("A004", Cohort.CARE_LEAVER, dt.date(2024, 5, 1), None, ""),
        ("A005", Cohort.EARLY_HELP, dt.date(2026, 1, 12), None, ""),
    }
    placement = Placement.objects.get()
    assert (placement.child.child_id, placement.placement_type, placement.in_area, placement.start_on) == (
        "A003",
        Placement.Type.FOSTER,
        False,
        dt.date(2025, 8, 4),
    )
    # Columns we hold nothing for are listed, with the sheets they are on.
    assert any(
        c.startswith("Initial category of abuse (List 7 Child protection") for c in result.ignored_columns
    )
    assert any(
        c.startswith("Type of accommodation (List 9 Care leavers: no date") for c in result.ignored_columns
    )


def test_sheets_we_cannot_use_are_skipped_with_a_reason_not_failed(tmp_path):
    result = cases_import(path=build_workbook(tmp_path / "annex.xlsx"))
    assert result.ok
    assert result.skipped_sheets == [
        "Sheet 'Notes' was skipped: we could not tell which Annex A list it is; name it like "
        "'List 3 Referrals' to import it.",
    ]


def test_the_command_reports_skipped_sheets_and_ignored_columns(tmp_path, capsys):
    call_command("import_cases", str(build_workbook(tmp_path / "annex.xlsx")))
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Imported 15 rows: ")
    assert (
        "Column 'Team (L2 Early help: no Team date or Allocation date column to date it)' is not one we "
        "import; it was ignored." in out
    )
    assert out[-1] == (
        "Sheet 'Notes' was skipped: we could not tell which Annex A list it is; name it like "
        "'List 3 Referrals' to import it."
    )


def test_a_bad_date_on_list_5_names_sheet_row_and_column_and_saves_nothing(tmp_path, capsys):
    path = build_workbook(tmp_path / "annex.xlsx", edited(**{LIST5: {(3, 3): "31/02/2026"}}))
    before = casework_table_counts()
    result = cases_import(path=path)
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        f"{LIST5}, row 3, column \"ICPC date\": '31/02/2026' is not a real date: February 2026 has 28 days"
    ]
    assert result.problems[0].display == (
        f"{LIST5}, row 3, ICPC date: '31/02/2026' is not a real date: February 2026 has 28 days"
    )
    assert casework_table_counts() == before
    run = ImportRun.objects.latest("pk")
    assert run.problems == [
        {
            "message": "'31/02/2026' is not a real date: February 2026 has 28 days",
            "row": 3,
            "column": "ICPC date",
            "sheet": LIST5,
        }
    ]
    # The command prints the same line and exits 1.
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_cases", str(path))
    assert exit_info.value.code == 1
    assert f'{LIST5}, row 3, column "ICPC date": ' in capsys.readouterr().out
    assert casework_table_counts() == before


def test_the_web_page_and_problems_csv_name_the_sheet(tmp_path, client_for):
    path = build_workbook(tmp_path / "annex.xlsx", edited(**{LIST5: {(3, 3): "31/02/2026"}}))
    pm = client_for(roles.PERFORMANCE_MANAGER)
    upload = SimpleUploadedFile("annex.xlsx", path.read_bytes())
    response = pm.post(reverse("casework:import"), {"file": upload})
    html = response.content.decode()
    assert f"{LIST5}, row 3, ICPC date: &#x27;31/02/2026&#x27; is not a real date" in html
    assert "Nothing was saved" in html and Child.objects.count() == 0
    run = ImportRun.objects.get()
    response = pm.get(reverse("casework:import-problems", kwargs={"run_id": run.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["sheet", "row", "column", "problem"],
        [LIST5, "3", "ICPC date", "'31/02/2026' is not a real date: February 2026 has 28 days"],
    ]


def test_a_dry_run_checks_every_list_and_saves_nothing(tmp_path):
    before = casework_table_counts()
    result = cases_import(path=build_workbook(tmp_path / "annex.xlsx"), dry_run=True)
    assert result.ok and result.created > 0
    assert casework_table_counts() == before


def test_lists_that_contradict_each_other_are_a_problem(tmp_path):
    # List 6 says A003 is female; list 8 (read after it) says male.
    sheets = edited()
    sheets["List 6 Children in need"].append(["A003", "Female", D(2025, 3, 1), D(2025, 8, 4), None])
    before = casework_table_counts()
    result = cases_import(path=build_workbook(tmp_path / "annex.xlsx", sheets))
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        "List 8 Children in care, row 2, column \"Gender\": 'male' differs from 'female' on "
        "List 6 Children in need, row 3 for child A003; a child has one Gender"
    ]
    assert casework_table_counts() == before


def test_a_merged_cell_on_a_list_sheet_is_refused_naming_the_sheet(tmp_path):
    path = build_workbook(tmp_path / "annex.xlsx")
    workbook = load_workbook(path)
    workbook["List 7 Child protection"].merge_cells("A2:B2")
    workbook.save(path)
    result = cases_import(path=path)
    assert [str(p) for p in result.problems] == [
        "List 7 Child protection, row 2: cells A2:B2 are merged; unmerge them so that every value sits "
        "in its own cell"
    ]
    assert Child.objects.count() == 0


def test_a_case_list_whose_sheet_is_named_like_a_list_is_still_a_case_list(tmp_path):
    workbook = Workbook()
    workbook.active.title = "Referrals"
    workbook.active.append(["child_id", "event_type", "event_date"])
    workbook.active.append(["C1", "referral", "03/01/2026"])
    workbook.save(tmp_path / "case_list.xlsx")
    result = cases_import(path=tmp_path / "case_list.xlsx")
    assert result.ok and result.skipped_sheets == []
    assert events("C1") == {("referral", dt.date(2026, 1, 3), "")}


def test_a_row_without_the_lists_main_date_is_a_problem(tmp_path):
    sheets = edited(**{"List 8 Children in care": {(2, 4): ""}, "List 3 Referrals": {(3, 2): None}})
    before = casework_table_counts()
    result = cases_import(path=build_workbook(tmp_path / "annex.xlsx", sheets))
    assert [str(p) for p in result.problems] == [
        'List 3 Referrals, row 3, column "Date of referral": this date is missing; every row on this list '
        "needs one",
        'List 8 Children in care, row 2, column "Date started to be looked after": this date is missing; '
        "every row on this list needs one",
    ]
    assert casework_table_counts() == before


def test_a_list_without_its_main_date_column_or_with_a_name_column_is_refused(tmp_path):
    sheets = edited()
    sheets["List 3 Referrals"][0][2] = "When"
    sheets["List 1 - Contacts"][0].append("Forename")
    result = cases_import(path=build_workbook(tmp_path / "annex.xlsx", sheets))
    assert [str(p) for p in result.problems] == [
        "List 1 - Contacts, row 1, column \"Forename\": 'Forename' looks like a personal identifier; we keep "
        "pseudonymous child IDs only, so delete this column and import again",
        "List 3 Referrals, row 1: this list needs a 'Referral date' column (also accepted: "
        "'Date of referral', 'Referral received date'); add it or rename the header",
    ]
    assert Child.objects.count() == 0


def test_reimporting_the_same_workbook_changes_nothing(tmp_path):
    path = build_workbook(tmp_path / "annex.xlsx")
    first = cases_import(path=path)
    assert first.ok and first.created > 0
    counts = casework_table_counts()
    again = cases_import(path=path)
    assert again.ok, [str(p) for p in again.problems]
    assert (again.created, again.updated) == (0, 0) and again.unchanged == first.created
    assert casework_table_counts() == counts


def test_a_worker_name_is_refused_and_a_reference_becomes_an_allocation(tmp_path):
    sheets = edited(**{"List 3 Referrals": {(3, 5): "Jane Smith"}})
    result = cases_import(path=build_workbook(tmp_path / "annex.xlsx", sheets))
    assert [str(p) for p in result.problems] == [
        "List 3 Referrals, row 3, column \"Allocated worker\": 'Jane Smith' looks like a person's name; "
        "give the worker's reference (for example SW042), never a name"
    ]


def test_the_committed_example_imports(tmp_path):
    result = cases_import(path=EXAMPLE)
    assert result.ok, [str(p) for p in result.problems]
    assert result.rows == 15 and Child.objects.count() == 5


def test_a_plain_case_list_workbook_is_read_as_before(files):
    example = Path(__file__).parents[2] / "casework" / "imports" / "examples" / "case_list.xlsx"
    result = cases_import(path=example)
    assert result.ok and result.skipped_sheets == []


def test_the_export_imports_back_list_by_list_unchanged(tmp_path):
    from readiness import roles
    from tests.conftest import make_user

    make_user(roles.AUDITOR), make_user(roles.PERFORMANCE_MANAGER)
    demo.seed(rng=random.Random(3), scale=0.05, today=TODAY)
    tricky = ChildFactory(child_id="T0001", birth_month=None, birth_year=None)
    EventFactory(
        child=tricky,
        kind=Event.Kind.CONTACT,
        occurred_on=TODAY - dt.timedelta(days=10),
        value="=HYPERLINK(1)",
    )
    # A worker reference we would show differently (lower case): its date is left blank, so the
    # import does not add an upper-case twin.
    EventFactory(
        child=tricky, kind=Event.Kind.ALLOCATION, occurred_on=TODAY - dt.timedelta(days=30), value="sw9"
    )
    # A team a spreadsheet would run as a formula, and a later team after the workbook's day.
    EventFactory(
        child=tricky,
        kind=Event.Kind.TEAM_ALLOCATION,
        occurred_on=TODAY - dt.timedelta(days=30),
        value="+Duty",
    )
    EventFactory(
        child=tricky, kind=Event.Kind.TEAM_ALLOCATION, occurred_on=TODAY + dt.timedelta(days=1), value="Later"
    )
    AdopterHousehold.objects.create(
        reference="AD-FORMULA",
        enquiry_on=TODAY - dt.timedelta(days=90),
        closed_on=TODAY,
        closed_reason="=1+1",
    )
    exported = tmp_path / "annex-a.xlsx"
    annex_a_write(as_of=TODAY, out=exported)
    workbook = load_workbook(exported)
    assert "Case list" not in workbook.sheetnames

    before = casework_table_counts()
    result = cases_import(path=exported)
    assert result.ok, [str(p) for p in result.problems[:5]]
    assert result.created == 0 and result.updated == 0 and result.unchanged > 0
    assert casework_table_counts() == before
    # It really was read list by list: only the Validation sheet was skipped, with its reason.
    assert [s.split(" was skipped")[0] for s in result.skipped_sheets] == ["Sheet 'Validation'"]
    assert result.counts["events"]["unchanged"] > 100
    # ... and every dated column was read back, none listed as not imported for want of a date:
    # allocations, placements, care leavers' accommodation and EET, the adoption journey, adopters.
    assert not [c for c in result.ignored_columns if "no " in c and "date" in c], result.ignored_columns
    assert result.counts["placements"]["unchanged"] > 0
    assert result.counts["adopters"]["unchanged"] == AdopterHousehold.objects.count() > 1
    # Teams too: each child's team as at the day, with its Team date beside it.
    header = [cell.value for cell in workbook["List 1 Contacts"][1]]
    (shown,) = {
        row[header.index("Team")]
        for row in workbook["List 1 Contacts"].iter_rows(min_row=2, values_only=True)
        if row[0] == "T0001"
    }
    assert shown == "'+Duty"
    header = [cell.value for cell in workbook["List 8 Children in care"][1]]
    in_care = list(workbook["List 8 Children in care"].iter_rows(min_row=2, values_only=True))
    teamed = [row for row in in_care if row[header.index("Team")]]
    assert len(teamed) > len(in_care) / 2 and all(row[header.index("Team date")] for row in teamed)
    sheet = workbook["List 9 Care leavers"]
    header = [cell.value for cell in sheet[1]]
    dated = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[header.index("EET date")]]
    assert dated and header.index("Accommodation date") == header.index("Accommodation") + 1
    adoption = list(workbook["List 10 Adoption"].iter_rows(min_row=2, values_only=True))
    assert len(adoption) >= 3  # adopted in the 12 months, waiting, reversed (demo)
    header = [cell.value for cell in workbook["List 8 Children in care"][1]]
    assert header[header.index("Placement in area") + 1 : header.index("Placement in area") + 3] == [
        "Placement start",
        "Placement end",
    ]


def test_the_digest_set_says_new_once_and_survives_growing():
    digests = Digests()
    values = [(n * 0x9E3779B97F4A7C15) % (1 << 64) for n in range(1, 5001)] + [0]
    assert all(digests.add(v) for v in values)
    assert not any(digests.add(v) for v in values)
    assert len(digests) == len(values)


def test_the_import_page_lists_what_was_not_imported(client_for, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from casework.models import ImportRun
    from readiness import roles

    content = build_workbook(tmp_path / "annex.xlsx").read_bytes()
    pm = client_for(roles.PERFORMANCE_MANAGER)
    response = pm.post(
        reverse("casework:import"), {"file": SimpleUploadedFile("annex.xlsx", content)}, follow=True
    )

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    skipped = (
        "Sheet 'Notes' was skipped: we could not tell which Annex A list it is; name it like "
        "'List 3 Referrals' to import it."
    )
    ignored = (
        "Column 'Team (L2 Early help: no Team date or Allocation date column to date it)' is not one we "
        "import; it was ignored."
    )
    assert skipped in run.not_read and ignored in run.not_read
    text = response.content.decode()
    assert "Not imported from this file" in text
    assert "Sheet &#x27;Notes&#x27; was skipped" in text
    assert "Column &#x27;Team (L2 Early help: no Team date or Allocation date column" in text
