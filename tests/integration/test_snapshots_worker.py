"""Indicator snapshots end to end: a real worker on PostgreSQL takes them, once per indicator per day."""

import datetime as dt
import time

import pytest

from readiness.dashboards.definitions import indicators_load
from readiness.dashboards.models import Snapshot
from tests.factories.casework import EpisodeFactory
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2026, 3, 2)


def test_a_live_worker_takes_snapshots_and_a_second_run_changes_nothing(celery_worker_process):
    from readiness.dashboards.models import Indicator
    from readiness.dashboards.sources import SourceUnavailable, resolve
    from readiness.dashboards.tasks import snapshots_take

    indicators_load()
    EpisodeFactory(cohort="looked_after", start_on=DAY - dt.timedelta(days=10))
    usable = 0
    for indicator in Indicator.objects.all():
        try:
            resolve(indicator.source)
            usable += 1
        except SourceUnavailable:
            pass

    snapshots_take.delay(DAY.isoformat())
    wait_for(lambda: Snapshot.objects.filter(date=DAY).count() == usable)
    first = dict(Snapshot.objects.filter(date=DAY).values_list("indicator__code", "value"))
    snapshots_take.delay(DAY.isoformat())
    time.sleep(3)
    assert Snapshot.objects.filter(date=DAY).count() == usable
    assert dict(Snapshot.objects.filter(date=DAY).values_list("indicator__code", "value")) == first
    assert first["open_looked_after"] == 1
