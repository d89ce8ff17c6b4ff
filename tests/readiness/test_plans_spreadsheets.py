"""Export of action lists (formula-safe CSV and XLSX) and plan import (all or nothing)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from readiness import roles
from readiness.plans.models import Action, ImprovementPlan
from readiness.plans.spreadsheets import plan_import, safe_cell
from tests.factories.plans import ActionFactory, PriorityFactory

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_safe_cell_prefixes_formula_starts(value):
    assert safe_cell(value) == "'" + value


def test_safe_cell_leaves_ordinary_text_and_numbers():
    assert safe_cell("Audit 20 cases") == "Audit 20 cases"
    assert safe_cell(-3) == -3


@pytest.fixture
def dangerous_plan():
    priority = PriorityFactory(title="=cmd|' /C calc'!A0")
    for text in DANGEROUS:
        ActionFactory(priority=priority, description=text, lead_officer="@lead")
    return priority.plan


def test_csv_export_is_formula_safe(client_for, dangerous_plan):
    url = reverse("readiness:plan-actions-export", kwargs={"plan_pk": dangerous_plan.pk})
    response = client_for(roles.DCS).get(url, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert '\'=HYPERLINK("http://x")' in cells and "'@lead" in cells


def test_xlsx_export_is_formula_safe(client_for, dangerous_plan):
    url = reverse("readiness:plan-actions-export", kwargs={"plan_pk": dangerous_plan.pk})
    response = client_for(roles.PERFORMANCE_MANAGER).get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    texts = [v for v in values if isinstance(v, str)]
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in texts)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_keeps_the_filters(client_for, dangerous_plan):
    ActionFactory(
        priority=dangerous_plan.priorities.get(), description="Done one", status=Action.Status.COMPLETE
    )
    url = reverse("readiness:plan-actions-export", kwargs={"plan_pk": dangerous_plan.pk})
    response = client_for(roles.PERFORMANCE_MANAGER).get(url, {"format": "csv", "status": "complete"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][2] == "Done one"


GOOD = (
    "priority,action,owner,due_date,start_date,status,partner_agency\n"
    "Improve early help,Review the early help offer,pm,30/09/2026,01/06/2026,in progress,Schools Forum\n"
    "Improve early help,Train practitioners,,31/10/2026,,not started,\n"
    "Strengthen supervision,Audit supervision records,dcs,2026-12-01,,,\n"
)
BAD = (
    "priority,action,owner,due_date,status\n"
    "Improve early help,Review the offer,pm,30/09/2026,in progress\n"
    "Improve early help,,nobody,31/02/2026,finished\n"
    ",Audit records,dcs,,\n"
)


def _import(content: str, **kwargs):
    return plan_import(
        handle=io.BytesIO(content.encode()), filename="plan.csv", title="Imported plan", **kwargs
    )


def test_good_file_imports_priorities_and_actions(role_user):
    role_user(roles.PERFORMANCE_MANAGER)
    role_user(roles.DCS)
    result = _import(GOOD)
    assert result.ok, [str(p) for p in result.problems]
    plan = result.plan
    assert [p.title for p in plan.priorities.order_by("order")] == [
        "Improve early help",
        "Strengthen supervision",
    ]
    assert Action.objects.filter(priority__plan=plan).count() == 3
    first = Action.objects.get(description="Review the early help offer")
    assert first.owner.username == "pm" and first.partner_agency == "Schools Forum"
    assert first.history.count() == 1


def test_bad_file_names_every_bad_row_and_saves_nothing(role_user):
    role_user(roles.PERFORMANCE_MANAGER)
    role_user(roles.DCS)
    result = _import(BAD)
    assert not result.ok
    shown = [str(p) for p in result.problems]
    assert "row 3, column action: is empty; every action needs one" in shown
    assert any(s.startswith("row 3, column owner: 'nobody' is not a user") for s in shown)
    assert any(s.startswith("row 3, column due_date: '31/02/2026' is not a real date") for s in shown)
    assert any(s.startswith("row 3, column status: 'finished' is not a status") for s in shown)
    assert "row 4, column priority: is empty; every action needs one" in shown
    assert "row 4, column due_date: is empty; every action needs one" in shown
    assert not any(s.startswith("row 2") for s in shown)
    assert ImprovementPlan.objects.count() == 0 and Action.objects.count() == 0


def test_import_plan_command_exit_codes(tmp_path, role_user, capsys):
    role_user(roles.PERFORMANCE_MANAGER)
    role_user(roles.DCS)
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD)
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_plan", str(bad), "--title", "From file")
    assert exit_info.value.code == 1
    assert "row 3, column action" in capsys.readouterr().out
    assert ImprovementPlan.objects.count() == 0
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    call_command("import_plan", str(good), "--title", "From file")
    assert "2 priorities and 3 actions" in capsys.readouterr().out
    assert ImprovementPlan.objects.get().title == "From file"


def test_import_page_shows_row_problems(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(roles.PERFORMANCE_MANAGER)
    upload = SimpleUploadedFile("plan.csv", BAD.encode(), content_type="text/csv")
    response = client.post(
        reverse("readiness:plan-import"), {"file": upload, "title": "Web plan", "source": "self_evaluation"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Row 3, action: is empty" in body and "Nothing was imported" in body
    assert ImprovementPlan.objects.count() == 0
