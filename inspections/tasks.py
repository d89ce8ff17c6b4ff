"""Celery tasks of the inspections layer. Thin: ids in, one service call; safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

# Only errors a retry can cure (a dropped connection, a lock timeout); bugs fail at once.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    name="inspections.milestones_recompute",
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def milestones_recompute(inspection_id: int) -> None:
    """Recompute one inspection's milestones (nothing is written if nothing moved)."""
    from inspections.models import Inspection
    from inspections.services import milestones_compute

    inspection = Inspection.objects.filter(pk=inspection_id).first()
    if inspection is None:
        return  # deleted since the task was queued: nothing to do
    milestones_compute(inspection=inspection)


@shared_task(
    name="inspections.milestones_recompute_all",
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def milestones_recompute_all() -> None:
    """Queue a recompute for every inspection; run when the working-day calendar changes."""
    from inspections.models import Inspection

    for inspection_id in Inspection.objects.order_by("pk").values_list("pk", flat=True):
        milestones_recompute.delay(inspection_id)
