"""The deadlines page: every source, working-day status, grouping, filters, CSV, roles, no child IDs."""

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from casework.models import CaseAudit, Child
from inspections.models import DataRequest, Milestone
from readiness import deadlines, roles
from readiness.deadlines import (
    CASE_AUDIT,
    DATA_REQUEST,
    LATER,
    MILESTONE,
    NEXT,
    OVERDUE,
    PLAN_ACTION,
    deadline_list,
)
from readiness.plans.models import Action
from tests.factories.casework import CaseAuditFactory, SampleFactory, SampleMemberFactory
from tests.factories.inspections import InspectionFactory, MilestoneFactory, NonWorkingDayFactory
from tests.factories.plans import ActionFactory

pytestmark = pytest.mark.django_db

# Wednesday before Easter 2025: Good Friday is 18 April and Easter Monday 21 April.
TODAY = dt.date(2025, 4, 16)
FROZEN = "2025-04-16 09:00:00"
URL = reverse("readiness:deadlines")
CSV_URL = reverse("readiness:deadlines-csv")


def _auditor():
    return User.objects.get_or_create(username="deadline-auditor")[0]


def _audits(sample, *, total: int, not_submitted: int, due_on: dt.date):
    auditor = _auditor()
    for n in range(total):
        status = CaseAudit.Status.ASSIGNED if n < not_submitted else CaseAudit.Status.SUBMITTED
        CaseAuditFactory(
            member=SampleMemberFactory(sample=sample), auditor=auditor, status=status, due_on=due_on
        )


@pytest.fixture
def data():
    """One of each source, with done ones beside them, around the Easter 2025 bank holidays."""
    inspection = InspectionFactory(title="ILACS standard inspection, April 2025")
    MilestoneFactory(inspection=inspection, name="Factual accuracy comments", due_on=dt.date(2025, 4, 23))
    MilestoneFactory(inspection=inspection, name="Draft report received", due_on=dt.date(2025, 4, 14))
    MilestoneFactory(inspection=inspection, name="Already sent", due_on=dt.date(2025, 4, 22), done_on=TODAY)
    MilestoneFactory(
        inspection=inspection,
        name="Publication, typically",
        due_on=dt.date(2025, 4, 24),
        status=Milestone.Status.OBSERVED,
    )
    at = timezone.make_aware(dt.datetime(2025, 4, 17, 10, 0))
    DataRequest.objects.create(
        inspection=inspection, what="Supervision records\nfor team B", owner_name="Sam Jones", due_at=at
    )
    DataRequest.objects.create(
        inspection=inspection, what="Already sent", due_at=at, status=DataRequest.Status.SENT
    )
    DataRequest.objects.create(
        inspection=inspection, what="Already closed", due_at=at, status=DataRequest.Status.CLOSED
    )
    owner = User.objects.create_user("owner", first_name="Priya", last_name="Shah")
    ActionFactory(
        description="Refresh the supervision policy",
        due_on=dt.date(2025, 6, 30),
        start_on=None,
        owner=owner,
        priority__plan__title="Improvement plan 2025",
    )
    ActionFactory(
        description="Finished action",
        due_on=dt.date(2025, 5, 1),
        start_on=None,
        status=Action.Status.COMPLETE,
    )
    ActionFactory(description="Next year action", due_on=dt.date(2025, 9, 1), start_on=None)
    sample = SampleFactory(title="Sample X", due_on=dt.date(2025, 4, 25))
    _audits(sample, total=18, not_submitted=7, due_on=dt.date(2025, 4, 25))
    done_sample = SampleFactory(title="Sample all done", due_on=dt.date(2025, 4, 25))
    _audits(done_sample, total=3, not_submitted=0, due_on=dt.date(2025, 4, 25))
    return {"inspection": inspection, "sample": sample}


def _by_what(rows):
    return {r.what: r for r in rows}


# --- the selector -------------------------------------------------------------------------------


