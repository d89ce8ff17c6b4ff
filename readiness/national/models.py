"""The national picture's models: local authorities, their published inspections, import runs and
which authority this council is. They belong to the readiness app (readiness/models.py imports them).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


# GOV.UK tag colours; the grade is always shown as text too.
GRADE_TAG_COLOURS = {
    Grade.OUTSTANDING: "green",
    Grade.GOOD: "turquoise",
    Grade.REQUIRES_IMPROVEMENT: "orange",
    Grade.INADEQUATE: "red",
}

JUDGEMENTS = (
    # field on PublishedInspection, CSV column, words for people
    ("overall", "overall_effectiveness_grade", "overall effectiveness"),
    ("leaders", "impact_of_leaders_grade", "impact of leaders"),
    ("help_and_protection", "help_and_protection_grade", "help and protection"),
    ("in_care", "in_care_grade", "children in care"),
    ("care_leavers", "care_leavers_grade", "care leavers"),
)


class LocalAuthority(models.Model):
    """An English local authority with children's services, from the lookup file."""

    urn = models.CharField("Ofsted URN", max_length=20, unique=True)
    la_code_old = models.CharField("old LA code", max_length=10, blank=True, help_text="For example 301.")
    la_code = models.CharField("LA code", max_length=12, blank=True, help_text="For example E09000002.")
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=60, blank=True)
    population_0_25 = models.PositiveIntegerField("population aged 0 to 25", null=True, blank=True)
    la_type = models.CharField("type", max_length=40, blank=True, help_text="For example London Borough.")
    stat_neighbours = models.JSONField(
        "statistical neighbours",
        default=list,
        blank=True,
        help_text="New LA codes of the ten most similar authorities, most similar first.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class PublishedInspection(models.Model):
    """One published Ofsted report on a local authority's children's services."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="inspections")
    report_url = models.URLField("report link", max_length=300, unique=True)
    published_on = models.DateField("publication date", null=True, blank=True)
    framework = models.CharField(max_length=80, blank=True, help_text="Short or standard, as published.")
    inspector = models.CharField("lead inspector", max_length=120, blank=True)
    started_on = models.DateField("on site from", null=True, blank=True)
    ended_on = models.DateField("on site until", null=True, blank=True)
    # Null means the report gave no grade we could use; the import run says why.
    overall = models.CharField(
        "overall effectiveness", max_length=20, choices=Grade.choices, null=True, blank=True
    )
    leaders = models.CharField(
        "impact of leaders", max_length=20, choices=Grade.choices, null=True, blank=True
    )
    help_and_protection = models.CharField(
        "help and protection", max_length=20, choices=Grade.choices, null=True, blank=True
    )
    in_care = models.CharField(
        "children in care", max_length=20, choices=Grade.choices, null=True, blank=True
    )
    care_leavers = models.CharField(
        "care leavers", max_length=20, choices=Grade.choices, null=True, blank=True
    )
    publication_lag = models.IntegerField(
        "publication lag (working days)",
        null=True,
        blank=True,
        help_text="Working days from the last day on site to publication.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "local_authority__name"]
        indexes = [models.Index(fields=["local_authority", "published_on"], name="pubinsp_la_published")]

    def __str__(self) -> str:
        when = f"{self.published_on:%-d %b %Y}" if self.published_on else "undated"
        return f"{self.local_authority} ({when})"

    @property
    def year(self) -> int | None:
        return self.published_on.year if self.published_on else None

    def grades(self) -> list[tuple[str, str]]:
        """Return (judgement words, grade code) for the five judgements, in report order."""
        return [(words.capitalize(), getattr(self, name)) for name, _, words in JUDGEMENTS]


class NationalImportRun(models.Model):
    """One run of `national_import`: which files, what was kept, and every row or cell left out."""

    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="national_imports",
        help_text="Empty when run from the command line.",
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcomes_file_name = models.CharField(max_length=255)
    outcomes_sha256 = models.CharField(max_length=64)
    lookup_file_name = models.CharField(max_length=255)
    lookup_sha256 = models.CharField(max_length=64)
    authorities_imported = models.PositiveIntegerField(default=0)
    authorities_skipped = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField("inspections imported", default=0)
    skipped = models.PositiveIntegerField("inspection rows skipped", default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    problems = models.JSONField(
        default=list, blank=True, help_text='Each {"file": ..., "row": ..., "reason": ...}.'
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"National import {self.pk} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def problem_count(self) -> int:
        return len(self.problems)


class HomeAuthority(models.Model):
    """Which real local authority this council is: one row at most (id 1)."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    borrowed_for_demo = models.BooleanField(
        default=False, help_text="The fictional demo council borrows this authority's published history."
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "home authority"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="homeauthority_single_row")]

    def __str__(self) -> str:
        return f"This council is {self.local_authority}"
