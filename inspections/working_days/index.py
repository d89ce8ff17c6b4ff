"""The lookup table behind a :class:`~inspections.working_days.calendar.Calendar`.

One table covers whole years and answers "is this a working day?", "how many
working days up to here?" and "which is the k-th working day?" in O(1).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from .names import _day_name, _library_holidays

if TYPE_CHECKING:
    from .calendar import Calendar


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
                        name = _day_name(d, raw)
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
