"""Reads of the inspections layer."""

from inspections import working_days
from inspections.models import NonWorkingDay


def working_calendar() -> "working_days.Calendar":
    """Return the England and Wales calendar with this council's own changes applied."""
    rows = NonWorkingDay.objects.values_list("date", "name", "kind")
    return working_days.calendar_from_overrides(list(rows))
