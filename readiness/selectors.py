"""Reads of the top layer: system status for /health/, banners and the status page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from readiness.models import WorkerHeartbeat

BROKER_EAGER = "eager"
BROKER_OK = "ok"
BROKER_UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class WorkerStatus:
    eager: bool
    last_seen_at: dt.datetime | None
    stale: bool

    @property
    def label(self) -> str:
        if self.eager:
            return "in-process"
        if self.last_seen_at is None:
            return "never seen"
        return "stale" if self.stale else "ok"


def database_is_up() -> bool:
    """Return True when a trivial query succeeds."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "down" to a health check
        return False
    return True


def broker_status() -> str:
    """Return "eager" in the demo, else whether Redis answers within two seconds."""
    from readiness.celery import app

    if app.conf.task_always_eager:
        return BROKER_EAGER
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001 - kombu raises many kinds; all mean unreachable
        return BROKER_UNREACHABLE
    return BROKER_OK


def worker_status() -> WorkerStatus:
    """Return when a worker last answered the heartbeat and whether that is too long ago."""
    from readiness.celery import app

    eager = bool(app.conf.task_always_eager)
    beat = WorkerHeartbeat.objects.order_by("-last_seen_at").first()
    last_seen = beat.last_seen_at if beat else None
    stale = False
    if not eager:
        limit = dt.timedelta(seconds=settings.HEARTBEAT_STALE_SECONDS)
        stale = last_seen is None or timezone.now() - last_seen > limit
    return WorkerStatus(eager=eager, last_seen_at=last_seen, stale=stale)
