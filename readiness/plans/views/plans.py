"""Plan pages: list, add, change, delete, overview, and adding a priority."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.safestring import mark_safe
from django.views.generic import FormView, ListView, TemplateView

from readiness.charts import rag_bars
from readiness.plans import selectors, services
from readiness.plans.forms import PlanForm, PlanUpdateForm, PriorityForm
from readiness.plans.models import ImprovementPlan
from readiness.plans.rag import RAG_ORDER
from readiness.plans.views.common import (
    PLAN_CREATED,
    PLAN_DELETED,
    PLAN_SAVED,
    PRIORITY_ADDED,
    Permission,
    PlanMixin,
    add_service_errors,
)


def rag_chart(overview) -> str:
    rows = [(f"P{p.priority.order}", p.counts.as_dict()) for p in overview.priorities]
    return mark_safe(  # noqa: S308 - built by readiness.charts, which escapes every text  # nosec B308, B703
        rag_bars(
            title="Actions by RAG status, per priority",
            description="One bar per priority: off track, at risk, on track and complete actions. "
            "The table below gives the same numbers.",
            rows=rows,
            id_prefix=f"plan{overview.plan.pk}-rag",
        )
    )


class PlanListView(Permission, ListView):
    permission_required = "readiness.view_improvementplan"
    template_name = "readiness/plans/plan_list.html"
    context_object_name = "plans"
    paginate_by = 25

    def get_queryset(self):
        return selectors.plan_list()


class PlanCreateView(Permission, FormView):
    permission_required = "readiness.add_improvementplan"
    template_name = "readiness/plans/plan_form.html"
    form_class = PlanForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["inspection"] is not None and data["source"] == ImprovementPlan.Source.INSPECTION:
                plan = services.plan_create_from_inspection(
                    inspection=data["inspection"],
                    owner=data["owner"],
                    user=self.request.user,
                    title=data["title"],
                )
            else:
                plan = services.plan_create(
                    title=data["title"],
                    source=data["source"],
                    inspection=data["inspection"],
                    owner=data["owner"],
                    user=self.request.user,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, PLAN_CREATED)
        return redirect(plan)


class PlanUpdateView(PlanMixin, FormView):
    permission_required = "readiness.change_improvementplan"
    template_name = "readiness/plans/plan_form.html"
    form_class = PlanUpdateForm

    def get_initial(self):
        plan = self.plan
        return {
            "title": plan.title,
            "source": plan.source,
            "inspection": plan.inspection_id,
            "owner": plan.owner_id,
            "status": plan.status,
            "published_on": plan.published_on,
        }

    def form_valid(self, form):
        try:
            services.plan_update(plan=self.plan, data=form.cleaned_data, user=self.request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, PLAN_SAVED)
        return redirect(self.plan)


class PlanDeleteView(PlanMixin, TemplateView):
    permission_required = "readiness.delete_improvementplan"
    template_name = "readiness/plans/plan_confirm_delete.html"

    def post(self, request, plan_pk):
        title = self.plan.title
        services.plan_delete(plan=self.plan, user=request.user)
        messages.success(request, PLAN_DELETED.format(title=title))
        return redirect("readiness:plan-list")


class PlanDetailView(PlanMixin, TemplateView):
    """The plan overview: deadline, RAG by priority (chart and table), overdue actions first."""

    permission_required = "readiness.view_improvementplan"
    template_name = "readiness/plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        overview = selectors.plan_overview(plan=self.plan)
        return super().get_context_data(
            overview=overview, chart=rag_chart(overview), rag_order=RAG_ORDER, **kwargs
        )


class PriorityCreateView(PlanMixin, FormView):
    permission_required = "readiness.add_priority"
    template_name = "readiness/plans/priority_form.html"
    form_class = PriorityForm

    def form_valid(self, form):
        services.priority_create(plan=self.plan, title=form.cleaned_data["title"], user=self.request.user)
        messages.success(self.request, PRIORITY_ADDED)
        return redirect(self.plan)
