from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casework.models import AdopterHousehold, Child, Episode, Event, ImportRun, Placement


@admin.register(Child)
class ChildAdmin(SimpleHistoryAdmin):
    list_display = ("child_id", "birth_year", "gender", "uasc")
    search_fields = ("child_id",)


@admin.register(Episode)
class EpisodeAdmin(SimpleHistoryAdmin):
    list_display = ("child", "cohort", "start_on", "end_on")
    list_filter = ("cohort",)
    search_fields = ("child__child_id",)
    raw_id_fields = ("child",)


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    list_display = ("child", "placement_type", "in_area", "start_on", "end_on")
    search_fields = ("child__child_id",)
    raw_id_fields = ("child",)


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("child", "kind", "occurred_on", "value")
    list_filter = ("kind",)
    search_fields = ("child__child_id",)
    raw_id_fields = ("child",)


@admin.register(ImportRun)
class ImportRunAdmin(SimpleHistoryAdmin):
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
    readonly_fields = [field.name for field in ImportRun._meta.fields]


@admin.register(AdopterHousehold)
class AdopterHouseholdAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "household_type", "enquiry_on", "approved_on", "placed_on", "closed_on")
    list_filter = ("household_type",)
    search_fields = ("reference",)
