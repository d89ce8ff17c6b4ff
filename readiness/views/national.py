"""The national picture: this council's published history, its neighbours, the national trend.

Published, aggregate data only, so everyone who sees board pages may see these.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.views.generic import FormView, ListView, TemplateView

from readiness import national
from readiness.charts import stacked_bars
from readiness.national import Grade, LocalAuthority, NationalImportRun

SELECT_AUTHORITY = "Select the local authority this council is"
HOME_SAVED = "This council is now shown as {name}."
CHART_COLOURS = {
    Grade.OUTSTANDING: "#00703c",
    Grade.GOOD: "#1d70b8",
    Grade.REQUIRES_IMPROVEMENT: "#f47738",
    Grade.INADEQUATE: "#d4351c",
}
CHART_LABELS = {Grade.REQUIRES_IMPROVEMENT: "Requires improvement"}


def grade_tag(code: str | None) -> dict:
    """Return what components/tag.html needs for one grade (or a grey 'Not graded')."""
    if not code:
        return {"text": "Not graded", "colour": "grey"}
    return {"text": Grade(code).label, "colour": national.GRADE_TAG_COLOURS[Grade(code)]}


def _grade_cells(inspection) -> list[dict]:
    return [
        grade_tag(getattr(inspection, name) if inspection else None) for name, _, _ in national.JUDGEMENTS
    ]


def grade_chart(distribution) -> str:
    categories = [str(row.year) for row in distribution]
    series = [(CHART_LABELS.get(grade, grade.label), CHART_COLOURS[grade]) for grade in Grade]
    values = [[row.counts[grade] for grade in Grade.values] for row in distribution]
    summary = "; ".join(
        f"{row.year}: "
        + ", ".join(f"{round(row.percent(g))}% {CHART_LABELS.get(g, g.label).lower()}" for g in Grade)
        + f" of {row.total}"
        for row in distribution
    )
    return stacked_bars(
        title="Overall effectiveness grades published each year, England",
        description=f"Share of each grade among reports published that year. {summary}.",
        categories=categories,
        series=series,
        values=values,
        id_prefix="national-grades",
    )


class NationalPictureView(PermissionRequiredMixin, TemplateView):
    permission_required = "readiness.view_board_pages"
    raise_exception = True
    template_name = "readiness/national_picture.html"

    def get_context_data(self, **kwargs):
        home = national.home_authority_get()
        context = {
            "home": home,
            "judgement_names": [words.capitalize() for _, _, words in national.JUDGEMENTS],
        }
        if home:
            authority = home.local_authority
            context["history"] = [
                {"inspection": inspection, "grades": _grade_cells(inspection)}
                for inspection in national.authority_history(authority=authority)
            ]
            context["neighbours"] = [
                {"row": row, "grades": _grade_cells(row.latest)}
                for row in national.neighbour_comparison(authority=authority)
            ]
        distribution = national.grade_distribution_by_year()
        context["distribution"] = distribution
        context["grades"] = [CHART_LABELS.get(g, g.label) for g in Grade]
        context["chart"] = mark_safe(grade_chart(distribution)) if distribution else ""  # noqa: S308 - escaped  # nosec B308, B703
        lags = national.publication_lags_by_year()
        context["lags"] = lags
        recent = [row for row in lags if row.n >= 5]
        context["typical_lag"] = recent[-1] if recent else None
        context["latest_run"] = NationalImportRun.objects.first()
        context["authority_count"] = LocalAuthority.objects.count()
        return super().get_context_data(**context, **kwargs)


class HomeAuthorityForm(forms.Form):
    local_authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.order_by("name"),
        label="Which local authority is this council?",
        help_text="The national picture shows this authority's published inspections and its statistical "
        "neighbours.",
        empty_label="Select a local authority",
        error_messages={"required": SELECT_AUTHORITY, "invalid_choice": SELECT_AUTHORITY},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("local_authority", context={"label_size": Size.for_label(Size.LARGE), "label_tag": "h1"}),
            Button("submit", "Save"),
        )


class HomeAuthorityView(PermissionRequiredMixin, FormView):
    permission_required = "readiness.change_homeauthority"
    raise_exception = True
    template_name = "readiness/national_home_authority.html"
    form_class = HomeAuthorityForm
    success_url = reverse_lazy("readiness:national")

    def get_initial(self):
        home = national.home_authority_get()
        return {"local_authority": home.local_authority if home else None}

    def form_valid(self, form):
        home = national.home_authority_set(
            local_authority=form.cleaned_data["local_authority"], user=self.request.user
        )
        messages.success(self.request, HOME_SAVED.format(name=home.local_authority.name))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(back_url=reverse("readiness:national"), **kwargs)


class NationalImportRunListView(PermissionRequiredMixin, ListView):
    permission_required = "readiness.view_board_pages"
    raise_exception = True
    template_name = "readiness/national_import_runs.html"
    context_object_name = "runs"
    paginate_by = 10

    def get_queryset(self):
        return NationalImportRun.objects.select_related("run_by")
