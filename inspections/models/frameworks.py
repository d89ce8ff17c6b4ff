"""Frameworks as data: grade scales, judgement areas and milestone rules, loaded from files.

Rows here are written only by `load_frameworks` (and its data migration) from the files in
`inspections/frameworks/`; choices mirror the file schema in `inspections/framework_files.py`.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from inspections import framework_files


class GradeScale(models.Model):
    """An ordered set of grades (best first), shared by the frameworks that use it."""

    code = models.CharField(max_length=40, unique=True, help_text="For example 'ofsted-4-ri'.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Grade(models.Model):
    """One grade on a scale; rank 1 is the best."""

    scale = models.ForeignKey(GradeScale, on_delete=models.CASCADE, related_name="grades")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=80)
    rank = models.PositiveSmallIntegerField()
    aliases = models.JSONField(default=list, blank=True, help_text="Other wordings reports use.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["scale", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="grade_code_unique_per_scale"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="grade_rank_at_least_1"),
        ]

    def __str__(self) -> str:
        return self.label


class Framework(models.Model):
    """One version of an inspection framework, loaded from `inspections/frameworks/<code>.yaml`."""

    class Kind(models.TextChoices):  # framework_files.FRAMEWORK_KINDS
        INSPECTION = "inspection", "Inspection"
        REVIEW = "review", "Review"
        VISIT = "visit", "Visit"

    code = models.CharField(max_length=60, unique=True, help_text="The file name, e.g. 'ilacs-2023'.")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    inspectorate = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    sources = models.JSONField(default=list, blank=True, help_text="[{title, url}, ...]")
    notes = models.TextField(blank=True)
    is_graded = models.BooleanField(default=True)
    grade_scale = models.ForeignKey(
        GradeScale, on_delete=models.PROTECT, null=True, blank=True, related_name="frameworks"
    )
    rules = models.JSONField(
        default=list, blank=True, help_text="Limiting and warning rules, as in the file, in order."
    )
    themes = models.JSONField(default=list, blank=True)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file it was loaded from.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["valid_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="framework_valid_to_after_from",
            ),
            models.CheckConstraint(
                condition=Q(is_graded=False) | Q(grade_scale__isnull=False),
                name="framework_graded_has_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def has_overall(self) -> bool:
        return self.areas.filter(code=framework_files.OVERALL).exists()


class JudgementArea(models.Model):
    """A node in a framework's tree of judgements: overall, key, graded sub-judgement, theme..."""

    class Kind(models.TextChoices):  # framework_files.AREA_KINDS
        OVERALL = "overall", "Overall effectiveness"
        KEY = "key", "Key judgement"
        GRADED_SUB = "graded_sub", "Graded sub-judgement"
        CONTRIBUTORY = "contributory", "Contributory judgement"
        LINE_OF_ENQUIRY = "line_of_enquiry", "Line of enquiry"
        THEME = "theme", "Theme"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=250)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    graded = models.BooleanField(default=True)
    limits_overall = models.BooleanField(
        default=False, help_text="Inadequate here caps overall effectiveness at inadequate."
    )
    criteria = models.TextField(blank=True, help_text="Evaluation criteria in plain words, one a line.")
    order = models.PositiveIntegerField(default=0, help_text="Depth-first position in the tree.")
    depth = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_code_unique_per_framework"),
            models.CheckConstraint(
                condition=Q(limits_overall=False) | Q(graded=True), name="area_limits_only_when_graded"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def criteria_lines(self) -> list[str]:
        return [line for line in self.criteria.splitlines() if line.strip()]


class MilestoneRule(models.Model):
    """How one deadline is worked out from an inspection date: anchor + offset in some unit."""

    class Anchor(models.TextChoices):  # framework_files.ANCHORS; labels read "... on <date>"
        NOTIFIED = "notified", "notification"
        ONSITE_START = "onsite_start", "on-site start"
        ONSITE_END = "onsite_end", "end of on-site"
        DRAFT_REPORT_RECEIVED = "draft_report_received", "draft report received"
        FACTUAL_ACCURACY_RETURNED = "factual_accuracy_returned", "factual accuracy returned"
        FINAL_REPORT_RECEIVED = "final_report_received", "final report received"
        PUBLISHED = "published", "publication"
        LAST_INSPECTION_END = "last_inspection_end", "end of the last inspection"
        FIELDWORK_START = "fieldwork_start", "start of fieldwork"

    class Unit(models.TextChoices):  # framework_files.UNITS
        WORKING_DAYS = "working_days", "working days"
        CALENDAR_DAYS = "calendar_days", "calendar days"
        MONTHS = "months", "months"

    class Convention(models.TextChoices):  # framework_files.CONVENTIONS
        DAY0 = "day0", "The anchor date is day 0"
        DAY1 = "day1", "The anchor date is day 1"

    class Status(models.TextChoices):  # framework_files.STATUSES
        STATUTORY = "statutory", "Statutory deadline"
        OFSTED_TARGET = "ofsted_target", "Inspectorate's own target"
        OBSERVED = "observed", "Observed practice, not a deadline"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="milestone_rules")
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    anchor = models.CharField(max_length=40, choices=Anchor.choices)
    offset = models.IntegerField(help_text="Negative counts back from the anchor.")
    unit = models.CharField(max_length=20, choices=Unit.choices)
    convention = models.CharField(max_length=10, choices=Convention.choices, default=Convention.DAY0)
    status = models.CharField(max_length=20, choices=Status.choices)
    window_end_offset = models.IntegerField(
        null=True, blank=True, help_text="When set, the rule gives a window from offset to this."
    )
    applies_if = models.JSONField(
        null=True, blank=True, help_text='Only when an area has one of these grades: {"area", "grades"}.'
    )
    explanation = models.TextField()
    source = models.TextField()
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="milestone_rule_code_unique"),
            models.CheckConstraint(
                condition=Q(window_end_offset__isnull=True) | Q(window_end_offset__gt=models.F("offset")),
                name="milestone_rule_window_after_offset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework_id and self.framework.code}: {self.name}"

    @property
    def is_observed(self) -> bool:
        return self.status == self.Status.OBSERVED
