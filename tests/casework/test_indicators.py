"""Statutory timescale indicators over hand-built events, across bank holidays."""

import datetime as dt

import pytest

from casework import indicators
from casework.models import Cohort, Event
from tests.factories.casework import ChildFactory, EpisodeFactory, EventFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _event(child, kind, day):
    return EventFactory(child=child, kind=kind, occurred_on=day)


def test_icpc_counts_working_days_across_easter(django_assert_max_num_queries):
    on_time, late = ChildFactory(), ChildFactory()
    # Strategy discussion Thu 21 March 2024; Good Friday and Easter Monday do not count, so the
    # 15th working day is Mon 15 April (it would be Thu 11 April if holidays were ignored).
    for child, held in ((on_time, D(2024, 4, 15)), (late, D(2024, 4, 16))):
        _event(child, Event.Kind.STRATEGY_DISCUSSION, D(2024, 3, 21))
        _event(child, Event.Kind.ICPC, held)
    with django_assert_max_num_queries(2):
        result = indicators.icpc_within_15_days(as_of=D(2024, 6, 30))
    assert (result.numerator, result.denominator, result.percentage) == (1, 2, 50.0)
    assert list(result.missed()) == [late]
    assert set(result.children()) == {on_time, late}
    assert "15 working days" in result.rule


def test_assessment_uses_the_referral_or_else_the_start():
    referred, started_only = ChildFactory(), ChildFactory()
    _event(referred, Event.Kind.REFERRAL, D(2024, 1, 2))
    _event(referred, Event.Kind.ASSESSMENT_COMPLETED, D(2024, 3, 20))  # more than 45 wd after 2 Jan
    _event(started_only, Event.Kind.ASSESSMENT_START, D(2024, 2, 1))
    _event(started_only, Event.Kind.ASSESSMENT_COMPLETED, D(2024, 3, 1))
    result = indicators.assessments_within_45_days(as_of=D(2024, 6, 30))
    assert (result.numerator, result.denominator) == (1, 2)
    assert list(result.missed()) == [referred]


def test_initial_health_assessment_over_christmas_gives_both_readings(django_assert_max_num_queries):
    child = ChildFactory()
    # In care Fri 20 Dec 2024: with Christmas, Boxing Day and New Year's Day the 20th working day is
    # Wed 22 Jan 2025; 28 calendar days is Fri 17 Jan.
    EpisodeFactory(child=child, cohort=Cohort.LOOKED_AFTER, start_on=D(2024, 12, 20))
    _event(child, Event.Kind.IHA, D(2025, 1, 22))
    with django_assert_max_num_queries(2):
        twenty = indicators.iha_within_20_days(as_of=D(2025, 3, 31))
    twenty_eight = indicators.iha_within_28_days(as_of=D(2025, 3, 31))
    assert (twenty.numerator, twenty.denominator) == (1, 1)
    assert (twenty_eight.numerator, twenty_eight.denominator) == (0, 1)
    assert "28 days" in twenty_eight.name


def test_children_not_yet_due_are_not_counted():
    child = ChildFactory()
    EpisodeFactory(child=child, cohort=Cohort.LOOKED_AFTER, start_on=D(2025, 3, 25))
    result = indicators.first_review_within_20_days(as_of=D(2025, 3, 31))
    assert result.denominator == 0 and result.percentage is None


def test_pep_has_both_readings_and_first_review():
    child = ChildFactory()
    EpisodeFactory(child=child, cohort=Cohort.LOOKED_AFTER, start_on=D(2025, 1, 6))
    _event(child, Event.Kind.PEP, D(2025, 1, 27))  # 15 working days later
    _event(child, Event.Kind.CLA_REVIEW, D(2025, 1, 31))
    assert indicators.pep_within_10_days(as_of=D(2025, 3, 31)).numerator == 0
    assert indicators.pep_within_20_days(as_of=D(2025, 3, 31)).numerator == 1
    assert indicators.first_review_within_20_days(as_of=D(2025, 3, 31)).numerator == 1


def test_return_interviews_within_72_hours():
    child = ChildFactory()
    _event(child, Event.Kind.MISSING_EPISODE, D(2025, 2, 3))
    _event(child, Event.Kind.RETURN_INTERVIEW, D(2025, 2, 6))
    _event(child, Event.Kind.MISSING_EPISODE, D(2025, 2, 10))
    _event(child, Event.Kind.RETURN_INTERVIEW, D(2025, 2, 14))
    result = indicators.return_interviews_within_72_hours(as_of=D(2025, 3, 31))
    assert (result.numerator, result.denominator) == (1, 2)


def test_cp_visits_every_10_working_days(django_assert_max_num_queries):
    visited, forgotten = ChildFactory(), ChildFactory()
    for child in (visited, forgotten):
        EpisodeFactory(child=child, cohort=Cohort.CHILD_PROTECTION, start_on=D(2025, 1, 6))
    for week in range(8):
        _event(visited, Event.Kind.VISIT, D(2025, 1, 6) + dt.timedelta(weeks=week))
    with django_assert_max_num_queries(2):
        result = indicators.cp_visits_every_10_days(as_of=D(2025, 2, 28), look_back_days=60)
    assert (result.numerator, result.denominator) == (1, 2)
    assert list(result.missed()) == [forgotten]


def test_indicator_list_returns_every_indicator():
    codes = [i.code for i in indicators.indicator_list(as_of=D(2025, 3, 31))]
    assert len(codes) == len(set(codes)) == 9
