"""Writes for reports: request one, render it (from the task), mark it failed, try again, sweep.

The lifecycle is queued → running → ready, or → failed (shown with its reason and a "Try again"
button). Every change goes through `Model.save()` so django-simple-history records it.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from readiness.models import Report
from readiness.reports.builders import BUILDERS, ReportDataError
from readiness.reports.pdf import render_template_pdf
from readiness.reports.selectors import report_kinds_for

logger = logging.getLogger(__name__)

BROKER_DOWN_NOTE = (
    "Background work is unavailable at the moment. Your report has been saved and will be made "
    "automatically when background work is back. You do not need to ask for it again."
)
UNKNOWN_KIND = "Select a kind of report."
NOT_ALLOWED_KIND = "You cannot ask for this kind of report."
PLAN_NOT_FOUND = "That improvement plan no longer exists. Select another plan"
ONLY_FAILED_RETRY = "Only a failed report can be tried again."
UNEXPECTED_FAILURE = (
    "The report could not be made because of an unexpected problem. Try again; if it fails again, "
    "tell your system administrator (report {id})."
)
TOO_SLOW = "The report took too long to make and was stopped. Try again later."

# A queued report whose message may have been lost is sent again after this long (the task is
# idempotent, so a duplicate message costs one cheap database read).
REQUEUE_QUEUED_AFTER = dt.timedelta(minutes=10)
# A report saved but not yet sent may be waiting for its transaction's on_commit: leave it alone.
UNSENT_GRACE = dt.timedelta(minutes=1)


def report_request(*, kind: str, parameters: dict, user) -> Report:
    """Save a queued report and send it to a worker once the transaction commits.

    If the broker cannot be reached the report stays queued with `BROKER_DOWN_NOTE` and the
    sweeper sends it when the broker is back: nothing is lost.
    """
    if kind not in Report.Kind.values:
        raise ValidationError({"kind": UNKNOWN_KIND})
    if kind not in report_kinds_for(user=user):
        raise ValidationError({"kind": NOT_ALLOWED_KIND})
    plan_id = (parameters or {}).get("plan")
    if kind == Report.Kind.IMPROVEMENT_PLAN and plan_id is not None:
        from readiness.plans.selectors import plan_get

        if not isinstance(plan_id, int) or plan_get(plan_id=plan_id) is None:
            raise ValidationError({"plan": PLAN_NOT_FOUND})
    report = Report(kind=kind, parameters=parameters or {}, requested_by=user)
    report.full_clean()
    with transaction.atomic():
        report.save()
        transaction.on_commit(partial(report_enqueue, report_id=report.pk))
    return report


def report_retry(*, report: Report, user) -> Report:
    """Queue a failed report again (same kind and parameters) and send it once committed."""
    if report.status != Report.Status.FAILED:
        raise ValidationError(ONLY_FAILED_RETRY)
    if report.kind not in report_kinds_for(user=user):
        raise ValidationError(NOT_ALLOWED_KIND)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != Report.Status.FAILED:
            raise ValidationError(ONLY_FAILED_RETRY)
        report.status = Report.Status.QUEUED
        report.error = ""
        report.note = ""
        report.started_at = report.finished_at = None
        report.save()
        transaction.on_commit(partial(report_enqueue, report_id=report.pk))
    return report


def report_enqueue(*, report_id: int) -> bool:
    """Send the render task; on a broker failure keep the report queued with a note. Return sent."""
    from readiness.tasks import report_render

    try:
        report_render.delay(report_id)
    except BrokerUnavailable:
        logger.warning("Broker unreachable; report %s stays queued for the sweeper", report_id)
        _set_queue_state(report_id, note=BROKER_DOWN_NOTE, enqueued_at=None)
        return False
    except Exception as exc:
        # Only reachable when tasks run in-process (no REDIS_URL) with eager propagation, where
        # Celery calls neither on_failure nor retries: record the failure here so the page shows
        # it with "Try again", and keep the request itself from failing.
        logger.exception("Report %s failed while rendering in-process", report_id)
        report_mark_failed(report_id=report_id, error=failure_reason(report_id=report_id, exc=exc))
        return True
    _set_queue_state(report_id, note="", enqueued_at=timezone.now())
    return True


def _set_queue_state(report_id: int, *, note: str, enqueued_at) -> None:
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status not in (Report.Status.QUEUED, Report.Status.RUNNING):
            return  # an in-process render already finished it
        report.note = note
        report.enqueued_at = enqueued_at
        report.save(update_fields=["note", "enqueued_at"])


def report_start(*, report_id: int) -> Report | None:
    """Move a report to running and return it, or return None when there is nothing to do.

    A ready report is never made again. A running one is taken over: its worker died (the broker
    redelivers only then) or the sweeper found it stuck past the task time limit.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status in (Report.Status.READY, Report.Status.FAILED):
            return None
        report.status = Report.Status.RUNNING
        report.started_at = timezone.now()
        report.finished_at = None
        report.attempts += 1
        report.note = ""
        report.save()
    return report


