"""The morning reminders to action owners. Thin: a date in (ISO, optional), one service call."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from readiness.reminders import TASK_OPTIONS


@shared_task(name="readiness.action_reminders", **TASK_OPTIONS)
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
