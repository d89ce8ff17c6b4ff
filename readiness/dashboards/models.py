"""Dashboards: indicator definitions and their daily snapshots, the self-evaluation's answers, and
the daily digest's preferences and sent log.

Indicators are data (loaded by `load_indicators` from `readiness.dashboards.definitions`); a nightly
task writes one `Snapshot` per indicator per day, so pages read a small table, never child rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

THRESHOLDS_WRONG_WAY = "For {polarity} indicators the red threshold must be {side} the amber threshold"


class Indicator(models.Model):
    """What is measured, against what target, and where the number comes from."""

    class Polarity(models.TextChoices):
        HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
        LOWER_IS_BETTER = "lower_is_better", "Lower is better"

    class Unit(models.TextChoices):
        PERCENT = "percent", "Percentage"
        COUNT = "count", "Count"
        NUMBER = "number", "Number"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    timescale = models.CharField(
        "statutory timescale",
        max_length=300,
        blank=True,
        help_text="For example '45 working days from referral'.",
    )
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    target = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    polarity = models.CharField(max_length=20, choices=Polarity.choices, default=Polarity.HIGHER_IS_BETTER)
    amber_threshold = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Worse than this is amber (usually the target).",
    )
    red_threshold = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Worse than this is red."
    )
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Dotted path to a function returning (numerator, denominator) or a value; blank when "
        "no data source exists yet.",
    )
    area_code = models.CharField(
        "judgement area", max_length=60, blank=True, help_text="The framework area code it informs."
    )
    is_national_measure = models.BooleanField("national measure", default=False)
    order = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.amber_threshold is None or self.red_threshold is None:
            return
        higher = self.polarity == self.Polarity.HIGHER_IS_BETTER
        if (higher and self.red_threshold > self.amber_threshold) or (
            not higher and self.red_threshold < self.amber_threshold
        ):
            raise ValidationError(
                {
                    "red_threshold": THRESHOLDS_WRONG_WAY.format(
                        polarity=self.get_polarity_display().lower(), side="below" if higher else "above"
                    )
                }
            )

    def rag(self, value: Decimal | float | None) -> str:
        """Return 'green', 'amber', 'red', or '' when there is no value or no thresholds."""
        if value is None or (self.amber_threshold is None and self.red_threshold is None):
            return ""
        value = Decimal(str(value))
        higher = self.polarity == self.Polarity.HIGHER_IS_BETTER

        def worse(limit: Decimal | None) -> bool:
            if limit is None:
                return False
            return value < limit if higher else value > limit

        if worse(self.red_threshold):
            return "red"
        if worse(self.amber_threshold):
            return "amber"
        return "green"


class Snapshot(models.Model):
    """One indicator's value on one day, written by the nightly task (machine state, no history)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="snapshots")
    date = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    numerator = models.IntegerField(null=True, blank=True)
    denominator = models.IntegerField(null=True, blank=True)
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="snapshot_one_per_indicator_day"),
        ]
        indexes = [models.Index(fields=["date"], name="snapshot_date")]

    def __str__(self) -> str:
        return f"{self.indicator.code} on {self.date.isoformat()}: {self.value}"


class SelfEvaluationAnswer(models.Model):
    """The answers to Ofsted's three questions for one judgement area of one self-evaluation."""

    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.CASCADE, related_name="self_evaluation_answers"
    )
    area = models.ForeignKey(
        "inspections.JudgementArea", on_delete=models.PROTECT, related_name="self_evaluation_answers"
    )
    what_we_know = models.TextField("what do we know about the quality and impact of practice?", blank=True)
    how_we_know = models.TextField("how do we know it?", blank=True)
    what_next = models.TextField("what are our plans to maintain or improve practice?", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "area__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "area"], name="self_evaluation_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection}: {self.area}"

    @property
    def is_complete(self) -> bool:
        return all(text.strip() for text in (self.what_we_know, self.how_we_know, self.what_next))


class NotificationPreference(models.Model):
    """A user's choice about e-mails from this service."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    daily_digest = models.BooleanField("send me the daily digest", default=True)
    action_reminders = models.BooleanField(
        "send me reminders about my improvement plan actions", default=True
    )
    case_audit_reminders = models.BooleanField(
        "send me reminders about case audits I carry out", default=True
    )
    moderation_reminders = models.BooleanField(
        "send me reminders about case audits waiting for my moderation", default=True
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Notifications for {self.user}"


class DigestSent(models.Model):
    """One daily digest sent to one user on one day: the key that makes sending idempotent."""

    date = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "user"]
        constraints = [models.UniqueConstraint(fields=["date", "user"], name="digest_once_per_user_day")]

    def __str__(self) -> str:
        return f"Digest to {self.user} on {self.date.isoformat()}"
