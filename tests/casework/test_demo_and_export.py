"""Demo data: deterministic and idempotent. Annex A export: lists, validation, and the round trip."""

import datetime as dt
import random

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from casework import demo
from casework.annex_a import annex_a_write
from casework.models import AdopterHousehold, CaseAudit, Child, Event, Sample
from casework.services import cases_import
from readiness import roles
from tests.casework.conftest import casework_table_counts
from tests.conftest import make_user
from tests.factories.casework import ChildFactory, EventFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def demo_users():
    return make_user(roles.AUDITOR), make_user(roles.PERFORMANCE_MANAGER)


def test_demo_seed_is_idempotent_and_builds_an_18_case_sample(demo_users):
    first = demo.seed(rng=random.Random(7), scale=0.05, today=TODAY)
    counts = casework_table_counts()
    assert first["children"] == Child.objects.count() > 100
    again = demo.seed(rng=random.Random(7), scale=0.05, today=TODAY)
    assert again == {"children": 0, "audits": 0, "adoption": 0}
    assert casework_table_counts() == counts
    sample = Sample.objects.get(title=demo.SAMPLE_TITLE)
    assert sample.members.count() == 18 and sample.locked_at is not None
    statuses = {a.status for a in CaseAudit.objects.all()}
    assert statuses == {"assigned", "in_progress", "submitted", "moderated", "shared"}
    # Every event was recorded as created; the adopted children's later events, removed, as deleted.
    history = Event.history.model.objects
    deleted = history.filter(history_type="-").count()
    assert history.filter(history_type="+").count() == Event.objects.count() + deleted
    assert history.count() == Event.objects.count() + 2 * deleted


def test_demo_seed_is_deterministic(demo_users):
    demo.seed(rng=random.Random(7), scale=0.02, today=TODAY)
    first = list(
        Event.objects.order_by("child__child_id", "occurred_on", "kind").values_list(
            "child__child_id", "kind", "occurred_on"
        )
    )
    Sample.objects.all().delete()
    CaseAudit.objects.all().delete()
    Child.objects.all().delete()
    AdopterHousehold.objects.all().delete()
    demo.seed(rng=random.Random(7), scale=0.02, today=TODAY)
    again = list(
        Event.objects.order_by("child__child_id", "occurred_on", "kind").values_list(
            "child__child_id", "kind", "occurred_on"
        )
    )
    assert first == again


def test_export_round_trip_changes_nothing(demo_users, tmp_path):
    demo.seed(rng=random.Random(3), scale=0.05, today=TODAY)
    tricky = ChildFactory(child_id="T0001", birth_month=None, birth_year=None)
    EventFactory(
        child=tricky,
        kind=Event.Kind.CONTACT,
        occurred_on=TODAY - dt.timedelta(days=10),
        value="=HYPERLINK(1)",
    )
    EventFactory(child=tricky, kind=Event.Kind.ASSESSMENT_COMPLETED, occurred_on=TODAY - dt.timedelta(days=9))
    out = tmp_path / "annex-a.xlsx"
    call_command("export_annex_a", "--as-of", TODAY.isoformat(), "--out", str(out))
    workbook = load_workbook(out)
    assert [name for name in workbook.sheetnames if name.startswith("List")] == [
        "List 1 Contacts",
        "List 2 Early help",
        "List 6 Children in need",
        "List 7 Child protection",
        "List 3 Referrals",
        "List 4 Assessments",
        "List 5 Section 47 and ICPC",
        "List 8 Children in care",
        "List 9 Care leavers",
        "List 10 Adoption",
        "List 11 Adopters",
    ]
    # Annex A and its validation, nothing more: no hidden sheet with the children's whole history.
    assert len(workbook.sheetnames) == 12 and workbook.sheetnames[-1] == "Validation"
    assert all(workbook[name].sheet_state == "visible" for name in workbook.sheetnames)
    assert workbook["List 10 Adoption"]["A1"].value == "Child ID"
    assert workbook["List 11 Adopters"]["A1"].value == "Adopter reference"
    contacts = [row for row in workbook["List 1 Contacts"].iter_rows(values_only=True) if row[0] == "T0001"]
    assert contacts[0][-1] == "'=HYPERLINK(1)"
    problems = [row[2] for row in workbook["Validation"].iter_rows(values_only=True) if row[0] == "T0001"]
    assert any("has no referral or start date" in p for p in problems)
    assert "Month and year of birth are missing" in problems
    before = casework_table_counts()
    result = cases_import(path=out)
    assert result.ok, [p.display for p in result.problems[:5]]
    assert result.created == 0 and result.updated == 0 and result.unchanged > 0
    assert casework_table_counts() == before


def test_annex_a_page_downloads_the_workbook(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    response = pm.post("/casework/annex-a/", {"as_of_0": "2", "as_of_1": "3", "as_of_2": "2026"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="annex-a-2026-03-02.xlsx"'
    assert response.content[:2] == b"PK"
    assert client_for(roles.AUDITOR).get("/casework/annex-a/").status_code == 403


def test_annex_a_write_reports_row_counts(tmp_path):
    counts = annex_a_write(as_of=TODAY, out=tmp_path / "a.xlsx")
    assert counts["List 10 Adoption"] == 0 and counts["List 11 Adopters"] == 0 and counts["Validation"] == 0
