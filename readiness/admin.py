"""Admin for the readiness layer. Administrators are the app's own superusers: every domain model
people write can be corrected or removed here, and every write keeps history with the administrator
as its user (tests/reliability/test_check_16_every_model_history_through_the_ui.py). Records the
machine writes (reports, digests, action and case audit reminders sent, national import runs, worker
heartbeats) are view-only (MachineRecordAdmin)."""

from django.contrib import admin

from inspections.history_admin import HistoryAdmin, MachineRecordAdmin, ViewOnlyAdminMixin
from readiness.audit_reminders.models import AuditReminderSent
from readiness.dashboards.models import DigestSent, Indicator, NotificationPreference, SelfEvaluationAnswer
from readiness.models import (
    Action,
    ActionEvidence,
    HomeAuthority,
    ImprovementPlan,
    LocalAuthority,
    NationalImportRun,
    Priority,
    ProgressUpdate,
    PublishedInspection,
    Report,
    WorkerHeartbeat,
)
from readiness.plans.models import ReminderSent


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Written by each worker every minute: an edit here would fake, or hide, a stopped worker."""

    list_display = ("hostname", "last_seen_at")


@admin.register(Report)
class ReportAdmin(MachineRecordAdmin):
    """Written by the report task; "Try again" on the report's page repeats a failed one."""

    list_display = ("kind", "status", "requested_by", "requested_at", "finished_at")
    list_filter = ("kind", "status")


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ("code", "name", "unit", "target", "is_national_measure")
    search_fields = ("code", "name")


@admin.register(SelfEvaluationAnswer)
class SelfEvaluationAnswerAdmin(HistoryAdmin):
    list_display = ("inspection", "area", "updated_by", "updated_at")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(HistoryAdmin):
    list_display = ("user", "daily_digest", "action_reminders")


@admin.register(DigestSent)
class DigestSentAdmin(MachineRecordAdmin):
    """Written by the daily digest task as each e-mail goes: the record that it was sent."""

    list_display = ("date", "user", "sent_at")


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(HistoryAdmin):
    list_display = ("name", "urn", "la_code", "region")
    search_fields = ("name", "urn", "la_code")


@admin.register(PublishedInspection)
class PublishedInspectionAdmin(HistoryAdmin):
    list_display = ("local_authority", "published_on", "framework", "overall")
    search_fields = ("local_authority__name",)
    raw_id_fields = ("local_authority",)


@admin.register(NationalImportRun)
class NationalImportRunAdmin(MachineRecordAdmin):
    """Written by `manage.py import_national`: which files were loaded, by whom, with what result."""

    list_display = ("started_at", "run_by", "outcomes_file_name", "imported", "skipped")


@admin.register(HomeAuthority)
class HomeAuthorityAdmin(HistoryAdmin):
    list_display = ("local_authority", "borrowed_for_demo", "chosen_by", "chosen_at")
    raw_id_fields = ("local_authority",)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not HomeAuthority.objects.exists()

    def save_model(self, request, obj, form, change):
        obj.pk = 1  # the one row there may be (homeauthority_single_row)
        super().save_model(request, obj, form, change)


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(HistoryAdmin):
    list_display = ("title", "source", "status", "published_on", "owner")
    list_filter = ("status",)


@admin.register(Priority)
class PriorityAdmin(HistoryAdmin):
    list_display = ("plan", "order", "title")


@admin.register(Action)
class ActionAdmin(HistoryAdmin):
    list_display = ("description", "priority", "owner", "due_on", "status")
    list_filter = ("status",)
    search_fields = ("description",)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(HistoryAdmin):
    list_display = ("action", "date", "rag", "author")
    raw_id_fields = ("action",)


@admin.register(ActionEvidence)
class ActionEvidenceAdmin(HistoryAdmin):
    list_display = ("title", "action", "added_by", "added_at")
    raw_id_fields = ("action",)


@admin.register(ReminderSent)
class ReminderSentAdmin(MachineRecordAdmin):
    """Written by the action reminders task as each e-mail goes: the record that it was sent."""

    list_display = ("date", "kind", "action", "user", "sent_at")
    raw_id_fields = ("action",)


@admin.register(AuditReminderSent)
class AuditReminderSentAdmin(MachineRecordAdmin):
    """Written by the case audit reminders task as each e-mail goes: the record that it was sent."""

    list_display = ("date", "kind", "audit", "user", "sent_at")
    raw_id_fields = ("audit",)
