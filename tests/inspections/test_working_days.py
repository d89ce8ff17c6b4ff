"""Working-day arithmetic for England and Wales (domain.md §4.1, §7, §8).

Pure functions: no database needed.
"""

from __future__ import annotations

import pickle
from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspections import working_days as wd
from inspections.working_days import (
    Calendar,
    Convention,
    Unit,
    add_calendar_days,
    add_months,
    add_working_days,
    add_working_days_many,
    calendar_from_overrides,
    default_calendar,
    explain_add,
    explain_between,
    holiday_name,
    is_working_day,
    next_working_day,
    offset,
    working_days_between,
)

D = date


# --------------------------------------------------------------------------- #
# The holiday data itself
# --------------------------------------------------------------------------- #


def test_library_without_subdiv_lacks_england_only_days():
    """The pitfall we guard against: no subdiv drops Easter Monday and Summer BH."""
    uk_wide = holidays.country_holidays("GB", years=2023)
    assert D(2023, 4, 10) not in uk_wide
    assert D(2023, 8, 28) not in uk_wide
    assert wd.SUBDIV == "ENG"


@pytest.mark.parametrize("year", range(2005, 2036))
def test_every_year_has_easter_monday_and_summer_bank_holiday(year):
    names = {holiday_name(D(year, m, d)) for m in (3, 4, 8) for d in range(1, 32) if _valid(year, m, d)}
    assert "Easter Monday" in names
    assert "Summer bank holiday" in names


def _valid(y, m, d):
    try:
        D(y, m, d)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2011, 4, 29), "Wedding of William and Catherine"),
        (D(2012, 6, 4), "Spring bank holiday"),
        (D(2012, 6, 5), "Diamond Jubilee of Elizabeth II"),
        (D(2020, 5, 8), "Early May bank holiday (VE day)"),
        (D(2022, 6, 2), "Spring bank holiday"),
        (D(2022, 6, 3), "Platinum Jubilee of Elizabeth II"),
        (D(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
        (D(2023, 5, 8), "Coronation of Charles III"),
    ],
)
def test_one_off_bank_holidays_since_2011(day, name):
    assert not is_working_day(day)
    assert holiday_name(day) == name


@pytest.mark.parametrize(
    "moved_from",
    [D(2012, 5, 28), D(2020, 5, 4), D(2022, 5, 30)],
)
def test_days_a_bank_holiday_moved_away_from_are_working_days(moved_from):
    assert is_working_day(moved_from)
    assert holiday_name(moved_from) is None


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2015, 12, 28), "Boxing Day (substitute day)"),
        (D(2016, 12, 27), "Christmas Day (substitute day)"),
        (D(2017, 1, 2), "New Year's Day (substitute day)"),
        (D(2020, 12, 28), "Boxing Day (substitute day)"),
        (D(2021, 12, 27), "Christmas Day (substitute day)"),
        (D(2021, 12, 28), "Boxing Day (substitute day)"),
        (D(2022, 1, 3), "New Year's Day (substitute day)"),
        (D(2022, 12, 27), "Christmas Day (substitute day)"),
        (D(2023, 1, 2), "New Year's Day (substitute day)"),
        (D(2026, 12, 28), "Boxing Day (substitute day)"),
        (D(2027, 12, 27), "Christmas Day (substitute day)"),
        (D(2027, 12, 28), "Boxing Day (substitute day)"),
        (D(2028, 1, 3), "New Year's Day (substitute day)"),
    ],
)
def test_substitute_days(day, name):
    assert day.weekday() < 5
    assert not is_working_day(day)
    assert holiday_name(day) == name


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2019, 1, 1), "New Year's Day"),
        (D(2019, 4, 19), "Good Friday"),
        (D(2019, 4, 22), "Easter Monday"),
        (D(2019, 5, 6), "Early May bank holiday"),
        (D(2019, 5, 27), "Spring bank holiday"),
        (D(2019, 8, 26), "Summer bank holiday"),
        (D(2019, 12, 25), "Christmas Day"),
        (D(2019, 12, 26), "Boxing Day"),
    ],
)
def test_regular_bank_holidays_use_govuk_names(day, name):
    assert holiday_name(day) == name


