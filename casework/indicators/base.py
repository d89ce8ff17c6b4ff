"""What every casework indicator shares: the `Indicator` result, `_Tally` and the event helpers.

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
from dataclasses import dataclass, field

from django.db.models import QuerySet

from casework.models import Child, Event

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


def _normal(value: str) -> str:
    return " ".join(value.replace("&", " & ").lower().split())
