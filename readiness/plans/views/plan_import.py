"""Importing a plan from a spreadsheet."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from readiness.plans.forms import PlanImportForm
from readiness.plans.spreadsheets import plan_import
from readiness.plans.views.common import PLAN_IMPORTED, Permission


class PlanImportView(Permission, FormView):
    permission_required = "readiness.add_improvementplan"
    template_name = "readiness/plans/plan_import.html"
    form_class = PlanImportForm

    def form_valid(self, form):
        data = form.cleaned_data
        upload = data["file"]
        result = plan_import(
            handle=upload.file,
            filename=upload.name,
            title=data["title"],
            source=data["source"],
            inspection=data["inspection"],
            owner=self.request.user,
            user=self.request.user,
        )
        if not result.ok:
            form.add_error("file", f"The file has {result.problem_count} problems. Nothing was imported.")
            return self.render_to_response(self.get_context_data(form=form, result=result))
        messages.success(
            self.request, PLAN_IMPORTED.format(priorities=result.priorities, actions=result.actions)
        )
        return redirect(result.plan)
