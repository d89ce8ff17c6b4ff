"""Live-worker losses (checks 19 and 24): `kill -9` of a Celery worker mid-import, and of only the
pool child mid-render. Each checks that nothing half-done is kept and that the task, given back by
the broker, finishes exactly once.

Each fails if the setting it relies on is off: with acks_late off the killed worker has already
acknowledged the import, so no worker ever finishes it; with reject_on_worker_lost off the main
worker acknowledges the lost render, and the report is never made.

Like test_faults.py, every worker here gets a private Redis (broker and cache) and this test's
MEDIA_ROOT, so what the web stores is what the worker reads.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from casework import tasks as casework_tasks
from readiness import tasks as readiness_tasks
from readiness.models import Report
from tests.integration.conftest import _stop, wait_for
from tests.integration.test_faults import _admin, _big_plan, _report_files, _wait_ready, _worker

# Both task modules are imported before any test runs: `broker_at` closes the Celery app, which
# takes it out of Celery's active apps, and a task module first imported after that (say by
# report_request) would never be registered in it.
TASK_MODULES = (casework_tasks, readiness_tasks)

pytestmark = [pytest.mark.fault, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

HEADER = (
    "child_id,date_of_birth,gender,ethnicity,disability,uasc,cohort,episode_start,episode_end,"
    "legal_status,placement_type,placement_in_area,placement_start,placement_end,event_type,event_date,event_value"
)
# Long enough that the kill lands while the worker is still checking rows: importing this many
# rows takes about 14 s on the CI machine, and the kill comes at the first progress (5,000 rows).
IMPORT_ROWS = 150_000
# The first worker and the rescuer share a short visibility timeout, so Redis gives the killed
# worker's unacknowledged message back within seconds instead of an hour.
VISIBILITY = "5"


def _case_list(children: int) -> bytes:
    lines = [HEADER]
    for i in range(children):
        day = 1 + i % 28
        lines.append(
            f"L{i:06d},03/2015,Female,WBRI,no,no,child_in_need,{day:02d}/03/2024,,,,,,,referral,{day:02d}/03/2024,"
        )
    return ("\n".join(lines) + "\n").encode()


def _point_cache_at(settings, redis_url: str) -> None:
    """This process reads import progress from the cache the worker publishes it to."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }


def _table_counts() -> dict[str, int]:
    from tests.casework.conftest import casework_table_counts

    return casework_table_counts()


