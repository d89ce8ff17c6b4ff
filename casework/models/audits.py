"""Case audits: one auditor's audit of one child's case, its answers, actions and escalations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from casework.models.children import Child
from casework.models.samples import AuditGrade, SampleCohort, SampleMember


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
        # "view_every_audit" matches the DCS's "casework.view_*" but not the Auditor's "*caseaudit*":
        # the DCS oversees the whole audit programme (read only); an auditor sees their own audits.
        permissions = [
            ("moderate_audits", "Can moderate and share any case audit"),
            ("view_every_audit", "Can see every case audit and its actions for children (read only)"),
        ]
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

    STATUS_COLOURS = {  # GOV.UK tag colours: grey not started, blue started, yellow waiting, green done
        Status.ASSIGNED: "grey",
        Status.IN_PROGRESS: "light-blue",
        Status.SUBMITTED: "yellow",
        Status.MODERATED: "green",
        Status.SHARED: "purple",
    }

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS.get(self.status, "grey")

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
    """An action for the child that an audit found necessary, followed up until it is done.

    Open: no done date, note or user. Done: a done date and a note saying what was done (and who
    recorded it). Reopening clears all three; the history keeps the earlier values and the reason.
    """

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("action")
    owner = models.CharField(max_length=200, help_text="Who will do it, e.g. the team manager.")
    due_on = models.DateField("due date")
    done_on = models.DateField("date done", null=True, blank=True)
    done_note = models.TextField("what was done", blank=True)
    # PROTECT, like the audit's auditor: who confirmed a child's action was done is part of the
    # record, and accounts are deactivated rather than deleted. SET_NULL would erase it silently.
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Reopen reasons are sentences; the library's default change reason is 100 characters.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True, blank=True))

    class Meta:
        ordering = ["audit", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done_on__isnull=True, done_note="", done_by__isnull=True)
                | (models.Q(done_on__isnull=False) & ~models.Q(done_note="")),
                name="caseauditaction_done_has_date_and_note",
                violation_error_message="An action done needs the date it was done and what was done; "
                "an open action has neither.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audit.child}: {self.text[:40]}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today) -> bool:
        return self.done_on is None and self.due_on < today


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
