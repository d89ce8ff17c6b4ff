"""Demo data: deterministic, idempotent, and only deliberate Annex A gaps. Annex A export: lists,
validation, and the round trip."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from casework import demo, demo_gaps
from casework.annex_a import annex_a_check, annex_a_write
from casework.annex_a_gaps import FIRST_REVIEW_WORKING_DAYS, NEEDS_A_BORN_CHILD
from casework.models import (
    AdopterHousehold,
    CaseAudit,
    CaseAuditAction,
    Child,
    Cohort,
    Episode,
    Event,
    Placement,
    Sample,
)
from casework.services import cases_import
from inspections.working_days import add_working_days
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
    # Each finished audit asked for one action for the child: two done already, the rest open.
    actions = CaseAuditAction.objects.select_related("audit")
    assert actions.count() == 10 and all(a.audit.status not in ("assigned", "in_progress") for a in actions)
    assert actions.filter(done_on__isnull=False).count() == 2
    assert all(a.done_note and a.done_by_id for a in actions.filter(done_on__isnull=False))
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


# What each deliberate gap (casework/demo_gaps.py) reads as on the Annex A check.
GAP_MESSAGES = {
    "no_placement": "but no placement is recorded",
    "no_review": "but no looked-after review is recorded",
    "plan_without_conference": "has no initial conference on or before it",
    "conference_without_strategy": "has no strategy discussion before it",
    "assessment_without_referral": "has no referral or start date",
    "care_leaver_out_of_touch": "has no contact recorded in the 12 months",
    "review_before_birth": "Looked-after review on",
    "birth_missing": "Month and year of birth are missing",
}


def _gap_kind(message: str) -> str:
    for kind, text in GAP_MESSAGES.items():
        if text in message and (
            kind != "review_before_birth" or "before the child's month of birth" in message
        ):
            return kind
    return f"not deliberate: {message}"


def test_the_demo_has_only_its_deliberate_annex_a_gaps(demo_users):
    demo.seed(rng=random.Random(5), scale=1, today=TODAY)
    problems = annex_a_check(as_of=TODAY).problems
    # A handful, one kind each as demo_gaps makes them, rather than hundreds by accident.
    assert Counter(_gap_kind(message) for _, _, message in problems) == demo_gaps.GAPS
    assert 5 <= len(problems) <= 15
    assert len({child_id for child_id, _, _ in problems}) == len(problems)  # one gap per child
    # Over the whole history, not only the 20 months the check reads: the only event that needs a
    # born child and is dated before the month of birth is the deliberately mis-keyed review.
    before_birth = [
        (child_id, kind)
        for child_id, kind, day, year, month in Event.objects.filter(
            kind__in=NEEDS_A_BORN_CHILD, child__birth_year__isnull=False
        ).values_list("child__child_id", "kind", "occurred_on", "child__birth_year", "child__birth_month")
        if (day.year, day.month) < (year, month)
    ]
    assert [kind for _, kind in before_birth] == [Event.Kind.CLA_REVIEW]
    # Every episode of care, current or ended (care leavers'), has a placement, and a review once
    # the first is due, but for the deliberate gaps.
    placed = set(Placement.objects.values_list("child_id", flat=True))
    reviewed = set(Event.objects.filter(kind=Event.Kind.CLA_REVIEW).values_list("child_id", flat=True))
    in_care = dict(Episode.objects.filter(cohort=Cohort.LOOKED_AFTER).values_list("child_id", "start_on"))
    due = {pk for pk, began in in_care.items() if add_working_days(began, FIRST_REVIEW_WORKING_DAYS) < TODAY}
    assert len(in_care.keys() - placed) == demo_gaps.GAPS["no_placement"]
    assert len(due - reviewed) == demo_gaps.GAPS["no_review"]
    # The headline figures stay the issue's: about 2,200 open children, 450 in care, 250 on plans.
    open_now = Episode.objects.filter(end_on__isnull=True)
    assert 2100 <= open_now.values("child").distinct().count() <= 2300
    assert 420 <= open_now.filter(cohort=Cohort.LOOKED_AFTER).count() <= 460
    assert open_now.filter(cohort=Cohort.CHILD_PROTECTION).count() == 250


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
