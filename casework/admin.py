from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casework.models import Child


@admin.register(Child)
class ChildAdmin(SimpleHistoryAdmin):
    list_display = ("child_id", "birth_year", "gender", "uasc")
    search_fields = ("child_id",)
