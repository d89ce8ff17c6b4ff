"""The admin base class for models with history: history can be looked at, never reverted from.

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
