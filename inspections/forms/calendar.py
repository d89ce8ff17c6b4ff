"""Forms of the working calendar: adding a local non-working day."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError

from inspections.forms.base import GovDateField, GovForm
from inspections.selectors import non_working_day_refusal

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
