"""Improvement plans: a plan has priorities, a priority has actions, an action has progress updates.

RAG (red/amber/green) is derived from dates, not stored: see `readiness.plans.rag`. A person may
override it for one action, always with a reason. Every model keeps history; a moved due date is
recorded with its reason as the history row's change reason.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

OVERRIDE_NEEDS_REASON = "Enter the reason for setting the RAG status by hand"
START_AFTER_DUE = "The start date must be on or before the due date"
EVIDENCE_NEEDS_ONE = "Enter a link or choose a file, not both"
PUBLISHED_NEEDS_DATE = "Enter the date the plan was published"


def _reason_field():
    # Reasons for moving a due date are sentences; the library's default is 100 characters.
    return models.TextField(null=True, blank=True)


class Rag(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


RAG_COLOURS = {
    Rag.ON_TRACK: "green",
    Rag.AT_RISK: "amber",
    Rag.OFF_TRACK: "red",
    Rag.COMPLETE: "blue",
}


class ImprovementPlan(models.Model):
    class Source(models.TextChoices):
        INSPECTION = "inspection", "An inspection's recommendations"
        SELF_EVALUATION = "self_evaluation", "A self-evaluation"
        AUDIT_FINDINGS = "audit_findings", "Case audit findings"
        PEER_REVIEW = "peer_review", "A peer review"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.INSPECTION)
    inspection = models.ForeignKey(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_plans",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_plans_owned",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_on__isnull=False),
                name="plan_published_needs_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("readiness:plan-detail", kwargs={"plan_pk": self.pk})

    def clean(self) -> None:
        if self.status == self.Status.PUBLISHED and not self.published_on:
            raise ValidationError({"published_on": PUBLISHED_NEEDS_DATE})


class Priority(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="priorities")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.TextField()
    recommendation = models.ForeignKey(
        "inspections.Recommendation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priorities",
    )
    area = models.ForeignKey(
        "inspections.JudgementArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priorities",
        verbose_name="judgement area",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="priority_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title[:80]}"

    def get_absolute_url(self) -> str:
        return f"{self.plan.get_absolute_url()}#priority-{self.pk}"


class ActionQuerySet(models.QuerySet):
    def with_rag(self, *, today: dt.date | None = None):
        from readiness.plans.rag import annotate_rag

        return annotate_rag(self, today=today)

    def overdue(self, *, today: dt.date):
        return self.exclude(status=Action.Status.COMPLETE).filter(due_on__lt=today)


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
    )
    lead_officer = models.CharField(max_length=200, blank=True)
    partner_agency = models.CharField(max_length=200, blank=True)
    start_on = models.DateField("start date", null=True, blank=True)
    due_on = models.DateField("due date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag_override = models.CharField("RAG set by hand", max_length=20, choices=Rag.choices, blank=True)
    rag_override_reason = models.TextField(blank=True)
    success_measure = models.TextField(blank=True)
    indicator_code = models.CharField(max_length=60, blank=True, help_text="Linked to indicators later.")
    indicator_target = models.CharField(max_length=200, blank=True)
    source_audit_reference = models.CharField(
        max_length=100, blank=True, help_text="The case audit finding this action came from."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(history_change_reason_field=_reason_field())

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["priority__order", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rag_override="") | ~Q(rag_override_reason=""),
                name="action_rag_override_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(start_on__isnull=True) | Q(start_on__lte=models.F("due_on")),
                name="action_start_on_or_before_due",
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"], name="action_owner_status")]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("readiness:action-detail", kwargs={"action_pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.rag_override and not self.rag_override_reason.strip():
            errors["rag_override_reason"] = OVERRIDE_NEEDS_REASON
        if self.start_on and self.due_on and self.start_on > self.due_on:
            errors["start_on"] = START_AFTER_DUE
        if errors:
            raise ValidationError(errors)


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    text = models.TextField()
    rag = models.CharField("RAG", max_length=20, choices=Rag.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["action", "date"], name="progress_action_date")]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y}: {self.text[:60]}"


def evidence_file_name(instance: ActionEvidence, filename: str) -> str:
    """Store under MEDIA_ROOT/evidence/ with a random name; keep only a safe extension."""
    suffix = PurePath(filename or "").suffix.lower()
    suffix = suffix if suffix.isascii() and suffix[1:].isalnum() and len(suffix) <= 6 else ""
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class ActionEvidence(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    url = models.URLField("link", max_length=500, blank=True)
    file = models.FileField(upload_to=evidence_file_name, blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_evidence_added",
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-added_at", "-pk"]
        verbose_name_plural = "action evidence"
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="evidence_link_or_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.url:
            return self.url
        return reverse("readiness:evidence-download", kwargs={"evidence_pk": self.pk})

    def clean(self) -> None:
        if bool(self.url) == bool(self.file):
            raise ValidationError(EVIDENCE_NEEDS_ONE)


class ReminderSent(models.Model):
    """One reminder about one action on one day: the key that stops a second e-mail that day.

    Written by `readiness.plans.reminders.reminders_send` in the same transaction that decides to
    send; the e-mail itself goes after commit.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due in 5 working days"
        OVERDUE = "overdue", "Overdue"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders_sent")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", help_text="Who was e-mailed."
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "action"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "date", "kind"], name="reminder_once_per_action_day_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for action {self.action_id} on {self.date.isoformat()}"
