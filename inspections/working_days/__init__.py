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
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import enum
import functools
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType

import holidays as _holidays

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

#: Subdivision passed to ``holidays``.  Never drop it: the UK-wide list lacks
#: Easter Monday and the Summer bank holiday.
SUBDIV = "ENG"
COUNTRY = "GB"

#: Earliest and latest dates the calendar supports.  ``holidays`` returns no
#: data for GB after 2100, so later dates would silently count every weekday.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
_RANGE = f"{MIN_DATE.isoformat()}..{MAX_DATE.isoformat()}"

_DEFAULT_YEARS = (2005, 2040)
# More working days than the whole supported range holds (about 52,500).
_MAX_ABS_N = 60_000
_GROW_YEARS = 10

# "holidays" names -> names as GOV.UK (bank-holidays.json) writes them.
# Names not listed here (Good Friday, Easter Monday, Christmas Day, Boxing Day,
# one-offs such as "Platinum Jubilee of Elizabeth II") are kept as they are;
# any other "... (observed)" becomes "... (substitute day)".
_NAME_MAP = {
    "May Day": "Early May bank holiday",
    "Spring Bank Holiday": "Spring bank holiday",
    "Late Summer Bank Holiday": "Summer bank holiday",
    "New Year's Day (observed)": "New Year's Day (substitute day)",
    "Christmas Day (observed)": "Christmas Day (substitute day)",
    "Boxing Day (observed)": "Boxing Day (substitute day)",
}
# Dates whose GOV.UK name carries more information than the library's.
_DATE_NAMES = {
    date(2020, 5, 8): "Early May bank holiday (VE day)",
}

_OBSERVED = " (observed)"


def _readable_name(raw: str) -> str:
    """Return the GOV.UK-style name for one ``holidays`` name."""
    if raw in _NAME_MAP:
        return _NAME_MAP[raw]
    if raw.endswith(_OBSERVED):
        return raw[: -len(_OBSERVED)] + " (substitute day)"
    return raw


def _check_date(value: object, what: str = "date") -> date:
    """Reject anything that is not a plain ``date`` (datetimes included)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    if not (MIN_DATE <= value <= MAX_DATE):
        raise ValueError(f"{what} {value.isoformat()} is outside the supported range {_RANGE}")
    return value


def _check_int(value: object, what: str = "n") -> int:
    """Reject non-integers (bools and floats included)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    return value


# --------------------------------------------------------------------------- #
# Lookup table
# --------------------------------------------------------------------------- #


class _Index:
    """Precomputed working-day table for one calendar over whole years.

    ``cum[i]`` is the number of working days on or before ``first + i`` (from
    ``first``), ``days`` lists the working days in order, and ``pos`` maps each
    date in range to its ``cum`` value (a dict lookup is faster than
    ``toordinal()`` arithmetic and cannot wrap round on negative indices).
    """

    __slots__ = ("first", "last", "base", "work", "cum", "days", "pos", "names")

    def __init__(self, cal: Calendar, first_year: int, last_year: int) -> None:
        first = date(first_year, 1, 1)
        last = date(last_year, 12, 31)
        lib = _library_holidays(first_year, last_year)
        closed = cal._closed
        opened = cal._open
        base = first.toordinal()
        n_days = last.toordinal() - base + 1
        work = bytearray(n_days)
        cum: list[int] = [0] * n_days
        days: list[date] = []
        pos: dict[date, int] = {}
        names: dict[date, str] = {}
        count = 0
        d = first
        one = timedelta(days=1)
        for i in range(n_days):
            if d.weekday() < 5:
                name = closed.get(d)
                if name is None and d not in opened:
                    raw = lib.get_list(d)
                    if raw:
                        name = _DATE_NAMES.get(d) or " and ".join(
                            dict.fromkeys(_readable_name(r) for r in raw)
                        )
                if name is None:
                    work[i] = 1
                    count += 1
                    days.append(d)
                else:
                    names[d] = name
            cum[i] = count
            pos[d] = count
            d += one
        self.first = first
        self.last = last
        self.base = base
        self.work = work
        self.cum = cum
        self.days = days
        self.pos = pos
        self.names = names

    # cum value counting working days strictly before d
    def before(self, d: date) -> int:
        return self.pos[d] - self.work[d.toordinal() - self.base]

    def is_working(self, d: date) -> bool:
        return bool(self.work[d.toordinal() - self.base])


