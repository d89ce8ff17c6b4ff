"""Who changed what on readiness pages: the self-evaluation and the improvement plan action."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import services as inspection_services
from inspections.models import Inspection
from readiness import roles
from readiness.dashboards.selectors import self_evaluation_changes
from readiness.plans.models import Action
from tests.conftest import make_user
from tests.factories.inspections import InspectionFactory, framework
from tests.factories.plans import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm_client(client):
    user = make_user(roles.PERFORMANCE_MANAGER)
    user.first_name, user.last_name = "Priya", "Shah"
    user.save()
    client.force_login(user)
    return client


def _self_evaluation():
    return InspectionFactory(kind=Inspection.Kind.SELF_EVALUATION, framework=framework("ilacs-2026"))


def _detail(inspection):
    return reverse("readiness:self-evaluation-detail", kwargs={"self_evaluation_pk": inspection.pk})


def _answer(inspection, area="leaders"):
    return reverse(
        "readiness:self-evaluation-answer", kwargs={"self_evaluation_pk": inspection.pk, "area_code": area}
    )


def test_self_evaluation_page_shows_who_answered_and_changed_what(pm_client, client_for):
    inspection = _self_evaluation()
    answers = {"what_we_know": "Supervision is regular.", "how_we_know": "Audits.", "what_next": ""}
    assert pm_client.post(_answer(inspection), answers).status_code == 302
    assert pm_client.post(_answer(inspection), {**answers, "what_next": "Train managers."}).status_code == 302
    pm = pm_client.get(_detail(inspection)).wsgi_request.user
    inspection_services.judgements_record(inspection=inspection, grades={"leaders": "good"}, user=pm)

    page = client_for(roles.DCS).get(_detail(inspection)).content.decode()

    section = page[page.index('id="changes"') :]
    assert "Changes to this self-evaluation" in section and "Priya Shah" in section
    assert "What next?: (blank) → Train managers." in section
    assert "What do we know?: Supervision is regular." in section  # the first answers, on creation
    assert "Self-assessed grade: Good" in section


def test_self_evaluation_changes_take_bounded_queries(django_assert_max_num_queries):
    from readiness.dashboards.services import self_evaluation_answer_save

    inspection = _self_evaluation()
    areas = list(inspection.framework.areas.filter(graded=True))
    for n in range(30):
        for area in areas:
            user = make_user(None, f"writer{n}-{area.code}")
            self_evaluation_answer_save(
                inspection=inspection, area=area, user=user, what_we_know=str(n), how_we_know="", what_next=""
            )
    with django_assert_max_num_queries(4):
        changes = self_evaluation_changes(inspection=inspection)
        [(row.who_name, row.record) for row in changes.rows]
    assert changes.total == 30 * len(areas) and len(changes.rows) == 50


def test_action_page_keeps_its_history_with_reasons_and_labels(pm_client):
    action = ActionFactory(due_on=dt.date(2026, 3, 3), status=Action.Status.NOT_STARTED)
    url = reverse("readiness:action-update", kwargs={"action_pk": action.pk})
    data = {
        "priority": action.priority_id,
        "description": action.description,
        "owner": "",
        "status": Action.Status.IN_PROGRESS,
        "due_on_0": "10",
        "due_on_1": "3",
        "due_on_2": "2026",
        "due_on_reason": "Waiting for the new system",
    }
    assert pm_client.post(url, data).status_code == 302

    page = pm_client.get(action.get_absolute_url()).content.decode()

    section = page[page.index('id="history"') :]
    assert "Priya Shah" in section
    assert "Due date: 3 Mar 2026 → 10 Mar 2026" in section
    assert "Status: Not started → In progress" in section  # the choice's label, not its code
    assert "Reason: " in section and "Waiting for the new system</p>" in section


def test_action_page_queries_do_not_grow_with_the_history(pm_client):
    few, many = ActionFactory(lead_officer="0"), ActionFactory(lead_officer="0")
    for action, count in ((few, 55), (many, 150)):  # both longer than the table
        for n in range(1, count):
            action.lead_officer = str(n)
            action._history_user = make_user(None, f"officer{action.pk}-{n}")
            action.save()

    def queries(action) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert pm_client.get(action.get_absolute_url()).status_code == 200
        return len(captured)

    queries(few)  # warm up: session, permissions
    assert queries(many) == queries(few)
    assert "Showing the latest 50 of 150 changes." in pm_client.get(many.get_absolute_url()).content.decode()