def test_each_source_appears_with_its_kind_status_and_link(data):
    rows = _by_what(deadline_list(today=TODAY))
    inspection_url = reverse("inspections:inspection-detail", kwargs={"inspection_pk": data["inspection"].pk})

    milestone = rows["Factual accuracy comments"]
    assert (milestone.kind, milestone.kind_label) == (MILESTONE, "Inspection milestone")
    assert milestone.url == inspection_url
    assert milestone.belongs_to == "ILACS standard inspection, April 2025"

    request = rows["Supervision records"]
    assert request.kind_label == "Data request"
    assert request.owner == "Sam Jones"
    assert request.status_text == "Due in 1 working day"
    assert request.url == reverse("inspections:onsite-log", kwargs={"inspection_pk": data["inspection"].pk})

    action = rows["Refresh the supervision policy"]
    assert action.kind_label == "Improvement plan action"
    assert action.owner == "Priya Shah"
    assert action.belongs_to.startswith("Improvement plan 2025, priority ")
    assert action.url.startswith("/actions/")
    assert action.group == LATER

    audits = rows["18 case audits for Sample X: 7 not submitted"]
    assert audits.kind_label == "Case audit"
    assert audits.belongs_to == "Sample X"
    assert audits.url == reverse("casework:sample-detail", kwargs={"sample_pk": data["sample"].pk})


def test_done_closed_sent_complete_and_observed_items_are_left_out(data):
    whats = " | ".join(r.what for r in deadline_list(today=TODAY))
    for gone in (
        "Already sent",
        "Already closed",
        "Finished action",
        "Publication, typically",
        "Sample all done",
    ):
        assert gone not in whats


def test_working_days_skip_the_easter_bank_holidays(data):
    rows = _by_what(deadline_list(today=TODAY))
    # Thu 17 is day 1; Good Friday and Easter Monday are skipped; Tue 22 is 2, Wed 23 is 3.
    assert rows["Factual accuracy comments"].status_text == "Due in 3 working days"
    assert rows["Factual accuracy comments"].working_days == 3
    # Mon 14 April: Tue 15 and Wed 16 have passed since.
    assert rows["Draft report received"].status_text == "Overdue by 2 working days"
    assert rows["Draft report received"].status == OVERDUE


def test_a_council_closure_counts_as_a_non_working_day(data):
    NonWorkingDayFactory(date=dt.date(2025, 4, 22), name="Council closure")
    rows = _by_what(deadline_list(today=TODAY))
    assert rows["Factual accuracy comments"].status_text == "Due in 2 working days"


def test_due_today_says_so():
    MilestoneFactory(name="Today's milestone", due_on=TODAY)
    (row,) = deadline_list(today=TODAY)
    assert (row.status_text, row.group) == ("Due today", NEXT)


def test_groups_overdue_next_ten_working_days_and_later(data):
    rows = _by_what(deadline_list(today=TODAY))
    assert rows["Draft report received"].group == OVERDUE
    assert rows["Factual accuracy comments"].group == NEXT
    assert rows["18 case audits for Sample X: 7 not submitted"].group == NEXT
    assert rows["Refresh the supervision policy"].group == LATER
    # 10 working days from 16 April 2025 is 2 May (two bank holidays in between): 6 May is later.
    MilestoneFactory(name="On the edge", due_on=dt.date(2025, 5, 2))
    MilestoneFactory(name="Past the edge", due_on=dt.date(2025, 5, 6))
    rows = _by_what(deadline_list(today=TODAY))
    assert rows["On the edge"].group == NEXT
    assert rows["Past the edge"].group == LATER


def test_ninety_days_by_default_and_twelve_months_on_request(data):
    assert "Next year action" not in _by_what(deadline_list(today=TODAY))
    until = deadlines.horizon_end(today=TODAY, long=True)
    assert until == dt.date(2026, 4, 16)
    assert "Next year action" in _by_what(deadline_list(today=TODAY, until=until))


def test_filter_by_kind(data):
    rows = deadline_list(today=TODAY, kinds=[PLAN_ACTION, CASE_AUDIT])
    assert {r.kind for r in rows} == {PLAN_ACTION, CASE_AUDIT}
    assert {r.kind for r in deadline_list(today=TODAY, kinds=[DATA_REQUEST])} == {DATA_REQUEST}


def test_case_audits_are_counted_per_sample_and_due_date(data):
    _audits(data["sample"], total=2, not_submitted=1, due_on=dt.date(2025, 5, 9))
    audits = [r for r in deadline_list(today=TODAY) if r.kind == CASE_AUDIT]
    assert [(r.due_on, r.what) for r in audits] == [
        (dt.date(2025, 4, 25), "18 case audits for Sample X: 7 not submitted"),
        (dt.date(2025, 5, 9), "2 case audits for Sample X: 1 not submitted"),
    ]


