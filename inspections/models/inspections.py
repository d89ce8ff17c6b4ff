"""Inspections (actual, mock, peer review, self-evaluation), their judgements and deadlines."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from inspections.models.frameworks import Framework, Grade, JudgementArea, MilestoneRule
from inspections.working_days.dates import MAX_DATE, MIN_DATE

# The dates of an inspection in the order they happen; each must be on or after every earlier one
# that is filled in. The phrase names the date in messages ("... must be on or after <phrase>").
DATE_ORDER: tuple[tuple[str, str], ...] = (
    ("notified_on", "the date the council was notified"),
    ("onsite_start_on", "the first on-site day"),
    ("onsite_end_on", "the last on-site day"),
    ("draft_report_received_on", "the date the draft report was received"),
    ("factual_accuracy_returned_on", "the date factual accuracy comments were returned"),
    ("final_report_received_on", "the date the final report was received"),
    ("published_on", "the publication date"),
)
DATE_ORDER_MESSAGE = "{later} must be the same as or after {earlier} ({earlier_date})"
ONSITE_END_NEEDS_START = "Enter the first on-site day as well as the last"

# The date each milestone-rule anchor reads ("last_inspection_end" is looked up by the service).
ANCHOR_FIELDS: dict[str, str] = {
    MilestoneRule.Anchor.NOTIFIED: "notified_on",
    MilestoneRule.Anchor.ONSITE_START: "onsite_start_on",
    MilestoneRule.Anchor.FIELDWORK_START: "onsite_start_on",
    MilestoneRule.Anchor.ONSITE_END: "onsite_end_on",
    MilestoneRule.Anchor.DRAFT_REPORT_RECEIVED: "draft_report_received_on",
    MilestoneRule.Anchor.FACTUAL_ACCURACY_RETURNED: "factual_accuracy_returned_on",
    MilestoneRule.Anchor.FINAL_REPORT_RECEIVED: "final_report_received_on",
    MilestoneRule.Anchor.PUBLISHED: "published_on",
}
# A change to any of these can move a milestone.
ANCHOR_DATE_FIELDS: tuple[str, ...] = tuple(name for name, _ in DATE_ORDER)

OVERRIDE_NEEDS_REASON = "Give a reason for changing the due date"


def _fmt(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


class Inspection(models.Model):
    """One inspection, mock inspection, peer review or self-evaluation of the council's services."""

    class Kind(models.TextChoices):
        ACTUAL = "actual", "Inspection"
        MOCK = "mock", "Mock inspection"
        PEER_REVIEW = "peer_review", "Peer review"
        SELF_EVALUATION = "self_evaluation", "Self-evaluation"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        NOTIFIED = "notified", "Notified"
        ON_SITE = "on_site", "On site"
        AWAITING_REPORT = "awaiting_report", "Awaiting report"
        REPORT_RECEIVED = "report_received", "Report received"
        PUBLISHED = "published", "Published"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ACTUAL)
    title = models.CharField(
        max_length=200, help_text="For example 'ILACS standard inspection, February 2019'."
    )
    lead_inspector = models.CharField(max_length=120, blank=True)
    notified_on = models.DateField("notified", null=True, blank=True)
    onsite_start_on = models.DateField("first on-site day", null=True, blank=True)
    onsite_end_on = models.DateField("last on-site day", null=True, blank=True)
    draft_report_received_on = models.DateField("draft report received", null=True, blank=True)
    factual_accuracy_returned_on = models.DateField("factual accuracy returned", null=True, blank=True)
    final_report_received_on = models.DateField("final report received", null=True, blank=True)
    published_on = models.DateField("published", null=True, blank=True)
    notes = models.TextField(blank=True)
    judgement_warnings = models.JSONField(
        default=list, blank=True, help_text="Warnings from the last judgements check, for display."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-onsite_start_on", "-id"]
        indexes = [models.Index(fields=["kind", "onsite_start_on"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.onsite_end_on and not self.onsite_start_on:
            errors["onsite_start_on"] = ONSITE_END_NEEDS_START
        latest: tuple[str, str, dt.date] | None = None  # (field, phrase, date) of the latest earlier date
        for name, phrase in DATE_ORDER:
            value = getattr(self, name)
            if value is None:
                continue
            if not MIN_DATE <= value <= MAX_DATE:  # deadlines are counted in working days known to 2100
                errors[name] = (
                    f"{phrase[0].upper() + phrase[1:]} must be between {MIN_DATE.year} and {MAX_DATE.year}; "
                    "check the year"
                )
                continue
            if latest is not None and value < latest[2]:
                errors.setdefault(
                    name,
                    DATE_ORDER_MESSAGE.format(
                        later=phrase[0].upper() + phrase[1:], earlier=latest[1], earlier_date=_fmt(latest[2])
                    ),
                )
            if latest is None or value >= latest[2]:
                latest = (name, phrase, value)
        if errors:
            raise ValidationError(errors)

    def status_on(self, today: dt.date) -> str:
        """Return the status the dates give on `today` (a `Status` value)."""
        if self.published_on and self.published_on <= today:
            return self.Status.PUBLISHED
        if self.final_report_received_on and self.final_report_received_on <= today:
            return self.Status.REPORT_RECEIVED
        if self.onsite_end_on and self.onsite_end_on < today:
            return self.Status.AWAITING_REPORT
        if self.onsite_start_on and self.onsite_start_on <= today:
            return self.Status.ON_SITE
        if self.notified_on and self.notified_on <= today:
            return self.Status.NOTIFIED
        return self.Status.PLANNED

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    def anchor_date(self, anchor: str) -> dt.date | None:
        """Return the date a milestone anchor reads, or None if it is not on this inspection."""
        field = ANCHOR_FIELDS.get(anchor)
        return getattr(self, field) if field else None

    def grades(self) -> dict[str, str]:
        """Return {area code: grade code} for the judgements recorded."""
        return {area: grade for area, grade in self.judgements.values_list("area__code", "grade__code")}


class Judgement(models.Model):
    """The grade given to one judgement area in one inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.ForeignKey(JudgementArea, on_delete=models.PROTECT, related_name="judgements")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="judgements")
    rationale = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "area__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "area"], name="judgement_one_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.grade}"

    def clean(self) -> None:
        errors = {}
        if self.area_id and self.inspection_id and self.area.framework_id != self.inspection.framework_id:
            errors["area"] = f"'{self.area}' is not a judgement area in {self.inspection.framework}"
        if self.grade_id and self.inspection_id:
            scale_id = self.inspection.framework.grade_scale_id
            if self.grade.scale_id != scale_id:
                errors["grade"] = f"'{self.grade}' is not a grade in {self.inspection.framework}"
        if errors:
            raise ValidationError(errors)


class Recommendation(models.Model):
    """A recommendation (or area for priority action) from an inspection's report."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()
    area = models.ForeignKey(
        JudgementArea, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    is_priority_action = models.BooleanField(
        "area for priority action", default=False, help_text="Named for a significant concern."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "order"], name="recommendation_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:80]}"

    def clean(self) -> None:
        if self.area_id and self.inspection_id and self.area.framework_id != self.inspection.framework_id:
            raise ValidationError({"area": f"'{self.area}' is not an area in {self.inspection.framework}"})


class Milestone(models.Model):
    """A deadline of one inspection, computed from a milestone rule or entered by hand."""

    Status = MilestoneRule.Status

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="milestones")
    rule = models.ForeignKey(
        MilestoneRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones"
    )
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices)
    due_on = models.DateField(help_text="As computed from the rule (or entered, for a manual milestone).")
    window_end_on = models.DateField(null=True, blank=True)
    explanation = models.TextField(blank=True, help_text="How the date was worked out.")
    done_on = models.DateField(null=True, blank=True)
    override_due_on = models.DateField(null=True, blank=True)
    override_reason = models.TextField(blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "due_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="milestone_code_unique"),
            models.CheckConstraint(
                condition=Q(override_due_on__isnull=True) | ~Q(override_reason=""),
                name="milestone_override_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(window_end_on__isnull=True) | Q(window_end_on__gte=models.F("due_on")),
                name="milestone_window_end_after_due",
            ),
        ]

    def __str__(self) -> str:
        when = _fmt(self.effective_due_on)
        if self.window_end_on and not self.is_overridden:
            when += f" to {_fmt(self.window_end_on)}"
        return f"{self.name}: {self.verb} {when}"

    def clean(self) -> None:
        if self.override_due_on and not self.override_reason.strip():
            raise ValidationError({"override_reason": OVERRIDE_NEEDS_REASON})

    @property
    def effective_due_on(self) -> dt.date:
        return self.override_due_on or self.due_on

    @property
    def is_overridden(self) -> bool:
        return self.override_due_on is not None

    @property
    def is_observed(self) -> bool:
        """True when the date is only what usually happens, so the UI says 'typically', not 'due'."""
        return self.status == self.Status.OBSERVED

    @property
    def verb(self) -> str:
        return "typically" if self.is_observed else "due"

    @property
    def is_window(self) -> bool:
        return self.window_end_on is not None
