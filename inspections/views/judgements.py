"""Record an inspection's judgements: one select per graded area, checked against the framework."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from inspections import services
from inspections.forms import JudgementsForm
from inspections.views.base import CHANGE, InspectionMixin

SAVED = "Judgements saved"
SAVED_WITH_WARNINGS = "Judgements saved. Check the warning below."


class JudgementRecordView(InspectionMixin, FormView):
    permission_required = CHANGE
    template_name = "inspections/judgement_form.html"
    form_class = JudgementsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def form_valid(self, form):
        grades = form.grades()
        problems = services.judgements_validate(framework_code=self.inspection.framework.code, grades=grades)
        errors = [p for p in problems if p.level == "error"]
        for problem in errors:
            form.add_area_error(problem.area, problem.message)
        if errors:
            return self.form_invalid(form)
        try:
            warnings = services.judgements_record(
                inspection=self.inspection, grades=grades, rationale=form.rationale(), user=self.request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, SAVED_WITH_WARNINGS if warnings else SAVED)
        return redirect("inspections:inspection-detail", inspection_pk=self.inspection.pk)
