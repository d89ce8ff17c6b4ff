"""The admin base classes for models with history: history can be looked at, never reverted from.

SIMPLE_HISTORY_REVERT_DISABLED only hides simple_history's "Revert" button; a POST to the history
form still writes the old version back. Refuse it, so history stays a record and nothing else.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    # Links typed without a scheme are https (Django 6's default; saying so silences 5.2's warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("History cannot be reverted or edited.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ViewOnlyAdminMixin:
    """Refuse add, change and delete to everyone, superusers included; view permission still shows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MachineRecordAdmin(ViewOnlyAdminMixin, HistoryAdmin):
    """A record the machine writes (an import run, a report, an e-mail sent): view-only here.

    It says what the software did and when; an edit in the admin would make the audit trail say
    something that never happened. To redo the work, use the page or command that does it.
    """
