"""Nightly snapshots and the morning digest. Thin: a date in (ISO, optional), one service call."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import OperationalError


def _day(day: str | None) -> dt.date | None:
    return dt.date.fromisoformat(day) if day else None


@shared_task(
    name="readiness.snapshots_take",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    ignore_result=True,
)
def snapshots_take(day: str | None = None) -> dict:
    """Write today's (or `day`'s) snapshot of every indicator; running again replaces them."""
    from readiness.dashboards.services import snapshots_take as take

    run = take(day=_day(day))
    return {"day": run.day.isoformat(), "written": run.written, "skipped": len(run.skipped)}


@shared_task(
    name="readiness.daily_digest",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    ignore_result=True,
)
def daily_digest(day: str | None = None) -> dict:
    """E-mail the DCS digest once per person per working day."""
    from readiness.dashboards.services import daily_digest_send

    run = daily_digest_send(day=_day(day))
    return {"day": run.day.isoformat(), "sent": run.sent_to, "skipped": run.skipped_reason}