@pytest.mark.parametrize(
    "day",
    [D(2019, 12, 24), D(2019, 12, 31), D(2019, 4, 23), D(2019, 8, 1), D(2023, 12, 27)],
)
def test_christmas_eve_new_years_eve_easter_tuesday_are_working_days(day):
    assert is_working_day(day)


def test_weekends_are_not_working_days_and_have_no_name():
    assert not is_working_day(D(2019, 3, 30))
    assert not is_working_day(D(2019, 3, 31))
    assert holiday_name(D(2019, 3, 30)) is None
    # Christmas on a Saturday is still a holiday by date, but we only name weekdays.
    assert holiday_name(D(2021, 12, 25)) is None


def test_weekday_holiday_count_per_year_is_eight_in_ordinary_years():
    for year in (2019, 2021, 2024, 2025, 2026):
        days = [
            D(year, 1, 1) + timedelta(days=i)
            for i in range(366)
            if (D(year, 1, 1) + timedelta(days=i)).year == year
        ]
        named = [d for d in days if holiday_name(d)]
        assert len(named) == 8, (year, named)


# --------------------------------------------------------------------------- #
# Worked examples (domain §8, §8.1)
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2012, 6, 1), 5, D(2012, 6, 12)),
        (D(2020, 5, 7), 1, D(2020, 5, 11)),
        (D(2022, 6, 1), 3, D(2022, 6, 8)),
        (D(2023, 5, 5), 1, D(2023, 5, 9)),
        (D(2022, 12, 23), 1, D(2022, 12, 28)),
        (D(2022, 12, 30), 1, D(2023, 1, 3)),
        (D(2023, 4, 28), 15, D(2023, 5, 23)),
        (D(2025, 11, 27), 45, D(2026, 2, 3)),
        (D(2025, 4, 17), 5, D(2025, 4, 28)),
        # §8.1 Barking and Dagenham 2019
        (D(2019, 3, 27), 70, D(2019, 7, 9)),
        (D(2019, 4, 1), 70, D(2019, 7, 12)),
        # §8 initial health assessment, 20 wd
        (D(2025, 3, 3), 20, D(2025, 3, 31)),
        (D(2025, 12, 19), 20, D(2026, 1, 21)),
    ],
)
def test_worked_examples(start, n, expected):
    assert add_working_days(start, n) == expected
    assert working_days_between(start, expected) == n
    assert add_working_days(expected, -n) == start
    assert add_working_days_many([start], [n]) == [expected]


def test_twenty_working_days_versus_twenty_eight_days():
    assert add_working_days(D(2025, 3, 3), 20) == add_calendar_days(D(2025, 3, 3), 28) == D(2025, 3, 31)
    assert add_working_days(D(2025, 12, 19), 20) == D(2026, 1, 21)
    assert add_calendar_days(D(2025, 12, 19), 28) == D(2026, 1, 16)
    assert offset(D(2025, 12, 19), 20, Unit.WORKING_DAYS) == D(2026, 1, 21)
    assert offset(D(2025, 12, 19), 28, "calendar_days") == D(2026, 1, 16)


def test_between_march_2019():
    assert working_days_between(D(2019, 3, 1), D(2019, 4, 1)) == 21
    assert working_days_between(D(2019, 4, 1), D(2019, 3, 1)) == -21


def test_between_counts_b_but_not_a():
    thu, fri = D(2019, 3, 28), D(2019, 3, 29)
    assert working_days_between(thu, fri) == 1
    assert working_days_between(thu, thu) == 0
    # Good Friday 2019 is not counted even as the end point.
    assert working_days_between(D(2019, 4, 18), D(2019, 4, 19)) == 0
    assert working_days_between(D(2019, 4, 18), D(2019, 4, 23)) == 1


# --------------------------------------------------------------------------- #
# Conventions and edge cases
# --------------------------------------------------------------------------- #


def test_zero_returns_start_unchanged_even_on_a_holiday():
    assert add_working_days(D(2019, 4, 19), 0) == D(2019, 4, 19)
    assert add_working_days(D(2019, 3, 30), 0) == D(2019, 3, 30)


