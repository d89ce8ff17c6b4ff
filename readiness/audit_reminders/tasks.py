"""The morning case audit reminders. Thin: a date in (ISO, optional), one service call."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from readiness.reminders import TASK_OPTIONS


@shared_task(name="readiness.case_audit_reminders", **TASK_OPTIONS)
def case_audit_reminders(day: str | None = None) -> dict:
    """E-mail each person once a day: their due and overdue audits, audits waiting for moderation, and
    the overdue actions for children found by their own audits."""
    from readiness.audit_reminders.services import audit_reminders_send

    run = audit_reminders_send(today=dt.date.fromisoformat(day) if day else None)
    return {
        "day": run.day.isoformat(),
        "sent": run.sent_to,
        "audits": run.audits_reminded,
        "skipped": run.skipped_reason,
    }
