"""Check the Annex A return on a page before downloading it: counts, problems, CSV, and new gap checks."""

import csv
import datetime as dt
import io
import random

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework import demo
from casework.annex_a import annex_a_check, annex_a_write, build_lists
from casework.annex_a_views import NO_GAPS, PROBLEMS_PER_PAGE
from casework.models import Child, Cohort, Event
from inspections.working_days import add_working_days
from readiness import roles
from tests.conftest import make_user
from tests.factories.casework import ChildFactory, EpisodeFactory, EventFactory, PlacementFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
CHECK = reverse("casework:annex-a-check")
CSV = reverse("casework:annex-a-problems")
ON_TODAY = {"as_of_0": "2", "as_of_1": "3", "as_of_2": "2026"}


def _problems(as_of=TODAY) -> list[list]:
    return build_lists(as_of)[1]


def _messages(child_id: str, as_of=TODAY) -> list[str]:
    return [message for cid, _, message in _problems(as_of) if cid == child_id]


def _assessment_gap(child_id: str) -> Child:
    """A child whose assessment completed with no referral or start: one List 4 problem."""
    child = ChildFactory(child_id=child_id)
    EventFactory(child=child, kind=Event.Kind.ASSESSMENT_COMPLETED, occurred_on=TODAY - dt.timedelta(days=9))
    return child


# The page ------------------------------------------------------------------------------------------


def test_check_counts_match_the_workbook_sheets(client_for, tmp_path):
    make_user(roles.AUDITOR)
    pm = client_for(roles.PERFORMANCE_MANAGER)  # both before the seed, which gives them work
    demo.seed(rng=random.Random(3), scale=0.02, today=TODAY)
    out = tmp_path / "annex-a.xlsx"
    counts = annex_a_write(as_of=TODAY, out=out)
    workbook = load_workbook(out)
    on_sheets = {name: workbook[name].max_row - 1 for name in workbook.sheetnames if name.startswith("List")}
    check = annex_a_check(as_of=TODAY)
    assert {item.title: item.rows for item in check.lists} == on_sheets
    assert len(check.problems) == counts["Validation"]
    assert [item.title.split()[1] for item in check.lists] == [str(n) for n in range(1, 12)]
    response = pm.get(CHECK, ON_TODAY)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    for item in check.lists:
        assert item.title in body
    assert response.context["problem_count"] == counts["Validation"]


def test_check_page_says_when_a_list_is_empty_and_when_there_are_no_gaps(client_for):
    body = client_for(roles.PERFORMANCE_MANAGER).get(CHECK, ON_TODAY).content.decode()
    assert body.count("(empty)") == 11
    assert NO_GAPS in body
    assert "Download the problems as CSV" not in body
    assert (
        "1 Sep 2025 to 2 Mar 2026" in body and "On 2 Mar 2026" in body and "3 Mar 2025 to 2 Mar 2026" in body
    )


def test_check_page_without_a_date_checks_today(client_for):
    response = client_for(roles.PERFORMANCE_MANAGER).get(CHECK)
    assert response.status_code == 200
    assert response.context["check"].as_of == timezone.localdate()


def test_check_page_groups_problems_by_list_and_pages_them(client_for):
    for n in range(PROBLEMS_PER_PAGE + 3):
        _assessment_gap(f"A{n:03d}")
    conference = ChildFactory(child_id="B001")
    EventFactory(child=conference, kind=Event.Kind.ICPC, occurred_on=TODAY - dt.timedelta(days=5))
    nameless = ChildFactory(child_id="Z001", birth_month=None)
    EventFactory(child=nameless, kind=Event.Kind.CONTACT, occurred_on=TODAY - dt.timedelta(days=5))
    pm = client_for(roles.PERFORMANCE_MANAGER)
    first = pm.get(CHECK, ON_TODAY)
    groups = first.context["groups"]
    # All lists first, then list 4; fifty rows to a page.
    assert [g["list"] for g in groups] == ["All lists", "List 4"]
    assert groups[1]["title"] == "List 4 Assessments"
    assert sum(len(g["rows"]) for g in groups) == PROBLEMS_PER_PAGE
    assert first.context["problem_count"] == PROBLEMS_PER_PAGE + 5
    body = first.content.decode()
    assert (
        'class="govuk-pagination"' in body and "as_of_0=2&amp;as_of_1=3&amp;as_of_2=2026&amp;page=2" in body
    )
    second = pm.get(CHECK, {**ON_TODAY, "page": 2})
    assert [g["list"] for g in second.context["groups"]] == ["List 4", "List 5"]
    assert second.context["groups"][1]["rows"][0]["message"] == (
        "Initial conference on 25/02/2026 has no strategy discussion before it"
    )
    assert "Month and year of birth are missing" in body