def test_start_on_non_working_day_next_working_day_is_day_one():
    # Sat 30 Mar 2019 + 1 = Mon 1 Apr; Good Friday + 1 = Tue after Easter Monday.
    assert add_working_days(D(2019, 3, 30), 1) == D(2019, 4, 1)
    assert add_working_days(D(2019, 4, 19), 1) == D(2019, 4, 23)


def test_negative_n_counts_backwards():
    assert add_working_days(D(2019, 4, 23), -1) == D(2019, 4, 18)
    assert add_working_days(D(2019, 4, 1), -1) == D(2019, 3, 29)
    assert add_working_days(D(2019, 3, 31), -1) == D(2019, 3, 29)  # Sunday start
    assert add_working_days(D(2023, 1, 3), -2) == D(2022, 12, 29)
    assert add_working_days(D(2019, 7, 9), -70) == D(2019, 3, 27)


def test_next_working_day():
    assert next_working_day(D(2019, 4, 18)) == D(2019, 4, 18)
    assert next_working_day(D(2019, 4, 19)) == D(2019, 4, 23)


def test_day1_convention_for_working_days():
    # Notification Mon 1 Apr 2019 is day 1 -> day 5 is Fri 5 Apr (day0 gives Mon 8 Apr).
    assert offset(D(2019, 4, 1), 5, Unit.WORKING_DAYS, "day1") == D(2019, 4, 5)
    assert offset(D(2019, 4, 1), 5, Unit.WORKING_DAYS, Convention.DAY0) == D(2019, 4, 8)
    assert offset(D(2019, 4, 1), 1, "working_days", "day1") == D(2019, 4, 1)
    # An anchor on a non-working day cannot be day 1: the next working day is.
    assert offset(D(2019, 3, 30), 1, Unit.WORKING_DAYS, "day1") == D(2019, 4, 1)
    assert offset(D(2019, 4, 19), 2, Unit.WORKING_DAYS, "day1") == D(2019, 4, 24)
    with pytest.raises(ValueError, match="day1"):
        offset(D(2019, 4, 1), 0, Unit.WORKING_DAYS, "day1")


def test_day1_convention_for_calendar_days_and_months():
    assert offset(D(2025, 1, 15), 28, Unit.CALENDAR_DAYS, "day1") == D(2025, 2, 11)
    assert offset(D(2025, 1, 15), 1, Unit.MONTHS) == D(2025, 2, 15)
    assert offset(D(2025, 1, 15), 1, Unit.MONTHS, "day1") == D(2025, 2, 14)


def test_offset_rejects_unknown_unit_and_convention():
    with pytest.raises(ValueError):
        offset(D(2025, 1, 15), 1, "fortnights")
    with pytest.raises(ValueError):
        offset(D(2025, 1, 15), 1, Unit.MONTHS, "day2")


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2025, 1, 15), -13, D(2023, 12, 15)),
        (D(2025, 5, 9), 18, D(2026, 11, 9)),
        (D(2025, 5, 9), 0, D(2025, 5, 9)),
    ],
)
def test_add_months_clamps_to_month_end(start, n, expected):
    assert add_months(start, n) == expected


def test_add_calendar_days():
    assert add_calendar_days(D(2025, 12, 19), 28) == D(2026, 1, 16)
    assert add_calendar_days(D(2025, 1, 1), -1) == D(2024, 12, 31)


def test_type_checks():
    with pytest.raises(TypeError):
        add_working_days(datetime(2019, 3, 27, 9, 30), 1)  # noqa: DTZ001
    with pytest.raises(TypeError):
        add_working_days("2019-03-27", 1)
    with pytest.raises(TypeError):
        add_working_days(D(2019, 3, 27), 1.0)
    with pytest.raises(TypeError):
        add_working_days(D(2019, 3, 27), True)
    with pytest.raises(TypeError):
        add_working_days_many([datetime(2019, 3, 27)], [1])  # noqa: DTZ001


def test_range_limits():
    with pytest.raises(ValueError, match="outside"):
        add_working_days(D(1899, 12, 31), 1)
    with pytest.raises(ValueError, match="outside"):
        add_working_days(D(2100, 12, 1), 100)
    with pytest.raises(ValueError, match="outside"):
        add_working_days(D(2019, 1, 1), 10**9)
    with pytest.raises(ValueError, match="outside"):
        add_working_days(D(1900, 1, 3), -5)


