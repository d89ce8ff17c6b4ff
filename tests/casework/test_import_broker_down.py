"""A big upload while the broker is down: no error page, nothing lost, imported once it is back."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from kombu.exceptions import OperationalError as BrokerOperationalError

from casework import services
from casework.models import Child, ImportRun
from casework.tasks import cases_import_run
from readiness import roles
from tests.casework.conftest import FILES

pytestmark = pytest.mark.django_db


def _upload_big_file(client, monkeypatch, callbacks_fixture):
    monkeypatch.setattr("casework.services.BACKGROUND_IMPORT_BYTES", 10)
    with callbacks_fixture(execute=True):  # the hand-over to the worker runs at commit
        response = client.post(
            reverse("casework:import"),
            {"file": SimpleUploadedFile("good.csv", (FILES / "good.csv").read_bytes())},
        )
    assert response.status_code == 302
    return client.get(response["Location"])


def _broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise BrokerOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cases_import_run, "delay", refuse)


def test_a_big_upload_while_the_broker_is_down_is_kept_and_says_so(
    client_for, monkeypatch, django_capture_on_commit_callbacks
):
    _broker_down(monkeypatch)
    response = _upload_big_file(
        client_for(roles.PERFORMANCE_MANAGER), monkeypatch, django_capture_on_commit_callbacks
    )

    assert response.status_code == 200  # no error page
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.QUEUED and run.enqueued_at is None
    assert run.note == services.BROKER_DOWN_NOTE
    assert run.file and (run.file.storage.exists(run.file.name))  # the file is kept
    assert "You do not need to upload it again" in response.content.decode()
    assert Child.objects.count() == 0


def test_the_sweeper_imports_it_once_the_broker_is_back_and_only_once(
    client_for, monkeypatch, django_capture_on_commit_callbacks
):
    with monkeypatch.context() as down:
        _broker_down(down)
        _upload_big_file(
            client_for(roles.PERFORMANCE_MANAGER), monkeypatch, django_capture_on_commit_callbacks
        )
    run = ImportRun.objects.get()
    soon = run.created_at + dt.timedelta(seconds=20)
    assert services.import_runs_requeue_unsent(now=soon) == []  # give the first send its minute

    later = run.created_at + dt.timedelta(minutes=2)
    assert services.import_runs_requeue_unsent(now=later) == [run.pk]  # broker back: tasks run eagerly here

    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED and run.note == ""
    assert Child.objects.count() == 4
    assert services.import_runs_requeue_unsent(now=later + dt.timedelta(minutes=5)) == []


def test_the_sweeper_stops_at_the_first_refusal_and_keeps_the_runs_queued(monkeypatch):
    from django.core.files.base import ContentFile

    runs = []
    for name in ("a.csv", "b.csv"):
        run = ImportRun(file_name=name, status=ImportRun.Status.QUEUED)
        run.file.save(name, ContentFile((FILES / "good.csv").read_bytes()))
        runs.append(run)
    _broker_down(monkeypatch)

    assert services.import_runs_requeue_unsent(now=timezone.now() + dt.timedelta(minutes=5)) == []
    # The first refusal ends the sweep: the first run says why it waits, the second is not tried.
    assert list(ImportRun.objects.order_by("pk").values_list("status", "note")) == [
        (ImportRun.Status.QUEUED, services.BROKER_DOWN_NOTE),
        (ImportRun.Status.QUEUED, ""),
    ]


def test_a_sent_run_is_never_sent_again_by_the_sweeper(
    client_for, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(cases_import_run, "delay", lambda run_id: sent.append(run_id))
    _upload_big_file(client_for(roles.PERFORMANCE_MANAGER), monkeypatch, django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    assert sent == [run.pk] and run.enqueued_at is not None and run.status == ImportRun.Status.QUEUED

    assert services.import_runs_requeue_unsent(now=timezone.now() + dt.timedelta(hours=1)) == []
    assert sent == [run.pk]


def test_the_sweeper_is_scheduled_every_minute():
    call_command("setup_periodic_tasks", verbosity=0)
    task = PeriodicTask.objects.get(task="casework.import_runs_requeue_unsent")
    assert task.enabled and (task.interval.every, task.interval.period) == (1, "minutes")
