"""Check 16, the records the machine writes: a superuser can look at them in the admin, never write.

An import run, a report, a digest or reminder sent, a national import run, a worker's heartbeat: each
says what the software did and when. Editing one in the admin would make the audit trail say
something that never happened, so the admin answers 403 to add, change and delete, for a superuser
too, and writes nothing; the list and the record's own page still answer 200.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from tests.factories.casework import CaseAuditFactory, ImportRunFactory
from tests.factories.plans import ActionFactory
from tests.reliability.test_check_16_every_model_history_through_the_ui import MACHINE_RECORDS

pytestmark = pytest.mark.django_db

# Written by each worker every minute; it keeps no history (tests/test_history.py NO_HISTORY).
WITHOUT_HISTORY = {"readiness.WorkerHeartbeat"}


def _one(key: str, user: User):
    """Make one record of the model, as the code that writes it would."""
    from readiness.models import NationalImportRun, Report, WorkerHeartbeat

    model = apps.get_model(key)
    if key == "casework.ImportRun":
        return ImportRunFactory(user=user)
    if key == "readiness.Report":
        return Report.objects.create(kind=Report.Kind.BOARD_SUMMARY, requested_by=user)
    if key == "readiness.DigestSent":
        return model.objects.create(date=dt.date(2020, 3, 2), user=user)
    if key == "readiness.ReminderSent":
        return model.objects.create(
            action=ActionFactory(), date=dt.date(2020, 3, 2), kind="overdue", user=user
        )
    if key == "readiness.AuditReminderSent":
        audit = CaseAuditFactory(auditor=user)
        return model.objects.create(audit=audit, date=dt.date(2020, 3, 2), kind="overdue", user=user)
    if key == "readiness.NationalImportRun":
        return NationalImportRun.objects.create(
            run_by=user,
            started_at=timezone.now(),
            outcomes_file_name="outcomes.csv",
            outcomes_sha256="0" * 64,
            lookup_file_name="lookup.csv",
            lookup_sha256="1" * 64,
        )
    if key == "readiness.WorkerHeartbeat":
        return WorkerHeartbeat.objects.create(hostname="celery@worker-1", last_seen_at=timezone.now())
    raise AssertionError(f"say how to make a {key} here")


def _snapshot(obj) -> tuple:
    values = obj.__class__.objects.filter(pk=obj.pk).values().first()
    history = None if not hasattr(obj, "history") else obj.history.count()
    return values, history


@pytest.mark.parametrize("key", sorted({*MACHINE_RECORDS, *WITHOUT_HISTORY}))
def test_a_superuser_can_view_a_machine_record_in_the_admin_but_gets_403_on_every_write(client, key):
    superuser = User.objects.create_superuser("root", password="root-password-for-tests")
    client.force_login(superuser)
    obj = _one(key, superuser)
    before = _snapshot(obj)
    opts = obj._meta
    url = f"admin:{opts.app_label}_{opts.model_name}"

    listing = client.get(reverse(f"{url}_changelist"))
    assert listing.status_code == 200, key
    assert "delete_selected" not in listing.content.decode(), key  # no bulk delete action
    page = client.get(reverse(f"{url}_change", args=[obj.pk]))
    assert page.status_code == 200, key
    assert 'name="_save"' not in page.content.decode(), key  # shown, not a form to post back
    if key not in WITHOUT_HISTORY:
        assert client.get(reverse(f"{url}_history", args=[obj.pk])).status_code == 200, key

    writes = {
        "add (page)": client.get(reverse(f"{url}_add")),
        "add": client.post(reverse(f"{url}_add"), {}),
        "change": client.post(reverse(f"{url}_change", args=[obj.pk]), {}),
        "delete (page)": client.get(reverse(f"{url}_delete", args=[obj.pk])),
        "delete": client.post(reverse(f"{url}_delete", args=[obj.pk]), {"post": "yes"}),
    }
    assert {name: response.status_code for name, response in writes.items()} == dict.fromkeys(writes, 403), (
        key
    )
    assert _snapshot(obj) == before, key  # nothing written, and no history row
