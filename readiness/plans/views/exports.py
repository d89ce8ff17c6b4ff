"""Spreadsheet exports: the plan list, a plan's actions and "my actions"."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views import View

from readiness.plans import selectors
from readiness.plans.forms import ActionFilterForm
from readiness.plans.spreadsheets import export_rows, write_csv, write_xlsx
from readiness.plans.views.action_lists import ActionListMixin
from readiness.plans.views.common import Permission, PlanMixin


def spreadsheet_response(request, rows: list[list], *, title: str, header=None) -> HttpResponse:
    """Send rows as XLSX (?format=xlsx) or CSV, with a server-chosen file name; formula-safe cells."""
    name = slugify(title) or "export"
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "xlsx":
        content = write_xlsx(rows, title=title, **({"header": header} if header else {}))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        filename = f"{name}-{stamp}.xlsx"
    else:
        content = write_csv(rows, **({"header": header} if header else {}))
        content_type = "text/csv; charset=utf-8"
        filename = f"{name}-{stamp}.csv"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class ExportMixin:
    def get(self, request, **kwargs):
        actions, _ = self.filtered_actions()
        actions = list(actions)
        rows = export_rows(actions, selectors.latest_updates(action_ids=[a.pk for a in actions]))
        return spreadsheet_response(request, rows, title=self.export_name() or "actions")


PLAN_EXPORT_HEADER = [
    "Plan",
    "Source",
    "Inspection",
    "Owner",
    "Status",
    "Published on",
    "Priorities",
    "Actions",
]


class PlanListExportView(Permission, View):
    """Every plan as a spreadsheet, one row each."""

    permission_required = "readiness.view_improvementplan"

    def get(self, request):
        rows = []
        for plan in selectors.plan_list():
            rows.append(
                [
                    plan.title,
                    plan.get_source_display(),
                    str(plan.inspection) if plan.inspection else "",
                    (plan.owner.get_full_name() or plan.owner.get_username()) if plan.owner else "",
                    plan.get_status_display(),
                    plan.published_on.isoformat() if plan.published_on else "",
                    plan.priority_count,
                    plan.action_count,
                ]
            )
        return spreadsheet_response(request, rows, title="improvement plans", header=PLAN_EXPORT_HEADER)


class PlanActionExportView(PlanMixin, ActionListMixin, ExportMixin, View):
    permission_required = ("readiness.view_improvementplan", "readiness.view_action")

    def filter_plan(self):
        return self.plan

    def export_name(self) -> str:
        return f"actions {self.plan.title}"[:60]


class MyActionsExportView(Permission, ActionListMixin, ExportMixin, View):
    permission_required = "readiness.view_action"
    open_only_by_default = True

    def filter_form(self):
        return ActionFilterForm(self.request.GET or None, owner=False)

    def owner_filter(self, values):
        return self.request.user

    def export_name(self) -> str:
        return "my actions"
