"""On-the-day indicators: children in care visited in timescale (reg 28, simplified) and care leavers
in touch, in suitable accommodation and in education, employment or training."""

import datetime as dt
import re
from html import unescape as html_unescape

import pytest

from casework import indicators
from casework.models import Cohort, Event
from tests.factories.casework import ChildFactory, EpisodeFactory, EventFactory, PlacementFactory

pytestmark = pytest.mark.django_db
D = dt.date
AS_OF = D(2025, 6, 30)


def _event(child, kind, day, value=""):
    return EventFactory(child=child, kind=kind, occurred_on=day, value=value)


# --- Visits to children in care ----------------------------------------------------------------


def test_visit_due_dates_follow_regulation_28():
    placed = D(2025, 1, 10)
    assert indicators.visit_due_on(placed_on=placed, last_visit=None) == D(2025, 1, 17)  # within a week
    # A visit before this placement began does not count: the clock restarts.
    assert indicators.visit_due_on(placed_on=placed, last_visit=D(2025, 1, 3)) == D(2025, 1, 17)
    assert indicators.visit_due_on(placed_on=placed, last_visit=D(2025, 3, 1)) == D(2025, 4, 12)  # 6 weeks
    # After the placement's first year: three calendar months (31 Jan -> 30 Apr, clamped).
    assert indicators.visit_due_on(placed_on=D(2024, 1, 10), last_visit=D(2025, 1, 31)) == D(2025, 4, 30)


def test_cla_visits_in_timescale(django_assert_max_num_queries):
    first_year_ok, first_year_late, settled_ok, moved_unvisited, new, left_care = (
        ChildFactory() for _ in range(6)
    )
    # In care since March: six-weekly visits, the last on 1 June (due by 13 July).
    EpisodeFactory(child=first_year_ok, cohort=Cohort.LOOKED_AFTER, start_on=D(2025, 3, 1))
    _event(first_year_ok, Event.Kind.VISIT, D(2025, 6, 1))
    # In care since January: last visit 1 May, so due by 12 June and overdue on 30 June.
    EpisodeFactory(child=first_year_late, cohort=Cohort.LOOKED_AFTER, start_on=D(2025, 1, 6))
    PlacementFactory(child=first_year_late, start_on=D(2025, 1, 6))
    _event(first_year_late, Event.Kind.VISIT, D(2025, 5, 1))
    # In the same placement since 2022: three-monthly, last visited 15 April (due by 15 July).
    EpisodeFactory(child=settled_ok, cohort=Cohort.LOOKED_AFTER, start_on=D(2022, 5, 1))
    PlacementFactory(child=settled_ok, start_on=D(2022, 5, 1))
    _event(settled_ok, Event.Kind.VISIT, D(2025, 4, 15))
    # Settled, but moved on 10 June and not visited in the new placement's first week.
    EpisodeFactory(child=moved_unvisited, cohort=Cohort.LOOKED_AFTER, start_on=D(2022, 5, 1))
    PlacementFactory(child=moved_unvisited, start_on=D(2022, 5, 1), end_on=D(2025, 6, 9))
    PlacementFactory(child=moved_unvisited, start_on=D(2025, 6, 10))
    _event(moved_unvisited, Event.Kind.VISIT, D(2025, 6, 5))
    # Came into care on 27 June: the first visit is not due until 4 July.
    EpisodeFactory(child=new, cohort=Cohort.LOOKED_AFTER, start_on=D(2025, 6, 27))
    # Left care in May: not counted.
    EpisodeFactory(child=left_care, cohort=Cohort.LOOKED_AFTER, start_on=D(2024, 1, 1), end_on=D(2025, 5, 1))
    with django_assert_max_num_queries(2):
        result = indicators.cla_visits_in_timescale(as_of=AS_OF)
    assert (result.numerator, result.denominator) == (3, 5)
    assert set(result.missed()) == {first_year_late, moved_unvisited}
    assert "reg 28" in result.rule
    # Backfill: on 10 June the January child was still within six weeks of 1 May's visit.
    earlier = indicators.cla_visits_in_timescale(as_of=D(2025, 6, 10))
    assert first_year_late.pk in earlier.met_child_pks
    assert new.pk not in earlier.met_child_pks | earlier.missed_child_pks


# --- Care leavers ------------------------------------------------------------------------------


LEFT_CARE = D(2023, 4, 1)


