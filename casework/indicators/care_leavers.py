"""On-the-day measures for care leavers: in touch, suitable accommodation, education/employment/
training.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Q

from casework.indicators.base import (
    DEFAULT_LOOK_BACK_DAYS,
    Indicator,
    _normal,
    _Tally,
)
from casework.indicators.looked_after import cla_visits_in_timescale
from casework.models import Cohort, Episode, Event

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
