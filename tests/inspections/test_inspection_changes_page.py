"""The inspection page's "who changed what" table: the inspection's details and its judgements."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import selectors, services
from readiness import roles
from tests.conftest import make_user
from tests.factories.inspections import Ilacs2019Factory, InspectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm():
    user = make_user(roles.PERFORMANCE_MANAGER)
    user.first_name, user.last_name = "Priya", "Shah"
    user.save()
    return user


def detail_url(inspection):
    return reverse("inspections:inspection-detail", kwargs={"inspection_pk": inspection.pk})


def changes_section(page: str) -> str:
    return page[page.index('id="changes"') :]


def test_inspection_page_shows_who_changed_the_dates_and_grades(client_for, pm):
    inspection = Ilacs2019Factory()
    services.inspection_update(inspection=inspection, data={"published_on": dt.date(2019, 4, 8)}, user=pm)
    services.judgements_record(inspection=inspection, grades={"overall": "good"}, user=pm)

    page = client_for(roles.AUDITOR).get(detail_url(inspection)).content.decode()

    section = changes_section(page)
    assert "Changes to this inspection" in section
    assert "Priya Shah" in section
    assert "Report published: 1 Apr 2019 → 8 Apr 2019" in section  # the form's label for the date
    assert "Overall effectiveness: Created" in section and "Grade: Good" in section


def test_an_inspection_without_changes_says_so(client_for):
    inspection = InspectionFactory()
    inspection.history.all().delete()

    page = client_for(roles.PERFORMANCE_MANAGER).get(detail_url(inspection)).content.decode()

    assert "No changes recorded yet." in changes_section(page)


def _page_queries(client, inspection) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail_url(inspection)).status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_the_history(client, pm, django_assert_max_num_queries):
    few, many = InspectionFactory(lead_inspector="0"), InspectionFactory(lead_inspector="0")
    for inspection, count in ((few, 55), (many, 80)):  # both longer than the table
        for n in range(1, count):
            inspection.lead_inspector = str(n)
            inspection._history_user = make_user(None, f"editor{inspection.pk}-{n}")
            inspection.save()
    client.force_login(pm)
    _page_queries(client, few)  # warm up: session, permissions

    assert _page_queries(client, many) == _page_queries(client, few)
    with django_assert_max_num_queries(4):  # two sources, at most two queries each
        changes = selectors.inspection_changes(inspection=many)
        [row.who_name for row in changes.rows]
    assert "Showing the latest 50 of 80 changes." in client.get(detail_url(many)).content.decode()
