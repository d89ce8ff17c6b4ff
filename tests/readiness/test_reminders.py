"""Reminders to action owners: due in 5 working days and overdue, on working days, once a day."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from readiness import roles
from readiness.dashboards.models import NotificationPreference
from readiness.plans.models import Action, ReminderSent
from readiness.plans.reminders import NOT_A_WORKING_DAY, reminder_subject, reminders_send
from tests.conftest import make_user
from tests.factories.inspections import NonWorkingDayFactory
from tests.factories.plans import ActionFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db

# Thursday before Easter 2025: Good Friday (18) and Easter Monday (21) are bank holidays, so the
# 5th working day after it is Monday 28 April (22, 23, 24, 25, 28).
THURSDAY = dt.date(2025, 4, 17)
FIVE_WORKING_DAYS_ON = dt.date(2025, 4, 28)
GOOD_FRIDAY = dt.date(2025, 4, 18)
SATURDAY = dt.date(2025, 4, 19)


@pytest.fixture
def owner():
    user = make_user(roles.PERFORMANCE_MANAGER, "priya")
    user.email = "priya@northmoor.example"
    user.save()
    return user


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the service as the task would: e-mails go when the transaction commits."""

    def _run(today=THURSDAY):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(today=today)

    return _run


def action(owner, due_on, **kwargs):
    kwargs.setdefault("start_on", due_on - dt.timedelta(days=60))
    return ActionFactory(owner=owner, due_on=due_on, **kwargs)


def test_due_in_five_working_days_counts_over_the_easter_bank_holidays(owner, run):
    due = action(owner, FIVE_WORKING_DAYS_ON, description="Audit supervision records")
    action(owner, dt.date(2025, 4, 25), description="Four working days away")
    action(owner, dt.date(2025, 4, 29), description="Six working days away")

    result = run()

    assert result.sent_to == ["priya"]
    assert result.actions_reminded == 1
    [message] = mail.outbox
    assert message.to == ["priya@northmoor.example"]
    assert message.subject == "Improvement plan: 1 action due in 5 working days"
    assert "Audit supervision records" in message.body
    assert "Four working days away" not in message.body
    assert "Six working days away" not in message.body
    assert "Due: Monday 28 April 2025" in message.body
    sent = ReminderSent.objects.get()
    assert (sent.action, sent.date, sent.kind, sent.user) == (due, THURSDAY, "due_soon", owner)


def test_a_weekend_due_date_is_reminded_with_the_working_day_before(owner, run):
    friday = dt.date(2025, 3, 21)  # 5 working days on is Friday 28 March
    action(owner, dt.date(2025, 3, 29), description="Due on a Saturday")
    action(owner, dt.date(2025, 3, 30), description="Due on a Sunday")

    run(today=friday)

    assert "Due on a Saturday" in mail.outbox[0].body
    assert "Due on a Sunday" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Improvement plan: 2 actions due in 5 working days"


def test_overdue_actions_are_reminded(owner, run):
    action(owner, dt.date(2025, 4, 10), description="Refresh the neglect strategy")

    run()

    [message] = mail.outbox
    assert message.subject == "Improvement plan: 1 action overdue"
    assert "Refresh the neglect strategy" in message.body
    assert "Due: Thursday 10 April 2025 (5 working days ago)" in message.body
    assert "RAG: Off track" in message.body
    assert ReminderSent.objects.get().kind == ReminderSent.Kind.OVERDUE


def test_one_email_per_owner_lists_all_their_actions(owner, run):
    plan = PlanFactory(title="Post-ILACS improvement plan")
    priority = PriorityFactory(plan=plan, order=2, title="Strengthen management oversight")
    first = action(owner, dt.date(2025, 4, 10), priority=priority, description="Overdue one")
    action(owner, dt.date(2025, 4, 14), priority=priority, description="Overdue two")
    action(owner, FIVE_WORKING_DAYS_ON, priority=priority, description="Due soon one")
    other = make_user(roles.DCS, "dana")
    other.email = "dana@northmoor.example"
    other.save()
    action(other, dt.date(2025, 4, 1), description="Dana's overdue action")

    result = run()

    assert sorted(result.sent_to) == ["dana", "priya"]
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == ["priya@northmoor.example"])
    assert message.subject == "Improvement plan: 2 actions overdue, 1 due in 5 working days"
    body = message.body
    assert body.index("Overdue one") < body.index("Overdue two") < body.index("Due soon one")
    assert "Dana's overdue action" not in body
    assert "Plan: Post-ILACS improvement plan" in body
    assert "Priority: 2. Strengthen management oversight" in body
    # No SITE_URL setting: the link is the path on the service.
    assert f"Open it: {reverse('readiness:action-detail', kwargs={'action_pk': first.pk})}" in body
    assert reverse("readiness:notification-preferences") in body
    assert ReminderSent.objects.count() == 4


def test_links_are_absolute_when_a_site_url_is_set(owner, run, settings):
    settings.SITE_URL = "https://readiness.northmoor.example/"
    due = action(owner, FIVE_WORKING_DAYS_ON)

    run()

    assert f"Open it: https://readiness.northmoor.example/actions/{due.pk}/" in mail.outbox[0].body


