"""Every domain model keeps history, with the acting user recorded."""

import pytest
from django.apps import apps
from django.urls import reverse

from readiness import roles
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

OUR_APPS = ("inspections", "casework", "readiness")
# Models that are not domain records: no table, or machine state rewritten every minute.
NO_HISTORY = {
    "readiness.Capability",
    "readiness.WorkerHeartbeat",
    # One row per indicator per day, written (and rewritten) by the nightly task from the source data;
    # the indicator's definition keeps history, its daily value is a measurement, not an edit.
    "readiness.Snapshot",
}


def _domain_models():
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            key = f"{label}.{model.__name__}"
            if key not in NO_HISTORY:
                yield key, model


def test_every_domain_model_has_history():
    missing = [key for key, model in _domain_models() if not hasattr(model, "history")]
    assert not missing, f"Add history = HistoricalRecords() to: {missing}"


def test_history_records_the_user_who_made_a_change_through_the_web(client):
    from casework.models import Child

    admin = make_user(roles.ADMINISTRATOR)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        reverse("admin:casework_child_add"),
        {"child_id": " c123 ", "gender": "unknown", "disability": "unknown", "ethnicity": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    child = Child.objects.get()
    assert child.child_id == "C123"
    record = child.history.get()
    assert record.history_user == admin
    assert record.history_type == "+"
