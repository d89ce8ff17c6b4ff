"""Workforce, oversight and partners: caseload per worker, case supervision, GPs at initial
conferences, private fostering visits and pre-proceedings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from casework.indicators.base import (
    DEFAULT_LOOK_BACK_DAYS,
    Indicator,
    _events,
    _first_on_or_after,
    _normal,
    _period,
    _Tally,
)
from casework.models import Child, Cohort, Episode, Event
from inspections.working_days import add_months

# ---------------------------------------------------------------------------------------------
# Workforce, oversight and partners: allocation, case supervision, GPs at initial conferences,
# private fostering visits and pre-proceedings. Each reads one or two `values_list` queries.
# ---------------------------------------------------------------------------------------------

# Children with a social worker: open to children's social care (not early help) on the day.
ALLOCATED_COHORTS = (Cohort.CHILD_IN_NEED, Cohort.CHILD_PROTECTION, Cohort.LOOKED_AFTER, Cohort.CARE_LEAVER)
SUPERVISED_COHORTS = (Cohort.CHILD_IN_NEED, Cohort.CHILD_PROTECTION, Cohort.LOOKED_AFTER)
UNALLOCATED = ("", "unallocated", "not allocated", "none", "n/a", "na", "duty", "vacant")


def _open_on(as_of: dt.date, cohorts: tuple[str, ...]) -> dict[int, dt.date]:
    """child pk -> the earliest start of the child's episodes in `cohorts` open on `as_of` (one query)."""
    opened: dict[int, dt.date] = {}
    rows = (
        Episode.objects.filter(cohort__in=cohorts, start_on__lte=as_of)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=as_of))
        .values_list("child_id", "start_on")
    )
    for child_pk, began in rows:
        opened[child_pk] = min(opened.get(child_pk, began), began)
    return opened


def worker_reference(value: str) -> str:
    """The worker's reference as one spelling (trimmed, upper-case); blank when unallocated."""
    text = " ".join(value.split()).upper()
    return "" if text.lower() in UNALLOCATED else text


@dataclass
class Caseload:
    """Average caseload on a day: not a proportion, so it reads as a plain number.

    `sources.normalise` takes `value` when `numerator` is None, so the dashboards store and show the
    average only (never "1,850 of 98"). The counts behind it are kept here for callers that want them.
    """

    code: str
    name: str
    rule: str
    children: int  # allocated children counted in the average
    workers: int
    unallocated: int  # open children with no current allocation: reported, not averaged
    per_worker: dict[str, int] = field(default_factory=dict, repr=False)
    allocated_child_pks: set[int] = field(default_factory=set, repr=False)
    unallocated_child_pks: set[int] = field(default_factory=set, repr=False)
    numerator: None = None  # not a proportion (see the class docstring)

    @property
    def value(self) -> float | None:
        return round(self.children / self.workers, 2) if self.workers else None

    def unallocated_children(self) -> QuerySet[Child]:
        return Child.objects.filter(pk__in=self.unallocated_child_pks)


