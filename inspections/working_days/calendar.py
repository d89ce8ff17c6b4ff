"""The :class:`Calendar` (library holidays plus local overrides) and its cached lookup tables."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType

from .dates import _RANGE, MAX_DATE, MIN_DATE, _check_date, _check_int
from .explain import Explanation, SkippedDay
from .index import _Index

_DEFAULT_YEARS = (2005, 2040)
# More working days than the whole supported range holds (about 52,500).
_MAX_ABS_N = 60_000
_GROW_YEARS = 10

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
