"""The system status page says when each schedule runs in words, not in beat's crontab notation."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from readiness import roles
from readiness.schedules import schedule_in_words

pytestmark = pytest.mark.django_db


def _task(name: str, *, enabled: bool = True, **schedule) -> PeriodicTask:
    return PeriodicTask.objects.create(name=name, task="readiness.heartbeat", enabled=enabled, **schedule)


@pytest.mark.parametrize(
    ("cron", "words"),
    [
        (dict(minute="5", hour="7", day_of_week="1-5"), "07:05, Monday to Friday (UK time)"),
        (dict(minute="15", hour="2", day_of_week="*"), "02:15, every day (UK time)"),
        (dict(minute="0", hour="9", day_of_week="0"), "09:00, every Sunday (UK time)"),
        (dict(minute="0", hour="9", day_of_week="7"), "09:00, every Sunday (UK time)"),
        (dict(minute="*/5", hour="*", day_of_week="*"), None),  # said as beat says it
        (dict(minute="0", hour="9", day_of_week="*", day_of_month="1"), None),
    ],
)
def test_crontab_schedules_in_words(cron, words):
    crontab = CrontabSchedule.objects.create(timezone="Europe/London", **cron)
    task = _task("t", crontab=crontab)
    assert schedule_in_words(task) == (words or str(task.scheduler))


@pytest.mark.parametrize(
    ("every", "period", "words"),
    [(1, IntervalSchedule.MINUTES, "Every minute"), (10, IntervalSchedule.SECONDS, "Every 10 seconds")],
)
def test_interval_schedules_in_words(every, period, words):
    interval = IntervalSchedule.objects.create(every=every, period=period)
    assert schedule_in_words(_task("t", interval=interval)) == words


def test_a_switched_off_schedule_says_it_is_paused():
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    assert schedule_in_words(_task("t", interval=interval, enabled=False)) == "Paused: Every hour"


def test_the_status_page_shows_every_schedule_in_words_in_a_fixed_number_of_queries(client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("setup_periodic_tasks", stdout=mock.Mock())
    client = client_for(roles.DCS)
    url = reverse("readiness:system-status")
    client.get(url)  # the session's first page loads permissions once
    with CaptureQueriesContext(connection) as before:
        html = client.get(url).content.decode()
    assert "07:05, Monday to Friday (UK time)" in html and "Every minute" in html
    assert "m/h/dM/MY/d" not in html
    for n in range(5):
        crontab = CrontabSchedule.objects.create(minute=str(n), hour="3", timezone="Europe/London")
        _task(f"extra {n}", crontab=crontab)
    with CaptureQueriesContext(connection) as after:
        assert "03:04, every day (UK time)" in client.get(url).content.decode()
    assert len(after) == len(before)
