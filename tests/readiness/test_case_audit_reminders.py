"""Reminders about case audits: auditors (due within 5 working days, overdue) and moderators
(submitted audits waiting more than 2 working days), on working days, once a day."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse

from casework.models import CaseAudit, Child
from readiness import roles
from readiness.audit_reminders.models import AuditReminderSent
from readiness.audit_reminders.services import (
    NOT_IN_A_SAMPLE,
    audit_reminders_send,
    auditor_subject,
    moderator_subject,
)
from readiness.dashboards.models import NotificationPreference
from readiness.reminders import NOT_A_WORKING_DAY
from tests.conftest import make_user
from tests.factories.casework import CaseAuditFactory, ChildFactory
from tests.factories.inspections import NonWorkingDayFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Thursday before Easter 2025: Good Friday (18) and Easter Monday (21) are bank holidays, so the
# 5th working day after it is Monday 28 April (22, 23, 24, 25, 28) and the 6th Tuesday 29 April.
THURSDAY = dt.date(2025, 4, 17)
FIFTH_WORKING_DAY = dt.date(2025, 4, 28)
GOOD_FRIDAY = dt.date(2025, 4, 18)
SATURDAY = dt.date(2025, 4, 19)


def _with_email(user, email):
    user.email = email
    user.save()
    return user


@pytest.fixture
def auditor():
    return _with_email(make_user(roles.AUDITOR, "ash"), "ash@northmoor.example")


@pytest.fixture
def moderator():
    return _with_email(make_user(roles.PERFORMANCE_MANAGER, "priya"), "priya@northmoor.example")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the service as the task would: e-mails go when the transaction commits."""

    def _run(today=THURSDAY):
        with django_capture_on_commit_callbacks(execute=True):
            return audit_reminders_send(today=today)

    return _run


def audit(auditor, due_on, child_id=None, status=CaseAudit.Status.IN_PROGRESS, **kwargs):
    if child_id:
        kwargs["member__child__child_id"] = child_id
    return CaseAuditFactory(auditor=auditor, due_on=due_on, status=status, **kwargs)


def submitted(auditor, on: dt.date, child_id=None, **kwargs):
    at = dt.datetime.combine(on, dt.time(16, 30), tzinfo=LONDON)
    return audit(auditor, THURSDAY, child_id, status=CaseAudit.Status.SUBMITTED, submitted_at=at, **kwargs)


def test_open_audits_due_within_five_working_days_and_overdue_are_listed(auditor, run):
    overdue = audit(auditor, dt.date(2025, 4, 10), "C-OVERDUE", member__sample__title="Ofsted 18")
    audit(auditor, THURSDAY, "C-TODAY", status=CaseAudit.Status.ASSIGNED)
    audit(auditor, FIFTH_WORKING_DAY, "C-FIFTH")
    audit(auditor, dt.date(2025, 4, 29), "C-SIXTH")
    audit(auditor, None, "C-NO-DUE-DATE")

    result = run()

    assert result.sent_to == ["ash"]
    assert result.audits_reminded == 3
    [message] = mail.outbox
    assert message.to == ["ash@northmoor.example"]
    assert message.subject == "Case audits: 1 audit overdue, 2 due within 5 working days"
    body = message.body
    assert "Child ID: C-OVERDUE\n  Sample: Ofsted 18\n  Status: In progress\n" in body
    assert "Due: Thursday 10 April 2025 (overdue by 5 working days)" in body
    assert "Due: Thursday 17 April 2025 (today)" in body
    assert "Due: Monday 28 April 2025 (in 5 working days)" in body
    assert "C-SIXTH" not in body
    assert "C-NO-DUE-DATE" not in body
    # No SITE_URL setting: the link is the path on the service.
    assert f"Open it: {reverse('casework:audit-edit', kwargs={'audit_pk': overdue.pk})}" in body
    assert reverse("readiness:notification-preferences") in body
    assert body.index("DUE WITHIN 5 WORKING DAYS (2)") > body.index("OVERDUE (1)")
    assert body.index("C-TODAY") < body.index("C-FIFTH")
    sent = AuditReminderSent.objects.get(audit=overdue)
    assert (sent.date, sent.kind, sent.user) == (THURSDAY, "overdue", auditor)
    assert AuditReminderSent.objects.filter(kind="due_soon").count() == 2