def test_table_widens_lazily_outside_default_range():
    # Default table covers 2005-2040; these force it wider in both directions.
    cal = Calendar(extra_closed={D(1995, 5, 1): "test widen"})
    assert cal.add_working_days(D(2095, 12, 22), 3) == D(2095, 12, 29)  # Christmas, Boxing Day
    assert cal.add_working_days(D(1995, 5, 9), -1) == D(1995, 5, 5)  # VE Day 50 on Mon 8 May 1995
    assert cal.holiday_name(D(1995, 5, 8)) is not None
    assert cal.holiday_name(D(1999, 12, 31)) is not None  # Millennium
    assert cal.working_days_between(D(1995, 1, 1), D(2095, 1, 1)) > 25_000
    # A huge n walks the table out to the end of the supported range.
    far = Calendar(extra_open={D(2001, 1, 2)}).add_working_days(D(2001, 1, 1), 20_000)
    assert far == _naive_add(D(2001, 1, 1), 20_000)


def test_many_handles_mixed_signs_zero_and_out_of_table_dates():
    starts = [D(2019, 3, 27), D(2019, 4, 19), D(2019, 4, 23), D(1960, 1, 1), D(2090, 6, 1), D(2019, 3, 27)]
    ns = [70, 0, -1, 5, 5, 0]
    expected = [add_working_days(s, n) for s, n in zip(starts, ns, strict=True)]
    assert add_working_days_many(starts, ns) == expected
    assert add_working_days_many(iter(starts), iter(ns)) == expected
    assert add_working_days_many([], []) == []
    with pytest.raises(ValueError, match="length"):
        add_working_days_many([D(2019, 1, 1)], [1, 2])


# --------------------------------------------------------------------------- #
# Explanations
# --------------------------------------------------------------------------- #


def test_explain_add_names_skipped_days_in_order():
    e = explain_add(D(2019, 3, 27), 70)
    assert e.end == e.result == D(2019, 7, 9)
    assert [s.name for s in e.skipped] == [
        "Good Friday",
        "Easter Monday",
        "Early May bank holiday",
        "Spring bank holiday",
    ]
    assert e.sentence() == (
        "70 working days after Wed 27 Mar 2019 is Tue 9 Jul 2019 — skips Good Friday 19 Apr, "
        "Easter Monday 22 Apr, Early May bank holiday 6 May, Spring bank holiday 27 May"
    )
    assert e.lines() == [
        "2019-04-19 Good Friday",
        "2019-04-22 Easter Monday",
        "2019-05-06 Early May bank holiday",
        "2019-05-27 Spring bank holiday",
    ]
    assert str(e) == e.sentence()
    # 70 wd + 4 holidays + 30 weekend days = 104 calendar days.
    assert e.weekend_days + len(e.skipped) + 70 == (e.end - e.start).days


def test_explain_add_across_new_year_shows_year_of_later_days():
    e = explain_add(D(2025, 11, 27), 45)
    assert e.sentence().endswith("skips Christmas Day 25 Dec, Boxing Day 26 Dec, New Year's Day 1 Jan 2026")


def test_explain_one_offs_and_substitutes():
    assert [s.name for s in explain_add(D(2022, 6, 1), 3).skipped] == [
        "Spring bank holiday",
        "Platinum Jubilee of Elizabeth II",
    ]
    assert [s.name for s in explain_add(D(2022, 12, 23), 1).skipped] == [
        "Boxing Day",
        "Christmas Day (substitute day)",
    ]
    assert "1 working day after Fri 5 May 2023 is Tue 9 May 2023 — skips Coronation of Charles III 8 May" == (
        explain_add(D(2023, 5, 5), 1).sentence()
    )


