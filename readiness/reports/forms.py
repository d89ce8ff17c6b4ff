"""The form that asks for a report. Only the kinds the user may have are offered."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from crispy_forms_gds.layout import Field as GdsField
from django import forms

from readiness.models import Report
from readiness.reports.selectors import report_kinds_for

SELECT_KIND = "Select the report you want"


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which report do you want?",
        help_text="It is made in the background. You can leave the page and come back to it.",
        widget=forms.RadioSelect,
        error_messages={"required": SELECT_KIND, "invalid_choice": SELECT_KIND},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = report_kinds_for(user=user)
        self.fields["kind"].choices = [(kind, Report.Kind(kind).label) for kind in kinds]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            GdsField.radios("kind", legend_size=Size.LARGE, legend_tag="h1"),
            Button("submit", "Ask for the report"),
        )
