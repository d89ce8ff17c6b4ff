"""Admin for the inspections layer. Writes that move deadlines go through the services, so the
admin enqueues milestone recomputes exactly as the pages do. Framework rows come from the files
(`load_frameworks`) and are read-only here."""

from django.contrib import admin
from django.db import transaction

from inspections.history_admin import HistoryAdmin, ViewOnlyAdminMixin
from inspections.models import (
    CalendarToken,
    Concern,
    DailyNote,
    DataRequest,
    Framework,
    Grade,
    GradeScale,
    Inspection,
    Judgement,
    JudgementArea,
    Meeting,
    Milestone,
    MilestoneRule,
    NonWorkingDay,
    Recommendation,
)
from inspections.models.inspections import ANCHOR_DATE_FIELDS
from inspections.tasks import milestones_recompute, milestones_recompute_all


class ReadOnlyAdmin(ViewOnlyAdminMixin, HistoryAdmin):
    """Loaded from the framework files: change the file and run load_frameworks instead."""


class GradeInline(admin.TabularInline):
    model = Grade
    fields = ("rank", "code", "label", "aliases")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(GradeScale)
class GradeScaleAdmin(ReadOnlyAdmin):
    list_display = ("code",)
    inlines = [GradeInline]


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("code", "short_name", "version", "valid_from", "valid_to", "is_graded")
    list_filter = ("kind", "is_graded", "inspectorate")
    search_fields = ("code", "name")


@admin.register(JudgementArea)
class JudgementAreaAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "framework", "kind", "graded", "limits_overall")
    list_filter = ("framework", "kind")
    search_fields = ("code", "name")


@admin.register(MilestoneRule)
class MilestoneRuleAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "framework", "anchor", "offset", "unit", "status")
    list_filter = ("framework", "status", "unit")


class JudgementInline(admin.TabularInline):
    model = Judgement
    fields = ("area", "grade", "rationale")
    readonly_fields = ("area", "grade")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # grades are recorded through judgements_record, which applies the rules


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    fields = ("order", "text", "area", "is_priority_action")
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(HistoryAdmin):
    list_display = ("title", "kind", "framework", "onsite_start_on", "onsite_end_on", "status_label")
    list_filter = ("kind", "framework")
    search_fields = ("title", "lead_inspector")
    readonly_fields = ("judgement_warnings", "created_at", "updated_at")
    inlines = [JudgementInline, RecommendationInline]

    @admin.display(description="status")
    def status_label(self, obj):
        return obj.get_status_display()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if set(form.changed_data) & {*ANCHOR_DATE_FIELDS, "framework"}:
            transaction.on_commit(lambda: milestones_recompute.delay(obj.pk))


@admin.register(Milestone)
class MilestoneAdmin(HistoryAdmin):
    list_display = ("name", "inspection", "status", "due_on", "override_due_on", "done_on")
    list_filter = ("status",)
    readonly_fields = ("rule", "code", "status", "due_on", "window_end_on", "explanation", "computed_at")

    def has_add_permission(self, request):
        # Milestones are made from the framework's rules by milestones_recompute. The add form could
        # not give one a due date (read-only here) and crashed with a 500 on save.
        return False


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(HistoryAdmin):
    list_display = ("date", "name", "kind")
    list_filter = ("kind",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(milestones_recompute_all.delay)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(milestones_recompute_all.delay)

    def delete_queryset(self, request, queryset):
        for obj in queryset:  # one by one, so history sees each deletion
            obj.delete()
        transaction.on_commit(milestones_recompute_all.delay)


@admin.register(Judgement)
class JudgementAdmin(HistoryAdmin):
    """Correcting one grade: the inspection page records grades through judgements_record."""

    list_display = ("inspection", "area", "grade")


@admin.register(Recommendation)
class RecommendationAdmin(HistoryAdmin):
    list_display = ("inspection", "order", "area", "is_priority_action")


@admin.register(CalendarToken)
class CalendarTokenAdmin(HistoryAdmin):
    """Revoke a calendar link here; the secret itself is never shown (nor kept in history)."""

    list_display = ("user", "created_at", "revoked_at")
    exclude = ("token",)


@admin.register(DailyNote)
class DailyNoteAdmin(HistoryAdmin):
    list_display = ("inspection", "day", "author")


@admin.register(DataRequest)
class DataRequestAdmin(HistoryAdmin):
    list_display = ("inspection", "what", "status", "due_at")


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ("inspection", "title", "starts_at")


@admin.register(Concern)
class ConcernAdmin(HistoryAdmin):
    list_display = ("inspection", "summary", "raised_at", "closed_at")
