"""Explanations: a working-day answer with the holidays and closures it skipped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


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
