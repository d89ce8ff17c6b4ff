"""The form that asks for a report. Only the kinds the user may have are offered.

Asking for the improvement plan report also picks the plan (the current one unless another is
chosen); with no plan at all the form says so instead of queueing a report that can only fail.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from crispy_forms_gds.layout import Field as GdsField
from django import forms

from readiness.models import Report
from readiness.reports.selectors import report_kinds_for, report_plan_choices, report_plan_current

SELECT_KIND = "Select the report you want"
SELECT_PLAN = "Select the improvement plan the report is for"
NO_PLAN_TO_REPORT = (
    "There is no improvement plan yet. Add the plan under Improvement plans, then ask for its report"
)
PLAN_HINT = "Only for the improvement plan report. The current plan is chosen unless you pick another."


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which report do you want?",
        help_text="It is made in the background. You can leave the page and come back to it.",
        widget=forms.RadioSelect,
        error_messages={"required": SELECT_KIND, "invalid_choice": SELECT_KIND},
    )
    plan = forms.TypedChoiceField(
        label="Which improvement plan?",
        help_text=PLAN_HINT,
        coerce=int,
        required=False,
        error_messages={"invalid_choice": SELECT_PLAN},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = report_kinds_for(user=user)
        self.fields["kind"].choices = [(kind, Report.Kind(kind).label) for kind in kinds]
        layout = [GdsField.radios("kind", legend_size=Size.LARGE, legend_tag="h1")]
        self.has_plans = False
        if Report.Kind.IMPROVEMENT_PLAN in kinds:
            choices = report_plan_choices()
            self.has_plans = bool(choices)
            if choices:
                self.fields["plan"].choices = choices
                current = report_plan_current()
                self.fields["plan"].initial = current.pk if current else None
                layout.append(GdsField.select("plan"))
        if not self.has_plans:
            del self.fields["plan"]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes its own <form> and CSRF token
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*layout, Button("submit", "Ask for the report"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != Report.Kind.IMPROVEMENT_PLAN:
            cleaned["plan"] = None
            return cleaned
        if not self.has_plans:
            self.add_error("kind", NO_PLAN_TO_REPORT)
        elif cleaned.get("plan") in (None, "") and "plan" not in self.errors:
            self.add_error("plan", SELECT_PLAN)
        return cleaned

    def parameters(self) -> dict:
        """The report's parameters: the plan's id for the improvement plan, nothing otherwise."""
        plan = self.cleaned_data.get("plan")
        return {"plan": plan} if plan else {}
