"""Imports a lost message or a dead worker left "running" or "queued" are failed, and can be retried."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from casework import services
from casework.models import Child, ImportRun
from casework.tasks import cases_import_run
from readiness import roles
from tests.casework.conftest import FILES

pytestmark = pytest.mark.django_db

HARD_LIMIT = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
PAST_THE_LIMIT = HARD_LIMIT + services.STUCK_RUNNING_MARGIN + dt.timedelta(seconds=1)


def _run(status: str, **fields) -> ImportRun:
    """A run uploaded through the page: its file is stored, so "Try again" can repeat it."""
    run = ImportRun(file_name="good.csv", status=status, **fields)
    run.file.save("good.csv", ContentFile((FILES / "good.csv").read_bytes()), save=False)
    run.file_size = run.file.size
    run.save()
    return run


def _running(started_at: dt.datetime) -> ImportRun:
    return _run(ImportRun.Status.RUNNING, started_at=started_at, enqueued_at=started_at)


def test_import_runs_fail_stuck_fails_a_run_running_past_the_hard_time_limit_with_history():
    started = timezone.now()
    run = _running(started)
    rows_before = run.history.count()

    assert services.import_runs_fail_stuck(now=started + PAST_THE_LIMIT) == [run.pk]

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and run.is_finished
    assert run.error == services.STOPPED_WITHOUT_FINISHING
    assert run.finished_at is not None
    assert run.history.count() == rows_before + 1
    latest = run.history.latest()
    assert (latest.history_type, latest.status, latest.error) == (
        "~",
        ImportRun.Status.FAILED,
        services.STOPPED_WITHOUT_FINISHING,
    )
    assert latest.history_change_reason == "Stuck running: marked failed by the sweeper"


def test_import_runs_fail_stuck_leaves_a_run_running_within_the_limit_and_margin():
    started = timezone.now()
    run = _running(started)

    assert services.import_runs_fail_stuck(now=started + PAST_THE_LIMIT - dt.timedelta(seconds=2)) == []

    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING and run.error == ""


def test_import_runs_fail_stuck_reads_the_hard_time_limit_from_settings(settings):
    started = timezone.now()
    run = _running(started)
    seven_minutes_on = started + dt.timedelta(minutes=7)
    assert services.import_runs_fail_stuck(now=seven_minutes_on) == []  # 6-minute limit + 5 minutes

    settings.CELERY_TASK_TIME_LIMIT = 60
    assert services.import_runs_fail_stuck(now=seven_minutes_on) == [run.pk]


@pytest.mark.parametrize("status", [ImportRun.Status.SUCCEEDED, ImportRun.Status.FAILED])
def test_import_runs_fail_stuck_leaves_finished_runs_alone(status):
    long_ago = timezone.now() - dt.timedelta(days=2)
    run = _run(status, started_at=long_ago, enqueued_at=long_ago, finished_at=long_ago)
    rows_before = run.history.count()

    assert services.import_runs_fail_stuck(now=timezone.now() + dt.timedelta(days=1)) == []

    run.refresh_from_db()
    assert (run.status, run.error, run.finished_at) == (status, "", long_ago)
    assert run.history.count() == rows_before


def test_import_runs_fail_stuck_fails_a_run_sent_but_not_started_for_too_long():
    sent = timezone.now()
    run = _run(ImportRun.Status.QUEUED, enqueued_at=sent)

    assert (
        services.import_runs_fail_stuck(now=sent + services.STUCK_QUEUED_AFTER - dt.timedelta(seconds=1))
        == []
    )
    assert services.import_runs_fail_stuck(
        now=sent + services.STUCK_QUEUED_AFTER + dt.timedelta(seconds=1)
    ) == [run.pk]

    run.refresh_from_db()
    assert (run.status, run.error) == (ImportRun.Status.FAILED, services.STOPPED_WITHOUT_FINISHING)
    assert run.history.latest().history_change_reason == "Stuck queued: marked failed by the sweeper"


def test_import_runs_fail_stuck_leaves_a_run_never_sent_to_the_requeue_sweeper():
    run = _run(ImportRun.Status.QUEUED, note=services.BROKER_DOWN_NOTE)  # the broker was down

    assert services.import_runs_fail_stuck(now=timezone.now() + dt.timedelta(days=1)) == []

    run.refresh_from_db()
    assert (run.status, run.note) == (ImportRun.Status.QUEUED, services.BROKER_DOWN_NOTE)


def test_import_runs_fail_stuck_leaves_a_live_command_line_import_alone(monkeypatch):
    # The command line stores no file (nothing to try again) and runs without a time limit: while its
    # process holds the run's lock it is left alone (tests/casework/test_import_command_line_stuck.py).
    monkeypatch.setattr(services, "_import_lock_free", lambda run_id: False)
    run = ImportRun.objects.create(
        file_name="big.csv", status=ImportRun.Status.RUNNING, started_at=timezone.now()
    )

    assert services.import_runs_fail_stuck(now=timezone.now() + dt.timedelta(days=1)) == []
    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING


def test_import_runs_fail_stuck_fails_a_run_started_before_start_times_were_recorded():
    run = _run(ImportRun.Status.RUNNING)
    assert run.started_at is None

    assert services.import_runs_fail_stuck(now=run.created_at + PAST_THE_LIMIT) == [run.pk]


def _finish(run: ImportRun) -> None:
    run.status = ImportRun.Status.SUCCEEDED
    run.finished_at = timezone.now()


def _start_again(run: ImportRun) -> None:
    run.started_at = run.started_at + PAST_THE_LIMIT  # a redelivered message starts it afresh


@pytest.mark.parametrize(
    ("meanwhile", "status"),
    [(_finish, ImportRun.Status.SUCCEEDED), (_start_again, ImportRun.Status.RUNNING)],
    ids=["finished", "started-again"],
)
def test_import_runs_fail_stuck_leaves_a_run_that_changes_between_its_read_and_its_write(
    monkeypatch, meanwhile, status
):
    started = timezone.now()
    run = _running(started)
    check_and_fail = services._fail_if_unchanged

    def worker_saves_first(run_id, **seen):
        changing = ImportRun.objects.get(pk=run_id)
        meanwhile(changing)
        changing.save()
        return check_and_fail(run_id, **seen)

    monkeypatch.setattr(services, "_fail_if_unchanged", worker_saves_first)

    assert services.import_runs_fail_stuck(now=started + PAST_THE_LIMIT) == []
    run.refresh_from_db()
    assert (run.status, run.error) == (status, "")


def test_try_again_after_a_stuck_run_was_failed_queues_it_and_it_imports(
    client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("casework.services.BACKGROUND_IMPORT_BYTES", 10)  # a worker's job
    sent = []
    monkeypatch.setattr(cases_import_run, "delay", lambda run_id: sent.append(run_id))
    started = timezone.now()
    run = _running(started)
    services.import_runs_fail_stuck(now=started + PAST_THE_LIMIT)
    client = client_for(roles.PERFORMANCE_MANAGER)

    page = client.get(run.get_absolute_url())
    assert "probably the background worker was restarted" in page.content.decode()
    retry = reverse("casework:import-retry", kwargs={"run_id": run.pk})
    assert retry in page.content.decode()  # the "Try again" button

    with django_capture_on_commit_callbacks(execute=True):  # the hand-over to the worker runs at commit
        response = client.post(retry)

    assert response.status_code == 302
    run.refresh_from_db()
    assert sent == [run.pk]
    assert (run.status, run.error, run.started_at, run.finished_at) == (
        ImportRun.Status.QUEUED,
        "",
        None,
        None,
    )
    assert run.enqueued_at >= started  # the new message's wait starts now, not at the first send
    assert services.import_runs_fail_stuck(now=timezone.now() + dt.timedelta(minutes=1)) == []

    cases_import_run(run.pk)  # the worker takes the new message

    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert Child.objects.count() == 4


def test_the_stuck_import_sweeper_is_scheduled_every_minute():
    call_command("setup_periodic_tasks", verbosity=0)
    task = PeriodicTask.objects.get(task="casework.import_runs_fail_stuck")
    assert task.enabled and (task.interval.every, task.interval.period) == (1, "minutes")