def test_a_weekend_due_date_after_the_fifth_working_day_is_listed(auditor, run):
    friday = dt.date(2025, 3, 21)  # 5 working days on is Friday 28 March, the 6th Monday 31 March
    audit(auditor, dt.date(2025, 3, 30), "C-SUNDAY")

    run(today=friday)

    assert "Due: Sunday 30 March 2025 (in 5 working days)" in mail.outbox[0].body


def test_one_email_per_auditor_and_only_their_own_audits(auditor, run):
    audit(auditor, dt.date(2025, 4, 10), "C-ASH-1")
    audit(auditor, dt.date(2025, 4, 14), "C-ASH-2")
    other = _with_email(make_user(roles.AUDITOR, "bea"), "bea@northmoor.example")
    audit(other, dt.date(2025, 4, 1), "C-BEA")

    result = run()

    assert sorted(result.sent_to) == ["ash", "bea"]
    ash = next(m for m in mail.outbox if m.to == ["ash@northmoor.example"])
    assert ash.subject == "Case audits: 2 audits overdue"
    assert "C-BEA" not in ash.body
    assert ash.body.index("C-ASH-1") < ash.body.index("C-ASH-2")


@pytest.mark.parametrize(
    "status", [CaseAudit.Status.SUBMITTED, CaseAudit.Status.MODERATED, CaseAudit.Status.SHARED]
)
def test_audits_already_submitted_moderated_or_shared_are_not_listed_to_the_auditor(auditor, run, status):
    extra = {"shared_at": dt.datetime(2025, 4, 2, 10, tzinfo=LONDON)} if status == "shared" else {}
    audit(auditor, dt.date(2025, 4, 10), "C-DONE", status=status, **extra)

    result = run()

    assert result.sent_to == []
    assert mail.outbox == []
    assert not AuditReminderSent.objects.exists()


def test_links_are_absolute_when_a_site_url_is_set(auditor, run, settings):
    settings.SITE_URL = "https://readiness.northmoor.example/"
    due = audit(auditor, FIFTH_WORKING_DAY)

    run()

    site = "https://readiness.northmoor.example"
    body = mail.outbox[0].body
    assert f"Open it: {site}{reverse('casework:audit-edit', kwargs={'audit_pk': due.pk})}" in body
    assert f"{site}{reverse('readiness:notification-preferences')}" in body


def test_the_email_names_children_only_by_their_pseudonymous_id(auditor, moderator, run):
    due = audit(
        auditor,
        dt.date(2025, 4, 10),
        "C-7731",
        member__child__birth_year=2011,
        member__child__birth_month=7,
        member__child__gender=Child.Gender.MALE,
        member__child__ethnicity="WBRI",
        member__child__disability=True,
        member__child__uasc=True,
        strengths="Strong direct work with the child",
        areas_for_development="Contingency planning is vague",
    )
    submitted(
        auditor,
        dt.date(2025, 4, 11),
        "C-8842",
        member__child__ethnicity="MWBC",
        member__child__birth_year=2009,
    )

    run()

    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "C-7731" in bodies["ash@northmoor.example"]
    assert "C-8842" in bodies["priya@northmoor.example"]
    for body in bodies.values():
        for personal in ("2011", "2009", "WBRI", "MWBC", due.child.get_gender_display(), "asylum"):
            assert personal not in body
        assert "Strong direct work" not in body
        assert "Contingency planning" not in body
        assert "disab" not in body.lower()


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(GOOD_FRIDAY, id="bank holiday"),
        pytest.param(SATURDAY, id="weekend"),
        pytest.param(dt.date(2025, 4, 16), id="council closure"),
    ],
)
def test_nothing_is_sent_on_a_day_that_is_not_a_working_day(auditor, moderator, run, day):
    NonWorkingDayFactory(date=dt.date(2025, 4, 16), name="Council closure")
    audit(auditor, dt.date(2025, 4, 1))
    submitted(auditor, dt.date(2025, 4, 1))

    result = run(today=day)

    assert result.skipped_reason == NOT_A_WORKING_DAY.format(day=day.isoformat())
    assert mail.outbox == []
    assert not AuditReminderSent.objects.exists()


def test_never_sent_twice_for_the_same_audit_and_day(auditor, moderator, run):
    audit(auditor, dt.date(2025, 4, 10))
    audit(auditor, FIFTH_WORKING_DAY)
    submitted(auditor, dt.date(2025, 4, 11))

    first = run()
    second = run()

    assert sorted(first.sent_to) == ["ash", "priya"]
    assert second.sent_to == []
    assert second.already_sent == 3
    assert len(mail.outbox) == 2
    assert AuditReminderSent.objects.count() == 3


