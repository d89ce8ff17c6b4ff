"""The daily digest: 07:30 on working days, once per DCS per day, opt-out respected."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from readiness import roles
from readiness.dashboards.models import DigestSent, NotificationPreference
from readiness.dashboards.services import NOT_A_WORKING_DAY, daily_digest_send
from tests.conftest import make_user
from tests.factories.inspections import MilestoneFactory, NonWorkingDayFactory

pytestmark = pytest.mark.django_db

WORKING_DAY = dt.date(2026, 3, 3)  # a Tuesday
CHRISTMAS = dt.date(2025, 12, 25)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dcs():
    user = make_user(roles.DCS)
    user.email = "dcs@northmoor.example"
    user.save()
    return user


def test_digest_is_sent_once_per_day(dcs):
    MilestoneFactory(due_on=WORKING_DAY + dt.timedelta(days=3), name="Draft report due")
    run = daily_digest_send(day=WORKING_DAY)
    assert run.sent_to == ["dcs"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dcs@northmoor.example"]
    assert "daily digest for 3 March 2026" in message.subject
    assert "Draft report due" in message.body
    assert "INSPECTION MILESTONES IN THE NEXT 10 WORKING DAYS" in message.body
    again = daily_digest_send(day=WORKING_DAY)
    assert again.already_sent == ["dcs"] and again.sent_to == []
    assert len(mail.outbox) == 1
    assert DigestSent.objects.filter(user=dcs, date=WORKING_DAY).count() == 1


def test_digest_is_not_sent_on_a_bank_holiday(dcs):
    run = daily_digest_send(day=CHRISTMAS)
    assert run.skipped_reason == NOT_A_WORKING_DAY.format(day="2025-12-25")
    assert mail.outbox == []
    assert not DigestSent.objects.exists()


def test_digest_is_not_sent_on_a_local_closure_day(dcs):
    NonWorkingDayFactory(date=WORKING_DAY, name="Council closure")
    assert daily_digest_send(day=WORKING_DAY).skipped_reason
    assert mail.outbox == []


def test_digest_respects_the_opt_out(dcs):
    other = make_user(roles.DCS, username="deputy")
    other.email = "deputy@northmoor.example"
    other.save()
    NotificationPreference.objects.create(user=dcs, daily_digest=False)
    run = daily_digest_send(day=WORKING_DAY)
    assert run.opted_out == ["dcs"] and run.sent_to == ["deputy"]
    assert [m.to for m in mail.outbox] == [["deputy@northmoor.example"]]


def test_digest_goes_only_to_the_dcs_group(dcs):
    pm = make_user(roles.PERFORMANCE_MANAGER)
    pm.email = "pm@northmoor.example"
    pm.save()
    daily_digest_send(day=WORKING_DAY)
    assert [m.to for m in mail.outbox] == [["dcs@northmoor.example"]]


def test_digest_counts_yesterdays_changes_by_model(dcs):
    from freezegun import freeze_time

    with freeze_time("2026-03-02 10:00:00"):
        MilestoneFactory(due_on=WORKING_DAY + dt.timedelta(days=40))
    daily_digest_send(day=WORKING_DAY)
    body = mail.outbox[0].body
    assert "CHANGES YESTERDAY (2 March)" in body
    assert "Milestones: 1 change" in body


def test_digest_lists_overdue_actions_and_red_indicators(dcs):
    from readiness.dashboards.models import Indicator, Snapshot
    from tests.factories.plans import ActionFactory

    ActionFactory(due_on=WORKING_DAY - dt.timedelta(days=5), description="Review supervision policy")
    indicator = Indicator.objects.create(
        code="x", name="Assessments on time", source="", target=90, amber_threshold=90, red_threshold=75
    )
    Snapshot.objects.create(indicator=indicator, date=WORKING_DAY - dt.timedelta(days=1), value=60)
    daily_digest_send(day=WORKING_DAY)
    body = mail.outbox[0].body
    assert "Review supervision policy" in body
    assert "Assessments on time: 60%" in body


def test_digest_task_runs_through_celery(dcs):
    from readiness.dashboards.tasks import daily_digest

    result = daily_digest.delay(WORKING_DAY.isoformat()).get()
    assert result["sent"] == ["dcs"]


def test_preference_page_turns_the_digest_off_and_on(client_for):
    signed_in = client_for(roles.DCS)
    url = reverse("readiness:notification-preferences")
    page = signed_in.get(url)
    assert page.status_code == 200
    assert "Do you want the daily digest e-mail?" in page.content.decode()
    response = signed_in.post(url, {"daily_digest": "no"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get()
    assert preference.daily_digest is False
    assert preference.history.get().history_user.username == "dcs"
    signed_in.post(url, {"daily_digest": "yes"})
    preference.refresh_from_db()
    assert preference.daily_digest is True


def test_periodic_tasks_are_declared_with_crontabs():
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks")
    digest = PeriodicTask.objects.get(task="readiness.daily_digest")
    assert (digest.crontab.hour, digest.crontab.minute, digest.crontab.day_of_week) == ("7", "30", "1-5")
    snapshots = PeriodicTask.objects.get(task="readiness.snapshots_take")
    assert snapshots.crontab.hour == "2"
    assert str(digest.crontab.timezone) == "Europe/London"
