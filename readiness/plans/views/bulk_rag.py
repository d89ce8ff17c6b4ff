"""Bulk RAG: set the RAG status of every action of a plan in one form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from readiness.plans import selectors, services
from readiness.plans.models import Rag
from readiness.plans.rag import RAG_ORDER
from readiness.plans.views.common import BULK_ROW_ERROR, BULK_SAVED, PlanMixin, rag_tag


class BulkRagView(PlanMixin, TemplateView):
    """One form: a row per action, each with a RAG select and a reason. All rows or none."""

    permission_required = ("readiness.view_improvementplan", "readiness.change_action")
    template_name = "readiness/plans/bulk_rag.html"

    def rows(self, data=None, errors=None):
        rows = []
        for action in selectors.action_list(plan=self.plan).order_by("priority__order", "due_on", "pk"):
            rag = action.rag_override if data is None else data.get(f"rag-{action.pk}", "")
            reason = action.rag_override_reason if data is None else data.get(f"reason-{action.pk}", "")
            rows.append(
                {
                    "action": action,
                    "derived": rag_tag(action.derived_rag),
                    "rag": rag,
                    "reason": reason,
                    "errors": (errors or {}).get(str(action.pk), []),
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        kwargs.setdefault("rows", self.rows())
        choices = [("", "Work it out from the dates"), *((v, Rag(v).label) for v in RAG_ORDER)]
        return super().get_context_data(choices=choices, **kwargs)

    def post(self, request, plan_pk):
        ids = [int(key[4:]) for key in request.POST if key.startswith("rag-") and key[4:].isdigit()]
        changes = [
            services.RagChange(
                action_id=pk,
                rag=request.POST.get(f"rag-{pk}", ""),
                reason=request.POST.get(f"reason-{pk}", ""),
            )
            for pk in ids
        ]
        try:
            count = services.bulk_rag_update(plan=self.plan, changes=changes, user=request.user)
        except ValidationError as exc:
            errors = exc.message_dict
            rows = self.rows(data=request.POST, errors=errors)
            summary = [
                {"href": f"#rag-{row['action'].pk}", "text": BULK_ROW_ERROR.format(order=n, message=m)}
                for n, row in enumerate(rows, start=1)
                for m in row["errors"]
            ]
            return self.render_to_response(self.get_context_data(rows=rows, error_list=summary), status=200)
        messages.success(request, BULK_SAVED.format(count=count))
        return redirect(self.plan)
