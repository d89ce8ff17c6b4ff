"""Statutory timescale indicators, computed from Events with inspections.working_days.

Each selector reads what it needs in one or two `values_list` queries and does the matching in
Python, so the cost does not grow with per-child queries. Each returns an `Indicator`: numerator,
denominator, percentage and the children behind it (`children()` / `missed()`), which callers show
only to roles holding `casework.view_child_record`.

Counting convention (domain.md §4.1): "within N working days of X" means on or before the N-th
working day after X, X being day 0. The period is (as_of − look_back, as_of].
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery

from casework.models import Child, Cohort, Episode, Event, Placement
from inspections.working_days import add_months, add_working_days, working_days_between

DEFAULT_LOOK_BACK_DAYS = 183  # six months, as Annex A


@dataclass
class Indicator:
    code: str
    name: str
    rule: str
    numerator: int
    denominator: int
    met_child_pks: set[int] = field(default_factory=set, repr=False)
    missed_child_pks: set[int] = field(default_factory=set, repr=False)

    @property
    def percentage(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None

    def children(self) -> QuerySet[Child]:
        """Every child counted in the denominator (for permitted roles only)."""
        return Child.objects.filter(pk__in=self.met_child_pks | self.missed_child_pks)

    def missed(self) -> QuerySet[Child]:
        """The children for whom the timescale was missed at least once."""
        return Child.objects.filter(pk__in=self.missed_child_pks)


def _period(as_of: dt.date, look_back_days: int) -> tuple[dt.date, dt.date]:
    return as_of - dt.timedelta(days=look_back_days), as_of


def _events(kinds: list[str], start: dt.date, end: dt.date) -> dict[str, dict[int, list[dt.date]]]:
    """kind -> child pk -> sorted dates, for events between start and end (one query)."""
    found: dict[str, dict[int, list[dt.date]]] = {kind: defaultdict(list) for kind in kinds}
    rows = Event.objects.filter(kind__in=kinds, occurred_on__gte=start, occurred_on__lte=end).values_list(
        "kind", "child_id", "occurred_on"
    )
    for kind, child_pk, occurred in rows:
        found[kind][child_pk].append(occurred)
    for by_child in found.values():
        for dates in by_child.values():
            dates.sort()
    return found


def _latest_on_or_before(dates: list[dt.date], day: dt.date) -> dt.date | None:
    index = bisect.bisect_right(dates, day)
    return dates[index - 1] if index else None


def _first_on_or_after(dates: list[dt.date], day: dt.date) -> dt.date | None:
    index = bisect.bisect_left(dates, day)
    return dates[index] if index < len(dates) else None


class _Tally:
    def __init__(self) -> None:
        self.numerator = 0
        self.denominator = 0
        self.met: set[int] = set()
        self.missed: set[int] = set()

    def add(self, child_pk: int, ok: bool) -> None:
        self.denominator += 1
        if ok:
            self.numerator += 1
            self.met.add(child_pk)
        else:
            self.missed.add(child_pk)

    def result(self, code: str, name: str, rule: str) -> Indicator:
        return Indicator(
            code, name, rule, self.numerator, self.denominator, self.met - self.missed, self.missed
        )


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
        "children, 2018). Some councils use 20 working days: see pep_20_wd.",
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


# ---------------------------------------------------------------------------------------------
# On-the-day measures: where children stand on `as_of` (not timescales over a look-back period).
# ---------------------------------------------------------------------------------------------


def _normal(value: str) -> str:
    return " ".join(value.replace("&", " & ").lower().split())


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


# --- Care leavers: in touch, suitable accommodation, education/employment/training ---

CARE_LEAVER_AGES = (17, 21)  # the DfE measures cover the 17th to 21st birthdays
IN_TOUCH_DAYS = 8 * 7  # contact in the 8 weeks to the day (a common personal-adviser standard)
LATEST_RECORD_DAYS = 365  # an accommodation or EET record older than a year is "not known"

NOT_IN_TOUCH = ("not in touch", "no contact", "lost contact", "refus", "declin", "not known", "unknown")
UNSUITABLE = (
    "unsuitable",
    "not suitable",
    "b & b",
    "b and b",
    "bed and breakfast",
    "bnb",
    "homeless",
    "no fixed abode",
)
NOT_KNOWN = ("", "not known", "unknown", "n/a", "na")
NOT_EET = ("not in", "neet", "not eet", "unemployed", "economically inactive", "not known", "unknown")
EET = ("education", "employ", "training", "apprentice", "eet", "universit", "college", "school", "work")


def is_in_touch(value: str) -> bool:
    """A recorded contact counts unless its outcome says the young person was not in touch."""
    text = _normal(value)
    return not (text in ("no", "n") or any(marker in text for marker in NOT_IN_TOUCH))


def is_suitable_accommodation(value: str) -> bool | None:
    """True: suitable; False: unsuitable (including bed and breakfast); None: not known."""
    text = _normal(value)
    if text in NOT_KNOWN:
        return None
    if text in ("b", "no", "n") or any(marker in text for marker in UNSUITABLE):
        return False
    return True


def is_in_eet(value: str) -> bool | None:
    """True: in education, employment or training; False: not; None: not known."""
    text = _normal(value)
    if text in NOT_KNOWN:
        return None
    if text in ("no", "n") or any(marker in text for marker in NOT_EET):
        return False
    return any(marker in text for marker in EET) or text in ("yes", "y")


def age_on(day: dt.date, birth_year: int | None, birth_month: int | None) -> int | None:
    """Age in whole years on `day`, taking the birthday as the 1st of the birth month (or 1 January)."""
    if birth_year is None:
        return None
    return day.year - birth_year - (1 if day.month < (birth_month or 1) else 0)


def _care_leavers(as_of: dt.date) -> set[int]:
    """Children with a care-leaver episode open on `as_of` aged 17 to 21 that day (age unknown: kept)."""
    rows = (
        Episode.objects.filter(cohort=Cohort.CARE_LEAVER, start_on__lte=as_of)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=as_of))
        .values_list("child_id", "child__birth_year", "child__birth_month")
    )
    low, high = CARE_LEAVER_AGES
    found = set()
    for child_pk, year, month in rows:
        age = age_on(as_of, year, month)
        if age is None or low <= age <= high:
            found.add(child_pk)
    return found


def _latest_values(kind: str, start: dt.date, end: dt.date) -> dict[int, str]:
    """child pk -> the value of the latest event of `kind` between start and end (one query)."""
    rows = (
        Event.objects.filter(kind=kind, occurred_on__gte=start, occurred_on__lte=end)
        .order_by("child_id", "occurred_on", "pk")
        .values_list("child_id", "value")
    )
    return dict(rows)  # later rows win


def care_leavers_in_touch(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """Care leavers aged 17 to 21 with a contact in the 8 weeks to `as_of` (two queries).

    The DfE counts contact around each birthday (domain.md §6 leaves that window open); a rolling
    8 weeks to the day is used instead, so the number moves daily and can be backfilled. A contact
    whose outcome says "not in touch" (or refused, declined, not known) does not count.
    """
    leavers = _care_leavers(as_of)
    contacts = Event.objects.filter(
        kind=Event.Kind.CARE_LEAVER_CONTACT,
        occurred_on__gt=as_of - dt.timedelta(days=IN_TOUCH_DAYS),
        occurred_on__lte=as_of,
    ).values_list("child_id", "value")
    in_touch = {child_pk for child_pk, value in contacts if is_in_touch(value)}
    tally = _Tally()
    for child_pk in sorted(leavers):
        tally.add(child_pk, child_pk in in_touch)
    return tally.result(
        "care_leavers_in_touch",
        "Care leavers in touch",
        "Care leavers aged 17 to 21 on the day with a contact recorded in the 8 weeks to the day whose "
        "outcome is not 'not in touch' (the DfE counts contact around each birthday).",
    )


def _care_leavers_latest(kind: str, as_of: dt.date, judge: Callable[[str], bool | None]) -> _Tally:
    leavers = _care_leavers(as_of)
    latest = _latest_values(kind, as_of - dt.timedelta(days=LATEST_RECORD_DAYS), as_of)
    tally = _Tally()
    for child_pk in sorted(leavers):
        value = latest.get(child_pk)
        tally.add(child_pk, value is not None and judge(value) is True)
    return tally


def care_leavers_suitable_accommodation(
    *, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS
) -> Indicator:
    """Care leavers aged 17 to 21 whose latest accommodation record says suitable (two queries).

    The latest care_leaver_accommodation event in the year to `as_of` decides; bed and breakfast,
    "unsuitable", homeless or no fixed abode are unsuitable. No record in the year, or one saying
    "not known", counts in the denominator as not known (as the DfE percentages do).
    """
    tally = _care_leavers_latest(Event.Kind.CARE_LEAVER_ACCOMMODATION, as_of, is_suitable_accommodation)
    return tally.result(
        "care_leavers_suitable_accommodation",
        "Care leavers in suitable accommodation",
        "Care leavers aged 17 to 21 on the day whose latest accommodation record in the last year says "
        "suitable (bed and breakfast is never suitable); no record counts as not known.",
    )


def care_leavers_in_eet(*, as_of: dt.date, look_back_days: int = DEFAULT_LOOK_BACK_DAYS) -> Indicator:
    """Care leavers aged 17 to 21 whose latest EET record says in education, employment or training.

    The latest care_leaver_eet event in the year to `as_of` decides (two queries); "not in …",
    "NEET" or "unemployed" are not; no record in the year counts as not known.
    """
    tally = _care_leavers_latest(Event.Kind.CARE_LEAVER_EET, as_of, is_in_eet)
    return tally.result(
        "care_leavers_eet",
        "Care leavers in education, employment or training",
        "Care leavers aged 17 to 21 on the day whose latest record in the last year says in education, "
        "employment or training; no record counts as not known.",
    )


ON_THE_DAY_INDICATORS: tuple[Callable[..., Indicator], ...] = (
    cla_visits_in_timescale,
    care_leavers_in_touch,
    care_leavers_suitable_accommodation,
    care_leavers_in_eet,
)


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
