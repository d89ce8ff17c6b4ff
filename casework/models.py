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
        help_text="e.g. NFA, suitable, in education; for an allocation the worker's reference (SW042).",
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
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text="When the import was handed to a background worker."
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


class CaseAudit(models.Model):
    """One auditor's audit of one child's case, graded domain by domain, then moderated."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        MODERATED = "moderated", "Moderated"
        SHARED = "shared", "Shared with inspectors"

    member = models.ForeignKey(
        SampleMember, null=True, blank=True, on_delete=models.CASCADE, related_name="audits"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="audits")
    cohort = models.CharField(max_length=20, choices=SampleCohort.choices)
    question_set_version = models.CharField(max_length=20)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_audits"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    overall_grade = models.CharField(max_length=30, choices=AuditGrade.choices, blank=True)
    strengths = models.TextField(blank=True)
    areas_for_development = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderator_grade = models.CharField(max_length=30, choices=AuditGrade.choices, blank=True)
    agreement = models.BooleanField("moderator agrees", null=True, blank=True)
    moderator_comment = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        # "moderate_audits" does not contain "caseaudit", so the Auditor role's patterns miss it.
        permissions = [("moderate_audits", "Can moderate and share any case audit")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["assigned", "in_progress", "submitted", "moderated", "shared"]
                ),
                name="caseaudit_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="shared") | models.Q(shared_at__isnull=False),
                name="caseaudit_shared_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Audit of {self.child} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("casework:audit-edit", kwargs={"audit_pk": self.pk})

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.MODERATED, self.Status.SHARED)

    def is_overdue(self, today) -> bool:
        return bool(self.due_on and self.due_on < today and not self.is_done)


class AuditAnswer(models.Model):
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="answers")
    domain = models.CharField(max_length=40)
    grade = models.CharField(max_length=30, choices=AuditGrade.choices, blank=True)
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["audit", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "domain"], name="auditanswer_domain_once"),
        ]

    def __str__(self) -> str:
        return f"{self.audit}: {self.domain} {self.grade or 'not graded'}"


class CaseAuditAction(models.Model):
    """An action for the child that an audit found necessary."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("action")
    owner = models.CharField(max_length=200, help_text="Who will do it, e.g. the team manager.")
    due_on = models.DateField("due date")
    history = HistoricalRecords()

    class Meta:
        ordering = ["audit", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.audit.child}: {self.text[:40]}"


class CaseAuditEscalation(models.Model):
    """An immediate escalation: the auditor found a child who may be at risk now."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="escalations")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    reason = models.TextField()
    manager_name = models.CharField("team manager's name", max_length=200)
    manager_email = models.EmailField("team manager's email address")
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"Escalation for {self.audit.child} on {self.raised_at:%d/%m/%Y}"


def normalise_adopter_reference(raw: object) -> str:
    """Return the one spelling of an adopter household's reference: trimmed and upper-cased."""
    return str(raw if raw is not None else "").strip().upper()


# A household's steps in the order they happen; each date, when known, is on or after the earlier ones.
ADOPTER_STEPS = (
    ("enquiry_on", "first enquiry"),
    ("registration_on", "registration of interest"),
    ("stage_one_on", "stage 1 start"),
    ("stage_two_on", "stage 2 start"),
    ("approved_on", "approval"),
    ("matched_on", "match"),
    ("placed_on", "placement"),
)


def adopter_date_problems(dates: dict[str, object]) -> dict[str, str]:
    """Return {field: plain-English problem} for dates out of order (the model's clean and the
    importer both use this). `dates` maps the date fields to dates or None."""
    problems: dict[str, str] = {}
    known: list[tuple[str, object]] = []
    for name, words in ADOPTER_STEPS:
        day = dates.get(name)
        if day is None:
            continue
        later = [(earlier, before) for earlier, before in known if before > day]
        if later:
            earlier, before = later[-1]
            problems[name] = (
                f"The {words} date ({day:%d/%m/%Y}) is before the {earlier} date ({before:%d/%m/%Y}); "
                f"a household's steps happen in order"
            )
        known.append((words, day))
    closed = dates.get("closed_on")
    if closed is not None and known:
        words, latest = max(known, key=lambda item: item[1])
        if latest > closed:
            problems["closed_on"] = (
                f"The closure date ({closed:%d/%m/%Y}) is before the {words} date ({latest:%d/%m/%Y}); "
                f"a household's record closes after its last step"
            )
    return problems


class AdopterHousehold(models.Model):
    """An individual or household in contact with the council's adoption agency (Annex A list 11).

    Pseudonymous reference only: never names, addresses or contact details.
    """

    class HouseholdType(models.TextChoices):
        SINGLE = "single", "Single adopter"
        COUPLE = "couple", "Couple"

    reference = models.CharField(
        max_length=40,
        unique=True,
        help_text="The agency's pseudonymous reference for the household, never a name.",
    )
    household_type = models.CharField(max_length=10, choices=HouseholdType.choices, blank=True)
    children_approved_for = models.PositiveSmallIntegerField(
        "number of children approved for",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    enquiry_on = models.DateField("first contact or enquiry", null=True, blank=True)
    registration_on = models.DateField("registration of interest", null=True, blank=True)
    stage_one_on = models.DateField("stage 1 started", null=True, blank=True)
    stage_two_on = models.DateField("stage 2 started", null=True, blank=True)
    approved_on = models.DateField("approved (panel and agency decision maker)", null=True, blank=True)
    matched_on = models.DateField("matched with a child", null=True, blank=True)
    placed_on = models.DateField("child placed", null=True, blank=True)
    closed_on = models.DateField("withdrawn or closed", null=True, blank=True)
    closed_reason = models.CharField("reason for withdrawal or closure", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reference=""), name="adopter_reference_not_blank"),
        ]

    def __str__(self) -> str:
        return f"Adopter household {self.reference}"

    def save(self, *args, **kwargs):
        self.reference = normalise_adopter_reference(self.reference)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        self.reference = normalise_adopter_reference(self.reference)
        problems = adopter_date_problems({name: getattr(self, name) for name in self.date_fields()})
        if self.closed_reason and self.closed_on is None:
            problems["closed_on"] = "Give the date the household withdrew or closed, as there is a reason"
        if problems:
            raise ValidationError(problems)

    @staticmethod
    def date_fields() -> tuple[str, ...]:
        return (*(name for name, _ in ADOPTER_STEPS), "closed_on")

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
