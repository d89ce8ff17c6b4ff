"""The admin pages for the inspections models open for an administrator; frameworks are read-only."""

import pytest
from django.urls import reverse

from inspections.models import Framework, Milestone
from readiness import roles
from tests.conftest import make_user
from tests.factories.inspections import Ilacs2019Factory, framework

pytestmark = pytest.mark.django_db

MODELS = (
    "framework",
    "gradescale",
    "judgementarea",
    "milestonerule",
    "inspection",
    "milestone",
    "nonworkingday",
)


@pytest.fixture
def admin_client(client):
    user = make_user(roles.ADMINISTRATOR)
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_each_changelist_opens(admin_client, model):
    framework()
    Ilacs2019Factory()
    assert admin_client.get(reverse(f"admin:inspections_{model}_changelist")).status_code == 200


def test_framework_rows_cannot_be_changed_in_the_admin(admin_client):
    sif = framework("sif-2013")
    assert admin_client.get(reverse("admin:inspections_framework_add")).status_code == 403
    response = admin_client.post(reverse("admin:inspections_framework_change", args=[sif.pk]), {"name": "x"})
    assert response.status_code == 403
    assert Framework.objects.get(pk=sif.pk).name != "x"


def test_changing_an_inspection_date_in_the_admin_recomputes_milestones(
    admin_client, django_capture_on_commit_callbacks
):
    inspection = Ilacs2019Factory()
    page = admin_client.get(reverse("admin:inspections_inspection_change", args=[inspection.pk]))
    assert page.status_code == 200
    data = {
        "framework": inspection.framework_id,
        "kind": inspection.kind,
        "title": inspection.title,
        "lead_inspector": "",
        "notes": "",
        "notified_on": "11/02/2019",
        "onsite_start_on": "18/02/2019",
        "onsite_end_on": "01/03/2019",
        "draft_report_received_on": "15/03/2019",
        "factual_accuracy_returned_on": "22/03/2019",
        "final_report_received_on": "28/03/2019",
        "published_on": "01/04/2019",
        "judgements-TOTAL_FORMS": "0",
        "judgements-INITIAL_FORMS": "0",
        "recommendations-TOTAL_FORMS": "0",
        "recommendations-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:inspections_inspection_change", args=[inspection.pk]), data
        )
    assert response.status_code == 302, response.content[:3000]
    assert Milestone.objects.get(inspection=inspection, code="action_plan").due_on.isoformat() == "2019-07-10"
