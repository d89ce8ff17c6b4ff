"""Top-layer models: system status so far; plans, indicators and reports arrive with later issues."""

from django.db import models


class Capability(models.Model):
    """Hold the permissions for pages that have no model of their own (no table)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", "Can see the DCS daily dashboard and the readiness overview"),
            ("view_board_pages", "Can see board pages and download board summaries"),
            ("view_system_status", "Can see system status and background-work warnings"),
        ]

    def __str__(self) -> str:
        return "Page permissions"


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker answered the heartbeat task that beat sends every minute."""

    hostname = models.CharField(max_length=255, unique=True)
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname} at {self.last_seen_at:%Y-%m-%d %H:%M:%S}"
