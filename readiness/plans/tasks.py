"""The morning reminders to action owners. Thin: a date in (ISO, optional), one service call."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="readiness.action_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    ignore_result=True,
)
def action_reminders(day: str | None = None) -> dict:
    """E-mail owners about actions overdue or due in 5 working days; once per action per day."""
    from readiness.plans.reminders import reminders_send

    result = reminders_send(today=dt.date.fromisoformat(day) if day else None)
    return {
        "day": result.day.isoformat(),
        "sent": result.sent_to,
        "actions": result.actions_reminded,
        "skipped": result.skipped_reason,
    }
