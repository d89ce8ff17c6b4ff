"""Holiday names: the ``holidays`` data for England and the GOV.UK spelling of each name."""

from __future__ import annotations

import functools
from datetime import date

import holidays as _holidays

#: Subdivision passed to ``holidays``.  Never drop it: the UK-wide list lacks
#: Easter Monday and the Summer bank holiday.
SUBDIV = "ENG"
COUNTRY = "GB"

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


def _day_name(d: date, raw: list[str]) -> str:
    """Return the readable name for weekday ``d`` given its non-empty ``holidays`` names."""
    return _DATE_NAMES.get(d) or " and ".join(dict.fromkeys(_readable_name(r) for r in raw))


@functools.lru_cache(maxsize=8)
def _library_holidays(first_year: int, last_year: int) -> _holidays.HolidayBase:
    """Return the ``holidays`` object for England over the given years."""
    lib = _holidays.country_holidays(COUNTRY, subdiv=SUBDIV, years=range(first_year, last_year + 1))
    # Guard against a subdivision mistake: the UK-wide list lacks these two.
    names = set(lib.values())
    if first_year >= 1972 and not {"Easter Monday", "Late Summer Bank Holiday"} <= names:
        raise RuntimeError("holidays data lacks England-only bank holidays; check subdiv='ENG'")
    return lib
