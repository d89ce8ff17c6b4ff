"""Celery tasks of the top layer. Tasks are thin: ids in, one service call."""

import socket

from celery import Task, shared_task
from django.db import OperationalError as DatabaseOperationalError


@shared_task(name="readiness.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Record that a worker is alive; beat sends this every minute."""
    from readiness.services import heartbeat_record

    heartbeat_record(hostname=heartbeat.request.hostname or socket.gethostname())


class ReportTask(Task):
    """Mark the report failed, with a plain-English reason, once the task gives up."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from readiness.reports.services import failure_reason, report_mark_failed

        report_id = args[0] if args else kwargs["report_id"]
        report_mark_failed(report_id=report_id, error=failure_reason(report_id=report_id, exc=exc))


@shared_task(
    base=ReportTask,
    name="readiness.report_render",
    acks_late=True,
    reject_on_worker_lost=True,
    # Only a lost or locked database is worth waiting for; a missing inspection or a template
    # error fails at once, visibly, with "Try again".
    autoretry_for=(DatabaseOperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=3,
    ignore_result=True,
)
def report_render(report_id: int) -> None:
    """Make the PDF for one report; do nothing if it is already made."""
    from readiness.reports.services import report_render_run, report_start

    report = report_start(report_id=report_id)
    if report is not None:
        report_render_run(report=report)


@shared_task(name="readiness.reports_requeue_stale", ignore_result=True)
def reports_requeue_stale() -> None:
    """Send again reports that were saved while the broker was down, or whose worker died."""
    from readiness.reports.services import reports_requeue_stale as sweep

    sweep()


from readiness.audit_reminders import tasks as audit_reminder_tasks  # noqa: E402,F401  (registers the case audit reminders)
from readiness.dashboards import tasks as dashboard_tasks  # noqa: E402,F401  (registers the dashboard tasks)
from readiness.plans import tasks as plan_tasks  # noqa: E402,F401  (registers the action reminders)
