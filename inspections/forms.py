"""Forms of the inspections pages: GOV.UK wording, crispy-forms-gds layouts, dates as day/month/year.

Forms check the shape of what was typed; the rules (date order, judgement rules) live in the
models and services, and the views put their messages back on the fields named.
"""

from __future__ import annotations

import datetime as dt
import re

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from inspections.models import DataRequest, Framework, Inspection, JudgementArea, Meeting
from inspections.models.inspections import DATE_ORDER
from inspections.selectors import non_working_day_refusal
from inspections.services import MILESTONE_DONE_IN_FUTURE

SELECT_FRAMEWORK = "Select the framework the inspection used"
SELECT_KIND = "Select what kind of inspection this is"
ENTER_TITLE = "Enter a title for the inspection"
ENTER_RECOMMENDATION = "Enter the recommendation"
ENTER_REASON = "Enter the reason for changing the date"
ENTER_TIME = "{label} must be a time, like 09:30 or 14:00"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class GovDateField(DateInputField):
    """A day/month/year date whose every message names the date ("The first on-site day must ...")."""

    def __init__(self, *, phrase: str, required: bool = False, **kwargs):
        super().__init__(require_all_fields=False, required=required, **kwargs)
        self.phrase = _capital(phrase)
        self.error_messages = {
            "required": f"Enter {phrase}",
            "incomplete": f"{self.phrase} must include a day, month and year",
            "invalid": f"{self.phrase} must be a real date",
        }
        for sub, part in zip(self.fields, ("day", "month", "year"), strict=True):
            sub.error_messages["incomplete"] = f"{self.phrase} must include a {part}"
            sub.validators = []
        self.widget.attrs.setdefault("inputmode", "numeric")

    def compress(self, data_list):
        day, month, year = (list(data_list) + [None, None, None])[:3]
        if not (day and month and year):
            return None
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(f"{self.phrase} must include a year with 4 numbers", code="invalid")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def _parse_time(value: str, label: str) -> dt.time | None:
    value = (value or "").strip().lower().replace(".", ":")
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError(ENTER_TIME.format(label=label), code="invalid")
    return dt.time(int(match[1]), int(match[2]))


def _aware(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time(9, 0)))


def _local_parts(value: dt.datetime | None) -> tuple[dt.date | None, str]:
    if value is None:
        return None, ""
    local = timezone.localtime(value)
    return local.date(), f"{local:%H:%M}"


class GovForm(forms.Form):
    """A form with a crispy-forms-gds helper; subclasses give `layout()` and the button text."""

    submit_text = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # Every page writes its own <form> and {% csrf_token %}; crispy's would nest inside it.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.layout(), Button("submit", self.submit_text))

    def layout(self) -> list:
        return [Field(name) for name in self.fields]


# ---------------------------------------------------------------------------
# Inspections
# ---------------------------------------------------------------------------


# The inspection's dates in the order they happen: (field, label). The phrase each message uses
# comes from the model's DATE_ORDER, so form and model name a date the same way.
DATE_LABELS: dict[str, str] = {
    "notified_on": "Date the council was notified",
    "onsite_start_on": "First on-site day",
    "onsite_end_on": "Last on-site day",
    "draft_report_received_on": "Draft report received",
    "factual_accuracy_returned_on": "Factual accuracy comments returned",
    "final_report_received_on": "Final report received",
    "published_on": "Report published",
}
DATE_PHRASES: dict[str, str] = dict(DATE_ORDER)
DATE_HINTS: dict[str, str] = {
    "notified_on": "For example, 11 2 2019. Leave the date blank until you know it.",
    "onsite_start_on": "The first day inspectors are on site.",
    "onsite_end_on": "The last day inspectors are on site.",
}


def _inspection_date(name: str) -> GovDateField:
    return GovDateField(
        phrase=DATE_PHRASES[name],
        label=DATE_LABELS[name],
        help_text=DATE_HINTS.get(name, "Leave the date blank until you know it."),
    )


