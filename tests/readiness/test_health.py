import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from readiness.models import WorkerHeartbeat
from readiness.tasks import heartbeat

pytestmark = pytest.mark.django_db


def test_health_is_public_and_names_database_and_broker(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "eager"
    assert body["worker"] == "in-process"


def test_health_is_503_when_the_database_is_unreachable(client):
    with mock.patch("readiness.views.health.database_is_up", return_value=False):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_database_is_up_reports_a_failing_query_as_down():
    from readiness.selectors import database_is_up

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=RuntimeError("gone")):
        assert database_is_up() is False
    assert database_is_up() is True


def test_heartbeat_task_records_the_worker():
    heartbeat.delay()
    beat = WorkerHeartbeat.objects.get()
    assert timezone.now() - beat.last_seen_at < dt.timedelta(seconds=30)


def test_stale_worker_shows_a_banner_to_the_dcs_not_to_an_auditor(client_for, settings):
    from readiness.celery import app

    WorkerHeartbeat.objects.create(hostname="w1", last_seen_at=timezone.now() - dt.timedelta(minutes=11))
    app.conf.task_always_eager = False  # as with a real broker; the fixture restores it
    try:
        dcs_page = client_for("Director of Children's Services").get("/dashboard/")
        auditor_page = client_for("Auditor").get("/casework/children/")
    finally:
        app.conf.task_always_eager = True
    assert b"Background work has stopped" in dcs_page.content
    assert b"Background work has stopped" not in auditor_page.content


def test_recent_worker_shows_no_banner(client_for):
    from readiness.celery import app

    WorkerHeartbeat.objects.create(hostname="w1", last_seen_at=timezone.now() - dt.timedelta(minutes=2))
    app.conf.task_always_eager = False
    try:
        page = client_for("Director of Children's Services").get("/dashboard/")
    finally:
        app.conf.task_always_eager = True
    assert b"Background work has stopped" not in page.content


def test_setup_periodic_tasks_declares_the_heartbeat_and_is_idempotent():
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks", stdout=mock.Mock())
    call_command("setup_periodic_tasks", stdout=mock.Mock())
    task = PeriodicTask.objects.get(task="readiness.heartbeat")
    assert task.interval.every == 1 and task.interval.period == "minutes"
    assert PeriodicTask.objects.filter(task="readiness.heartbeat").count() == 1