def _leaver(*, born=(2005, 3), since=LEFT_CARE, ended=None):
    child = ChildFactory(birth_year=born[0], birth_month=born[1])
    EpisodeFactory(child=child, cohort=Cohort.CARE_LEAVER, start_on=since, end_on=ended)
    return child


def test_care_leavers_in_touch_within_eight_weeks(django_assert_max_num_queries):
    recent, stale, said_not, never = (_leaver() for _ in range(4))
    too_old = _leaver(born=(2002, 1))  # 23 on the day: outside the DfE's 17 to 21
    _event(recent, Event.Kind.CARE_LEAVER_CONTACT, D(2025, 5, 6), "in touch")  # 55 days before
    _event(stale, Event.Kind.CARE_LEAVER_CONTACT, D(2025, 5, 5), "in touch")  # 56 days: too long ago
    _event(said_not, Event.Kind.CARE_LEAVER_CONTACT, D(2025, 6, 20), "Not in touch")
    _event(too_old, Event.Kind.CARE_LEAVER_CONTACT, D(2025, 6, 20))
    with django_assert_max_num_queries(2):
        result = indicators.care_leavers_in_touch(as_of=AS_OF)
    assert (result.numerator, result.denominator) == (1, 4)
    assert set(result.missed()) == {stale, said_not, never}
    # Backfill: on 1 June the 5 May contact was within eight weeks.
    assert indicators.care_leavers_in_touch(as_of=D(2025, 6, 1)).numerator == 2


def test_age_window_uses_birth_month():
    assert indicators.age_on(D(2025, 6, 30), 2004, 7) == 20  # 21st birthday in July
    assert indicators.age_on(D(2025, 6, 30), 2004, 6) == 21
    assert indicators.age_on(D(2025, 6, 30), 2004, None) == 21
    assert indicators.age_on(D(2025, 6, 30), None, None) is None
    turns_22 = _leaver(born=(2003, 7))  # 21 until July 2025
    unknown_age = _leaver(born=(None, None))
    result = indicators.care_leavers_in_touch(as_of=AS_OF)
    assert {turns_22.pk, unknown_age.pk} <= result.missed_child_pks
    assert indicators.care_leavers_in_touch(as_of=D(2025, 7, 1)).denominator == 1


def test_care_leavers_suitable_accommodation_reads_the_latest_record(django_assert_max_num_queries):
    suitable, moved_to_bb, not_known, record_too_old, no_record = (_leaver() for _ in range(5))
    _event(suitable, Event.Kind.CARE_LEAVER_ACCOMMODATION, D(2025, 1, 10), "Semi-independent living")
    _event(moved_to_bb, Event.Kind.CARE_LEAVER_ACCOMMODATION, D(2025, 1, 10), "suitable")
    _event(moved_to_bb, Event.Kind.CARE_LEAVER_ACCOMMODATION, D(2025, 5, 2), "B&B")
    _event(not_known, Event.Kind.CARE_LEAVER_ACCOMMODATION, D(2025, 5, 2), "not known")
    _event(record_too_old, Event.Kind.CARE_LEAVER_ACCOMMODATION, D(2024, 6, 1), "suitable")
    with django_assert_max_num_queries(2):
        result = indicators.care_leavers_suitable_accommodation(as_of=AS_OF)
    assert (result.numerator, result.denominator) == (1, 5)
    assert set(result.missed()) == {moved_to_bb, not_known, record_too_old, no_record}
    # Backfill: before the move to bed and breakfast it was suitable.
    assert indicators.care_leavers_suitable_accommodation(as_of=D(2025, 4, 30)).numerator == 3


@pytest.mark.parametrize(
    ("value", "suitable"),
    [
        ("suitable", True),
        ("Unsuitable", False),
        ("not suitable", False),
        ("Bed and breakfast", False),
        ("b & b", False),
        ("B", False),
        ("Homeless", False),
        ("with former foster carers", True),
        ("", None),
        ("Not known", None),
    ],
)
def test_accommodation_values(value, suitable):
    assert indicators.is_suitable_accommodation(value) is suitable


@pytest.mark.parametrize(
    ("value", "in_eet"),
    [
        ("in education", True),
        ("In employment", True),
        ("in training", True),
        ("Apprenticeship", True),
        ("Higher education (university)", True),
        ("EET", True),
        ("NEET", False),
        ("not in EET", False),
        ("Not in education, employment or training", False),
        ("unemployed", False),
        ("", None),
        ("unknown", None),
    ],
)
def test_eet_values(value, in_eet):
    assert indicators.is_in_eet(value) is in_eet


