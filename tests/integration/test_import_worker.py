"""A big upload is imported by a live Celery worker, with its progress published as it goes.

The worker gets its own Redis (broker and cache) and this test's MEDIA_ROOT, so the file the web
page stored is the file the worker reads and the progress it publishes is what the page reads.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.integration.conftest import _start, _stop, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

HEADER = (
    "child_id,date_of_birth,gender,ethnicity,disability,uasc,cohort,episode_start,episode_end,"
    "legal_status,placement_type,placement_in_area,placement_start,placement_end,event_type,event_date,event_value"
)


def _case_list(children: int) -> bytes:
    lines = [HEADER]
    for i in range(children):
        day = 1 + i % 28
        lines.append(
            f"W{i:06d},03/2015,Female,WBRI,no,no,child_in_need,{day:02d}/02/2024,,,,,,,referral,{day:02d}/02/2024,"
        )
    return ("\n".join(lines) + "\n").encode()


def _wait_for_worker(process, log: Path, redis_url: str) -> None:
    from celery import Celery

    probe = Celery(broker=redis_url, set_as_current=False)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"worker exited:\n{log.read_text()[-3000:]}")
            if probe.control.ping(timeout=1):
                return
        pytest.fail(f"worker did not answer:\n{log.read_text()[-3000:]}")
    finally:
        probe.close()


def test_a_big_upload_is_imported_by_the_worker_and_its_progress_is_published(
    private_redis, broker_at, settings, tmp_path, client
):
    from casework.imports.progress import read_progress
    from casework.models import Child, Event, ImportRun
    from casework.services import BACKGROUND_IMPORT_BYTES
    from readiness import roles
    from tests.conftest import make_user

    broker_at(private_redis.url)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": private_redis.url}
    }
    content = _case_list(40_000)
    assert len(content) > BACKGROUND_IMPORT_BYTES  # big enough to go to the worker
    log = tmp_path / "importer.log"
    worker = _start(
        ["worker", "-l", "info", "--concurrency=1", "-n", "importer@%h"],
        log,
        REDIS_URL=private_redis.url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    try:
        _wait_for_worker(worker, log, private_redis.url)
        client.force_login(make_user(roles.PERFORMANCE_MANAGER))
        response = client.post(
            reverse("casework:import"), {"file": SimpleUploadedFile("county.csv", content)}, follow=True
        )
        assert response.status_code == 200
        run = ImportRun.objects.get()
        assert "This file is being imported" in response.content.decode()

        seen: list[dict] = []

        def finished():
            state = read_progress(run.pk)
            if state is not None:
                seen.append(state)
            run.refresh_from_db()
            return run.is_finished

        wait_for(finished, timeout=180, interval=0.02)
    finally:
        _stop(worker)

    assert run.status == ImportRun.Status.SUCCEEDED, run.error or run.problems[:3]
    assert Child.objects.count() == 40_000 and Event.objects.count() == 40_000
    assert run.rows == 40_000 and run.user.username == "pm"
    # The worker published its progress where the page reads it, and it only ever went forward.
    checking = [state for state in seen if state["phase"] == "checking"]
    assert checking, f"no progress seen while checking rows: {seen[:3]}"
    assert any(0 < state["rows"] < 40_000 for state in checking), checking
    rows_seen = [state["rows"] for state in checking]
    assert rows_seen == sorted(rows_seen)
    assert all(0 <= state["percent"] <= 100 for state in seen)
    # Once finished, the page shows the result rather than the bar.
    page = client.get(reverse("casework:import-detail", kwargs={"run_id": run.pk})).content.decode()
    assert f"{run.created} created, 0 updated, 0 unchanged" in page
    assert run.created == 120_000  # a child, an episode and an event per row
