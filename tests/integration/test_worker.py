"""The heartbeat end to end: beat schedules it, a real worker runs it, /health/ reports it."""

import datetime as dt

import pytest
from django.utils import timezone

from readiness.models import WorkerHeartbeat
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_live_worker_runs_the_heartbeat_and_health_reports_it(celery_worker_process, client):
    from readiness.tasks import heartbeat

    heartbeat.delay()

    def heartbeat_recorded():
        return WorkerHeartbeat.objects.first()

    beat = wait_for(heartbeat_recorded)
    assert beat.hostname.startswith("ci-worker@")
    body = client.get("/health/").json()
    assert body["broker"] == "ok"
    assert body["worker"] == "ok"
    assert body["worker_last_seen_at"]


def test_beat_sends_the_heartbeat_from_the_database_schedule(celery_worker_process, start_beat):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks", verbosity=0)
    # Make the every-minute schedule due now rather than in up to a minute.
    task = PeriodicTask.objects.get(task="readiness.heartbeat")
    task.last_run_at = timezone.now() - dt.timedelta(minutes=5)
    task.save()
    WorkerHeartbeat.objects.all().delete()
    start_beat()

    def heartbeat_recorded():
        return WorkerHeartbeat.objects.first()

    wait_for(heartbeat_recorded, timeout=45)


@pytest.mark.usefixtures("_services")
def test_health_says_when_the_broker_is_unreachable(client, monkeypatch):
    from readiness.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    body = client.get("/health/").json()
    assert body["broker"] == "unreachable"
    assert body["database"] == "ok"
