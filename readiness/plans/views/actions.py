"""One action: detail, add, change, delete, and progress updates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from readiness.plans import selectors, services
from readiness.plans.forms import ActionForm, ProgressUpdateForm
from readiness.plans.models import Action
from readiness.plans.views.common import (
    ACTION_ADDED,
    ACTION_DELETED,
    ACTION_SAVED,
    UPDATE_ADDED,
    ActionMixin,
    PlanMixin,
    add_service_errors,
    rag_tag,
)


class ActionDetailView(ActionMixin, TemplateView):
    permission_required = "readiness.view_action"
    template_name = "readiness/plans/action_detail.html"

    def get_context_data(self, **kwargs):
        detail = selectors.action_detail(action=self.action)
        for update in detail["updates"]:
            update.tag = rag_tag(update.rag)
        return super().get_context_data(
            tag=rag_tag(self.action.rag), **detail, **action_links(self.action, self.request.user), **kwargs
        )


def action_links(action, user) -> dict:
    """The indicator that measures the action and the case audit it came from, where they exist."""
    from casework.models import CaseAudit
    from readiness.dashboards.models import Indicator

    indicator = (
        Indicator.objects.filter(code=action.indicator_code).first() if action.indicator_code else None
    )
    audit = None
    reference = action.source_audit_reference
    if reference.isdigit() and user.has_perm("casework.view_caseaudit"):
        audit = CaseAudit.objects.filter(pk=int(reference)).first()
    return {"indicator": indicator, "source_audit": audit}


class ActionCreateView(PlanMixin, FormView):
    permission_required = ("readiness.view_improvementplan", "readiness.add_action")
    template_name = "readiness/plans/action_form.html"
    form_class = ActionForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        priority = self.request.GET.get("priority", "")
        if priority.isdigit():
            kwargs["initial"] = {**kwargs.get("initial", {}), "priority": int(priority)}
        return {**kwargs, "plan": self.plan}

    def get_initial(self):
        return {"status": Action.Status.NOT_STARTED}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        priority = get_object_or_404(self.plan.priorities, pk=data.pop("priority"))
        try:
            action = services.action_create(priority=priority, user=self.request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, ACTION_ADDED)
        return redirect(action)


class ActionUpdateView(ActionMixin, FormView):
    permission_required = "readiness.change_action"
    template_name = "readiness/plans/action_form.html"
    form_class = ActionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "action": self.action}

    def get_initial(self):
        action = self.action
        fields = (
            "description lead_officer partner_agency start_on due_on status success_measure indicator_code "
            "indicator_target source_audit_reference rag_override rag_override_reason"
        ).split()
        return {
            "priority": action.priority_id,
            "owner": action.owner_id,
            **{f: getattr(action, f) for f in fields},
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        reason = data.pop("due_on_reason", "")
        data["priority"] = get_object_or_404(self.plan.priorities, pk=data["priority"])
        try:
            services.action_update(
                action=self.action, data=data, user=self.request.user, due_on_reason=reason
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, ACTION_SAVED)
        return redirect(self.action)


class ActionDeleteView(ActionMixin, TemplateView):
    permission_required = "readiness.delete_action"
    template_name = "readiness/plans/action_confirm_delete.html"

    def post(self, request, action_pk):
        plan = self.plan
        services.action_delete(action=self.action, user=request.user)
        messages.success(request, ACTION_DELETED)
        return redirect(plan)


class ProgressUpdateCreateView(ActionMixin, FormView):
    permission_required = ("readiness.view_action", "readiness.add_progressupdate")
    template_name = "readiness/plans/progress_form.html"
    form_class = ProgressUpdateForm

    def form_valid(self, form):
        try:
            services.progress_update_add(action=self.action, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, UPDATE_ADDED)
        return redirect(self.action)