def _pool_children(pid: int) -> list[int]:
    """The worker main process's children (its prefork pool), from every thread's children list."""
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children.update(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended while we looked
    return sorted(children)


def test_a_worker_killed_mid_import_saves_nothing_and_the_redelivered_task_imports_each_row_once(
    private_redis, broker_at, settings, tmp_path, client
):
    from casework.imports.progress import read_progress
    from casework.models import Child, Event, ImportRun
    from casework.services import BACKGROUND_IMPORT_BYTES
    from readiness import roles
    from tests.conftest import make_user

    media = Path(settings.MEDIA_ROOT)
    broker_at(private_redis.url)
    _point_cache_at(settings, private_redis.url)
    content = _case_list(IMPORT_ROWS)
    assert len(content) > BACKGROUND_IMPORT_BYTES  # big enough to go to the worker
    empty = _table_counts()
    client.force_login(make_user(roles.PERFORMANCE_MANAGER))

    doomed = _worker(
        tmp_path, "doomed-importer", private_redis.url, media, CELERY_VISIBILITY_TIMEOUT=VISIBILITY
    )
    try:
        _wait_ready(doomed, tmp_path / "doomed-importer.log", private_redis.url)
        response = client.post(
            reverse("casework:import"), {"file": SimpleUploadedFile("county.csv", content)}, follow=True
        )
        assert response.status_code == 200
        assert "This file is being imported" in response.content.decode()
        run = ImportRun.objects.get()

        def checking_rows():
            state = read_progress(run.pk)
            return state if state and state["phase"] == "checking" and state["rows"] > 0 else None

        seen = wait_for(checking_rows, timeout=60, interval=0.02)
        os.killpg(doomed.pid, signal.SIGKILL)  # the main worker and its pool child, mid-import
        doomed.wait(timeout=10)
    finally:
        _stop(doomed)
    assert seen["rows"] < IMPORT_ROWS, seen

    run.refresh_from_db()
    assert run.status != ImportRun.Status.SUCCEEDED, "the import finished before the kill; use more rows"
    assert _table_counts() == empty  # no child, episode, event or history row was committed
    time.sleep(float(VISIBILITY) + 1)  # past the visibility timeout: Redis gives the message back
    assert _table_counts() == empty  # and none appears once the killed connection is gone

    rescuer = _worker(tmp_path, "rescuer", private_redis.url, media, CELERY_VISIBILITY_TIMEOUT=VISIBILITY)
    try:
        _wait_ready(rescuer, tmp_path / "rescuer.log", private_redis.url)

        def finished():
            run.refresh_from_db()
            return run.is_finished

        # The redelivered task (acks_late) finds the run still "running" and imports it again.
        wait_for(finished, timeout=90)
        detail = reverse("casework:import-detail", kwargs={"run_id": run.pk})
        if run.status == ImportRun.Status.FAILED:
            # What the user sees if the worker's loss is recorded as a failure: Try again.
            assert "Try again" in client.get(detail).content.decode()
            client.post(reverse("casework:import-retry", kwargs={"run_id": run.pk}))
            wait_for(finished, timeout=90)
        assert run.status == ImportRun.Status.SUCCEEDED, run.error or run.problems[:3]

        once = _table_counts()
        assert Child.objects.count() == IMPORT_ROWS == Event.objects.count()
        assert once["HistoricalChild"] == IMPORT_ROWS  # one history row per child
        assert Child.objects.values("child_id").distinct().count() == IMPORT_ROWS
        assert run.rows == IMPORT_ROWS and run.created == 3 * IMPORT_ROWS  # child, episode, event
        assert f"{run.created} created, 0 updated, 0 unchanged" in client.get(detail).content.decode()

        # The same file (same SHA-256) uploaded again creates no duplicates.
        client.post(reverse("casework:import"), {"file": SimpleUploadedFile("county.csv", content)})
        again = ImportRun.objects.exclude(pk=run.pk).get()

        def again_finished():
            again.refresh_from_db()
            return again.is_finished

        wait_for(again_finished, timeout=90)
    finally:
        _stop(rescuer)
    assert again.sha256 == run.sha256
    assert again.status == ImportRun.Status.SUCCEEDED and again.created == 0, again.error
    assert _table_counts() == once


def test_killing_only_the_pool_child_mid_render_reruns_the_task_and_keeps_one_tagged_pdf(
    private_redis, broker_at, settings, tmp_path
):
    from readiness.reports.services import report_request

    media = Path(settings.MEDIA_ROOT)
    broker_at(private_redis.url)
    plan = _big_plan()
    # The default (one hour) visibility timeout: only the main worker's reject_on_worker_lost can
    # give the message back within this test.
    worker = _worker(tmp_path, "survivor", private_redis.url, media)
    try:
        _wait_ready(worker, tmp_path / "survivor.log", private_redis.url)
        (child,) = _pool_children(worker.pid)  # --concurrency=1: one pool child
        report = report_request(kind="improvement-plan", parameters={"plan": plan.pk}, user=_admin())

        def running():
            report.refresh_from_db()
            return report.status == Report.Status.RUNNING

        wait_for(running, timeout=30, interval=0.02)
        os.kill(child, signal.SIGKILL)  # only the pool child, mid-render

        def ready():
            report.refresh_from_db()
            return report.status in (Report.Status.READY, Report.Status.FAILED)

        wait_for(ready, timeout=60)
        assert worker.poll() is None, "the main worker died with its pool child"
        replacement = _pool_children(worker.pid)
        assert len(replacement) == 1 and replacement != [child], replacement
    finally:
        _stop(worker)

    assert report.status == Report.Status.READY, report.error
    # Started twice: the killed render, then the re-run the broker gave back (not one that
    # finished before the kill).
    assert report.attempts == 2, "the render finished before the kill; make the plan bigger"
    assert Report.objects.count() == 1
    files = _report_files(media)
    assert len(files) == 1, files
    assert files[0] == Path(report.file.path)
    reader = PdfReader(files[0])
    assert len(reader.pages) == report.pages > 1
    assert "Fault-test plan" in reader.pages[0].extract_text()
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
