"""Change a milestone's date by hand, with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView

from inspections import services
from inspections.forms import MilestoneOverrideForm
from inspections.models import Milestone
from inspections.views.base import CHANGE, InspectionMixin, add_service_errors, detail_url

SAVED = "Date changed for '{name}'"


class MilestoneOverrideView(InspectionMixin, FormView):
    permission_required = CHANGE
    template_name = "inspections/milestone_form.html"
    form_class = MilestoneOverrideForm

    @cached_property
    def milestone(self) -> Milestone:
        return get_object_or_404(self.inspection.milestones, pk=self.kwargs["milestone_pk"])

    def get_initial(self):
        return {"due_on": self.milestone.override_due_on, "reason": self.milestone.override_reason}

    def get_context_data(self, **kwargs):
        from inspections.selectors import milestone_when

        return super().get_context_data(
            milestone=self.milestone, when=milestone_when(self.milestone), **kwargs
        )

    def form_valid(self, form):
        try:
            services.milestone_override(
                milestone=self.milestone,
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
                user=self.request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, SAVED.format(name=self.milestone.name))
        return redirect(detail_url(self.inspection, "milestones"))
