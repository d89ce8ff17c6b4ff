"""Check 26 for imports: a transient error is retried with exponential backoff, then `failed`.

Reports are proved in tests/readiness/test_report_services.py (retried, then failed with a plain
reason and a working "Try again"). Imports: the task retries a lost or locked database with
exponential backoff and marks the run failed once it gives up; any other error fails it at once.
"""

import pytest
from django.db import OperationalError

from casework.models import ImportRun
from casework.tasks import cases_import_run
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_import_task_declares_retries_with_exponential_backoff():
    assert OperationalError in tuple(getattr(cases_import_run, "autoretry_for", None) or ())
    assert getattr(cases_import_run, "retry_backoff", False) and cases_import_run.max_retries >= 1


def test_a_transient_database_error_during_an_import_is_retried_and_then_succeeds(monkeypatch, tmp_path):
    from django.core.files.base import ContentFile

    from casework import services

    real = services._import_handle
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(services, "_import_handle", flaky)
    run = ImportRun(file_name="cases.csv", status=ImportRun.Status.QUEUED, user=make_user(None))
    run.file.save("cases.csv", ContentFile(b"child_id,event_type,event_date\nC1,referral,02/01/2024\n"))
    conf = cases_import_run.app.conf
    old, conf.task_eager_propagates = conf.task_eager_propagates, False
    try:
        cases_import_run.apply(args=[run.pk])
    finally:
        conf.task_eager_propagates = old
    run.refresh_from_db()
    assert len(calls) == 2
    assert run.status == ImportRun.Status.SUCCEEDED


def _stored_run():
    from django.core.files.base import ContentFile

    run = ImportRun(file_name="cases.csv", status=ImportRun.Status.QUEUED, user=make_user(None))
    run.file.save("cases.csv", ContentFile(b"child_id,event_type,event_date\nC1,referral,02/01/2024\n"))
    return run


def _failing(monkeypatch, exc):
    from casework import services

    calls = []

    def broken(**kwargs):
        calls.append(1)
        raise exc

    monkeypatch.setattr(services, "_import_handle", broken)
    return calls


def _apply_as_on_a_worker(run):
    conf = cases_import_run.app.conf
    old, conf.task_eager_propagates = conf.task_eager_propagates, False
    try:
        cases_import_run.apply(args=[run.pk])
    finally:
        conf.task_eager_propagates = old


def test_a_database_error_that_persists_is_retried_up_to_the_limit_then_the_run_fails(monkeypatch):
    from casework.services import UNEXPECTED_FAILURE

    calls = _failing(monkeypatch, OperationalError("could not connect to server"))
    run = _stored_run()
    _apply_as_on_a_worker(run)
    run.refresh_from_db()
    assert len(calls) == 1 + cases_import_run.max_retries
    assert run.status == ImportRun.Status.FAILED
    assert run.error == UNEXPECTED_FAILURE.format(run_id=run.pk)


def test_any_other_error_fails_the_run_at_once_without_retrying(monkeypatch):
    calls = _failing(monkeypatch, KeyError("a bug"))
    run = _stored_run()
    _apply_as_on_a_worker(run)
    run.refresh_from_db()
    assert len(calls) == 1
    assert run.status == ImportRun.Status.FAILED


def test_an_import_in_the_request_fails_the_run_rather_than_raising_a_database_error(monkeypatch):
    from casework.services import import_run_execute

    calls = _failing(monkeypatch, OperationalError("server closed the connection unexpectedly"))
    run = _stored_run()
    assert import_run_execute(run_id=run.pk) is None
    run.refresh_from_db()
    assert len(calls) == 1 and run.status == ImportRun.Status.FAILED
