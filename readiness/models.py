"""Top-layer models: system status and reports; plans and indicators arrive with later issues."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


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


def report_file_name(instance: Report, filename: str) -> str:
    """Store each PDF under MEDIA_ROOT/reports/ with a random name (never the title or a child's ID)."""
    return f"reports/{uuid.uuid4().hex}.pdf"


class Report(models.Model):
    """One PDF, made by the `report_render` task; the row shows its progress and any failure."""

    class Kind(models.TextChoices):
        IMPROVEMENT_PLAN = "improvement-plan", "Improvement plan"
        BOARD_SUMMARY = "board-summary", "Board summary"
        INSPECTION_TIMELINE = "inspection-timeline", "Inspection timeline"
        SELF_EVALUATION = "self-evaluation", "Self-evaluation"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    parameters = models.JSONField(default=dict, blank=True, help_text="For example {'inspection': 3}.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    title = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=report_file_name, blank=True, max_length=200)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the report failed, in plain English.")
    note = models.CharField(
        max_length=300, blank=True, help_text="Shown while queued, e.g. when background work is unavailable."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports_requested",
        help_text="Empty when the report was made with `manage.py render_report`.",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        permissions = [
            ("view_all_reports", "Can see and request every kind of report, not only board summaries")
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="report_status_requested")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("readiness:report-detail", kwargs={"report_id": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


from readiness.audit_reminders.models import AuditReminderSent  # noqa: E402,F401
from readiness.dashboards import models as dashboard_models  # noqa: E402,F401
from readiness.national import HomeAuthority, LocalAuthority, NationalImportRun, PublishedInspection  # noqa: E402,F401
from readiness.people import models as people_models  # noqa: E402,F401 - auth.User's history
from readiness.plans.models import Action, ActionEvidence, ImprovementPlan, Priority, ProgressUpdate  # noqa: E402,F401