def test_an_audit_without_its_own_date_takes_the_samples():
    sample = SampleFactory(title="Rolling audit May", due_on=dt.date(2025, 5, 1))
    _audits(sample, total=1, not_submitted=1, due_on=None)
    (row,) = deadline_list(today=TODAY)
    assert row.due_on == dt.date(2025, 5, 1)
    assert row.what == "1 case audit for Rolling audit May: 1 not submitted"


def test_cases_with_no_auditor_count_towards_the_samples_deadline():
    due = dt.date(2025, 5, 1)
    started = SampleFactory(title="Half assigned", due_on=due)
    _audits(started, total=1, not_submitted=1, due_on=due)
    SampleMemberFactory.create_batch(2, sample=started)
    untouched = SampleFactory(title="Nobody assigned", due_on=due)
    SampleMemberFactory.create_batch(3, sample=untouched)
    SampleMemberFactory(sample=SampleFactory(title="No due date", due_on=None))
    rows = {r.belongs_to: r.what for r in deadline_list(today=TODAY, kinds=[CASE_AUDIT])}
    assert rows == {
        "Half assigned": "1 case audit for Half assigned: 1 not submitted; 2 cases with no auditor yet",
        "Nobody assigned": "Nobody assigned: 3 cases with no auditor yet",
    }


def _queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        deadline_list(today=TODAY, **kwargs)
    return len(queries)


def _one_of_each(n: int):
    inspection = InspectionFactory()
    sample = SampleFactory(due_on=dt.date(2025, 4, 30))
    owner = User.objects.create_user(f"owner-{n}-{User.objects.count()}")
    for i in range(n):
        MilestoneFactory(inspection=inspection, due_on=dt.date(2025, 4, 23))
        DataRequest.objects.create(
            inspection=inspection,
            what=f"Request {i}",
            owner=owner,
            due_at=timezone.now() + dt.timedelta(days=1),
        )
        ActionFactory(due_on=dt.date(2025, 5, 20), start_on=None, owner=owner)
        other = SampleFactory(due_on=dt.date(2025, 4, 30))
        _audits(other, total=2, not_submitted=1, due_on=dt.date(2025, 4, 30))
    _audits(sample, total=n, not_submitted=n, due_on=dt.date(2025, 4, 30))


@freeze_time(FROZEN)
def test_query_count_does_not_grow_with_rows():
    _one_of_each(1)
    small = _queries()
    _one_of_each(8)
    assert len(deadline_list(today=TODAY)) > 30
    assert _queries() == small
    assert small <= 7


@freeze_time(FROZEN)
def test_page_query_count_does_not_grow_with_rows(client_for):
    dcs = client_for(roles.DCS)
    _one_of_each(1)
    dcs.get(URL)
    with CaptureQueriesContext(connection) as before:
        dcs.get(URL)
    _one_of_each(8)
    with CaptureQueriesContext(connection) as after:
        response = dcs.get(URL)
    assert response.status_code == 200
    assert len(after) == len(before)


# --- the page --------------------------------------------------------------------------------


@freeze_time(FROZEN)
def test_page_groups_rows_under_headings_in_order(client_for, data):
    body = client_for(roles.PERFORMANCE_MANAGER).get(URL).content.decode()
    overdue, soon, later = (body.index(f'data-testid="deadlines-{key}"') for key in (OVERDUE, NEXT, LATER))
    assert overdue < soon < later
    assert "Overdue by 2 working days" in body
    assert "Due in 3 working days" in body
    assert "18 case audits for Sample X: 7 not submitted" in body
    assert "1 overdue, 3 due in the next 10 working days and 1 later." in body
    assert reverse("inspections:calendar-feed") in body
    assert "Next year action" not in body


@freeze_time(FROZEN)
def test_twelve_month_option_shows_later_deadlines(client_for, data):
    body = client_for(roles.PERFORMANCE_MANAGER).get(URL, {"period": "12-months"}).content.decode()
    assert "Next year action" in body
    assert "16 April 2026" in body


@freeze_time(FROZEN)
def test_kind_filter_keeps_the_choices(client_for, data):
    response = client_for(roles.PERFORMANCE_MANAGER).get(URL, {"kind": ["plan-action", "case-audit"]})
    body = response.content.decode()
    assert "Refresh the supervision policy" in body
    assert "Factual accuracy comments" not in body
    assert "Supervision records" not in body
    form = response.context["form"]
    assert form["kind"].value() == ["plan-action", "case-audit"]
    checked = {
        m.group(1) for m in re.finditer(r'<input[^>]*value="([\w-]+)"[^>]*checked="checked"', body, re.S)
    }
    assert checked == {"plan-action", "case-audit", "90-days"}
    assert "kind=plan-action&amp;kind=case-audit" in body  # the CSV link keeps them