@pytest.mark.parametrize(
    ("value", "in_touch"),
    [("in touch", True), ("", True), ("Yes", True), ("not in touch", False), ("Refused contact", False)],
)
def test_in_touch_values(value, in_touch):
    assert indicators.is_in_touch(value) is in_touch


def test_care_leavers_in_eet(django_assert_max_num_queries):
    working, neet, left_service = _leaver(), _leaver(), _leaver(ended=D(2025, 3, 1))
    _event(working, Event.Kind.CARE_LEAVER_EET, D(2025, 3, 3), "in employment")
    _event(neet, Event.Kind.CARE_LEAVER_EET, D(2025, 3, 3), "in training")
    _event(neet, Event.Kind.CARE_LEAVER_EET, D(2025, 6, 2), "not in EET")
    _event(left_service, Event.Kind.CARE_LEAVER_EET, D(2025, 2, 3), "in education")
    with django_assert_max_num_queries(2):
        result = indicators.care_leavers_in_eet(as_of=AS_OF)
    assert (result.numerator, result.denominator, result.percentage) == (1, 2, 50.0)
    assert list(result.missed()) == [neet]


def test_on_the_day_indicators_have_distinct_codes_and_read_as_sources():
    from readiness.dashboards import sources
    from readiness.dashboards.definitions import INDICATORS

    codes = [selector(as_of=AS_OF).code for selector in indicators.ON_THE_DAY_INDICATORS]
    assert len(set(codes)) == 4
    wired = {d["code"]: d["source"] for d in INDICATORS}
    for code in (
        "cla_visits",
        "care_leavers_in_touch",
        "care_leavers_suitable_accommodation",
        "care_leavers_eet",
    ):
        assert wired[code].startswith("casework.indicators.")
        assert sources.supports_as_of(wired[code])


NOW_SOURCED = {
    # name: what the page shows for this tiny council (one child in care, unallocated, no supervision)
    "GP attendance or report at initial child protection conferences": "No cases to measure",
    "Private fostering arrangements with statutory visits in timescale": "No cases to measure",
    "Children in pre-proceedings for more than 16 weeks": "No cases to measure",
    "Average caseload per social worker": "No cases to measure",
    "Children's cases supervised in timescale": "0 of 1",
}


def test_the_dcs_page_shows_the_four_and_no_indicator_lacks_a_source(client_for):
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils import timezone

    from readiness import roles
    from readiness.dashboards.definitions import indicators_load
    from readiness.dashboards.services import snapshots_take

    cache.clear()
    today = timezone.localdate()
    in_care = ChildFactory()
    EpisodeFactory(child=in_care, cohort=Cohort.LOOKED_AFTER, start_on=today - dt.timedelta(days=100))
    _event(in_care, Event.Kind.VISIT, today - dt.timedelta(days=10))
    leaver = _leaver(born=(today.year - 19, 1), since=today - dt.timedelta(days=200))
    _event(leaver, Event.Kind.CARE_LEAVER_CONTACT, today - dt.timedelta(days=3), "in touch")
    _event(leaver, Event.Kind.CARE_LEAVER_ACCOMMODATION, today - dt.timedelta(days=30), "suitable")
    _event(leaver, Event.Kind.CARE_LEAVER_EET, today - dt.timedelta(days=30), "NEET")
    indicators_load()
    snapshots_take(day=today)
    html = client_for(roles.DCS).get(reverse("readiness:dashboard")).content.decode()
    cache.clear()
    rows = {
        html_unescape(
            re.sub(r"<[^>]+>", "", row.split("</th>")[0].split(">", 1)[1].split("<br>")[0]).strip()
        ): row
        for row in html.split('data-testid="indicators"')[1]
        .split("</table>")[0]
        .split('<tr class="govuk-table__row">')
        if "</th>" in row
    }
    for name, shown in (
        ("Children in care visited in timescale", "1 of 1"),
        ("Care leavers in touch", "1 of 1"),
        ("Care leavers in suitable accommodation (no bed and breakfast)", "1 of 1"),
        ("Care leavers in education, employment or training", "0 of 1"),
    ):
        assert "No data source yet" not in rows[name] and shown in rows[name], name
    for name, shown in NOW_SOURCED.items():
        assert "No data source yet" not in rows[name] and shown in rows[name], name