def test_explain_no_skips_and_backwards():
    e = explain_add(D(2019, 3, 4), 5)
    assert e.skipped == ()
    assert (
        e.sentence()
        == "5 working days after Mon 4 Mar 2019 is Mon 11 Mar 2019 — no bank holidays or closures skipped"
    )
    back = explain_add(D(2019, 4, 23), -1)
    assert back.end == D(2019, 4, 18)
    assert [s.name for s in back.skipped] == ["Good Friday", "Easter Monday"]
    assert back.sentence().startswith(
        "1 working day before Tue 23 Apr 2019 is Thu 18 Apr 2019 — skips Good Friday"
    )
    # The start itself is day 0, never "skipped".
    assert explain_add(D(2019, 4, 19), -1).skipped == ()


def test_explain_between():
    e = explain_between(D(2019, 4, 1), D(2019, 5, 1))
    assert e.result == e.n == working_days_between(D(2019, 4, 1), D(2019, 5, 1)) == 20
    assert [s.name for s in e.skipped] == ["Good Friday", "Easter Monday"]
    assert e.sentence() == (
        "20 working days after Mon 1 Apr 2019 up to and including Wed 1 May 2019 — skips Good Friday 19 Apr, "
        "Easter Monday 22 Apr"
    )
    rev = explain_between(D(2019, 5, 1), D(2019, 4, 1))
    assert rev.n == -20
    assert rev.skipped == e.skipped
    assert "(counted backwards: -20)" in rev.sentence()
    assert explain_between(D(2019, 4, 18), D(2019, 4, 19)).lines() == ["2019-04-19 Good Friday"]


# --------------------------------------------------------------------------- #
# Calendars with overrides
# --------------------------------------------------------------------------- #


def test_extra_closed_day_is_skipped_and_named():
    cal = Calendar(extra_closed={D(2019, 4, 3): "Office move"})
    assert not cal.is_working_day(D(2019, 4, 3))
    assert is_working_day(D(2019, 4, 3))  # default calendar untouched
    assert add_working_days(D(2019, 4, 1), 2, cal) == D(2019, 4, 4)
    assert add_working_days(D(2019, 4, 1), 2) == D(2019, 4, 3)
    assert working_days_between(D(2019, 4, 1), D(2019, 4, 5), cal) == 3
    assert explain_add(D(2019, 4, 1), 2, cal).sentence().endswith("skips Office move 3 Apr")
    assert add_working_days_many([D(2019, 4, 1)], [2], cal) == [D(2019, 4, 4)]


def test_late_announced_bank_holiday_via_extra_closed():
    """A proclamation after the installed ``holidays`` release goes in as a closed day."""
    future = D(2031, 6, 6)  # an ordinary Friday in the library
    assert is_working_day(future)
    cal = calendar_from_overrides([(future, "Extra bank holiday", "closed")])
    assert not cal.is_working_day(future)
    assert cal.holiday_name(future) == "Extra bank holiday"
    assert cal.add_working_days(D(2031, 6, 5), 1) == D(2031, 6, 9)


def test_extra_open_cancels_library_holiday():
    cal = Calendar(extra_open={D(2019, 5, 6)})
    assert cal.is_working_day(D(2019, 5, 6))
    assert cal.holiday_name(D(2019, 5, 6)) is None
    assert cal.add_working_days(D(2019, 5, 3), 1) == D(2019, 5, 6)
    assert add_working_days(D(2019, 5, 3), 1) == D(2019, 5, 7)


def test_overrides_never_change_weekends():
    sat = D(2019, 3, 30)
    cal = Calendar(extra_closed={sat: "Weekend closure"}, extra_open={D(2019, 3, 31)})
    assert not cal.is_working_day(sat)
    assert not cal.is_working_day(D(2019, 3, 31))
    assert cal.holiday_name(sat) is None
    assert explain_add(D(2019, 3, 29), 1, cal).skipped == ()


def test_calendar_from_overrides():
    rows = [
        (D(2019, 4, 3), "Office move", "closed"),
        (D(2019, 5, 6), "Worked", "working"),
    ]
    cal = calendar_from_overrides(rows)
    assert cal.extra_closed == {D(2019, 4, 3): "Office move"}
    assert cal.extra_open == frozenset({D(2019, 5, 6)})
    assert calendar_from_overrides([]) is default_calendar()
    with pytest.raises(ValueError, match="kind"):
        calendar_from_overrides([(D(2019, 4, 3), "x", "holiday")])
    with pytest.raises(ValueError, match="both closed and open"):
        calendar_from_overrides([(D(2019, 4, 3), "x", "closed"), (D(2019, 4, 3), "", "working")])


