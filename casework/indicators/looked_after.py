"""On-the-day measure for children looked after: visited in timescale (Care Planning Regulations
2010 reg 28, simplified).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Q, Subquery

from casework.indicators.base import (
    DEFAULT_LOOK_BACK_DAYS,
    Indicator,
    _events,
    _latest_on_or_before,
    _Tally,
)
from casework.models import Cohort, Episode, Event, Placement
from inspections.working_days import add_months

# ---------------------------------------------------------------------------------------------
# On-the-day measures: where children stand on `as_of` (not timescales over a look-back period).
# ---------------------------------------------------------------------------------------------


# --- Children in care visited in timescale (Care Planning Regulations 2010 reg 28), simplified ---

FIRST_VISIT_DAYS = 7  # within one week of the start of the placement
FIRST_YEAR_VISIT_DAYS = 42  # then at intervals of not more than six weeks in the placement's first year
LATER_VISIT_MONTHS = 3  # thereafter not more than three months


def visit_due_on(*, placed_on: dt.date, last_visit: dt.date | None) -> dt.date:
    """The day the next statutory visit is due, for a placement that began on `placed_on`.

    A visit before the placement began does not count: the clock restarts with each placement.
    """
    if last_visit is None or last_visit < placed_on:
        return placed_on + dt.timedelta(days=FIRST_VISIT_DAYS)
    if last_visit < add_months(placed_on, 12):
        return last_visit + dt.timedelta(days=FIRST_YEAR_VISIT_DAYS)
    return add_months(last_visit, LATER_VISIT_MONTHS)


def cla_visits_in_timescale(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """Children looked after on `as_of` who are not overdue a statutory visit that day (two queries).

    Simplified regulation 28: the first visit within 1 week of the current placement's start, then
    at most 6 weeks apart during the placement's first year, then at most 3 calendar months apart
    (as if every placement were intended to last until 18). The weekly and 4-weekly variants (placed
    with parents, connected persons, interim orders) and visits the child asked for are not modelled.
    The placement is the latest starting on or before `as_of`; with none recorded, the clock starts
    when the episode of care began. `look_back_days` is accepted for a uniform signature and unused.
    """
    latest_placement = (
        Placement.objects.filter(child=OuterRef("child_id"), start_on__lte=as_of)
        .order_by("-start_on")
        .values("start_on")[:1]
    )
    in_care = (
        Episode.objects.filter(cohort=Cohort.LOOKED_AFTER, start_on__lte=as_of)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=as_of))
        .annotate(placed_on=Subquery(latest_placement))
        .values_list("child_id", "start_on", "placed_on")
    )
    clock: dict[int, dt.date] = {}
    for child_pk, began, placed_on in in_care:
        start = max(began, placed_on) if placed_on else began
        clock[child_pk] = max(clock.get(child_pk, start), start)
    # The longest allowed gap is three months, so older visits cannot keep anyone in timescale.
    visits = _events([Event.Kind.VISIT], as_of - dt.timedelta(days=93), as_of)[Event.Kind.VISIT]
    tally = _Tally()
    for child_pk, placed_on in clock.items():
        last = _latest_on_or_before(visits.get(child_pk, []), as_of)
        tally.add(child_pk, as_of <= visit_due_on(placed_on=placed_on, last_visit=last))
    return tally.result(
        "cla_visits_reg_28",
        "Children in care visited in timescale",
        "Looked after on the day and not overdue a visit: within 1 week of the placement starting, "
        "then at most 6 weeks apart in its first year and 3 months apart after (Care Planning "
        "Regulations 2010 reg 28, simplified: the shorter intervals for some placements are not "
        "modelled).",
    )
