"""Writes of the inspections layer: inspections, judgements, recommendations and milestones.

Every write goes through a model's `save()` (never `QuerySet.update()` or `bulk_*`) so that
django-simple-history records it; `user` becomes the history user when given. Milestones are
recomputed by a Celery task enqueued on commit whenever a date they hang on, a grade a rule
depends on, or the working-day calendar changes.

Split by subject: `inspections` (inspections, recommendations, judgements), `milestones`,
`calendar` (non-working days, feed tokens), `onsite` (the on-site log) and `frameworks`
(framework upload); `_common` holds the history helper and the recompute hook. Every public name
is re-exported here, so `from inspections import services` keeps working. Patch a name in the
submodule that uses it, not here.
"""

from inspections.models.inspections import OVERRIDE_NEEDS_REASON
from inspections.services._common import User
from inspections.services.calendar import (
    calendar_token_create,
    calendar_token_revoke,
    non_working_day_add,
    non_working_day_remove,
)
from inspections.services.frameworks import (
    FRAMEWORK_SCALE_DIFFERS,
    FRAMEWORK_UPLOADED,
    FrameworkUploadPreview,
    framework_file_check,
    framework_upload_apply,
    framework_upload_preview,
)
from inspections.services.inspections import (
    FRAMEWORK_HAS_JUDGEMENTS,
    INSPECTION_IN_USE,
    MOVE_DOWN,
    MOVE_UP,
    RATIONALE_WITHOUT_GRADE,
    UNKNOWN_FRAMEWORK,
    UNKNOWN_INSPECTION_FIELD,
    inspection_create,
    inspection_delete,
    inspection_update,
    judgements_record,
    judgements_validate,
    recommendation_create,
    recommendation_delete,
    recommendation_move,
    recommendation_update,
)
from inspections.services.milestones import (
    MILESTONE_DONE_IN_FUTURE,
    MILESTONE_MARKED_DONE,
    MILESTONE_MARKED_NOT_DONE,
    MILESTONE_RECOMPUTED,
    milestone_dates,
    milestone_mark_done,
    milestone_override,
    milestones_compute,
)
from inspections.services.onsite import (
    CLOSED_BEFORE_RAISED,
    ONSITE_ENTRY_DELETED,
    ONSITE_FIELDS,
    UNKNOWN_ONSITE_FIELD,
    OnsiteEntry,
    concern_close,
    concern_reopen,
    data_request_close,
    onsite_entry_delete,
    onsite_entry_save,
)

__all__ = [
    "CLOSED_BEFORE_RAISED",
    "FRAMEWORK_HAS_JUDGEMENTS",
    "FRAMEWORK_SCALE_DIFFERS",
    "FRAMEWORK_UPLOADED",
    "FrameworkUploadPreview",
    "INSPECTION_IN_USE",
    "MILESTONE_DONE_IN_FUTURE",
    "MILESTONE_MARKED_DONE",
    "MILESTONE_MARKED_NOT_DONE",
    "MILESTONE_RECOMPUTED",
    "MOVE_DOWN",
    "MOVE_UP",
    "ONSITE_ENTRY_DELETED",
    "ONSITE_FIELDS",
    "OVERRIDE_NEEDS_REASON",
    "OnsiteEntry",
    "RATIONALE_WITHOUT_GRADE",
    "UNKNOWN_FRAMEWORK",
    "UNKNOWN_INSPECTION_FIELD",
    "UNKNOWN_ONSITE_FIELD",
    "User",
    "calendar_token_create",
    "calendar_token_revoke",
    "concern_close",
    "concern_reopen",
    "data_request_close",
    "framework_file_check",
    "framework_upload_apply",
    "framework_upload_preview",
    "inspection_create",
    "inspection_delete",
    "inspection_update",
    "judgements_record",
    "judgements_validate",
    "milestone_dates",
    "milestone_mark_done",
    "milestone_override",
    "milestones_compute",
    "non_working_day_add",
    "non_working_day_remove",
    "onsite_entry_delete",
    "onsite_entry_save",
    "recommendation_create",
    "recommendation_delete",
    "recommendation_move",
    "recommendation_update",
]
