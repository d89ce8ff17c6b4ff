"""Casework imports: the record of each attempt to import a file."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


def import_upload_to(instance: ImportRun, filename: str) -> str:
    """Store uploads under a random name: the user's file name never reaches the file system."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"imports/{uuid.uuid4().hex}{suffix}"


class ImportRun(models.Model):
    """One attempt to import a file: who, when, which file (by SHA-256), what it changed."""

    class Kind(models.TextChoices):
        CASE_LIST = "case_list", "Case list"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to=import_upload_to, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CASE_LIST)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows = models.PositiveIntegerField("data rows read", default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    counts = models.JSONField(
        default=dict, blank=True, help_text="Created/updated/unchanged per record type."
    )
    problems = models.JSONField(
        default=list, blank=True, help_text="Every problem found: row, column, message."
    )
    problem_count = models.PositiveIntegerField(default=0)
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text="When the import was handed to a background worker."
    )
    started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the import last started reading its file (each attempt restarts it).",
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="Shown on the run's page, e.g. while waiting."
    )
    not_read = models.JSONField(
        default=list,
        blank=True,
        help_text="What the file held that was not imported (columns, Annex A sheets), one sentence each.",
    )
    error = models.TextField(blank=True, help_text="Why the run stopped, when it failed unexpectedly.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="importrun_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("casework:import-detail", kwargs={"run_id": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
