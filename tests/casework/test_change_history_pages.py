"""Who changed what on the child, sample and case audit pages; never for board members."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework import audit_services as services
from casework.audit_questions import question_set
from casework.models import Child
from casework.selectors import audit_changes, child_changes, sample_changes
from readiness import roles
from tests.casework.test_audits import _form as audit_form
from tests.conftest import make_user
from tests.factories.casework import CaseAuditFactory, ChildFactory, PlacementFactory, SampleFactory

pytestmark = pytest.mark.django_db


def named(role, first, last, username=None):
    user = make_user(role, username)
    user.first_name, user.last_name = first, last
    user.save()
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def save_as(obj, user):
    obj._history_user = user
    obj.save()
    return obj


def changes_section(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="changes"') :]


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# The child -------------------------------------------------------------------------------------


def test_child_page_shows_who_changed_the_record_and_its_placements(client_for):
    admin = named(roles.ADMINISTRATOR, "Alex", "Admin")
    child = ChildFactory(child_id="C0042", gender=Child.Gender.FEMALE, uasc=False)
    child.uasc = True
    child.gender = Child.Gender.UNKNOWN
    save_as(child, admin)
    placement = PlacementFactory(child=child, start_on=dt.date(2024, 1, 2))
    placement.end_on = dt.date(2026, 3, 3)
    save_as(placement, admin)

    section = changes_section(client_for(roles.AUDITOR).get(child.get_absolute_url()))

    assert "Changes to this child's record" in section and "Alex Admin" in section
    assert "Child record: Changed" in section
    assert "Gender: Female → Not known" in section
    assert "Unaccompanied asylum-seeking child: No → Yes" in section
    assert "Placement from 2 Jan 2024: Changed" in section and "End date: (blank) → 3 Mar 2026" in section
    assert "Placement from 2 Jan 2024: Created" in section and "Type: Foster placement" in section


def test_child_page_queries_do_not_grow_with_the_history(client_for, django_assert_max_num_queries):
    few, many = ChildFactory(birth_year=2010), ChildFactory(birth_year=2010)
    for child, count in ((few, 55), (many, 70)):  # both longer than the table
        for n in range(1, count):
            child.birth_month = n % 12 + 1
            save_as(child, make_user(None, f"clerk{child.pk}-{n}"))
            placement = PlacementFactory(child=child, start_on=dt.date(2020, 1, 1) + dt.timedelta(days=n))
            placement.in_area = False
            save_as(placement, make_user(None, f"placer{child.pk}-{n}"))
    client = client_for(roles.PERFORMANCE_MANAGER)
    page_queries(client, few.get_absolute_url())  # warm up: session, permissions

    assert page_queries(client, many.get_absolute_url()) == page_queries(client, few.get_absolute_url())
    with django_assert_max_num_queries(6):  # three sources, at most two queries each
        changes = child_changes(child=many)
        [(row.who_name, row.record) for row in changes.rows]
    assert changes.total == 70 + 69 * 2 and len(changes.rows) == 50


# The case audit --------------------------------------------------------------------------------


def test_audit_pages_show_the_workflow_grades_and_moderation_by_name():
    auditor = named(roles.AUDITOR, "Ann", "Auditor")
    moderator = named(roles.PERFORMANCE_MANAGER, "Mo", "Derator")
    audit = CaseAuditFactory(auditor=auditor)
    domains = question_set(audit.question_set_version, audit.cohort)
    edit = reverse("casework:audit-edit", kwargs={"audit_pk": audit.pk})
    grades = {d.code: "good" for d in domains}
    assert (
        signed_in(auditor).post(edit, audit_form(audit, grades, overall_grade="good", submit="1")).status_code
        == 302
    )
    moderate = reverse("casework:audit-moderate", kwargs={"audit_pk": audit.pk})
    response = signed_in(moderator).post(
        moderate, {"moderator_grade": "requires_improvement", "agreement": "no"}
    )
    assert response.status_code == 302

    section = changes_section(signed_in(moderator).get(moderate))

    assert "Changes to this audit" in section
    assert "Ann Auditor" in section and "Mo Derator" in section
    assert "Status: Assigned → In progress" in section
    assert "Status: In progress → Submitted" in section
    assert "Overall grade: (blank) → Good" in section
    assert "Moderator grade: (blank) → Requires improvement" in section
    assert "Moderator agrees: (blank) → No" in section
    assert f"{domains[0].name}: Created" in section and "Grade: Good" in section
    # The auditor sees the same table on their own audit.
    assert "Mo Derator" in changes_section(signed_in(auditor).get(edit))


def test_audit_changes_take_bounded_queries(django_assert_max_num_queries):
    auditor = named(roles.AUDITOR, "Ann", "Auditor")
    audit = CaseAuditFactory(auditor=auditor)
    domains = question_set(audit.question_set_version, audit.cohort)
    for n in range(12):
        grade = "good" if n % 2 else "requires_improvement"
        audit = services.audit_save_answers(
            audit=audit,
            user=auditor,
            answers={d.code: (grade, f"note {n}") for d in domains},
            strengths=str(n),
        )
    with django_assert_max_num_queries(4):  # two sources, at most two queries each
        changes = audit_changes(audit=audit)
        [(row.who_name, row.record) for row in changes.rows]
    assert len(changes.rows) == 50 and changes.total > 50


# The sample ------------------------------------------------------------------------------------


def test_sample_page_shows_who_changed_its_children():
    pm = named(roles.PERFORMANCE_MANAGER, "Priya", "Shah")
    sample = SampleFactory(title="Tracked cases")
    ChildFactory(child_id="C0100")
    url = reverse("casework:sample-members", kwargs={"sample_pk": sample.pk})
    assert signed_in(pm).post(url, {"children": "C0100, looked_after, yes"}).status_code == 302

    section = changes_section(make_client(roles.DCS).get(sample.get_absolute_url()))

    assert "Changes to this sample" in section and "Priya Shah" in section
    assert "Child C0100: Created" in section
    assert "Cohort: Looked after" in section and "Placed out of borough: Yes" in section


def make_client(role) -> Client:
    return signed_in(make_user(role))


def test_sample_changes_take_bounded_queries(django_assert_max_num_queries):
    sample = SampleFactory(title="0")
    for n in range(1, 60):
        sample.title = str(n)
        save_as(sample, make_user(None, f"planner{n}"))
    with django_assert_max_num_queries(4):
        changes = sample_changes(sample=sample)
        [row.who_name for row in changes.rows]
    assert changes.showing == "Showing the latest 50 of 60 changes."


# Board members ---------------------------------------------------------------------------------


def test_board_members_still_cannot_open_any_page_with_child_level_history(client_for):
    audit = CaseAuditFactory(auditor=make_user(roles.AUDITOR))
    board = client_for(roles.BOARD_MEMBER)
    urls = [
        audit.child.get_absolute_url(),
        audit.member.sample.get_absolute_url(),
        reverse("casework:audit-edit", kwargs={"audit_pk": audit.pk}),
        reverse("casework:audit-moderate", kwargs={"audit_pk": audit.pk}),
    ]
    for url in urls:
        response = board.get(url)
        assert response.status_code == 403, url
        assert b"app-change-history" not in response.content
