"""Forms of the milestone pages: changing a due date and recording the date done."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from inspections.forms.base import GovDateField, GovForm
from inspections.services import MILESTONE_DONE_IN_FUTURE

ENTER_REASON = "Enter the reason for changing the date"


# ---------------------------------------------------------------------------
# Milestones
# ---------------------------------------------------------------------------


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