def test_calendar_validation():
    with pytest.raises(ValueError, match="name"):
        Calendar(extra_closed={D(2019, 4, 3): "  "})
    with pytest.raises(TypeError):
        Calendar(extra_open={datetime(2019, 4, 3)})  # noqa: DTZ001


def test_calendar_is_immutable_hashable_and_equal_by_value():
    a = Calendar(extra_closed={D(2019, 4, 3): "Office move"}, extra_open=[D(2019, 5, 6)])
    b = calendar_from_overrides([(D(2019, 5, 6), "", "working"), (D(2019, 4, 3), "Office move", "closed")])
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b, Calendar(), default_calendar()}) == 2
    assert Calendar() == default_calendar()
    assert a != Calendar()
    with pytest.raises(AttributeError):
        a.extra_open = frozenset()
    with pytest.raises(TypeError):
        a.extra_closed[D(2019, 4, 4)] = "x"
    assert pickle.loads(pickle.dumps(a)) == a  # noqa: S301
    assert "Office move" in repr(a)
    assert default_calendar() is default_calendar()


# --------------------------------------------------------------------------- #
# Property tests
# --------------------------------------------------------------------------- #

starts_st = st.dates(min_value=D(1990, 1, 1), max_value=D(2080, 12, 31))
ns_st = st.integers(min_value=0, max_value=400)


def _naive_add(start: date, n: int) -> date:
    """Count day by day using the raw library data (independent of the table)."""
    lib = holidays.country_holidays("GB", subdiv="ENG")
    d = start
    step = timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        d += step
        if d.weekday() < 5 and d not in lib:
            left -= 1
    return d


@settings(max_examples=300, deadline=None)
@given(start=starts_st, n=ns_st)
def test_add_then_between_round_trips(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert working_days_between(end, start) == -n


@settings(max_examples=300, deadline=None)
@given(start=starts_st, n=st.integers(min_value=1, max_value=400))
def test_result_is_a_working_day_after_start(start, n):
    end = add_working_days(start, n)
    assert end > start
    assert is_working_day(end)
    back = add_working_days(start, -n)
    assert back < start
    assert is_working_day(back)


@settings(max_examples=200, deadline=None)
@given(start=starts_st, n=st.integers(min_value=-400, max_value=399))
def test_monotonic_in_n(start, n):
    # Strict even around n = 0: add(s, -1) < s = add(s, 0) < add(s, 1).
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@settings(max_examples=150, deadline=None)
@given(start=starts_st, n=st.integers(min_value=-120, max_value=120))
def test_agrees_with_naive_day_by_day_loop(start, n):
    assert add_working_days(start, n) == _naive_add(start, n)


@settings(max_examples=150, deadline=None)
@given(a=starts_st, b=starts_st)
def test_between_is_antisymmetric_and_matches_a_count(a, b):
    n = working_days_between(a, b)
    assert working_days_between(b, a) == -n
    if a <= b and (b - a).days <= 400:
        lib = holidays.country_holidays("GB", subdiv="ENG")
        count = sum(
            1
            for i in range(1, (b - a).days + 1)
            if (a + timedelta(days=i)).weekday() < 5 and (a + timedelta(days=i)) not in lib
        )
        assert n == count


@settings(max_examples=50, deadline=None)
@given(pairs=st.lists(st.tuples(starts_st, st.integers(min_value=-300, max_value=300)), max_size=30))
def test_many_matches_scalar(pairs):
    starts = [s for s, _ in pairs]
    ns = [n for _, n in pairs]
    assert add_working_days_many(starts, ns) == [add_working_days(s, n) for s, n in pairs]


@settings(max_examples=100, deadline=None)
@given(start=st.dates(min_value=D(1930, 1, 1), max_value=D(2070, 12, 31)), n=st.integers(-300, 300))
def test_add_months_lands_in_the_right_month_and_never_overflows(start, n):
    result = add_months(start, n)
    months = (result.year - start.year) * 12 + result.month - start.month
    assert months == n
    assert result.day == start.day or result.day < start.day
