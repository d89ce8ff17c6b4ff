"""The on-site log of a live inspection: daily notes, data requests, meetings, concerns raised.

What the control room records during the on-site weeks. A concern may carry a child reference;
pages show it only to users holding `casework.view_child_record` (checked by name: this layer
imports nothing from casework).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from inspections.models.inspections import Inspection


class DailyNote(models.Model):
    """The DCS's update for one day of the inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="daily_notes")
    day = models.DateField("day", default=timezone.localdate)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "-day", "-created_at"]

    def __str__(self) -> str:
        return f"{self.day:%d %b %Y}: {self.text[:60]}"


class DataRequest(models.Model):
    """Something inspectors asked for, who is getting it, and by when."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SENT = "sent", "Sent to inspectors"
        CLOSED = "closed", "Closed"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="data_requests")
    what = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(max_length=120, blank=True, help_text="When the owner has no account.")
    requested_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        # Requests are often logged after the fact, so a due time before `requested_at` is allowed.
        ordering = ["inspection", "due_at", "requested_at"]

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def owner_display(self) -> str:
        if self.owner is not None:
            return self.owner.get_full_name() or self.owner.get_username()
        return self.owner_name


class Meeting(models.Model):
    """A meeting, interview or observed practice session during the inspection."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        INTERVIEW = "interview", "Interview"
        OBSERVATION = "observation", "Observation"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField("when")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MEETING)
    who = models.TextField(blank=True, help_text="Who attends, or who is observed.")
    notes = models.TextField(blank=True, help_text="What was attended or observed, and what came of it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "starts_at"]

    def __str__(self) -> str:
        return self.title


class Concern(models.Model):
    """A concern raised by inspectors, what the council did about it, and when it was closed."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="concerns")
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.CharField(max_length=120, blank=True, help_text="The inspector who raised it.")
    summary = models.TextField()
    child_reference = models.CharField(
        max_length=40, blank=True, help_text="Child ID, when the concern is about one child."
    )
    action_taken = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("raised_at")),
                name="concern_closed_after_raised",
            ),
        ]

    def __str__(self) -> str:
        return self.summary[:80]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