def test_complete_actions_and_actions_without_an_owner_are_ignored(owner, run):
    action(owner, dt.date(2025, 4, 10), status=Action.Status.COMPLETE)
    action(owner, FIVE_WORKING_DAYS_ON, status=Action.Status.COMPLETE)
    action(None, dt.date(2025, 4, 10))

    result = run()

    assert result.sent_to == []
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(GOOD_FRIDAY, id="bank holiday"),
        pytest.param(SATURDAY, id="weekend"),
        pytest.param(dt.date(2025, 4, 16), id="council closure"),
    ],
)
def test_nothing_is_sent_on_a_day_that_is_not_a_working_day(owner, run, day):
    NonWorkingDayFactory(date=dt.date(2025, 4, 16), name="Council closure")
    action(owner, dt.date(2025, 4, 1))

    result = run(today=day)

    assert result.skipped_reason == NOT_A_WORKING_DAY.format(day=day.isoformat())
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_a_day_the_council_works_is_a_working_day(owner, run):
    from inspections.models import NonWorkingDay

    NonWorkingDayFactory(date=GOOD_FRIDAY, name="Works Good Friday", kind=NonWorkingDay.Kind.WORKING)
    action(owner, dt.date(2025, 4, 1))

    assert run(today=GOOD_FRIDAY).sent_to == ["priya"]


def test_never_sent_twice_for_the_same_action_and_day(owner, run):
    action(owner, dt.date(2025, 4, 10))
    action(owner, FIVE_WORKING_DAYS_ON)

    first = run()
    second = run()

    assert first.sent_to == ["priya"]
    assert second.sent_to == []
    assert second.already_sent == 2
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 2


def test_an_action_added_after_the_first_run_is_sent_alone(owner, run):
    action(owner, dt.date(2025, 4, 10), description="Already reminded")
    run()
    action(owner, dt.date(2025, 4, 11), description="Added later")

    run()

    assert len(mail.outbox) == 2
    assert "Added later" in mail.outbox[1].body
    assert "Already reminded" not in mail.outbox[1].body


def test_overdue_actions_are_reminded_again_the_next_working_day(owner, run):
    action(owner, dt.date(2025, 4, 10))

    run(today=THURSDAY)
    run(today=dt.date(2025, 4, 22))  # Tuesday after Easter

    assert len(mail.outbox) == 2
    assert list(ReminderSent.objects.order_by("date").values_list("date", flat=True)) == [
        THURSDAY,
        dt.date(2025, 4, 22),
    ]


def test_the_email_goes_only_when_the_transaction_commits(owner, django_capture_on_commit_callbacks):
    action(owner, dt.date(2025, 4, 10))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders_send(today=THURSDAY)

    assert mail.outbox == []
    assert ReminderSent.objects.count() == 1
    assert len(callbacks) == 1


def test_owners_who_opted_out_are_not_emailed(owner, run):
    NotificationPreference.objects.create(user=owner, action_reminders=False)
    action(owner, dt.date(2025, 4, 10))

    result = run()

    assert result.opted_out == ["priya"]
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_opting_out_of_the_digest_does_not_stop_reminders(owner, run):
    NotificationPreference.objects.create(user=owner, daily_digest=False)
    action(owner, dt.date(2025, 4, 10))

    assert run().sent_to == ["priya"]


def test_owners_without_an_email_address_are_skipped(owner, run):
    nobody = make_user(roles.PERFORMANCE_MANAGER, "no-address")
    action(nobody, dt.date(2025, 4, 10))
    action(owner, dt.date(2025, 4, 10))

    result = run()

    assert result.no_email == ["no-address"]
    assert result.sent_to == ["priya"]
    assert [m.to for m in mail.outbox] == [["priya@northmoor.example"]]
    assert ReminderSent.objects.get().user == owner


def test_subject_wording():
    assert (
        reminder_subject(overdue=2, due_soon=1)
        == "Improvement plan: 2 actions overdue, 1 due in 5 working days"
    )
    assert reminder_subject(overdue=1, due_soon=0) == "Improvement plan: 1 action overdue"
    assert reminder_subject(overdue=0, due_soon=3) == "Improvement plan: 3 actions due in 5 working days"


def test_the_task_runs_through_celery(owner, django_capture_on_commit_callbacks):
    from readiness.plans.tasks import action_reminders

    action(owner, dt.date(2025, 4, 10))

    with django_capture_on_commit_callbacks(execute=True):
        result = action_reminders.delay(THURSDAY.isoformat()).get()
    assert result == {"day": "2025-04-17", "sent": ["priya"], "actions": 1, "skipped": ""}
    with django_capture_on_commit_callbacks(execute=True):
        again = action_reminders.delay(THURSDAY.isoformat()).get()
    assert again["sent"] == []
    assert len(mail.outbox) == 1


def test_the_task_is_scheduled_at_seven_on_weekdays():
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks")
    task = PeriodicTask.objects.get(task="readiness.action_reminders")
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "7", "1-5")
    assert str(task.crontab.timezone) == "Europe/London"


def test_preference_page_turns_reminders_off_and_keeps_the_digest_choice(client_for):
    signed_in = client_for(roles.PERFORMANCE_MANAGER)
    url = reverse("readiness:notification-preferences")
    page = signed_in.get(url).content.decode()
    assert "Do you want reminders about improvement plan actions you own?" in page
    assert "Do you want the daily digest e-mail?" in page

    response = signed_in.post(url, {"daily_digest": "yes", "action_reminders": "no"})

    assert response.status_code == 302
    preference = NotificationPreference.objects.get()
    assert (preference.daily_digest, preference.action_reminders) == (True, False)
    assert preference.history.get().history_user.username == "pm"
    signed_in.post(url, {"daily_digest": "no"})  # not answered: left as it was
    preference.refresh_from_db()
    assert (preference.daily_digest, preference.action_reminders) == (False, False)
