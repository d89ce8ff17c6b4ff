"""Recommendations of an inspection: add, change, move up or down, delete (with a confirmation)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View

from inspections import services
from inspections.forms import RecommendationForm
from inspections.models import Recommendation
from inspections.views.base import CHANGE, InspectionMixin, add_service_errors, detail_url

ADDED = "Recommendation added"
SAVED = "Recommendation saved"
DELETED = "Recommendation deleted"


class RecommendationMixin(InspectionMixin):
    permission_required = CHANGE

    @cached_property
    def recommendation(self) -> Recommendation:
        return get_object_or_404(self.inspection.recommendations, pk=self.kwargs["recommendation_pk"])

    def get_context_data(self, **kwargs):
        if "recommendation_pk" in self.kwargs:
            kwargs["recommendation"] = self.recommendation
        return super().get_context_data(**kwargs)

    def done(self):
        return redirect(detail_url(self.inspection, "recommendations"))


class RecommendationCreateView(RecommendationMixin, FormView):
    template_name = "inspections/recommendation_form.html"
    form_class = RecommendationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.recommendation_create(
                inspection=self.inspection,
                text=data["text"],
                area_code=data["area"] or None,
                is_priority_action=data["is_priority_action"],
                user=self.request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, ADDED)
        return self.done()


class RecommendationUpdateView(RecommendationCreateView):
    def get_initial(self):
        r = self.recommendation
        return {
            "text": r.text,
            "area": r.area.code if r.area else "",
            "is_priority_action": r.is_priority_action,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.recommendation_update(
                recommendation=self.recommendation,
                text=data["text"],
                area_code=data["area"] or None,
                is_priority_action=data["is_priority_action"],
                user=self.request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, SAVED)
        return self.done()


class RecommendationMoveView(RecommendationMixin, View):
    """POST only: move a recommendation one place up or down."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.recommendation_move(
                recommendation=self.recommendation, direction=kwargs["direction"], user=request.user
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return self.done()


class RecommendationDeleteView(RecommendationMixin, TemplateView):
    template_name = "inspections/recommendation_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        services.recommendation_delete(recommendation=self.recommendation, user=request.user)
        messages.success(request, DELETED)
        return self.done()