@freeze_time(FROZEN)
def test_empty_state_in_plain_english(client_for):
    body = client_for(roles.DCS).get(URL).content.decode()
    assert "Nothing is due" in body
    assert "There are no open deadlines" in body


@freeze_time(FROZEN)
def test_long_lists_are_paginated_keeping_filters(client_for):
    for n in range(55):
        ActionFactory(description=f"Action number {n:02d}", due_on=dt.date(2025, 5, 20), start_on=None)
    pm = client_for(roles.PERFORMANCE_MANAGER)
    first = pm.get(URL, {"kind": "plan-action"})
    second = pm.get(URL, {"kind": "plan-action", "page": 2})
    assert len(first.context["page_obj"].object_list) == 50
    assert len(second.context["page_obj"].object_list) == 5
    shown = re.findall(r"Action number \d\d", first.content.decode() + second.content.decode())
    assert sorted(shown) == [f"Action number {n:02d}" for n in range(55)]
    assert "kind=plan-action&amp;page=2" in first.content.decode()


@freeze_time(FROZEN)
def test_dcs_page_links_all_deadlines(client_for):
    body = client_for(roles.DCS).get(reverse("readiness:dashboard")).content.decode()
    assert f'href="{URL}">All deadlines</a>' in body


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.PERFORMANCE_MANAGER, 200),
        (roles.DCS, 200),
        (roles.ADMINISTRATOR, 200),
        (roles.BOARD_MEMBER, 403),
        (roles.AUDITOR, 403),
        (None, 403),
    ],
)
def test_who_may_see_the_page_and_its_csv(client_for, role, status):
    client = client_for(role)
    assert client.get(URL).status_code == status
    assert client.get(CSV_URL).status_code == status


@pytest.mark.parametrize(("role", "shown"), [(roles.PERFORMANCE_MANAGER, True), (roles.BOARD_MEMBER, False)])
def test_navigation_offers_deadlines_to_the_right_roles(client_for, role, shown):
    body = client_for(role).get(reverse("accessibility")).content.decode()
    assert (f'href="{URL}"' in body) is shown


# --- CSV and child IDs ---------------------------------------------------------------------------


@freeze_time(FROZEN)
def test_csv_cells_are_formula_safe_and_the_name_is_ours(client_for):
    ActionFactory(description='=HYPERLINK("http://evil.example")', due_on=dt.date(2025, 5, 1), start_on=None)
    MilestoneFactory(name="@SUM(A1)", due_on=dt.date(2025, 4, 14))
    response = client_for(roles.DCS).get(CSV_URL, {"kind": ["plan-action", "milestone"]})
    assert response["Content-Disposition"] == 'attachment; filename="deadlines-2025-04-16.csv"'
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Due date", "Kind", "What"]
    whats = {row[2] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example")' in whats
    assert "'@SUM(A1)" in whats
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "@")) for cell in row)
    overdue = next(row for row in rows[1:] if row[2] == "'@SUM(A1)")
    assert overdue[5:7] == ["Overdue by 2 working days", "-2"]


@freeze_time(FROZEN)
def test_no_child_id_on_the_page_or_in_the_csv(client_for, data):
    # Someone wrote a child's ID into an action, a sample title and a data request.
    Child.objects.create(child_id="C7777", birth_year=2012)
    ActionFactory(description="Check C7777 plan is reviewed", due_on=dt.date(2025, 5, 1), start_on=None)
    _audits(
        SampleFactory(title="Tracked: c7777 and others"), total=1, not_submitted=1, due_on=dt.date(2025, 5, 2)
    )
    DataRequest.objects.create(
        inspection=data["inspection"],
        what="Case file for C7777",
        due_at=timezone.make_aware(dt.datetime(2025, 4, 17, 12, 0)),
    )
    child_ids = list(Child.objects.values_list("child_id", flat=True))
    assert len(child_ids) > 20
    dcs = client_for(roles.DCS)
    body = dcs.get(URL).content.decode()
    sheet = dcs.get(CSV_URL).content.decode("utf-8-sig")
    assert "[child ID removed]" in body and "[child ID removed]" in sheet
    for text in (body, sheet):
        upper = text.upper()
        for child_id in child_ids:
            assert child_id.upper() not in upper, child_id
