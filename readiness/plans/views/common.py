"""Shared by the improvement plan pages: flash messages, permission and object mixins, RAG tags."""

from __future__ import annotations

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.functional import cached_property

from readiness.plans import selectors
from readiness.plans.models import RAG_COLOURS, Action, ImprovementPlan, Rag

PLAN_CREATED = "Plan created"
PLAN_SAVED = "Plan saved"
PLAN_DELETED = "Plan '{title}' deleted"
PRIORITY_ADDED = "Priority added"
ACTION_ADDED = "Action added"
ACTION_SAVED = "Action saved"
ACTION_DELETED = "Action deleted"
UPDATE_ADDED = "Progress update added"
EVIDENCE_ADDED = "Evidence added"
BULK_SAVED = "RAG statuses saved: {count} changed"
PLAN_IMPORTED = "Plan imported: {priorities} priorities and {actions} actions"
BULK_ROW_ERROR = "Row {order}: {message}"


def add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)


class Permission(PermissionRequiredMixin):
    """Deny by default: every view names its permission; refusals are 403."""

    raise_exception = True


class PlanMixin(Permission):
    @cached_property
    def plan(self) -> ImprovementPlan:
        plan = selectors.plan_get(plan_id=self.kwargs["plan_pk"])
        if plan is None:
            raise Http404("No such plan")
        return plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


class ActionMixin(Permission):
    @cached_property
    def action(self) -> Action:
        action = selectors.action_get(action_id=self.kwargs["action_pk"])
        if action is None:
            raise Http404("No such action")
        return action

    @property
    def plan(self) -> ImprovementPlan:
        return self.action.priority.plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.action, plan=self.plan, **kwargs)


def rag_tag(rag: str) -> dict:
    return {"text": Rag(rag).label, "colour": RAG_COLOURS[Rag(rag)]}
