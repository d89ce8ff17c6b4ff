"""Casework: children and their journeys (pseudonymous IDs only, never names)."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

FIRST_BIRTH_YEAR = 1990
LAST_BIRTH_YEAR = 2100


def normalise_child_id(raw: object) -> str:
    """Return the one spelling of a child ID: trimmed and upper-cased.

    IDs arrive from spreadsheets with stray spaces and mixed case; the importer and the model both
    call this so that " c0012" and "C0012" are the same child.
    """
    return str(raw if raw is not None else "").strip().upper()


class Cohort(models.TextChoices):
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked after"
    CARE_LEAVER = "care_leaver", "Care leaver"


class Child(models.Model):
    """A child known to children's services, identified only by the council's own child ID."""

    class Gender(models.TextChoices):
        MALE = "male", "Male"
        FEMALE = "female", "Female"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Not known"

    child_id = models.CharField(
        "child ID", max_length=40, unique=True, help_text="The council's pseudonymous child ID, never a name."
    )
    birth_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_BIRTH_YEAR), MaxValueValidator(LAST_BIRTH_YEAR)],
    )
    birth_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    ethnicity = models.CharField(max_length=10, blank=True, help_text="DfE ethnicity code, e.g. WBRI.")
    disability = models.BooleanField(null=True, blank=True)
    uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child_id"]
        verbose_name_plural = "children"
        permissions = [("view_child_record", "Can see child-level records")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(child_id=""), name="child_id_not_blank"),
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True) | models.Q(birth_month__range=(1, 12)),
                name="child_birth_month_1_to_12",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__range=(FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR)),
                name="child_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.child_id

    def save(self, *args, **kwargs):
        # Every way in (admin, importer, shell) ends with one spelling per child.
        self.child_id = normalise_child_id(self.child_id)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("casework:child-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        self.child_id = normalise_child_id(self.child_id)

    @property
    def born_display(self) -> str:
        if not self.birth_year:
            return "Not known"
        return f"{self.birth_month:02d}/{self.birth_year}" if self.birth_month else str(self.birth_year)


class Episode(models.Model):
    """A spell in one cohort: early help, child in need, on a plan, looked after, care leaver."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="episodes")
    cohort = models.CharField(max_length=20, choices=Cohort.choices)
    start_on = models.DateField("start date")
    end_on = models.DateField("end date", null=True, blank=True)
    legal_status = models.CharField(
        max_length=20, blank=True, help_text="For looked-after children, e.g. C2 (care order) or V2 (s20)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "start_on", "cohort"]
        constraints = [
            models.UniqueConstraint(fields=["child", "cohort", "start_on"], name="episode_unique_start"),
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="episode_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        end = self.end_on.isoformat() if self.end_on else "open"
        return f"{self.child} {self.get_cohort_display()} {self.start_on.isoformat()} to {end}"


class Placement(models.Model):
    """Where a looked-after child lives, and whether that is inside the council's own area."""

    class Type(models.TextChoices):
        FOSTER = "foster", "Foster placement"
        CONNECTED_PERSON = "connected_person", "Foster placement with a relative or friend"
        CHILDRENS_HOME = "childrens_home", "Children's home"
        SUPPORTED = "supported", "Supported accommodation or independent living"
        WITH_PARENTS = "with_parents", "Placed with parents"
        ADOPTION = "adoption", "Placed for adoption"
        RESIDENTIAL_SCHOOL = "residential_school", "Residential school"
        SECURE = "secure", "Secure unit or youth custody"
        OTHER = "other", "Other placement"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    placement_type = models.CharField("type", max_length=20, choices=Type.choices)
    in_area = models.BooleanField("inside the council's area")
    start_on = models.DateField("start date")
    end_on = models.DateField("end date", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "start_on"]
        constraints = [
            models.UniqueConstraint(fields=["child", "start_on"], name="placement_unique_start"),
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="placement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        where = "in area" if self.in_area else "out of area"
        return f"{self.child} {self.get_placement_type_display()} ({where}) from {self.start_on.isoformat()}"


class Event(models.Model):
    """A dated event in a child's journey; statutory timescales are measured between these."""

    class Kind(models.TextChoices):
        CONTACT = "contact", "Contact"
        REFERRAL = "referral", "Referral"
        ASSESSMENT_START = "assessment_start", "Assessment started"
        ASSESSMENT_COMPLETED = "assessment_completed", "Assessment completed"
        STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
        SECTION_47 = "section_47", "Section 47 enquiry"
        ICPC = "icpc", "Initial child protection conference"
        CP_REVIEW = "cp_review", "Child protection review conference"
        CLA_REVIEW = "cla_review", "Looked-after review"
        VISIT = "visit", "Visit"
        IHA = "iha", "Initial health assessment"
        RHA = "rha", "Review health assessment"
        PEP = "pep", "Personal education plan"
        MISSING_EPISODE = "missing_episode", "Missing episode"
        RETURN_INTERVIEW = "return_interview", "Return home interview"
        CARE_LEAVER_CONTACT = "care_leaver_contact", "Care leaver in touch"
        CARE_LEAVER_ACCOMMODATION = "care_leaver_accommodation", "Care leaver accommodation"
        CARE_LEAVER_EET = "care_leaver_eet", "Care leaver education, employment or training"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_on = models.DateField("date")
    value = models.CharField(
        "value or outcome", max_length=100, blank=True, help_text="e.g. NFA, suitable, in education."
    )
    source_row = models.CharField(
        max_length=200, blank=True, help_text="The file and row this event was first imported from."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "occurred_on", "kind"]
        constraints = [
            # Re-importing a file finds the same key and so changes nothing.
            models.UniqueConstraint(
                fields=["child", "kind", "occurred_on", "value"], name="event_unique_key"
            ),
        ]

    def __str__(self) -> str:
        suffix = f" ({self.value})" if self.value else ""
        return f"{self.child} {self.get_kind_display()} on {self.occurred_on.isoformat()}{suffix}"


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
