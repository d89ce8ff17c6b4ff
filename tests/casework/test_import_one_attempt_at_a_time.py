"""Two attempts at one import run never import it at once (PostgreSQL advisory lock per run)."""

import datetime as dt
import threading
import time

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.db import connection

from casework import services
from casework.models import Child, ImportRun
from tests.casework.conftest import FILES

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the other attempt is another session: commits are real
    pytest.mark.postgresql("the lock is PostgreSQL's; SQLite runs one import at a time"),
]


def _stored_run() -> ImportRun:
    run = ImportRun(file_name="good.csv", status=ImportRun.Status.QUEUED)
    run.file.save("good.csv", ContentFile((FILES / "good.csv").read_bytes()), save=False)
    run.file_size = run.file.size
    run.save()
    return run


@pytest.fixture
def other_session():
    """A second database session, as another worker would have."""
    params = connection.get_connection_params()
    other = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    other.autocommit = True
    yield other
    other.close()


def test_an_attempt_leaves_a_run_another_attempt_is_importing(other_session, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_LOCK_WAIT", dt.timedelta(seconds=1))
    run = _stored_run()
    with other_session.cursor() as cursor:  # the first attempt holds the run's lock while it imports
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [services.IMPORT_LOCK_CLASS, run.pk])

    started = time.monotonic()
    assert services.import_run_execute(run_id=run.pk) is None
    assert time.monotonic() - started >= 1  # it waited for the lock before leaving the run

    run.refresh_from_db()
    assert run.status == ImportRun.Status.QUEUED and run.started_at is None  # untouched
    assert Child.objects.count() == 0

    with other_session.cursor() as cursor:  # the first attempt ends (or its worker dies)
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [services.IMPORT_LOCK_CLASS, run.pk])

    result = services.import_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert result is not None and result.ok
    assert run.status == ImportRun.Status.SUCCEEDED and Child.objects.count() == 4


def test_an_attempt_releases_the_run_when_it_ends(other_session):
    run = _stored_run()
    services.import_run_execute(run_id=run.pk)

    with other_session.cursor() as cursor:  # free for the next attempt: the lock was given back
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [services.IMPORT_LOCK_CLASS, run.pk])
        assert cursor.fetchone()[0] is True
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [services.IMPORT_LOCK_CLASS, run.pk])


def test_a_failed_attempt_releases_the_run_too(other_session, monkeypatch):
    run = _stored_run()

    def crash(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "_import_handle", crash)
    services.import_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    with other_session.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [services.IMPORT_LOCK_CLASS, run.pk])
        assert cursor.fetchone()[0] is True


def test_an_attempt_waits_for_a_lock_held_briefly_then_imports(other_session):
    """A killed worker's session holds the lock until PostgreSQL ends it: the redelivery waits."""
    run = _stored_run()
    with other_session.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [services.IMPORT_LOCK_CLASS, run.pk])
    release = threading.Timer(1.5, other_session.close)  # the dead worker's session ends
    release.start()
    try:
        result = services.import_run_execute(run_id=run.pk)
    finally:
        release.cancel()

    run.refresh_from_db()
    assert result is not None and result.ok
    assert run.status == ImportRun.Status.SUCCEEDED and Child.objects.count() == 4
