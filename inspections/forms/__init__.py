"""Forms of the inspections pages: GOV.UK wording, crispy-forms-gds layouts, dates as day/month/year.

Forms check the shape of what was typed; the rules (date order, judgement rules) live in the
models and services, and the views put their messages back on the fields named.

Split by subject: `base` (the GOV.UK base form, date and time helpers), `inspections`
(inspections, judgements, recommendations, the list filter), `milestones`, `onsite` (the on-site
log), `calendar` (the working calendar) and `frameworks` (framework upload). Every public name is
re-exported here, so `from inspections.forms import ...` keeps working.
"""

from inspections.forms.base import ENTER_TIME, GovDateField, GovForm
from inspections.forms.calendar import ENTER_CALENDAR_REASON, SELECT_CALENDAR_KIND, NonWorkingDayForm
from inspections.forms.frameworks import (
    FRAMEWORK_FILE_BYTES,
    FRAMEWORK_FILE_EMPTY,
    FRAMEWORK_FILE_NOT_UTF8,
    FRAMEWORK_FILE_REQUIRED,
    FRAMEWORK_FILE_SUFFIXES,
    FRAMEWORK_FILE_TOO_BIG,
    FRAMEWORK_FILE_WRONG_TYPE,
    FrameworkUploadForm,
)
from inspections.forms.inspections import (
    DATE_HINTS,
    DATE_LABELS,
    DATE_PHRASES,
    ENTER_RECOMMENDATION,
    ENTER_TITLE,
    SELECT_FRAMEWORK,
    SELECT_KIND,
    InspectionFilterForm,
    InspectionForm,
    JudgementsForm,
    RecommendationForm,
    grade_field,
    rationale_field,
)
from inspections.forms.milestones import ENTER_REASON, MilestoneDoneForm, MilestoneOverrideForm
from inspections.forms.onsite import ConcernForm, DailyNoteForm, DataRequestForm, MeetingForm, OnsiteForm

__all__ = [
    "ConcernForm",
    "DATE_HINTS",
    "DATE_LABELS",
    "DATE_PHRASES",
    "DailyNoteForm",
    "DataRequestForm",
    "ENTER_CALENDAR_REASON",
    "ENTER_REASON",
    "ENTER_RECOMMENDATION",
    "ENTER_TIME",
    "ENTER_TITLE",
    "FRAMEWORK_FILE_BYTES",
    "FRAMEWORK_FILE_EMPTY",
    "FRAMEWORK_FILE_NOT_UTF8",
    "FRAMEWORK_FILE_REQUIRED",
    "FRAMEWORK_FILE_SUFFIXES",
    "FRAMEWORK_FILE_TOO_BIG",
    "FRAMEWORK_FILE_WRONG_TYPE",
    "FrameworkUploadForm",
    "GovDateField",
    "GovForm",
    "InspectionFilterForm",
    "InspectionForm",
    "JudgementsForm",
    "MeetingForm",
    "MilestoneDoneForm",
    "MilestoneOverrideForm",
    "NonWorkingDayForm",
    "OnsiteForm",
    "RecommendationForm",
    "SELECT_CALENDAR_KIND",
    "SELECT_FRAMEWORK",
    "SELECT_KIND",
    "grade_field",
    "rationale_field",
]