@functools.lru_cache(maxsize=8)
def _library_holidays(first_year: int, last_year: int) -> _holidays.HolidayBase:
    """Return the ``holidays`` object for England over the given years."""
    lib = _holidays.country_holidays(COUNTRY, subdiv=SUBDIV, years=range(first_year, last_year + 1))
    # Guard against a subdivision mistake: the UK-wide list lacks these two.
    names = set(lib.values())
    if first_year >= 1972 and not {"Easter Monday", "Late Summer Bank Holiday"} <= names:
        raise RuntimeError("holidays data lacks England-only bank holidays; check subdiv='ENG'")
    return lib


# --------------------------------------------------------------------------- #
# Calendar
# --------------------------------------------------------------------------- #

_INDEX_LOCK = threading.Lock()
_INDEX_CACHE: dict[Calendar, _Index] = {}
_INDEX_CACHE_MAX = 16


class Calendar:
    """Describe which days are working days: library holidays plus overrides.

    ``extra_closed`` maps extra non-working dates to a name (local closures,
    bank holidays announced after the installed ``holidays`` release).
    ``extra_open`` lists dates the library marks as holidays that the council
    works.  Weekends are always non-working: an ``extra_open`` weekend date
    changes nothing, and an ``extra_closed`` weekend date is never reported.

    Calendars are immutable, compare equal when their overrides are equal and
    are hashable, so equal calendars share one cached lookup table.
    """

    __slots__ = ("_closed", "_open", "_key", "_hash", "_index")

    def __init__(
        self, extra_closed: Mapping[date, str] | None = None, extra_open: Iterable[date] = ()
    ) -> None:
        closed: dict[date, str] = {}
        for d, name in sorted((extra_closed or {}).items()):
            _check_date(d, "extra_closed date")
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"extra_closed {d.isoformat()} needs a non-empty name")
            closed[d] = name.strip()
        opened = frozenset(_check_date(d, "extra_open date") for d in extra_open)
        clash = opened.intersection(closed)
        if clash:
            listed = ", ".join(sorted(d.isoformat() for d in clash))
            raise ValueError(f"dates both closed and open: {listed}")
        key = (tuple(closed.items()), tuple(sorted(opened)))
        set_ = object.__setattr__
        set_(self, "_closed", MappingProxyType(closed))
        set_(self, "_open", opened)
        set_(self, "_key", key)
        set_(self, "_hash", hash(key))
        set_(self, "_index", None)

    # -- immutability / identity -------------------------------------------
    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Calendar is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Calendar is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Calendar):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Calendar(extra_closed={dict(self._closed)!r}, extra_open={set(self._open) or 'set()'})"

    def __reduce__(self):
        return (Calendar, (dict(self._closed), self._open))

    @property
    def extra_closed(self) -> Mapping[date, str]:
        """Return the read-only mapping of extra closed dates to names."""
        return self._closed

    @property
    def extra_open(self) -> frozenset[date]:
        """Return the dates the library marks as holidays but are worked."""
        return self._open

    # -- lookup table -------------------------------------------------------
    def _table(self) -> _Index:
        ix = self._index
        if ix is None:
            with _INDEX_LOCK:
                ix = _INDEX_CACHE.get(self)
                if ix is None:
                    ix = _Index(self, *_DEFAULT_YEARS)
                    self._remember(ix)
            object.__setattr__(self, "_index", ix)
        return ix

    def _remember(self, ix: _Index) -> None:
        if self not in _INDEX_CACHE and len(_INDEX_CACHE) >= _INDEX_CACHE_MAX:
            _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
        _INDEX_CACHE[self] = ix

    def _widen(self, lo: date, hi: date) -> _Index:
        """Return a table covering ``lo``..``hi`` (plus margin), rebuilding if needed."""
        ix = self._table()
        if ix.first <= lo and hi <= ix.last:
            return ix
        first_year = (
            max(MIN_DATE.year, min(ix.first.year, lo.year - _GROW_YEARS)) if lo < ix.first else ix.first.year
        )
        last_year = (
            min(MAX_DATE.year, max(ix.last.year, hi.year + _GROW_YEARS)) if hi > ix.last else ix.last.year
        )
        with _INDEX_LOCK:
            current = _INDEX_CACHE.get(self, ix)
            if current.first.year <= first_year and last_year <= current.last.year:
                ix = current
            else:
                ix = _Index(self, min(first_year, current.first.year), max(last_year, current.last.year))
                self._remember(ix)
        object.__setattr__(self, "_index", ix)
        return ix

    def _covering(self, d: date) -> _Index:
        ix = self._table()
        if ix.first <= d <= ix.last:
            return ix
        return self._widen(d, d)

    def _full(self) -> _Index:
        return self._widen(MIN_DATE, MAX_DATE)

    # -- queries ----------------------------------------------------------
    def is_working_day(self, d: date) -> bool:
        """Return True if ``d`` is a working day in this calendar."""
        _check_date(d)
        return self._covering(d).is_working(d)

    def holiday_name(self, d: date) -> str | None:
        """Return the name of the holiday or closure on weekday ``d``, else None.

        Weekends return None (they are non-working but not holidays).
        """
        _check_date(d)
        return self._covering(d).names.get(d)

    def add_working_days(self, start: date, n: int) -> date:
        """Return the ``n``-th working day after ``start`` (before it if ``n`` < 0).

        ``start`` is day 0 and need not be a working day; ``n == 0`` returns
        ``start`` unchanged.
        """
        _check_date(start, "start")
        _check_int(n)
        if n == 0:
            return start
        if abs(n) > _MAX_ABS_N:
            raise ValueError(f"{n} working days from {start.isoformat()} falls outside {_RANGE}")
        ix = self._covering(start)
        while True:
            if n > 0:
                i = ix.pos[start] + n - 1
                if i < len(ix.days):
                    return ix.days[i]
                if ix.last >= MAX_DATE:
                    break
                ix = self._widen(start, ix.last + timedelta(days=(i - len(ix.days)) * 7 // 5 + 31))
            else:
                i = ix.before(start) + n
                if i >= 0:
                    return ix.days[i]
                if ix.first <= MIN_DATE:
                    break
                ix = self._widen(ix.first - timedelta(days=-i * 7 // 5 + 31), start)
        raise ValueError(f"{n} working days from {start.isoformat()} falls outside {_RANGE}")

    def working_days_between(self, a: date, b: date) -> int:
        """Return the number of working days after ``a`` up to and including ``b``.

        Negative when ``b`` < ``a``: ``working_days_between(b, a)`` negated.
        """
        _check_date(a, "a")
        _check_date(b, "b")
        ix = self._covering(a)
        if not (ix.first <= b <= ix.last):
            ix = self._widen(min(a, b), max(a, b))
        return ix.pos[b] - ix.pos[a]

    def next_working_day(self, d: date) -> date:
        """Return ``d`` if it is a working day, else the first working day after it."""
        _check_date(d)
        if self._covering(d).is_working(d):
            return d
        return self.add_working_days(d, 1)

    def add_working_days_many(self, starts: Iterable[date], ns: Iterable[int]) -> list[date]:
        """Return ``add_working_days(s, n)`` for each pair of ``starts`` and ``ns``."""
        if not isinstance(starts, (list, tuple)):
            starts = list(starts)
        if not isinstance(ns, (list, tuple)):
            ns = list(ns)
        if len(starts) != len(ns):
            raise ValueError(f"starts and ns differ in length ({len(starts)} != {len(ns)})")
        ix = self._table()
        pos = ix.pos
        days = ix.days
        add = self.add_working_days
        try:
            # Fast path: a dict lookup and a list index per pair.  A start
            # outside the table (or not a date) raises KeyError, a result past
            # its end raises IndexError, a non-int n raises TypeError; all of
            # those redo the whole batch through the checked scalar function.
            # n <= 0 never reaches the subscript (it could index from the end).
            return [days[pos[s] + n - 1] if n > 0 else add(s, n) for s, n in zip(starts, ns, strict=True)]
        except (KeyError, IndexError, TypeError):
            return [add(s, n) for s, n in zip(starts, ns, strict=True)]

    # -- explanations ------------------------------------------------------
    def _skipped(self, lo: date, hi: date) -> tuple[tuple[SkippedDay, ...], int]:
        """Return named non-working weekdays and the weekend count in (lo, hi]."""
        ix = self._widen(lo, hi)
        skipped = []
        weekend = 0
        d = lo + timedelta(days=1)
        one = timedelta(days=1)
        names = ix.names
        while d <= hi:
            if d.weekday() >= 5:
                weekend += 1
            elif d in names:
                skipped.append(SkippedDay(d, names[d]))
            d += one
        return tuple(skipped), weekend

    def explain_add(self, start: date, n: int) -> Explanation:
        """Return the result of ``add_working_days`` with the days it skipped."""
        result = self.add_working_days(start, n)
        if n >= 0:
            skipped, weekend = self._skipped(start, result)
        else:
            # (result, start): the start itself is day 0, not a skipped day.
            skipped, weekend = self._skipped(result, start - timedelta(days=1))
        return Explanation(kind="add", start=start, end=result, n=n, skipped=skipped, weekend_days=weekend)

    def explain_between(self, a: date, b: date) -> Explanation:
        """Return ``working_days_between(a, b)`` with the non-working weekdays in range."""
        n = self.working_days_between(a, b)
        skipped, weekend = self._skipped(min(a, b), max(a, b))
        return Explanation(kind="between", start=a, end=b, n=n, skipped=skipped, weekend_days=weekend)


@functools.lru_cache(maxsize=1)
def default_calendar() -> Calendar:
    """Return the shared England and Wales calendar with no overrides."""
    return Calendar()


#: Kinds accepted by :func:`calendar_from_overrides` (``NonWorkingDay.kind``).
KIND_CLOSED = "closed"
KIND_WORKING = "working"


def calendar_from_overrides(rows: Iterable[tuple[date, str, str]]) -> Calendar:
    """Build a calendar from ``(date, name, kind)`` rows, e.g. ``NonWorkingDay`` rows.

    ``kind`` is ``"closed"`` (an extra non-working day called ``name``) or
    ``"working"`` (a library holiday the council works; ``name`` is ignored).
    Raise ``ValueError`` for an unknown kind or a date given both kinds.
    """
    closed: dict[date, str] = {}
    opened: set[date] = set()
    for d, name, kind in rows:
        if kind == KIND_CLOSED:
            closed[d] = name
        elif kind == KIND_WORKING:
            opened.add(d)
        else:
            raise ValueError(f"unknown kind {kind!r} for {d}; expected 'closed' or 'working'")
    if not closed and not opened:
        return default_calendar()
    return Calendar(extra_closed=closed, extra_open=opened)


# --------------------------------------------------------------------------- #
# Explanations
# --------------------------------------------------------------------------- #


def _fmt_long(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


@dataclass(frozen=True, slots=True)
class SkippedDay:
    """A weekday that was not counted, with its holiday or closure name."""

    date: date
    name: str

    def label(self, year: int | None = None) -> str:
        """Return e.g. ``"Good Friday 19 Apr"`` (year added unless it is ``year``)."""
        d = self.date
        tail = "" if d.year == year else f" {d.year}"
        return f"{self.name} {d.day} {d:%b}{tail}"


@dataclass(frozen=True, slots=True)
class Explanation:
    """How a working-day answer was reached.

    For ``kind == "add"``: ``end`` is ``start`` + ``n`` working days.
    For ``kind == "between"``: ``n`` is the working days after ``start`` up to
    and including ``end``.  ``skipped`` lists the holidays and closures that
    fell on weekdays in the counted range, in date order; ``weekend_days``
    counts the Saturdays and Sundays in it.
    """

    kind: str
    start: date
    end: date
    n: int
    skipped: tuple[SkippedDay, ...]
    weekend_days: int

    @property
    def result(self) -> date | int:
        """Return the answer: the date for ``add``, the count for ``between``."""
        return self.end if self.kind == "add" else self.n

    def _skips(self) -> str:
        if not self.skipped:
            return "no bank holidays or closures skipped"
        year = self.start.year
        return "skips " + ", ".join(s.label(year) for s in self.skipped)

    def sentence(self) -> str:
        """Return one readable line, e.g.

        ``"70 working days after Wed 27 Mar 2019 is Tue 9 Jul 2019 — skips
        Good Friday 19 Apr, Easter Monday 22 Apr, Early May bank holiday 6 May,
        Spring bank holiday 27 May"``.
        """
        if self.kind == "add":
            k = abs(self.n)
            unit = "working day" if k == 1 else "working days"
            direction = "before" if self.n < 0 else "after"
            head = f"{k} {unit} {direction} {_fmt_long(self.start)} is {_fmt_long(self.end)}"
        else:
            k = abs(self.n)
            unit = "working day" if k == 1 else "working days"
            lo, hi = sorted((self.start, self.end))
            head = f"{k} {unit} after {_fmt_long(lo)} up to and including {_fmt_long(hi)}"
            if self.end < self.start:
                head += f" (counted backwards: {self.n})"
        return f"{head} — {self._skips()}"

    def lines(self) -> list[str]:
        """Return one ``"YYYY-MM-DD Name"`` line per skipped day."""
        return [f"{s.date.isoformat()} {s.name}" for s in self.skipped]

    def __str__(self) -> str:
        return self.sentence()


# --------------------------------------------------------------------------- #
# Module-level API (cal=None means the default England and Wales calendar)
# --------------------------------------------------------------------------- #


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


_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(text: str) -> date:
    """Return the date for a strict ``YYYY-MM-DD`` string; raise ValueError otherwise."""
    if not isinstance(text, str) or not _ISO_RE.fullmatch(text.strip()):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    try:
        d = date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"not a valid date: {text!r} ({exc})") from None
    return _check_date(d)
