"""Reliability check 27: task limits are consistent, and a render past the soft limit ends failed."""

from __future__ import annotations

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from readiness import roles
from readiness.celery import app
from readiness.models import Report
from readiness.reports.builders import BUILDERS
from readiness.reports.services import TOO_SLOW
from readiness.tasks import report_render
from tests.conftest import make_user

OUR_TASKS = ("readiness.", "casework.", "inspections.")


def our_tasks():
    app.loader.import_default_modules()
    tasks = {name: task for name, task in app.tasks.items() if name.startswith(OUR_TASKS)}
    assert {"readiness.report_render", "casework.cases_import_run"} <= tasks.keys()
    return tasks


def test_every_task_of_ours_is_acknowledged_late_and_requeued_if_its_worker_dies():
    for name, task in our_tasks().items():
        assert task.acks_late is True, name
        assert task.reject_on_worker_lost is True, name


def test_one_message_at_a_time_json_only_and_limits_below_the_visibility_timeout():
    conf = app.conf
    assert conf.worker_prefetch_multiplier == 1
    assert list(conf.accept_content) == ["json"] and conf.task_serializer == "json"
    soft, hard = conf.task_soft_time_limit, conf.task_time_limit
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert 0 < soft < hard < visibility


@pytest.mark.django_db
def test_a_render_past_the_soft_time_limit_ends_failed_with_a_plain_reason(monkeypatch):
    def slow(parameters):
        raise SoftTimeLimitExceeded()

    monkeypatch.setitem(BUILDERS, Report.Kind.BOARD_SUMMARY, slow)
    report = Report.objects.create(
        kind=Report.Kind.BOARD_SUMMARY, requested_by=make_user(roles.PERFORMANCE_MANAGER)
    )

    report_render.apply(args=[report.pk], throw=False)  # as on a worker: on_failure runs

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == TOO_SLOW
