"""Working-day arithmetic for England and Wales.

A *working day* is any day other than a Saturday, a Sunday, Christmas Day,
Good Friday or a bank holiday in England and Wales (Banking and Financial
Dealings Act 1971, including one-off days appointed by proclamation).  See
``/work/shared/domain.md`` §4.1 and §7.

Counting convention (domain §8): "``start`` + N working days" means the N-th
working day counted *strictly after* ``start``; ``start`` is day 0 and need not
itself be a working day.  So if ``start`` falls on a weekend or holiday, the
next working day is day 1.  ``offset(..., convention="day1")`` covers rules
where the anchor day counts as day 1.

The bank-holiday data comes from the ``holidays`` package with
``subdiv="ENG"`` (without it, Easter Monday and the Summer bank holiday are
missing) and includes substitute ("observed") days.  A :class:`Calendar` adds
local closures or late-announced bank holidays (``extra_closed``) and cancels
library holidays that the council works (``extra_open``).

Everything here is pure Python with no Django or database dependency.  Each
calendar lazily builds a lookup table over a range of years (2005–2040 at
first, widened on demand within 1900–2100), so single calls and
:func:`add_working_days_many` take O(1) time per date.

Modules: ``names`` (holiday data and names), ``dates`` (supported range, input
checks), ``index`` (the per-calendar lookup table), ``calendar`` (:class:`Calendar`),
``explain`` (:class:`Explanation`) and ``arithmetic`` (the module-level functions).
"""

from __future__ import annotations

from .arithmetic import (
    Convention,
    Unit,
    add_calendar_days,
    add_months,
    add_working_days,
    add_working_days_many,
    explain_add,
    explain_between,
    holiday_name,
    is_working_day,
    next_working_day,
    offset,
    working_days_between,
)
from .calendar import Calendar, calendar_from_overrides, default_calendar
from .dates import MAX_DATE, MIN_DATE, parse_iso_date
from .explain import Explanation, SkippedDay
from .names import SUBDIV

__all__ = [
    "MIN_DATE",
    "MAX_DATE",
    "SUBDIV",
    "Calendar",
    "Convention",
    "Explanation",
    "SkippedDay",
    "Unit",
    "add_calendar_days",
    "add_months",
    "add_working_days",
    "add_working_days_many",
    "calendar_from_overrides",
    "default_calendar",
    "explain_add",
    "explain_between",
    "holiday_name",
    "is_working_day",
    "next_working_day",
    "offset",
    "parse_iso_date",
    "working_days_between",
]
