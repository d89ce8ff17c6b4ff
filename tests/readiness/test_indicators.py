"""Indicators: definitions load idempotently, snapshots are one per indicator per day, backfill looks back."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from readiness.dashboards import sources
from readiness.dashboards.definitions import INDICATORS, indicators_load
from readiness.dashboards.models import Indicator, Snapshot
from readiness.dashboards.services import snapshots_backfill, snapshots_take
from tests.factories.casework import EpisodeFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def test_load_indicators_is_idempotent_and_records_history():
    assert indicators_load() == (len(INDICATORS), 0, 0)
    assert indicators_load() == (0, 0, len(INDICATORS))
    indicator = Indicator.objects.get(code="assessments_45wd")
    assert indicator.history.count() == 1


def test_load_indicators_updates_a_changed_definition():
    indicators_load()
    changed = [{**d, "target": 95} if d["code"] == "assessments_45wd" else d for d in INDICATORS]
    assert indicators_load(changed) == (0, 1, len(INDICATORS) - 1)
    assert Indicator.objects.get(code="assessments_45wd").target == Decimal("95.00")


def test_every_required_indicator_is_defined():
    codes = {d["code"] for d in INDICATORS}
    for code in (
        "assessments_45wd",
        "icpc_15wd",
        "iha_20wd",
        "first_cla_review_20wd",
        "pep_in_time",
        "return_interviews_72h",
        "police_protection",
        "gp_at_icpc",
        "care_leavers_in_touch",
        "care_leavers_suitable_accommodation",
        "care_leavers_eet",
        "private_fostering",
        "pre_proceedings_16_weeks",
        "caseload_per_worker",
        "supervision_in_timescale",
        "audits_good_or_better",
        "open_looked_after",
    ):
        assert code in codes


def test_snapshots_take_writes_one_per_indicator_per_day_and_is_idempotent():
    indicators_load()
    EpisodeFactory(cohort="looked_after", start_on=TODAY - dt.timedelta(days=30))
    first = snapshots_take(day=TODAY)
    second = snapshots_take(day=TODAY)
    assert first.written == second.written > 0
    assert Snapshot.objects.filter(date=TODAY).count() == first.written
    assert Snapshot.objects.count() == first.written
    open_lac = Snapshot.objects.get(indicator__code="open_looked_after", date=TODAY)
    assert open_lac.value == Decimal("1.00")


def test_indicators_without_a_source_are_skipped_honestly():
    indicators_load()
    Indicator.objects.create(code="not_yet", name="Not yet", source="")
    run = snapshots_take(day=TODAY)
    assert run.skipped == {"not_yet": sources.NO_SOURCE}  # every defined indicator has a source
    assert not Snapshot.objects.filter(indicator__code="not_yet").exists()


def test_a_source_that_does_not_import_is_not_available_yet():
    Indicator.objects.create(code="future", name="Future", source="casework.not_written_yet.measure")
    run = snapshots_take(day=TODAY)
    assert run.skipped == {"future": sources.NOT_AVAILABLE}


def test_no_cases_gives_no_value_not_zero_percent():
    indicators_load()
    snapshots_take(day=TODAY)
    snapshot = Snapshot.objects.get(indicator__code="assessments_45wd", date=TODAY)
    assert snapshot.denominator == 0
    assert snapshot.value is None


def test_backfill_computes_each_day_from_the_events_as_they_stood():
    indicators_load()
    EpisodeFactory(cohort="looked_after", start_on=TODAY - dt.timedelta(days=5))
    runs = snapshots_backfill(days=14, today=TODAY)
    assert len(runs) == 15
    values = dict(Snapshot.objects.filter(indicator__code="open_looked_after").values_list("date", "value"))
    assert len(values) == 15
    assert values[TODAY - dt.timedelta(days=6)] == Decimal("0.00")
    assert values[TODAY - dt.timedelta(days=5)] == Decimal("1.00")
    assert values[TODAY] == Decimal("1.00")
    # Running it again changes nothing.
    snapshots_backfill(days=14, today=TODAY)
    assert Snapshot.objects.filter(indicator__code="open_looked_after").count() == 15


def test_backfill_skips_past_days_for_sources_that_cannot_look_back(monkeypatch):
    Indicator.objects.create(
        code="today_only",
        name="Today only",
        unit="count",
        source="tests.readiness.test_indicators.today_only",
    )
    snapshots_backfill(days=3, today=TODAY)
    assert list(Snapshot.objects.values_list("date", flat=True)) == [TODAY]


def test_backfill_every_seventh_day_gives_one_point_a_week_ending_today():
    indicators_load()
    runs = snapshots_backfill(days=91, today=TODAY, every=7)
    assert len(runs) == 14
    dates = sorted(set(Snapshot.objects.values_list("date", flat=True)))
    assert dates == [TODAY - dt.timedelta(weeks=w) for w in range(13, -1, -1)]
    snapshots_backfill(days=10, today=TODAY, every=7)  # 10 is not a whole number of weeks: 7 and 0
    assert sorted(set(Snapshot.objects.values_list("date", flat=True))) == dates
    with pytest.raises(ValueError):
        snapshots_backfill(days=7, today=TODAY, every=0)


def today_only():
    return 7


def test_backfill_command_loads_definitions_and_fills_history(capsys):
    call_command("snapshots_backfill", "--days", "2")
    assert Indicator.objects.count() == len(INDICATORS)
    out = capsys.readouterr().out
    assert "over 3 day(s)" in out
    assert "No data source yet" not in out


def test_snapshot_task_runs_through_celery():
    from readiness.dashboards.tasks import snapshots_take as task

    indicators_load()
    result = task.delay(TODAY.isoformat()).get()
    assert result["written"] == Snapshot.objects.filter(date=TODAY).count() > 0


@pytest.mark.parametrize(
    ("polarity", "value", "rag"),
    [
        ("higher_is_better", 95, "green"),
        ("higher_is_better", 90, "green"),
        ("higher_is_better", 85, "amber"),
        ("higher_is_better", 70, "red"),
        ("lower_is_better", 5, "green"),
        ("lower_is_better", 15, "amber"),
        ("lower_is_better", 30, "red"),
        ("higher_is_better", None, ""),
    ],
)
def test_rag_follows_polarity_and_thresholds(polarity, value, rag):
    if polarity == "higher_is_better":
        indicator = Indicator(polarity=polarity, amber_threshold=90, red_threshold=75)
    else:
        indicator = Indicator(polarity=polarity, amber_threshold=10, red_threshold=20)
    assert indicator.rag(value) == rag


def test_thresholds_the_wrong_way_round_are_refused():
    from django.core.exceptions import ValidationError

    indicator = Indicator(
        code="x", name="X", polarity="higher_is_better", amber_threshold=75, red_threshold=90
    )
    with pytest.raises(ValidationError, match="below"):
        indicator.full_clean()


def test_normalise_accepts_the_shapes_sources_return():
    from casework.indicators import Indicator as CaseworkIndicator

    assert sources.normalise((3, 4), as_percent=True).value == Decimal("75.00")
    assert sources.normalise({"numerator": 1, "denominator": 3}, as_percent=True).value == Decimal("33.33")
    assert sources.normalise(12, as_percent=False).value == Decimal("12.00")
    reading = sources.normalise(
        CaseworkIndicator(code="a", name="A", rule="r", numerator=9, denominator=10), as_percent=True
    )
    assert (reading.value, reading.numerator, reading.denominator) == (Decimal("90.00"), 9, 10)
