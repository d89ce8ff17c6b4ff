"""Reads for reports."""

from __future__ import annotations

from django.db.models import QuerySet

from readiness.models import Report
from readiness.reports.builders import KIND_PERMISSIONS


def report_kinds_for(*, user) -> list[str]:
    """Return the kinds of report this user may request and see."""
    return [kind for kind in Report.Kind.values if user.has_perm(KIND_PERMISSIONS[kind])]


def report_list_visible_to(*, user) -> QuerySet[Report]:
    """Return the reports this user may see: only the kinds they may ask for (board: summaries)."""
    if not user.has_perm("readiness.view_report"):
        return Report.objects.none()
    return Report.objects.filter(kind__in=report_kinds_for(user=user))


def report_plan_choices() -> list[tuple[int, str]]:
    """(id, label) of every improvement plan, newest first, for choosing which one to report on."""
    from readiness.plans.models import ImprovementPlan

    plans = ImprovementPlan.objects.order_by("-created_at", "-pk").values_list("pk", "title", "status")
    return [(pk, f"{title} ({ImprovementPlan.Status(status).label.lower()})") for pk, title, status in plans]


def report_plan_current():
    """The plan an improvement plan report is for unless another is chosen: the latest published."""
    from readiness.plans.selectors import plan_latest

    return plan_latest()


def report_plan_title(*, report: Report) -> str:
    """The title of the plan an improvement plan report was asked for, or "" (none chosen, or gone)."""
    plan_id = (report.parameters or {}).get("plan")
    if report.kind != Report.Kind.IMPROVEMENT_PLAN or not isinstance(plan_id, int):
        return ""
    from readiness.plans.models import ImprovementPlan

    return ImprovementPlan.objects.filter(pk=plan_id).values_list("title", flat=True).first() or ""
