"""Statutory timescale indicators over a look-back period: assessments, conferences, health
assessments, reviews, PEPs, return interviews and protection-plan visits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Q

from casework.indicators.base import (
    DEFAULT_LOOK_BACK_DAYS,
    Indicator,
    _events,
    _first_on_or_after,
    _latest_on_or_before,
    _period,
    _Tally,
)
from casework.models import Cohort, Episode, Event
from inspections.working_days import add_working_days, working_days_between


def assessments_within_45_days(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """Assessments completed in the period within 45 working days of the referral (or their start)."""
    start, end = _period(as_of, look_back_days)
    events = _events(
        [Event.Kind.REFERRAL, Event.Kind.ASSESSMENT_START, Event.Kind.ASSESSMENT_COMPLETED],
        start - dt.timedelta(days=365),
        end,
    )
    tally = _Tally()
    for child_pk, completions in events[Event.Kind.ASSESSMENT_COMPLETED].items():
        for completed in completions:
            if completed <= start:
                continue
            anchor = _latest_on_or_before(events[Event.Kind.REFERRAL].get(child_pk, []), completed)
            anchor = anchor or _latest_on_or_before(
                events[Event.Kind.ASSESSMENT_START].get(child_pk, []), completed
            )
            if anchor is None:
                continue  # no referral or start: a gap the Annex A validation sheet lists
            tally.add(child_pk, completed <= add_working_days(anchor, 45))
    return tally.result(
        "assessments_45_wd",
        "Assessments completed within 45 working days",
        "Completed within 45 working days of the referral (or of the assessment start when no referral "
        "is recorded); Working Together 2023.",
    )


def icpc_within_15_days(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """Initial conferences held in the period within 15 working days of the strategy discussion."""
    start, end = _period(as_of, look_back_days)
    events = _events([Event.Kind.STRATEGY_DISCUSSION, Event.Kind.ICPC], start - dt.timedelta(days=365), end)
    tally = _Tally()
    for child_pk, conferences in events[Event.Kind.ICPC].items():
        for held in conferences:
            if held <= start:
                continue
            strategy = _latest_on_or_before(events[Event.Kind.STRATEGY_DISCUSSION].get(child_pk, []), held)
            if strategy is None:
                continue
            tally.add(child_pk, held <= add_working_days(strategy, 15))
    return tally.result(
        "icpc_15_wd",
        "Initial child protection conferences within 15 working days",
        "Held within 15 working days of the (last) strategy discussion; Working Together 2023.",
    )


def _looked_after_starts(start: dt.date, end: dt.date) -> list[tuple[int, dt.date]]:
    """(child pk, date) of each episode of care starting in the period (one query)."""
    return list(
        Episode.objects.filter(cohort=Cohort.LOOKED_AFTER, start_on__gt=start, start_on__lte=end).values_list(
            "child_id", "start_on"
        )
    )


def _after_entering_care(
    *, kind: str, as_of: dt.date, look_back_days: int, due: Callable[[dt.date], dt.date]
) -> _Tally:
    """Children who came into care in the period and whose deadline has passed: event by the deadline?"""
    start, end = _period(as_of, look_back_days)
    entries = [(pk, began) for pk, began in _looked_after_starts(start, end) if due(began) <= as_of]
    events = _events([kind], start, end)[kind]
    tally = _Tally()
    for child_pk, began in entries:
        first = _first_on_or_after(events.get(child_pk, []), began)
        tally.add(child_pk, first is not None and first <= due(began))
    return tally


def iha_within_20_days(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """Children who came into care in the period: initial health assessment within 20 working days."""
    tally = _after_entering_care(
        kind=Event.Kind.IHA, as_of=as_of, look_back_days=look_back_days, due=lambda d: add_working_days(d, 20)
    )
    return tally.result(
        "iha_20_wd",
        "Initial health assessments within 20 working days",
        "Held within 20 working days of becoming looked after (before the first review); "
        "Care Planning Regulations 2010 reg 7 and 2015 statutory guidance.",
    )


def iha_within_28_days(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """The same assessments read as within 28 calendar days, as many health services quote it."""
    tally = _after_entering_care(
        kind=Event.Kind.IHA,
        as_of=as_of,
        look_back_days=look_back_days,
        due=lambda d: d + dt.timedelta(days=28),
    )
    return tally.result(
        "iha_28_days",
        "Initial health assessments within 28 calendar days (the '28 days' reading)",
        "The same assessments read as 'within 28 days' (calendar days), as many health services quote "
        "it; the statutory reading is 20 working days.",
    )


def first_review_within_20_days(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """Children who came into care in the period: first looked-after review within 20 working days."""
    tally = _after_entering_care(
        kind=Event.Kind.CLA_REVIEW,
        as_of=as_of,
        look_back_days=look_back_days,
        due=lambda d: add_working_days(d, 20),
    )
    return tally.result(
        "first_review_20_wd",
        "First looked-after reviews within 20 working days",
        "The first review within 20 working days of becoming looked after; Care Planning Regulations "
        "2010 reg 33.",
    )


def pep_within_10_days(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """Children who came into care in the period: personal education plan within 10 working days."""
    tally = _after_entering_care(
        kind=Event.Kind.PEP, as_of=as_of, look_back_days=look_back_days, due=lambda d: add_working_days(d, 10)
    )
    return tally.result(
        "pep_10_wd",
        "Personal education plans within 10 working days",
        "Initiated within 10 working days of becoming looked after (Promoting the education of looked-after "
        "children, 2018). Some councils use 20 working days instead.",
    )


def pep_within_20_days(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """The same plans read against 20 working days (ready for the first review), as some councils do."""
    tally = _after_entering_care(
        kind=Event.Kind.PEP, as_of=as_of, look_back_days=look_back_days, due=lambda d: add_working_days(d, 20)
    )
    return tally.result(
        "pep_20_wd",
        "Personal education plans within 20 working days (alternative reading)",
        "Complete for the first review, 20 working days after becoming looked after.",
    )


def return_interviews_within_72_hours(
    *, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS
) -> Indicator:
    """Missing episodes in the period followed by a return interview within 72 hours (3 days)."""
    start, end = _period(as_of, look_back_days)
    events = _events(
        [Event.Kind.MISSING_EPISODE, Event.Kind.RETURN_INTERVIEW], start, end + dt.timedelta(days=3)
    )
    tally = _Tally()
    for child_pk, episodes in events[Event.Kind.MISSING_EPISODE].items():
        for missing in episodes:
            if not start < missing <= end or missing + dt.timedelta(days=3) > as_of:
                continue
            interview = _first_on_or_after(events[Event.Kind.RETURN_INTERVIEW].get(child_pk, []), missing)
            tally.add(child_pk, interview is not None and interview <= missing + dt.timedelta(days=3))
    return tally.result(
        "return_interviews_72_hours",
        "Return home interviews within 72 hours",
        "Held within 72 hours of the child's return, read from dates as on or before the third day after "
        "the missing episode's date; 2014 statutory guidance.",
    )


def cp_visits_every_10_days(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """Children on a plan in the period never going more than 10 working days without a visit."""
    start, end = _period(as_of, look_back_days)
    plans = Episode.objects.filter(cohort=Cohort.CHILD_PROTECTION, start_on__lte=end).filter(
        Q(end_on__isnull=True) | Q(end_on__gt=start)
    )
    visits = _events([Event.Kind.VISIT], start, end)[Event.Kind.VISIT]
    tally = _Tally()
    for child_pk, began, ended in plans.values_list("child_id", "start_on", "end_on"):
        window_start, window_end = max(began, start), min(ended or end, end)
        points = [window_start, *[v for v in visits.get(child_pk, []) if window_start <= v <= window_end]]
        gaps = [working_days_between(a, b) for a, b in zip(points, points[1:], strict=False)]
        gaps.append(working_days_between(points[-1], window_end))
        tally.add(child_pk, max(gaps) <= 10)
    return tally.result(
        "cp_visits_10_wd",
        "Children on a protection plan visited at least every 10 working days",
        "No gap of more than 10 working days between visits while on a plan in the period (a common "
        "local standard; there is no national statutory interval).",
    )


ALL_INDICATORS: tuple[Callable[..., Indicator], ...] = (
    assessments_within_45_days,
    icpc_within_15_days,
    iha_within_20_days,
    iha_within_28_days,
    first_review_within_20_days,
    pep_within_10_days,
    pep_within_20_days,
    return_interviews_within_72_hours,
    cp_visits_every_10_days,
)


def indicator_list(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> list[Indicator]:
    return [selector(as_of=as_of, look_back_days=look_back_days) for selector in ALL_INDICATORS]
