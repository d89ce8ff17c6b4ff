"""Writes of the top layer."""

from django.utils import timezone

from readiness.models import WorkerHeartbeat


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Record that the worker on `hostname` is alive now."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:255], defaults={"last_seen_at": timezone.now()}
    )
    return beat
