"""Forms of the inspection pages: the inspection, its judgements and recommendations, the list filter."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Fluid, Layout, Size
from django import forms

from inspections.forms.base import GovDateField, GovForm
from inspections.models import Framework, Inspection, JudgementArea
from inspections.models.inspections import DATE_ORDER

SELECT_FRAMEWORK = "Select the framework the inspection used"
SELECT_KIND = "Select what kind of inspection this is"
ENTER_TITLE = "Enter a title for the inspection"
ENTER_RECOMMENDATION = "Enter the recommendation"


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
# Recommendations
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