def test_overdue_audits_are_reminded_again_the_next_working_day(auditor, run):
    audit(auditor, dt.date(2025, 4, 10))

    run(today=THURSDAY)
    run(today=dt.date(2025, 4, 22))  # Tuesday after Easter

    assert len(mail.outbox) == 2
    assert "(overdue by 6 working days)" in mail.outbox[1].body


def test_the_email_goes_only_when_the_transaction_commits(auditor, django_capture_on_commit_callbacks):
    audit(auditor, dt.date(2025, 4, 10))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        audit_reminders_send(today=THURSDAY)

    assert mail.outbox == []
    assert AuditReminderSent.objects.count() == 1
    assert len(callbacks) == 1


def test_people_who_opted_out_are_not_emailed(auditor, moderator, run):
    NotificationPreference.objects.create(user=auditor, case_audit_reminders=False)
    NotificationPreference.objects.create(user=moderator, moderation_reminders=False)
    audit(auditor, dt.date(2025, 4, 10))
    submitted(auditor, dt.date(2025, 4, 1))

    result = run()

    assert sorted(result.opted_out) == ["ash", "priya"]
    assert mail.outbox == []
    assert not AuditReminderSent.objects.exists()


def test_opting_out_of_action_reminders_does_not_stop_case_audit_reminders(auditor, run):
    NotificationPreference.objects.create(user=auditor, action_reminders=False, daily_digest=False)
    audit(auditor, dt.date(2025, 4, 10))

    assert run().sent_to == ["ash"]


def test_inactive_people_and_people_without_an_email_address_are_skipped_and_counted(auditor, run):
    no_address = make_user(roles.AUDITOR, "no-address")
    gone = _with_email(make_user(roles.AUDITOR, "gone"), "gone@northmoor.example")
    gone.is_active = False
    gone.save()
    audit(no_address, dt.date(2025, 4, 10))
    audit(gone, dt.date(2025, 4, 10))
    audit(auditor, dt.date(2025, 4, 10))

    result = run()

    assert sorted(result.no_email) == ["gone", "no-address"]
    assert result.sent_to == ["ash"]
    assert [m.to for m in mail.outbox] == [["ash@northmoor.example"]]
    assert AuditReminderSent.objects.get().user == auditor


def test_moderators_get_submitted_audits_waiting_more_than_two_working_days(auditor, moderator, run):
    # Thursday 17 April: submitted on Monday 14 April has waited 3 working days, Tuesday 15th 2.
    waiting = submitted(auditor, dt.date(2025, 4, 14), "C-WAITING", member__sample__title="Ofsted 18")
    submitted(auditor, dt.date(2025, 4, 15), "C-RECENT")
    audit(auditor, THURSDAY, "C-MODERATED", status=CaseAudit.Status.MODERATED)
    administrator = _with_email(make_user(roles.ADMINISTRATOR, "adam"), "adam@northmoor.example")
    _with_email(make_user(roles.DCS, "dana"), "dana@northmoor.example")  # may not moderate

    result = run()

    assert sorted(result.sent_to) == ["adam", "priya"]  # the auditor has nothing open
    assert sorted(m.to[0] for m in mail.outbox) == ["adam@northmoor.example", "priya@northmoor.example"]
    for message in mail.outbox:
        assert message.subject == "Case audits: 1 audit awaiting moderation"
        assert "Child ID: C-WAITING\n  Sample: Ofsted 18\n" in message.body
        assert "Submitted: Monday 14 April 2025 (3 working days ago)" in message.body
        assert f"Moderate it: {reverse('casework:audit-moderate', kwargs={'audit_pk': waiting.pk})}" in (
            message.body
        )
        assert "C-RECENT" not in message.body
        assert "C-MODERATED" not in message.body
    assert set(AuditReminderSent.objects.filter(kind="awaiting_moderation").values_list("audit", "user")) == {
        (waiting.pk, moderator.pk),
        (waiting.pk, administrator.pk),
    }


