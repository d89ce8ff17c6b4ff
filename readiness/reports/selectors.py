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
