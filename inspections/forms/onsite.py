"""Forms of the on-site log: daily notes, data requests, meetings and concerns."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from inspections.forms.base import GovDateField, GovForm, _aware, _local_parts, _parse_time
from inspections.models import DataRequest, Meeting

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