def test_a_named_moderator_alone_is_reminded(auditor, moderator, run):
    named = _with_email(make_user(roles.PERFORMANCE_MANAGER, "mo"), "mo@northmoor.example")
    submitted(auditor, dt.date(2025, 4, 1), moderator=named)

    result = run()

    assert result.sent_to == ["mo"]
    assert [m.to for m in mail.outbox] == [["mo@northmoor.example"]]


def test_nobody_is_asked_to_moderate_their_own_audit(moderator, run):
    submitted(moderator, dt.date(2025, 4, 1), "C-OWN")

    result = run()

    assert result.sent_to == []
    assert mail.outbox == []


def test_the_waiting_time_skips_the_bank_holidays(auditor, moderator, run):
    # Submitted on Thursday 17 April, before Good Friday and Easter Monday.
    submitted(auditor, THURSDAY, "C-BEFORE-EASTER")
    tuesday = dt.date(2025, 4, 22)
    wednesday = dt.date(2025, 4, 23)

    assert run(today=tuesday).sent_to == []  # 1 working day (Tuesday 22nd)
    assert run(today=wednesday).sent_to == []  # 2 working days
    assert run(today=dt.date(2025, 4, 24)).sent_to == ["priya"]  # 3 working days
    assert "(3 working days ago)" in mail.outbox[0].body


def test_subject_wording():
    assert (
        auditor_subject(overdue=2, due_soon=1) == "Case audits: 2 audits overdue, 1 due within 5 working days"
    )
    assert auditor_subject(overdue=1, due_soon=0) == "Case audits: 1 audit overdue"
    assert auditor_subject(overdue=0, due_soon=3) == "Case audits: 3 audits due within 5 working days"
    assert moderator_subject(waiting=1) == "Case audits: 1 audit awaiting moderation"


def test_an_audit_outside_any_sample_says_so(auditor, run):
    audit(auditor, dt.date(2025, 4, 10), member=None, child=ChildFactory(), cohort="looked_after")

    run()

    assert f"Sample: {NOT_IN_A_SAMPLE}" in mail.outbox[0].body


def test_the_task_runs_through_celery(auditor, django_capture_on_commit_callbacks):
    from readiness.audit_reminders.tasks import case_audit_reminders

    audit(auditor, dt.date(2025, 4, 10))

    with django_capture_on_commit_callbacks(execute=True):
        result = case_audit_reminders.delay(THURSDAY.isoformat()).get()
    assert result == {"day": "2025-04-17", "sent": ["ash"], "audits": 1, "skipped": ""}
    with django_capture_on_commit_callbacks(execute=True):
        again = case_audit_reminders.delay(THURSDAY.isoformat()).get()
    assert again["sent"] == []
    assert len(mail.outbox) == 1


def test_the_task_is_scheduled_at_five_past_seven_on_weekdays():
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks")
    task = PeriodicTask.objects.get(task="readiness.case_audit_reminders")
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("5", "7", "1-5")
    assert str(task.crontab.timezone) == "Europe/London"
    assert task.enabled


def test_an_auditor_can_turn_case_audit_reminders_off(client_for):
    signed_in = client_for(roles.AUDITOR)
    url = reverse("readiness:notification-preferences")
    page = signed_in.get(url).content.decode()
    assert "Do you want reminders about the case audits you carry out?" in page
    # Auditors get neither the digest, action reminders nor moderation, so they are not asked.
    assert "Do you want the daily digest e-mail?" not in page
    assert "improvement plan actions" not in page
    assert "waiting for your moderation" not in page

    response = signed_in.post(url, {"case_audit_reminders": "no"})

    assert response.status_code == 302
    preference = NotificationPreference.objects.get()
    assert (preference.daily_digest, preference.action_reminders, preference.case_audit_reminders) == (
        True,
        True,
        False,
    )


def test_a_performance_manager_is_asked_about_all_four(client_for):
    signed_in = client_for(roles.PERFORMANCE_MANAGER)
    url = reverse("readiness:notification-preferences")
    page = signed_in.get(url).content.decode()
    assert "Do you want the daily digest e-mail?" in page
    assert "Do you want reminders about the case audits you carry out?" in page
    assert "Do you want reminders about case audits waiting for your moderation?" in page

    signed_in.post(
        url,
        {
            "daily_digest": "yes",
            "action_reminders": "yes",
            "case_audit_reminders": "no",
            "moderation_reminders": "yes",
        },
    )

    preference = NotificationPreference.objects.get()
    assert (preference.case_audit_reminders, preference.moderation_reminders) == (False, True)
