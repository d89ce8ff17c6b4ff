"""Casework: children and their journeys (pseudonymous IDs only, never names).

The child, the episodes, placements and events of their journey, and the cohorts.
"""

from __future__ import annotations

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
        permissions = [
            ("view_child_record", "Can see child-level records"),
            ("export_annex_a", "Can download the Annex A workbook"),
        ]
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
        # Workforce and oversight (the value says who or what: never a name).
        ALLOCATION = "allocation", "Allocated to a social worker"
        # The value is the team's name (a team, never a person), e.g. "Children in care".
        TEAM_ALLOCATION = "team_allocation", "Allocated to a team"
        CASE_SUPERVISION = "case_supervision", "Case supervision (management oversight)"
        ICPC_GP = "icpc_gp", "GP contribution to an initial child protection conference"
        PRIVATE_FOSTERING_NOTIFICATION = (
            "private_fostering_notification",
            "Private fostering arrangement notified",
        )
        PRIVATE_FOSTERING_VISIT = "private_fostering_visit", "Private fostering visit"
        PRE_PROCEEDINGS_START = "pre_proceedings_start", "Pre-proceedings started (Public Law Outline)"
        PRE_PROCEEDINGS_END = "pre_proceedings_end", "Pre-proceedings ended"
        # The adoption journey (Annex A list 10).
        ADOPTION_DECISION = "adoption_decision", "Decision: should be placed for adoption"
        PLACEMENT_ORDER = "placement_order", "Placement order granted"
        PLACED_FOR_ADOPTION = "placed_for_adoption", "Placed for adoption (matched with adopters)"
        ADOPTION_ORDER = "adoption_order", "Adoption order granted (adopted)"
        ADOPTION_DECISION_REVERSED = (
            "adoption_decision_reversed",
            "Decision reversed: no longer to be placed for adoption",
        )

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_on = models.DateField("date")
    value = models.CharField(
        "value or outcome",
        max_length=100,
        blank=True,
        help_text=(
            "e.g. NFA, suitable, in education; for an allocation the worker's reference (SW042), "
            "for a team allocation the team's name."
        ),
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
        indexes = [
            # The children in a team (the child list's filter) and the teams held, without reading
            # every event: only team allocations are in it. The key's index (child, kind,
            # occurred_on, ...) then finds each child's latest team.
            models.Index(
                fields=["value", "child", "occurred_on"],
                condition=models.Q(kind="team_allocation"),
                name="event_team_by_name",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" ({self.value})" if self.value else ""
        return f"{self.child} {self.get_kind_display()} on {self.occurred_on.isoformat()}{suffix}"
