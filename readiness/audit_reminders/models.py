"""The record that a case audit reminder went: one per audit, day, kind and person e-mailed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casework.models import CaseAudit


class AuditReminderSent(models.Model):
    """One reminder about one case audit on one day: the key that stops a second e-mail that day.

    Written by `readiness.audit_reminders.services.audit_reminders_send` in the same transaction that
    decides to send; the e-mail itself goes after commit. The person is part of the key because an
    audit waiting for moderation with no moderator named goes to everyone who may moderate it.

    `ACTIONS_OVERDUE` is about the audit's actions for children, not the audit itself: one row per
    audit, day and auditor covers all that audit's overdue actions listed that morning (see
    `readiness.audit_reminders.services.action_candidates` for why the audit, not each action).
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due within 5 working days"
        OVERDUE = "overdue", "Overdue"
        AWAITING_MODERATION = "awaiting_moderation", "Awaiting moderation"
        ACTIONS_OVERDUE = "actions_overdue", "Actions for children overdue"

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="reminders_sent")
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", help_text="Who was e-mailed."
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "audit"]
        verbose_name = "case audit reminder sent"
        verbose_name_plural = "case audit reminders sent"
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "date", "kind", "user"], name="audit_reminder_once_per_audit_day_kind_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for case audit {self.audit_id} on {self.date.isoformat()}"
