"""The module-level API: working-day, calendar-day and month arithmetic.

``cal=None`` means the default England and Wales calendar.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import enum
from collections.abc import Iterable
from datetime import date, timedelta

from .calendar import Calendar, default_calendar
from .dates import MAX_DATE, MIN_DATE, _check_date, _check_int
from .explain import Explanation


def _cal(cal: Calendar | None) -> Calendar:
    return default_calendar() if cal is None else cal


def is_working_day(d: date, cal: Calendar | None = None) -> bool:
    """Return True if ``d`` is a working day (not a weekend, holiday or closure)."""
    return _cal(cal).is_working_day(d)


def holiday_name(d: date, cal: Calendar | None = None) -> str | None:
    """Return the readable holiday or closure name for weekday ``d``, else None."""
    return _cal(cal).holiday_name(d)


def next_working_day(d: date, cal: Calendar | None = None) -> date:
    """Return ``d`` if it is a working day, else the next working day."""
    return _cal(cal).next_working_day(d)


def add_working_days(start: date, n: int, cal: Calendar | None = None) -> date:
    """Return the ``n``-th working day strictly after ``start`` (day 0).

    ``start`` need not be a working day: if it is a Saturday, the following
    Monday (if working) is day 1.  ``n == 0`` returns ``start`` unchanged.
    Negative ``n`` counts backwards: ``-1`` is the last working day strictly
    before ``start``.  Example: ``add_working_days(date(2019, 3, 27), 70)`` is
    ``date(2019, 7, 9)``.
    """
    return _cal(cal).add_working_days(start, n)


def add_working_days_many(
    starts: Iterable[date], ns: Iterable[int], cal: Calendar | None = None
) -> list[date]:
    """Return ``[add_working_days(s, n) for s, n in zip(starts, ns)]``, fast.

    Pairs with ``n >= 1`` inside the precomputed range take a dict lookup and a
    list index each; other pairs fall back to :func:`add_working_days`.
    """
    return _cal(cal).add_working_days_many(starts, ns)


def working_days_between(a: date, b: date, cal: Calendar | None = None) -> int:
    """Return the number of working days strictly after ``a`` up to and including ``b``.

    Antisymmetric: ``working_days_between(b, a) == -working_days_between(a, b)``.
    For ``n >= 0``, ``working_days_between(s, add_working_days(s, n)) == n``.
    Example: 1 Mar 2019 to 1 Apr 2019 is 21.
    """
    return _cal(cal).working_days_between(a, b)


def explain_add(start: date, n: int, cal: Calendar | None = None) -> Explanation:
    """Return :func:`add_working_days` as an :class:`Explanation` naming skipped days."""
    return _cal(cal).explain_add(start, n)


def explain_between(a: date, b: date, cal: Calendar | None = None) -> Explanation:
    """Return :func:`working_days_between` as an :class:`Explanation` naming skipped days."""
    return _cal(cal).explain_between(a, b)


def add_calendar_days(start: date, n: int) -> date:
    """Return ``start`` plus ``n`` calendar days (``n`` may be negative)."""
    _check_date(start, "start")
    _check_int(n)
    return start + timedelta(days=n)


def add_months(start: date, n: int) -> date:
    """Return ``start`` plus ``n`` calendar months, clamping to the month's end.

    31 Jan + 1 month is 28 Feb (29 Feb in a leap year); 31 Mar - 1 month is
    28/29 Feb.  ``n`` may be negative.
    """
    _check_date(start, "start")
    _check_int(n)
    month0 = start.year * 12 + (start.month - 1) + n
    year, month = divmod(month0, 12)
    month += 1
    if not (MIN_DATE.year <= year <= MAX_DATE.year):
        raise ValueError(f"{start.isoformat()} + {n} months is outside the supported range")
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


class Unit(enum.StrEnum):
    """Units a deadline rule can count in (values suit model ``choices``)."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"


class Convention(enum.StrEnum):
    """Whether the anchor day is day 0 (default) or day 1."""

    DAY0 = "day0"
    DAY1 = "day1"


def offset(
    start: date,
    n: int,
    unit: Unit | str,
    convention: Convention | str = Convention.DAY0,
    cal: Calendar | None = None,
) -> date:
    """Return the date ``n`` units from ``start`` under a counting convention.

    ``day0`` (default): ``start`` is day 0, so the result is ``start`` + ``n``
    units (working days counted strictly after ``start``, as in domain §8).

    ``day1``: the anchor itself counts as day 1 (e.g. current JTAI guidance
    calling the notification day "day 1"), so ``n`` must be >= 1 and:

    * working days: if ``start`` is a working day the result is
      ``add_working_days(start, n - 1)``; if not, it cannot be day 1, so the
      first working day after it is day 1 and the result is
      ``add_working_days(start, n)``;
    * calendar days: ``start + (n - 1)`` days;
    * months: the day before ``add_months(start, n)`` (a one-month period
      starting 15 Jan with 15 Jan as day 1 ends 14 Feb).
    """
    _check_date(start, "start")
    _check_int(n)
    unit = Unit(unit)
    convention = Convention(convention)
    if convention is Convention.DAY1 and n < 1:
        raise ValueError("the day1 convention needs n >= 1")
    if unit is Unit.WORKING_DAYS:
        c = _cal(cal)
        if convention is Convention.DAY1 and c.is_working_day(start):
            n -= 1
        return c.add_working_days(start, n)
    if unit is Unit.CALENDAR_DAYS:
        return add_calendar_days(start, n - 1 if convention is Convention.DAY1 else n)
    result = add_months(start, n)
    return result - timedelta(days=1) if convention is Convention.DAY1 else result
