"""Inspections: list, add, change, detail and delete."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, ListView, TemplateView

from inspections import selectors, services
from inspections.forms import DATE_LABELS, InspectionFilterForm, InspectionForm
from inspections.models import Inspection
from inspections.views.base import ADD, CHANGE, DELETE, VIEW, InspectionMixin, Permission, add_service_errors

ADDED = "Inspection added"
SAVED = "Inspection saved"
DELETED = "'{title}' deleted"


class InspectionListView(Permission, ListView):
    permission_required = VIEW
    template_name = "inspections/inspection_list.html"
    context_object_name = "inspections"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = InspectionFilterForm(self.request.GET or None)
        kind = framework = ""
        if self.filter_form.is_bound and self.filter_form.is_valid():
            kind = self.filter_form.cleaned_data["kind"]
            framework = self.filter_form.cleaned_data["framework"]
        self.filters = {key: value for key, value in (("kind", kind), ("framework", framework)) if value}
        return selectors.inspection_list(kind=kind, framework_code=framework)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form,
            filters_qs=urlencode(self.filters),
            filtered=bool(self.filters),
            **kwargs,
        )


class InspectionCreateView(Permission, FormView):
    permission_required = ADD
    template_name = "inspections/inspection_form.html"
    form_class = InspectionForm

    def get_initial(self):
        """A link can choose the kind (`?kind=self_evaluation` from the self-evaluation page)."""
        kind = self.request.GET.get("kind", "")
        return {"kind": kind} if kind in Inspection.Kind.values else {}

    def form_valid(self, form):
        try:
            inspection = services.inspection_create(user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, ADDED)
        return redirect("inspections:inspection-detail", inspection_pk=inspection.pk)


class InspectionUpdateView(InspectionMixin, FormView):
    permission_required = CHANGE
    template_name = "inspections/inspection_form.html"
    form_class = InspectionForm

    def get_initial(self):
        inspection = self.inspection
        fields = ("framework", "kind", "title", "lead_inspector", "notes", *DATE_LABELS)
        return {name: getattr(inspection, name) for name in fields}

    def form_valid(self, form):
        try:
            services.inspection_update(
                inspection=self.inspection, data=form.cleaned_data, user=self.request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, SAVED)
        return redirect("inspections:inspection-detail", inspection_pk=self.inspection.pk)


class InspectionDetailView(InspectionMixin, TemplateView):
    permission_required = VIEW
    template_name = "inspections/inspection_detail.html"

    def get_context_data(self, **kwargs):
        inspection = self.inspection
        can_change = self.request.user.has_perm(CHANGE)
        change_url = ""
        if can_change:
            change_url = reverse("inspections:inspection-update", kwargs={"inspection_pk": inspection.pk})
        summary = [
            {"key": "Framework", "value": inspection.framework.name},
            {"key": "Kind", "value": inspection.get_kind_display()},
            {"key": "Status", "value": inspection.get_status_display()},
            {"key": "Lead inspector", "value": inspection.lead_inspector or "Not known"},
        ]
        for name, label in DATE_LABELS.items():
            value = getattr(inspection, name)
            summary.append(
                {"key": label, "value": f"{value:%a} {value.day} {value:%B %Y}" if value else "Not yet"}
            )
        if inspection.notes:
            summary.append({"key": "Notes", "value": inspection.notes})
        for row in summary:
            if change_url:
                row["action_href"] = change_url
        return super().get_context_data(
            summary=summary,
            judgements=selectors.judgement_rows(inspection=inspection),
            milestones=selectors.milestone_rows(inspection=inspection),
            recommendations=list(inspection.recommendations.select_related("area").order_by("order")),
            history=selectors.inspection_history(inspection=inspection),
            changes=selectors.inspection_changes(inspection=inspection, labels=DATE_LABELS),
            can_change=can_change,
            can_delete=self.request.user.has_perm(DELETE),
            can_log=self.request.user.has_perms((VIEW, "inspections.view_dailynote")),
            **kwargs,
        )


class InspectionDeleteView(InspectionMixin, TemplateView):
    permission_required = DELETE
    template_name = "inspections/inspection_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        title = self.inspection.title
        try:
            services.inspection_delete(inspection=self.inspection, user=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("inspections:inspection-detail", inspection_pk=self.inspection.pk)
        messages.success(request, DELETED.format(title=title))
        return redirect("inspections:inspection-list")
