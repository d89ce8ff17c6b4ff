"""Deadlines and the inspection cycle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q

from readiness.dashboards.selectors.common import DAY_SECONDS, DEADLINE_WORKING_DAYS


@dataclass
class Deadline:
    milestone: object
    due_on: dt.date
    soon: bool


def deadlines(*, today: dt.date, soon_until: dt.date, limit: int = 12) -> list[Deadline]:
    """Open milestones of every inspection from today, soonest first (observed ones excluded)."""
    from inspections.models import Milestone

    upcoming = (
        Milestone.objects.filter(done_on__isnull=True)
        .exclude(status=Milestone.Status.OBSERVED)
        .filter(Q(override_due_on__isnull=True, due_on__gte=today) | Q(override_due_on__gte=today))
        .select_related("inspection")
        .order_by("due_on", "pk")[: limit * 2]
    )
    rows = sorted(
        (
            Deadline(milestone=m, due_on=m.effective_due_on, soon=m.effective_due_on <= soon_until)
            for m in upcoming
        ),
        key=lambda d: (d.due_on, d.milestone.pk),
    )
    return rows[:limit]


def working_days_from(today: dt.date, days: int) -> dt.date:
    """The date `days` working days after today, with this council's calendar (cached for the day)."""
    key = f"readiness:dashboard:soon:{days}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        from inspections.selectors import working_calendar
        from inspections.working_days import add_working_days

        found = add_working_days(today, days, working_calendar())
        cache.set(key, found, timeout=DAY_SECONDS)
    return found


def ten_working_days_from(today: dt.date) -> dt.date:
    """The date 10 working days after today (cached for the day)."""
    return working_days_from(today, DEADLINE_WORKING_DAYS)


@dataclass
class InspectionCycle:
    latest: object | None
    live: bool
    window_start: dt.date | None
    window_end: dt.date | None


def _add_months(day: dt.date, months: int) -> dt.date:
    from inspections.working_days import add_months

    return add_months(day, months)


def inspection_cycle(*, today: dt.date) -> InspectionCycle:
    """The latest actual inspection, whether it is on site now, and the next expected window
    (six months either side of the third anniversary of its last on-site day)."""
    from inspections.selectors import inspection_latest

    latest = inspection_latest()
    if latest is None:
        return InspectionCycle(latest=None, live=False, window_start=None, window_end=None)
    live = bool(
        latest.onsite_start_on
        and latest.onsite_start_on <= today
        and (latest.onsite_end_on is None or today <= latest.onsite_end_on)
    )
    anchor = latest.onsite_end_on or latest.onsite_start_on
    if anchor is None:
        return InspectionCycle(latest=latest, live=live, window_start=None, window_end=None)
    anniversary = _add_months(anchor, 36)
    return InspectionCycle(
        latest=latest,
        live=live,
        window_start=_add_months(anniversary, -6),
        window_end=_add_months(anniversary, 6),
    )
