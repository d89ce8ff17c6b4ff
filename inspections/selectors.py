"""Reads of the inspections layer."""

from inspections import working_days
from inspections.models import NonWorkingDay


def working_calendar() -> "working_days.Calendar":
    """Return the England and Wales calendar with this council's own changes applied."""
    rows = NonWorkingDay.objects.values_list("date", "name", "kind")
    return working_days.calendar_from_overrides(list(rows))


def inspection_get(*, inspection_id: int):
    """Return one inspection with its framework, or None."""
    from inspections.models import Inspection

    return Inspection.objects.select_related("framework").filter(pk=inspection_id).first()


def inspection_latest(*, kind: str | None = "actual"):
    """Return the most recent inspection of a kind (an actual inspection by default), or None.

    Most recent means the latest on-site start; inspections without dates come last.
    """
    from django.db.models import F

    from inspections.models import Inspection

    queryset = Inspection.objects.select_related("framework")
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by(F("onsite_start_on").desc(nulls_last=True), "-id").first()


def milestone_list_for_inspection(*, inspection):
    """Return an inspection's milestones in date order (overrides applied by Milestone itself)."""
    return inspection.milestones.select_related("rule").order_by("due_on", "code")


def judgement_list_for_inspection(*, inspection):
    """Return an inspection's judgements with their areas and grades, in the framework's order."""
    return inspection.judgements.select_related("area", "grade").order_by("area__order")
