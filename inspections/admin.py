from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import NonWorkingDay


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "name", "kind")
    list_filter = ("kind",)
