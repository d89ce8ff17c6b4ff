"""Every indicator definition has a real data source that can look back, and the five workforce,
oversight and partner indicators snapshot and show on the DCS page like the others."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache

from casework.models import Cohort, Event
from readiness.dashboards import sources
from readiness.dashboards.definitions import INDICATORS, indicators_load
from readiness.dashboards.models import Indicator, Snapshot
from readiness.dashboards.selectors.indicators import indicator_rows
from readiness.dashboards.services import snapshots_backfill, snapshots_take
from tests.factories.casework import ChildFactory, EpisodeFactory, EventFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
FIVE = (
    "gp_at_icpc",
    "private_fostering",
    "pre_proceedings_16_weeks",
    "caseload_per_worker",
    "supervision_in_timescale",
)


@pytest.mark.parametrize("definition", INDICATORS, ids=[d["code"] for d in INDICATORS])
def test_every_definition_has_a_source_that_imports_and_can_look_back(definition):
    assert definition["source"], f"{definition['code']} has no data source"
    sources.resolve(definition["source"])  # raises SourceUnavailable when it does not import
    assert sources.supports_as_of(definition["source"]), definition["code"]


def test_the_supervision_indicator_says_it_is_about_childrens_cases():
    by_code = {d["code"]: d for d in INDICATORS}
    assert by_code["supervision_in_timescale"]["name"] == "Children's cases supervised in timescale"
    assert "not evidenced" in by_code["gp_at_icpc"]["notes"]
    assert "not in the average" in by_code["caseload_per_worker"]["notes"]


def _event(child, kind, day, value=""):
    EventFactory(child=child, kind=kind, occurred_on=day, value=value)


@pytest.fixture
def workforce_events():
    """Two social work cases with one worker, one supervised; an ICPC with the GP there and one
    without a record; one private fostering arrangement visited late; one child 20 weeks into
    pre-proceedings and one 2 weeks in."""
    first, second = ChildFactory(), ChildFactory()
    for child in (first, second):
        EpisodeFactory(child=child, cohort=Cohort.CHILD_PROTECTION, start_on=TODAY - dt.timedelta(days=200))
        _event(child, Event.Kind.ALLOCATION, TODAY - dt.timedelta(days=200), "SW010")
        _event(child, Event.Kind.ICPC, TODAY - dt.timedelta(days=100))
    _event(first, Event.Kind.CASE_SUPERVISION, TODAY - dt.timedelta(days=5))
    _event(first, Event.Kind.ICPC_GP, TODAY - dt.timedelta(days=100), "attended")
    fostered = ChildFactory()
    _event(fostered, Event.Kind.PRIVATE_FOSTERING_NOTIFICATION, TODAY - dt.timedelta(days=30))
    _event(fostered, Event.Kind.PRIVATE_FOSTERING_VISIT, TODAY - dt.timedelta(days=20))  # day 10: late
    _event(first, Event.Kind.PRE_PROCEEDINGS_START, TODAY - dt.timedelta(weeks=20))
    _event(second, Event.Kind.PRE_PROCEEDINGS_START, TODAY - dt.timedelta(weeks=2))
    return first, second


def test_snapshots_of_the_five(workforce_events):
    cache.clear()  # the day's rows are cached
    indicators_load()
    run = snapshots_take(day=TODAY)
    assert not run.skipped
    got = {
        code: (value, numerator, denominator)
        for code, value, numerator, denominator in Snapshot.objects.filter(
            indicator__code__in=FIVE, date=TODAY
        ).values_list("indicator__code", "value", "numerator", "denominator")
    }
    assert got == {
        "caseload_per_worker": (Decimal("2.00"), None, None),
        "supervision_in_timescale": (Decimal("50.00"), 1, 2),
        "gp_at_icpc": (Decimal("50.00"), 1, 2),
        "private_fostering": (Decimal("0.00"), 0, 1),
        "pre_proceedings_16_weeks": (Decimal("50.00"), 1, 2),
    }
    rows = {row.code: row for row in indicator_rows(today=TODAY)}
    assert rows["caseload_per_worker"].value_display == "2.0" and rows["caseload_per_worker"].rag == "green"
    assert rows["pre_proceedings_16_weeks"].rag == "red"  # lower is better: 50% is far over 25%
    assert all(not rows[code].status for code in FIVE)


def test_backfill_looks_back_for_the_five(workforce_events):
    indicators_load()
    snapshots_backfill(days=7, today=TODAY)
    for code in FIVE:
        assert Snapshot.objects.filter(indicator__code=code).count() == 8, code
    # A week ago the first child's supervision (5 days ago) had not happened.
    week_ago = Snapshot.objects.get(
        indicator__code="supervision_in_timescale", date=TODAY - dt.timedelta(days=7)
    )
    assert (week_ago.numerator, week_ago.denominator) == (0, 2)
    assert Indicator.objects.get(code="supervision_in_timescale").source.startswith("casework.indicators.")


def test_an_indicator_without_a_source_still_says_so_on_the_page():
    cache.clear()  # the day's rows are cached
    Indicator.objects.create(code="not_yet", name="Not measured yet", source="")
    rows = {row.code: row for row in indicator_rows(today=TODAY)}
    assert rows["not_yet"].status == sources.NO_SOURCE and not rows["not_yet"].value_display