class InspectionForm(GovForm):
    submit_text = "Save inspection"

    framework = forms.ModelChoiceField(
        queryset=Framework.objects.order_by("-valid_from", "code"),
        label="Framework",
        help_text="The inspection framework used (for a mock inspection, the one it follows).",
        empty_label="Select a framework",
        error_messages={"required": SELECT_FRAMEWORK, "invalid_choice": SELECT_FRAMEWORK},
    )
    kind = forms.ChoiceField(
        label="What kind of inspection is it?",
        choices=Inspection.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": SELECT_KIND, "invalid_choice": SELECT_KIND},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, 'ILACS standard inspection, February 2019'.",
        error_messages={"required": ENTER_TITLE, "max_length": "Title must be 200 characters or fewer"},
    )
    lead_inspector = forms.CharField(
        label="Lead inspector (optional)",
        max_length=120,
        required=False,
        error_messages={"max_length": "Lead inspector must be 120 characters or fewer"},
    )
    notified_on = _inspection_date("notified_on")
    onsite_start_on = _inspection_date("onsite_start_on")
    onsite_end_on = _inspection_date("onsite_end_on")
    draft_report_received_on = _inspection_date("draft_report_received_on")
    factual_accuracy_returned_on = _inspection_date("factual_accuracy_returned_on")
    final_report_received_on = _inspection_date("final_report_received_on")
    published_on = _inspection_date("published_on")
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def layout(self) -> list:
        return [
            Field.select("framework"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("title", field_width=Fluid.FULL),
            Field.text("lead_inspector", field_width=Fluid.TWO_THIRDS),
            HTML('<h2 class="govuk-heading-m">Dates</h2>'),
            *[Field(name, context={"legend_size": Size.for_legend(Size.SMALL)}) for name in DATE_LABELS],
            Field.textarea("notes", rows=4),
        ]


# ---------------------------------------------------------------------------
# Judgements
# ---------------------------------------------------------------------------


def grade_field(area_code: str) -> str:
    return f"grade_{area_code}"


def rationale_field(area_code: str) -> str:
    return f"rationale_{area_code}"


class JudgementsForm(GovForm):
    """One select per graded area of the inspection's framework, each with an optional rationale."""

    submit_text = "Save judgements"

    def __init__(self, *args, inspection: Inspection, **kwargs):
        self.inspection = inspection
        framework = inspection.framework
        self.areas: list[JudgementArea] = list(framework.areas.filter(graded=True).order_by("order"))
        grades = list(framework.grade_scale.grades.order_by("rank")) if framework.grade_scale else []
        existing = {j.area_id: j for j in inspection.judgements.select_related("grade")}
        initial = kwargs.setdefault("initial", {})
        for area in self.areas:
            judgement = existing.get(area.pk)
            if judgement is not None:
                initial.setdefault(grade_field(area.code), judgement.grade.code)
                initial.setdefault(rationale_field(area.code), judgement.rationale)
        super().__init__(*args, **kwargs)
        choices = [("", "Not graded yet"), *((g.code, g.label) for g in grades)]
        for area in self.areas:
            self.fields[grade_field(area.code)] = forms.ChoiceField(
                label=area.name,
                choices=choices,
                required=False,
                help_text=area.get_kind_display(),
                error_messages={"invalid_choice": f"Select a grade for '{area.name}' in the list"},
            )
            self.fields[rationale_field(area.code)] = forms.CharField(
                label=f"Why '{area.name}' got this grade (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.helper.layout = Layout(
            *[
                Fieldset(
                    Field.select(grade_field(area.code)),
                    Field.textarea(rationale_field(area.code), rows=2),
                )
                for area in self.areas
            ],
            Button("submit", self.submit_text),
        )

    def layout(self) -> list:
        return []

    def grades(self) -> dict[str, str | None]:
        return {area.code: self.cleaned_data.get(grade_field(area.code)) or None for area in self.areas}

    def rationale(self) -> dict[str, str]:
        return {
            area.code: self.cleaned_data[rationale_field(area.code)]
            for area in self.areas
            if self.cleaned_data.get(rationale_field(area.code), "").strip()
        }

    def add_area_error(self, area_code: str | None, message: str) -> None:
        field = grade_field(area_code) if area_code else None
        self.add_error(field if field in self.fields else None, message)


# ---------------------------------------------------------------------------
# Recommendations and milestones
# ---------------------------------------------------------------------------


class RecommendationForm(GovForm):
    submit_text = "Save recommendation"

    text = forms.CharField(
        label="Recommendation",
        help_text="In the report's words, or a short summary of them.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": ENTER_RECOMMENDATION},
    )
    area = forms.ChoiceField(
        label="Judgement area it relates to (optional)",
        required=False,
        error_messages={"invalid_choice": "Select an area from the list"},
    )
    is_priority_action = forms.BooleanField(
        label="This is an area for priority action",
        required=False,
        help_text="Inspectors name these for a serious concern.",
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        areas = inspection.framework.areas.order_by("order")
        self.fields["area"].choices = [("", "Not linked to an area"), *((a.code, a.name) for a in areas)]

    def layout(self) -> list:
        return [Field.textarea("text", rows=4), Field.select("area"), Field.checkbox("is_priority_action")]


class MilestoneOverrideForm(GovForm):
    submit_text = "Change the date"

    due_on = GovDateField(
        phrase="the new date", label="New date", required=True, help_text="For example, 9 7 2019."
    )
    reason = forms.CharField(
        label="Why is the date different?",
        help_text="For example, 'Ofsted agreed an extension by email on 3 June'.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ENTER_REASON},
    )

    def layout(self) -> list:
        return [
            Field("due_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("reason", rows=3),
        ]


class MilestoneDoneForm(GovForm):
    submit_text = "Save date done"

    done_on = GovDateField(
        phrase="the date it was done",
        label="Date it was done",
        required=True,
        help_text="For example, 27 3 2019. It cannot be in the future.",
    )

    def layout(self) -> list:
        return [Field("done_on", context={"legend_size": Size.for_legend(Size.SMALL)})]

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on and done_on > timezone.localdate():
            raise ValidationError(MILESTONE_DONE_IN_FUTURE, code="future")
        return done_on


# ---------------------------------------------------------------------------
# List filter
# ---------------------------------------------------------------------------


class InspectionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *Inspection.Kind.choices]
    )
    framework = forms.ChoiceField(label="Framework", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        frameworks = Framework.objects.order_by("-valid_from", "code").values_list("code", "short_name")
        self.fields["framework"].choices = [("", "All frameworks"), *frameworks]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("kind"),
            Field.select("framework"),
            Button.secondary("filter", "Filter"),
        )


