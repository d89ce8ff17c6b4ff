"""Audit samples: the children chosen for audit, and the grades and cohorts samples use."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from casework.models.children import Child


class AuditGrade(models.TextChoices):
    """The four-point scale, with the same codes as the inspection frameworks' grades."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class SampleCohort(models.TextChoices):
    """The cohorts an audit sample is composed by (coarser than episodes' cohorts)."""

    HELP_AND_PROTECTION = "help_and_protection", "Help and protection"
    LOOKED_AFTER = "looked_after", "Looked after"
    CARE_LEAVER = "care_leaver", "Care leaver"
    EARLY_HELP = "early_help", "Early help"


class Sample(models.Model):
    """A set of children chosen for audit: by inspectors, by a seeded draw, or by hand."""

    class Kind(models.TextChoices):
        INSPECTION_AUDIT = "inspection_audit", "Inspection audit sample (chosen by inspectors)"
        TRACKED = "tracked", "Tracked cases"
        SAMPLED = "sampled", "Sampled cases"
        ROLLING_MONTHLY = "rolling_monthly", "Rolling monthly audit"
        THEMATIC = "thematic", "Thematic deep dive"
        MULTI_AGENCY = "multi_agency", "Multi-agency audit"

    class ChosenBy(models.TextChoices):
        INSPECTORS = "inspectors", "Inspectors"
        SEEDED_RANDOM = "seeded_random", "Seeded random draw"
        BY_HAND = "by_hand", "By hand"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    inspection = models.ForeignKey(
        "inspections.Inspection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    chosen_by = models.CharField(max_length=20, choices=ChosenBy.choices, default=ChosenBy.BY_HAND)
    seed = models.BigIntegerField(
        null=True, blank=True, help_text="The random seed of a drawn sample: the same seed redraws it."
    )
    rule_code = models.CharField("composition rule", max_length=40, blank=True)
    due_on = models.DateField("audits due", null=True, blank=True)
    locked_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the first audit in the sample starts."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(chosen_by="seeded_random") | models.Q(seed__isnull=False),
                name="sample_drawn_has_seed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("casework:sample-detail", kwargs={"sample_pk": self.pk})

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class SampleMember(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="members")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="sample_memberships")
    cohort = models.CharField(max_length=20, choices=SampleCohort.choices)
    out_of_borough = models.BooleanField("placed out of borough", default=False)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sample", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "child"], name="sample_member_child_once"),
        ]

    def __str__(self) -> str:
        return f"{self.child} in {self.sample}"