def report_render_run(*, report: Report, fetcher=None) -> Report:
    """Build the report's HTML, render it to PDF, store the file and mark the report ready."""
    content = BUILDERS[report.kind](dict(report.parameters))
    rendered = render_template_pdf(
        template_name=content.template,
        context=content.context,
        title=content.title,
        child_level=content.child_level,
        fetcher=fetcher,
    )
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report.pk)
        if current.status == Report.Status.READY:
            return current  # a parallel run finished first: keep its file, drop ours
        old_name = current.file.name
        current.file.save(f"{current.pk}.pdf", ContentFile(rendered.content), save=False)
        new_name = current.file.name
        try:
            current.title = content.title[:200]
            if content.metadata:
                current.parameters = {**current.parameters, **content.metadata}
            current.pages = rendered.pages
            current.size_bytes = len(rendered.content)
            current.status = Report.Status.READY
            current.error = ""
            current.finished_at = timezone.now()
            current.save()
        except BaseException:
            current.file.storage.delete(new_name)
            raise
        if old_name and old_name != new_name:
            transaction.on_commit(partial(current.file.storage.delete, old_name))
    return current


def report_mark_failed(*, report_id: int, error: str) -> Report | None:
    """Record that a report failed, with a plain-English reason the user sees next to "Try again"."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == Report.Status.READY:
            return report
        report.status = Report.Status.FAILED
        report.error = error
        report.note = ""
        report.finished_at = timezone.now()
        report.save()
    return report


def failure_reason(*, report_id: int, exc: BaseException) -> str:
    """Turn an exception from the render task into a sentence for the report page."""
    from celery.exceptions import Retry, SoftTimeLimitExceeded

    from readiness.reports.pdf import FontsMissingError

    if isinstance(exc, Retry) and isinstance(exc.exc, BaseException):
        exc = exc.exc
    if isinstance(exc, ReportDataError | FontsMissingError):
        return str(exc)
    if isinstance(exc, SoftTimeLimitExceeded):
        return TOO_SLOW
    return UNEXPECTED_FAILURE.format(id=report_id)


def reports_requeue_stale(*, now: dt.datetime | None = None) -> list[int]:
    """Send again the reports whose message may be lost; return the ids sent.

    Queued reports the broker never took (no send recorded a minute after the request) or took
    long ago, and running reports older than the task's hard time limit (their worker died).
    """
    now = now or timezone.now()
    queued = Report.objects.filter(status=Report.Status.QUEUED).filter(
        Q(enqueued_at__isnull=True, requested_at__lt=now - UNSENT_GRACE)
        | Q(enqueued_at__lt=now - REQUEUE_QUEUED_AFTER)
    )
    stuck_before = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    running = Report.objects.filter(status=Report.Status.RUNNING, started_at__lt=stuck_before).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stuck_before)
    )
    ids = sorted({*queued.values_list("pk", flat=True), *running.values_list("pk", flat=True)})
    sent = []
    for report_id in ids:
        if not report_enqueue(report_id=report_id):
            break  # the broker is still down: the next sweep tries again
        sent.append(report_id)
    return sent