# ---------------------------------------------------------------------------
# On-site log
# ---------------------------------------------------------------------------


def _time_field(
    label: str, required: bool = False, help_text: str = "For example, 09:30 or 14:00."
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5,
        help_text=help_text,
        error_messages={"required": f"Enter {label.lower()}"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class OnsiteForm(GovForm):
    """An on-site log form: prefixed, so the four can sit on one page; datetimes as date + time."""

    # (datetime attribute, date field, time field) pairs the form joins in `clean`.
    datetimes: tuple[tuple[str, str, str], ...] = ()

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        initial = kwargs.setdefault("initial", {})
        for attribute, date_name, time_name in self.datetimes:
            value = getattr(instance, attribute, None) if instance is not None else None
            if value is None and self.base_fields[date_name].required:
                value = timezone.now()
            day, time = _local_parts(value)
            initial.setdefault(date_name, day)
            initial.setdefault(time_name, time)
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        for attribute, date_name, time_name in self.datetimes:
            try:
                time = _parse_time(
                    cleaned.get(time_name, ""), self.fields[time_name].label.replace(" (optional)", "")
                )
            except ValidationError as exc:
                self.add_error(time_name, exc)
                continue
            cleaned[attribute] = _aware(cleaned.get(date_name), time)
        return cleaned

    def service_data(self) -> dict:
        """Return the model attributes to save (the date and time fields joined)."""
        parts = {name for _, d, t in self.datetimes for name in (d, t)}
        return {name: value for name, value in self.cleaned_data.items() if name not in parts}


class DailyNoteForm(OnsiteForm):
    prefix = "note"
    submit_text = "Save note"

    day = GovDateField(phrase="the day", label="Day", required=True, help_text="For example, 11 2 2025.")
    text = forms.CharField(
        label="Update",
        help_text="What happened today, what inspectors are looking at, what is needed tomorrow.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the update"},
    )

    def __init__(self, *args, instance=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("day", instance.day if instance else timezone.localdate())
        if instance is not None:
            kwargs["initial"].setdefault("text", instance.text)
        super().__init__(*args, instance=instance, **kwargs)

    def layout(self) -> list:
        return [
            Field("day", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("text", rows=5),
        ]


class DataRequestForm(OnsiteForm):
    prefix = "request"
    submit_text = "Save data request"
    datetimes = (("due_at", "due_on", "due_time"),)

    what = forms.CharField(
        label="What have inspectors asked for?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what inspectors have asked for"},
    )
    owner = forms.ModelChoiceField(
        queryset=None,
        label="Owner (optional)",
        required=False,
        empty_label="Not chosen",
        error_messages={"invalid_choice": "Select an owner from the list"},
    )
    owner_name = forms.CharField(
        label="Or the owner's name (optional)",
        required=False,
        max_length=120,
        help_text="For someone without an account on this service.",
        error_messages={"max_length": "The owner's name must be 120 characters or fewer"},
    )
    due_on = GovDateField(
        phrase="the due date", label="Due date (optional)", help_text="For example, 12 2 2025."
    )
    due_time = _time_field("Due time (optional)", help_text="For example, 16:00. Leave blank for 09:00.")
    status = forms.ChoiceField(
        label="Status",
        choices=DataRequest.Status.choices,
        widget=forms.RadioSelect,
        initial=DataRequest.Status.OPEN,
        error_messages={"required": "Select the status", "invalid_choice": "Select the status"},
    )

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            initial = kwargs.setdefault("initial", {})
            for name in ("what", "owner", "owner_name", "status"):
                initial.setdefault(name, getattr(instance, name))
        super().__init__(*args, instance=instance, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["owner"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
        )
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def layout(self) -> list:
        return [
            Field.textarea("what", rows=3),
            Field.select("owner"),
            Field.text("owner_name", field_width=Fluid.TWO_THIRDS),
            Field("due_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("due_time", field_width=Fixed.FIVE),
            Field.radios("status", legend_size=Size.SMALL, small=True, inline=True),
        ]


class MeetingForm(OnsiteForm):
    prefix = "meeting"
    submit_text = "Save meeting"
    datetimes = (("starts_at", "on", "at"),)

    title = forms.CharField(
        label="What is it?",
        max_length=200,
        help_text="For example, 'Meeting with the lead member' or 'Observe MASH screening'.",
        error_messages={
            "required": "Enter what the meeting is",
            "max_length": "Must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        initial=Meeting.Kind.MEETING,
        error_messages={"required": "Select the kind", "invalid_choice": "Select the kind"},
    )
    on = GovDateField(phrase="the date", label="Date", required=True, help_text="For example, 11 2 2025.")
    at = _time_field("Start time", required=True)
    who = forms.CharField(label="Who (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        help_text="Who attended, what was observed, what inspectors said.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            initial = kwargs.setdefault("initial", {})
            for name in ("title", "kind", "who", "notes"):
                initial.setdefault(name, getattr(instance, name))
        super().__init__(*args, instance=instance, **kwargs)

    def layout(self) -> list:
        return [
            Field.text("title", field_width=Fluid.FULL),
            Field.radios("kind", legend_size=Size.SMALL, small=True, inline=True),
            Field("on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("at", field_width=Fixed.FIVE),
            Field.textarea("who", rows=2),
            Field.textarea("notes", rows=3),
        ]


class ConcernForm(OnsiteForm):
    """A concern raised by inspectors. Without `casework.view_child_record` the child field is left out."""

    prefix = "concern"
    submit_text = "Save concern"
    datetimes = (("raised_at", "raised_on", "raised_time"),)

    summary = forms.CharField(
        label="What is the concern?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the concern"},
    )
    raised_by = forms.CharField(
        label="Raised by (optional)",
        required=False,
        max_length=120,
        error_messages={"max_length": "Raised by must be 120 characters or fewer"},
    )
    raised_on = GovDateField(phrase="the date it was raised", label="Date raised", required=True)
    raised_time = _time_field(
        "Time raised (optional)", help_text="For example, 14:00. Leave blank for 09:00."
    )
    child_reference = forms.CharField(
        label="Child ID (optional)",
        required=False,
        max_length=40,
        help_text="Only when the concern is about one child. Only people who may see child records see it.",
        error_messages={"max_length": "Child ID must be 40 characters or fewer"},
    )
    action_taken = forms.CharField(
        label="Action taken (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, instance=None, can_see_child: bool = False, **kwargs):
        self.can_see_child = can_see_child
        if instance is not None:
            initial = kwargs.setdefault("initial", {})
            for name in ("summary", "raised_by", "child_reference", "action_taken"):
                initial.setdefault(name, getattr(instance, name))
        super().__init__(*args, instance=instance, **kwargs)
        if not can_see_child:
            del self.fields["child_reference"]
            self.helper.layout = Layout(
                *[f for f in self.layout() if getattr(f, "fields", [None])[0] != "child_reference"],
                Button("submit", self.submit_text),
            )

    def layout(self) -> list:
        return [
            Field.textarea("summary", rows=3),
            Field.text("raised_by", field_width=Fluid.TWO_THIRDS),
            Field("raised_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("raised_time", field_width=Fixed.FIVE),
            Field.text("child_reference", field_width=Fixed.TEN),
            Field.textarea("action_taken", rows=3),
        ]


# ---------------------------------------------------------------------------
# The working calendar
# ---------------------------------------------------------------------------

ENTER_CALENDAR_REASON = "Enter the reason, for example 'Council closure between Christmas and New Year'"
SELECT_CALENDAR_KIND = "Select whether the day is a closure or a bank holiday the council works"


class NonWorkingDayForm(GovForm):
    """A local change to the working-day calendar; the selector says why a date cannot take it."""

    submit_text = "Add to the calendar"

    kind = forms.ChoiceField(
        label="What kind of change is it?",
        choices=[
            ("closed", "A closure: the council is not working that day"),
            ("working", "A bank holiday the council works"),
        ],
        initial="closed",
        widget=forms.RadioSelect,
        error_messages={"required": SELECT_CALENDAR_KIND},
    )
    date = GovDateField(phrase="the date", label="Date", required=True, help_text="For example, 29 12 2026.")
    name = forms.CharField(
        label="Reason",
        max_length=120,
        help_text="This is how the day is named in every deadline's explanation.",
        error_messages={
            "required": ENTER_CALENDAR_REASON,
            "max_length": "The reason must be 120 characters or fewer",
        },
    )

    def layout(self) -> list:
        return [
            Field.radios("kind", legend_size=Size.SMALL),
            Field("date", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
        ]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(ENTER_CALENDAR_REASON, code="required")
        return name

    def clean(self):
        cleaned = super().clean()
        date, kind = cleaned.get("date"), cleaned.get("kind")
        if date and kind:
            refusal = non_working_day_refusal(date=date, kind=kind)
            if refusal:
                self.add_error("date", ValidationError(refusal, code="not_allowed"))
        return cleaned


# ---------------------------------------------------------------------------
# Uploading a framework file
# ---------------------------------------------------------------------------

FRAMEWORK_FILE_BYTES = 200 * 1024
FRAMEWORK_FILE_SUFFIXES = frozenset({".yaml", ".yml"})
FRAMEWORK_FILE_REQUIRED = "Select a framework file"
FRAMEWORK_FILE_EMPTY = "The selected file is empty"
FRAMEWORK_FILE_TOO_BIG = "The selected file must be smaller than 200 KB"
FRAMEWORK_FILE_WRONG_TYPE = "The selected file must be a YAML file (.yaml or .yml)"
FRAMEWORK_FILE_NOT_UTF8 = "The selected file must be saved as UTF-8 text"


class FrameworkUploadForm(forms.Form):
    """One framework file; the framework validator checks its content after this form's checks."""

    file = forms.FileField(
        label="Upload a framework file",
        help_text="One YAML file (.yaml or .yml, UTF-8, up to 200 KB) in the layout of the files in "
        "inspections/frameworks/. Nothing is saved until you have seen what will change.",
        error_messages={
            "required": FRAMEWORK_FILE_REQUIRED,
            "empty": FRAMEWORK_FILE_EMPTY,
            "invalid": FRAMEWORK_FILE_REQUIRED,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page supplies the <form> (multipart, novalidate)
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field("file"), Button("submit", "Check the file"))
        self.fields["file"].widget.attrs.update({"accept": ".yaml,.yml"})

    def clean_file(self):
        from pathlib import PurePath

        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in FRAMEWORK_FILE_SUFFIXES:
            raise ValidationError(FRAMEWORK_FILE_WRONG_TYPE, code="wrong_type")
        if upload.size > FRAMEWORK_FILE_BYTES:
            raise ValidationError(FRAMEWORK_FILE_TOO_BIG, code="too_big")
        content = upload.read(FRAMEWORK_FILE_BYTES + 1)
        if len(content) > FRAMEWORK_FILE_BYTES:
            raise ValidationError(FRAMEWORK_FILE_TOO_BIG, code="too_big")
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(FRAMEWORK_FILE_NOT_UTF8, code="not_utf8") from None
        self.content = content
        return upload
