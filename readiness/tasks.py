"""Celery tasks of the top layer. Tasks are thin: ids in, one service call."""

import socket

from celery import shared_task


@shared_task(name="readiness.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Record that a worker is alive; beat sends this every minute."""
    from readiness.services import heartbeat_record

    heartbeat_record(hostname=heartbeat.request.hostname or socket.gethostname())
