from django.contrib import admin

from casework.models import (
    AdopterHousehold,
    AuditAnswer,
    CaseAudit,
    CaseAuditAction,
    CaseAuditEscalation,
    Child,
    Episode,
    Event,
    ImportRun,
    Placement,
    Sample,
    SampleMember,
)
from inspections.history_admin import HistoryAdmin, MachineRecordAdmin


@admin.register(Child)
class ChildAdmin(HistoryAdmin):
    list_display = ("child_id", "birth_year", "gender", "uasc")
    search_fields = ("child_id",)


@admin.register(Episode)
class EpisodeAdmin(HistoryAdmin):
    list_display = ("child", "cohort", "start_on", "end_on")
    list_filter = ("cohort",)
    search_fields = ("child__child_id",)
    raw_id_fields = ("child",)


@admin.register(Placement)
class PlacementAdmin(HistoryAdmin):
    list_display = ("child", "placement_type", "in_area", "start_on", "end_on")
    search_fields = ("child__child_id",)
    raw_id_fields = ("child",)


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    list_display = ("child", "kind", "occurred_on", "value")
    list_filter = ("kind",)
    search_fields = ("child__child_id",)
    raw_id_fields = ("child",)


@admin.register(ImportRun)
class ImportRunAdmin(MachineRecordAdmin):
    """Written by the import page and its task; "Try again" on the run's page repeats a failed one."""

    list_display = (
        "file_name",
        "status",
        "created_at",
        "user",
        "created",
        "updated",
        "unchanged",
        "problem_count",
    )
    list_filter = ("status",)


@admin.register(AdopterHousehold)
class AdopterHouseholdAdmin(HistoryAdmin):
    list_display = ("reference", "household_type", "enquiry_on", "approved_on", "placed_on", "closed_on")
    list_filter = ("household_type",)
    search_fields = ("reference",)


@admin.register(Sample)
class SampleAdmin(HistoryAdmin):
    list_display = ("title", "kind", "inspection", "due_on", "locked_at")


@admin.register(SampleMember)
class SampleMemberAdmin(HistoryAdmin):
    list_display = ("sample", "child", "cohort", "order")
    raw_id_fields = ("sample", "child")


@admin.register(CaseAudit)
class CaseAuditAdmin(HistoryAdmin):
    list_display = ("child", "auditor", "status", "overall_grade", "due_on")
    list_filter = ("status",)
    raw_id_fields = ("member", "child")


@admin.register(AuditAnswer)
class AuditAnswerAdmin(HistoryAdmin):
    list_display = ("audit", "domain", "grade")
    raw_id_fields = ("audit",)


@admin.register(CaseAuditAction)
class CaseAuditActionAdmin(HistoryAdmin):
    list_display = ("audit", "owner", "due_on")
    raw_id_fields = ("audit",)


@admin.register(CaseAuditEscalation)
class CaseAuditEscalationAdmin(HistoryAdmin):
    list_display = ("audit", "raised_by", "raised_at", "responded_at")
    raw_id_fields = ("audit",)