def test_check_page_links_a_child_only_for_users_who_may_see_child_records(client_for):
    child = _assessment_gap("L001")
    link = reverse("casework:child-detail", kwargs={"pk": child.pk})
    assert link in client_for(roles.PERFORMANCE_MANAGER).get(CHECK, ON_TODAY).content.decode()
    exporter = User.objects.create_user("exporter")
    exporter.user_permissions.add(Permission.objects.get(codename="export_annex_a"))
    signed_in = Client()
    signed_in.force_login(exporter)
    response = signed_in.get(CHECK, ON_TODAY)
    assert response.status_code == 200
    body = response.content.decode()
    assert "L001" in body and link not in body


def test_check_page_download_button_posts_the_same_date_to_the_workbook(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    body = pm.get(CHECK, {"as_of_0": "02", "as_of_1": "03", "as_of_2": "2026"}).content.decode()
    assert f'action="{reverse("casework:annex-a")}"' in body
    for name, value in ON_TODAY.items():
        assert f'name="{name}" value="{value}"' in body
    assert "Download the workbook" in body
    response = pm.post(reverse("casework:annex-a"), ON_TODAY)
    assert response["Content-Disposition"] == 'attachment; filename="annex-a-2026-03-02.xlsx"'


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"as_of_0": "31", "as_of_1": "2", "as_of_2": "2026"}, "Date of the return must be a real date"),
        ({"as_of_0": "", "as_of_1": "", "as_of_2": ""}, "Enter date of the return"),
        ({"as_of_0": "2", "as_of_1": "", "as_of_2": "2026"}, "Date of the return must include a month"),
    ],
)
def test_check_page_with_a_bad_date_shows_the_error_summary(client_for, query, message):
    response = client_for(roles.PERFORMANCE_MANAGER).get(CHECK, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and message in body
    assert "<title>Error: Check the Annex A return" in body
    assert "check" not in response.context
    assert client_for(roles.ADMINISTRATOR).get(CSV, query).status_code == 400


@pytest.mark.parametrize("role", [roles.BOARD_MEMBER, roles.AUDITOR, roles.DCS])
def test_check_page_and_csv_refuse_roles_without_the_export_permission(client_for, role):
    signed_in = client_for(role)
    assert signed_in.get(CHECK, ON_TODAY).status_code == 403
    assert signed_in.get(CSV, ON_TODAY).status_code == 403


def test_problems_csv_is_formula_safe_and_never_cached(client_for):
    _assessment_gap("=HYPERLINK(1)")
    _assessment_gap("-C0002")
    _assessment_gap("C0003")
    response = client_for(roles.PERFORMANCE_MANAGER).get(CSV, ON_TODAY)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="annex-a-problems-2026-03-02.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["child_id", "list", "problem"]
    assert [row[0] for row in rows[1:]] == ["'-C0002", "'=HYPERLINK(1)", "C0003"]
    assert rows[1][1:] == ["List 4", "Assessment completed on 21/02/2026 has no referral or start date"]


def test_check_page_queries_do_not_grow_with_the_children(client_for):
    pm = client_for(roles.PERFORMANCE_MANAGER)
    _assessment_gap("Q000")
    pm.get(CHECK, ON_TODAY)  # session and permission caches warmed
    with CaptureQueriesContext(connection) as few:
        pm.get(CHECK, ON_TODAY)
    for n in range(1, 30):
        child = _assessment_gap(f"Q{n:03d}")
        EpisodeFactory(child=child, cohort=Cohort.LOOKED_AFTER, start_on=TODAY - dt.timedelta(days=40))
        EpisodeFactory(child=child, cohort=Cohort.CARE_LEAVER, start_on=TODAY - dt.timedelta(days=400))
    with CaptureQueriesContext(connection) as many:
        pm.get(CHECK, ON_TODAY)
    assert len(many) == len(few)


# The new gap checks (shared with the workbook's Validation sheet) ---------------------------------


def test_plan_with_no_conference_on_or_before_its_start_is_a_problem():
    child = ChildFactory(child_id="P001")
    EpisodeFactory(child=child, cohort=Cohort.CHILD_PROTECTION, start_on=dt.date(2026, 2, 3))
    EventFactory(child=child, kind=Event.Kind.STRATEGY_DISCUSSION, occurred_on=dt.date(2026, 2, 1))
    EventFactory(child=child, kind=Event.Kind.ICPC, occurred_on=dt.date(2026, 2, 4))  # after: no use
    assert _messages("P001") == [
        "Child protection plan from 03/02/2026 has no initial conference on or before it"
    ]


def test_plan_with_a_conference_on_its_start_day_is_not_a_problem():
    child = ChildFactory(child_id="P002")
    EpisodeFactory(child=child, cohort=Cohort.CHILD_PROTECTION, start_on=dt.date(2026, 2, 3))
    EventFactory(child=child, kind=Event.Kind.STRATEGY_DISCUSSION, occurred_on=dt.date(2026, 1, 20))
    EventFactory(child=child, kind=Event.Kind.ICPC, occurred_on=dt.date(2026, 2, 3))
    # A plan from years ago whose conference is older than any list's look-back is fine too.
    old = ChildFactory(child_id="P003")
    EpisodeFactory(child=old, cohort=Cohort.CHILD_PROTECTION, start_on=dt.date(2022, 5, 3))
    EventFactory(child=old, kind=Event.Kind.ICPC, occurred_on=dt.date(2022, 5, 3))
    assert _messages("P002") == [] and _messages("P003") == []


def test_looked_after_child_never_reviewed_is_a_problem():
    child = ChildFactory(child_id="R001")
    EpisodeFactory(child=child, cohort=Cohort.LOOKED_AFTER, start_on=dt.date(2025, 6, 1))
    PlacementFactory(child=child, start_on=dt.date(2025, 6, 1))
    EventFactory(child=child, kind=Event.Kind.CLA_REVIEW, occurred_on=TODAY + dt.timedelta(days=3))  # future
    assert _messages("R001") == [
        "Looked after from 01/06/2025 but no looked-after review is recorded; the first was due by "
        "27/06/2025 (held late, or missing from the records)"
    ]


def test_looked_after_child_whose_first_review_is_not_due_yet_is_not_a_problem():
    """The first review is due within 20 working days of coming into care."""
    recent = ChildFactory(child_id="R003")
    start = dt.date(2026, 2, 4)  # the 20th working day after it is 4 Mar 2026, after the day checked
    EpisodeFactory(child=recent, cohort=Cohort.LOOKED_AFTER, start_on=start)
    PlacementFactory(child=recent, start_on=start)
    assert TODAY < add_working_days(start, 20)
    assert _messages("R003") == []
    # Checked the day after the review fell due, the same child is missing one.
    later = add_working_days(start, 20) + dt.timedelta(days=1)
    assert _messages("R003", as_of=later) == [
        "Looked after from 04/02/2026 but no looked-after review is recorded; the first was due by "
        "04/03/2026 (held late, or missing from the records)"
    ]


def test_looked_after_child_reviewed_long_ago_is_not_a_problem():
    child = ChildFactory(child_id="R002")
    EpisodeFactory(child=child, cohort=Cohort.LOOKED_AFTER, start_on=dt.date(2021, 6, 1))
    PlacementFactory(child=child, start_on=dt.date(2021, 6, 1))
    EventFactory(child=child, kind=Event.Kind.CLA_REVIEW, occurred_on=dt.date(2021, 6, 20))
    assert _messages("R002") == []


def test_care_leaver_with_no_contact_in_the_last_12_months_is_a_problem():
    child = ChildFactory(child_id="L001", birth_year=2005)
    EpisodeFactory(child=child, cohort=Cohort.CARE_LEAVER, start_on=dt.date(2023, 3, 1))
    EventFactory(
        child=child, kind=Event.Kind.CARE_LEAVER_CONTACT, occurred_on=dt.date(2025, 3, 2), value="Yes"
    )
    assert _messages("L001") == [
        "Care leaver since 01/03/2023 has no contact recorded in the 12 months to 02/03/2026"
    ]


def test_care_leaver_for_less_than_12_months_is_not_yet_a_problem():
    child = ChildFactory(child_id="L004", birth_year=2007)
    EpisodeFactory(child=child, cohort=Cohort.CARE_LEAVER, start_on=dt.date(2025, 10, 1))
    assert _messages("L004") == []


def test_care_leaver_in_contact_in_the_last_12_months_is_not_a_problem():
    child = ChildFactory(child_id="L002", birth_year=2005)
    EpisodeFactory(child=child, cohort=Cohort.CARE_LEAVER, start_on=dt.date(2023, 3, 1))
    EventFactory(
        child=child, kind=Event.Kind.CARE_LEAVER_CONTACT, occurred_on=dt.date(2025, 3, 3), value="Yes"
    )
    # A care leaver whose episode ended before the day is not on list 9 and not checked.
    ended = ChildFactory(child_id="L003", birth_year=2005)
    EpisodeFactory(
        child=ended, cohort=Cohort.CARE_LEAVER, start_on=dt.date(2023, 3, 1), end_on=dt.date(2026, 1, 1)
    )
    assert _messages("L002") == [] and _messages("L003") == []


def test_event_after_the_day_is_ignored():
    child = ChildFactory(child_id="F001")
    EventFactory(child=child, kind=Event.Kind.ICPC, occurred_on=TODAY + dt.timedelta(days=1))
    EventFactory(child=child, kind=Event.Kind.ASSESSMENT_COMPLETED, occurred_on=TODAY + dt.timedelta(days=2))
    assert _messages("F001") == []
    # The same conference checked on a later day is a problem: it has no strategy discussion.
    assert _messages("F001", as_of=TODAY + dt.timedelta(days=1)) == [
        "Initial conference on 03/03/2026 has no strategy discussion before it"
    ]


def test_event_before_the_month_of_birth_is_a_problem():
    child = ChildFactory(child_id="B001", birth_year=2025, birth_month=11)
    EventFactory(child=child, kind=Event.Kind.IHA, occurred_on=dt.date(2025, 10, 31))
    EventFactory(child=child, kind=Event.Kind.RHA, occurred_on=dt.date(2025, 11, 1))  # in the month: fine
    assert _messages("B001") == [
        "Initial health assessment on 31/10/2025 is before the child's month of birth (11/2025)"
    ]
    assert [p[1] for p in _problems() if p[0] == "B001"] == ["List 8"]


def test_work_before_birth_is_not_a_problem():
    """Contacts, referrals, assessments and visits for an unborn baby are ordinary practice."""
    child = ChildFactory(child_id="B003", birth_year=2026, birth_month=2)
    EventFactory(child=child, kind=Event.Kind.CONTACT, occurred_on=dt.date(2025, 10, 31), value="NFA")
    EventFactory(child=child, kind=Event.Kind.REFERRAL, occurred_on=dt.date(2025, 11, 3))
    EventFactory(child=child, kind=Event.Kind.ASSESSMENT_START, occurred_on=dt.date(2025, 11, 4))
    EventFactory(child=child, kind=Event.Kind.VISIT, occurred_on=dt.date(2025, 12, 1))
    assert _messages("B003") == []


def test_event_in_or_after_the_month_of_birth_is_not_a_problem():
    child = ChildFactory(child_id="B002", birth_year=2025, birth_month=11)
    EventFactory(child=child, kind=Event.Kind.PEP, occurred_on=dt.date(2025, 11, 1))
    EventFactory(child=child, kind=Event.Kind.REFERRAL, occurred_on=dt.date(2026, 1, 5))
    assert _messages("B002") == []


def test_new_gaps_reach_the_workbook_validation_sheet(tmp_path):
    child = ChildFactory(child_id="W001")
    EpisodeFactory(child=child, cohort=Cohort.CHILD_PROTECTION, start_on=dt.date(2026, 2, 3))
    out = tmp_path / "a.xlsx"
    annex_a_write(as_of=TODAY, out=out)
    rows = list(load_workbook(out)["Validation"].iter_rows(values_only=True))
    assert (
        "W001",
        "List 7",
        "Child protection plan from 03/02/2026 has no initial conference on or before it",
    ) in rows