def caseload_per_worker(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Caseload:
    """Children open to social care on the day per social worker holding at least one of them.

    A child counts for the worker of their latest `allocation` on or before the day (two queries).
    Children with no allocation, or whose latest says unallocated (a blank reference, "unallocated",
    "duty"), are counted in `unallocated` and left out of the average. `look_back_days` is unused.
    """
    open_children = _open_on(as_of, ALLOCATED_COHORTS)
    rows = (
        Event.objects.filter(kind=Event.Kind.ALLOCATION, occurred_on__lte=as_of)
        .order_by("child_id", "occurred_on", "pk")
        .values_list("child_id", "value")
    )
    latest = dict(rows)  # later rows win
    per_worker: dict[str, int] = defaultdict(int)
    allocated, unallocated = set(), set()
    for child_pk in open_children:
        worker = worker_reference(latest.get(child_pk, ""))
        if worker:
            per_worker[worker] += 1
            allocated.add(child_pk)
        else:
            unallocated.add(child_pk)
    return Caseload(
        code="caseload_per_worker",
        name="Average caseload per social worker",
        rule="Children open to children's social care on the day (child in need, protection plan, looked "
        "after, care leaver) each counted for the worker of their latest allocation, divided by the "
        f"number of those workers. {len(unallocated)} open child(ren) had no allocated worker and are "
        "not in the average.",
        children=len(allocated),
        workers=len(per_worker),
        unallocated=len(unallocated),
        per_worker=dict(per_worker),
        allocated_child_pks=allocated,
        unallocated_child_pks=unallocated,
    )


def case_supervision_in_timescale(
    *, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS
) -> Indicator:
    """Children open for at least a month whose case had a recorded supervision in the last month.

    Of children with a child in need, protection plan or looked-after episode open on the day and
    open for at least a calendar month, those with a `case_supervision` event in the calendar month
    to the day (on or after the same date a month earlier, e.g. 31 January counts on 28 February and
    not on 1 March). Two queries. `look_back_days` is accepted for a uniform signature and unused.
    """
    opened = _open_on(as_of, SUPERVISED_COHORTS)
    month_ago = add_months(as_of, -1)
    supervised = set(
        Event.objects.filter(
            kind=Event.Kind.CASE_SUPERVISION, occurred_on__gte=month_ago, occurred_on__lte=as_of
        ).values_list("child_id", flat=True)
    )
    tally = _Tally()
    for child_pk, began in sorted(opened.items()):
        if began > month_ago:
            continue  # open for less than a month: no supervision due yet
        tally.add(child_pk, child_pk in supervised)
    return tally.result(
        "supervision_in_timescale",
        "Children's cases supervised in timescale",
        "Children in need, on a protection plan or looked after, open for at least a month, with case "
        "supervision (management oversight) recorded on their file in the month to the day (a local "
        "standard: monthly).",
    )


GP_ATTENDED, GP_REPORT, GP_NONE = "attended", "report", "none"
_GP_ATTENDED = ("attended", "attend", "in person", "dialled in", "dialed in", "joined", "virtually")
_GP_NOT_ATTENDED = ("not attend", "did not", "didn t", "dna", "absent", "not present", "apolog", "unable")
_GP_REPORT = ("report", "written", "submitted", "letter", "contribution")
_GP_NO_REPORT = ("no report", "report not", "not received", "no written", "no contribution", "none")


def gp_contribution(value: str) -> str:
    """Read a GP record as attended, report or none (the spellings councils use, normalised).

    "Attended", "GP present", "yes" or "dialled in" are attended unless the text also says the GP did
    not attend ("DNA", "did not attend", "apologies"); "report", "report sent", "written
    contribution" are a report unless it says there was none ("no report", "not received"). A GP who
    attended and sent a report is attended. Anything else, blank included, is none: a contribution we
    cannot see is not evidenced.
    """
    text = " ".join(_normal(value).replace("-", " ").replace("_", " ").replace("'", " ").split())
    words = set(text.replace(",", " ").replace(".", " ").split())
    if not text or text in ("n", "no", "none", "nil"):
        return GP_NONE
    if not any(marker in text for marker in _GP_NOT_ATTENDED) and (
        text in ("y", "yes") or "present" in words or any(marker in text for marker in _GP_ATTENDED)
    ):
        return GP_ATTENDED
    if not any(marker in text for marker in _GP_NO_REPORT) and (
        "sent" in words or any(marker in text for marker in _GP_REPORT)
    ):
        return GP_REPORT
    return GP_NONE


def gp_at_icpc(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """Initial conferences held in the period where the GP attended or sent a report (two queries).

    The GP's contribution is an `icpc_gp` event dated the conference day. A conference with no GP
    record counts in the denominator as not evidenced.
    """
    start, end = _period(as_of, look_back_days)
    conferences = Event.objects.filter(
        kind=Event.Kind.ICPC, occurred_on__gt=start, occurred_on__lte=end
    ).values_list("child_id", "occurred_on")
    contributions: dict[tuple[int, dt.date], set[str]] = defaultdict(set)
    for child_pk, held, value in Event.objects.filter(
        kind=Event.Kind.ICPC_GP, occurred_on__gt=start, occurred_on__lte=end
    ).values_list("child_id", "occurred_on", "value"):
        contributions[(child_pk, held)].add(gp_contribution(value))
    tally = _Tally()
    for child_pk, held in sorted(set(conferences)):
        seen = contributions.get((child_pk, held), set())
        tally.add(child_pk, bool(seen & {GP_ATTENDED, GP_REPORT}))
    return tally.result(
        "gp_at_icpc",
        "GP attendance or report at initial child protection conferences",
        "Initial conferences held in the last six months where the child's GP attended or sent a report "
        "(recorded on the conference day). A conference with no GP record counts as not evidenced.",
    )


PRIVATE_FOSTERING_FIRST_VISIT_DAYS = 7  # within 7 days of the notification
PRIVATE_FOSTERING_VISIT_DAYS = 42  # then at least every 6 weeks in the first year
PRIVATE_FOSTERING_LOOK_BACK_DAYS = 365


def private_fostering_visits_ok(notified: dt.date, visits: list[dt.date], as_of: dt.date) -> bool:
    """True when every visit due by `as_of` for an arrangement notified on `notified` was on time.

    The first visit is due within 7 days of the notification, each next one within 6 weeks of the
    last (Children (Private Arrangements for Fostering) Regulations 2005, reg 7 and 8). A visit not
    yet due is not missed; a late visit stays a miss after it happens.
    """
    due = notified + dt.timedelta(days=PRIVATE_FOSTERING_FIRST_VISIT_DAYS)
    first_year_ends = add_months(notified, 12)
    for visit in sorted(v for v in visits if notified <= v <= as_of):
        if visit > due:
            return False
        due = visit + dt.timedelta(days=PRIVATE_FOSTERING_VISIT_DAYS)
        if due > first_year_ends:
            break
    return as_of <= due


def private_fostering_in_timescale(
    *, as_of: dt.date, look_back_days: int = PRIVATE_FOSTERING_LOOK_BACK_DAYS
) -> Indicator:
    """Private fostering arrangements notified in the last 12 months whose visits so far are all in
    timescale (one query for notifications and visits).

    Each notification is one arrangement; its visits are those from its date until the child's next
    notification. The end of an arrangement is not recorded, so one counts until 12 months after its
    notification.
    """
    start = as_of - dt.timedelta(days=look_back_days)
    events = _events(
        [Event.Kind.PRIVATE_FOSTERING_NOTIFICATION, Event.Kind.PRIVATE_FOSTERING_VISIT], start, as_of
    )
    visits = events[Event.Kind.PRIVATE_FOSTERING_VISIT]
    tally = _Tally()
    for child_pk, notified in sorted(events[Event.Kind.PRIVATE_FOSTERING_NOTIFICATION].items()):
        for index, day in enumerate(notified):
            if day <= start:
                continue
            until = notified[index + 1] if index + 1 < len(notified) else as_of + dt.timedelta(days=1)
            own = [v for v in visits.get(child_pk, []) if day <= v < until]
            tally.add(
                child_pk, private_fostering_visits_ok(day, own, min(as_of, until - dt.timedelta(days=1)))
            )
    return tally.result(
        "private_fostering",
        "Private fostering arrangements with statutory visits in timescale",
        "Arrangements notified in the last 12 months with every visit so far in timescale: the first "
        "within 7 days of the notification, then at least every 6 weeks (Children (Private Arrangements "
        "for Fostering) Regulations 2005). Ended arrangements are not recorded, so each counts for 12 "
        "months from its notification.",
    )


PRE_PROCEEDINGS_DAYS = 16 * 7  # the Public Law Outline's 16 weeks


def pre_proceedings_over_16_weeks(
    *, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS
) -> Indicator:
    """Of children in pre-proceedings on the day, the share in it for more than 16 weeks (one query).

    Lower is better: the numerator counts the children over 16 weeks, and they are the ones
    `missed()` returns. A child is in pre-proceedings from their latest `pre_proceedings_start` on or
    before the day until a `pre_proceedings_end` on or after it (still in on the end day, as with
    episodes). More than 16 weeks: over 112 days from the start (day 112 is not over).
    """
    events = _events(
        [Event.Kind.PRE_PROCEEDINGS_START, Event.Kind.PRE_PROCEEDINGS_END], dt.date(1990, 1, 1), as_of
    )
    ends = events[Event.Kind.PRE_PROCEEDINGS_END]
    within, over = set(), set()
    for child_pk, starts in events[Event.Kind.PRE_PROCEEDINGS_START].items():
        began = starts[-1]
        ended = _first_on_or_after(ends.get(child_pk, []), began)
        if ended is not None and ended < as_of:
            continue
        (over if (as_of - began).days > PRE_PROCEEDINGS_DAYS else within).add(child_pk)
    return Indicator(
        "pre_proceedings_16_weeks",
        "Children in pre-proceedings for more than 16 weeks",
        "Of the children in pre-proceedings (Public Law Outline) on the day, those whose pre-proceedings "
        "began more than 16 weeks (112 days) before; lower is better.",
        numerator=len(over),
        denominator=len(over) + len(within),
        met_child_pks=within,
        missed_child_pks=over,
    )


WORKFORCE_INDICATORS: tuple[Callable[..., Indicator], ...] = (
    case_supervision_in_timescale,
    gp_at_icpc,
    private_fostering_in_timescale,
    pre_proceedings_over_16_weeks,
)
