"""Change a milestone's date by hand, with a reason; record the date it was done, or undo that."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from inspections import services
from inspections.forms import MilestoneDoneForm, MilestoneOverrideForm
from inspections.models import Milestone
from inspections.views.base import CHANGE, InspectionMixin, add_service_errors, detail_url

SAVED = "Date changed for '{name}'"
MARKED_DONE = "'{name}' marked as done on {date}"
MARKED_NOT_DONE = "'{name}' is no longer marked as done"
NOT_DONE_YET = "'{name}' is not marked as done"


def _day(d) -> str:
    return f"{d.day} {d:%B %Y}"


class MilestoneMixin(InspectionMixin):
    """The milestone in the URL, which must belong to the inspection in the URL (else 404)."""

    permission_required = CHANGE

    @cached_property
    def milestone(self) -> Milestone:
        return get_object_or_404(self.inspection.milestones, pk=self.kwargs["milestone_pk"])

    def get_context_data(self, **kwargs):
        from inspections.selectors import milestone_when

        return super().get_context_data(
            milestone=self.milestone, when=milestone_when(self.milestone), **kwargs
        )


class MilestoneOverrideView(MilestoneMixin, FormView):
    template_name = "inspections/milestone_form.html"
    form_class = MilestoneOverrideForm

    def get_initial(self):
        return {"due_on": self.milestone.override_due_on, "reason": self.milestone.override_reason}

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


class MilestoneDoneView(MilestoneMixin, FormView):
    """Record (or change) the date a milestone was done; today unless it already has a date."""

    template_name = "inspections/milestone_done_form.html"
    form_class = MilestoneDoneForm

    def get_initial(self):
        return {"done_on": self.milestone.done_on or timezone.localdate()}

    def form_valid(self, form):
        done_on = form.cleaned_data["done_on"]
        try:
            services.milestone_mark_done(milestone=self.milestone, done_on=done_on, user=self.request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, MARKED_DONE.format(name=self.milestone.name, date=_day(done_on)))
        return redirect(detail_url(self.inspection, "milestones"))


class MilestoneUndoneView(MilestoneMixin, TemplateView):
    """Ask to confirm (GET), then remove the done date (POST)."""

    template_name = "inspections/milestone_confirm_undone.html"

    def get(self, request, *args, **kwargs):
        if self.milestone.done_on is None:
            messages.info(request, NOT_DONE_YET.format(name=self.milestone.name))
            return redirect(detail_url(self.inspection, "milestones"))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.milestone.done_on is not None:
            services.milestone_mark_done(milestone=self.milestone, done_on=None, user=request.user)
            messages.success(request, MARKED_NOT_DONE.format(name=self.milestone.name))
        return redirect(detail_url(self.inspection, "milestones"))
