"""One case audit e-mail a morning for someone who both carries out and moderates audits: a "Your
audits" part and a "Waiting for your moderation" part, each sent once a day and each answering to
its own e-mail choice."""

import datetime as dt

import pytest
from django.core import mail

from casework.models import CaseAudit
from readiness import roles
from readiness.audit_reminders import services
from readiness.audit_reminders.models import AuditReminderSent
from readiness.audit_reminders.services import case_audits_subject
from readiness.dashboards.models import NotificationPreference
from tests.conftest import make_user
from tests.readiness.test_case_audit_reminders import (
    FIFTH_WORKING_DAY,
    THURSDAY,
    _with_email,
    audit,
    submitted,
)

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.date(2025, 4, 16)
YOUR_AUDITS = "YOUR AUDITS"
MODERATION = "WAITING FOR YOUR MODERATION"


@pytest.fixture
def both():
    """A performance manager: may moderate, and has audits of their own to carry out."""
    return _with_email(make_user(roles.PERFORMANCE_MANAGER, "priya"), "priya@northmoor.example")


@pytest.fixture
def auditor():
    return _with_email(make_user(roles.AUDITOR, "ash"), "ash@northmoor.example")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def _run(today=THURSDAY):
        with django_capture_on_commit_callbacks(execute=True):
            return services.audit_reminders_send(today=today)

    return _run


@pytest.fixture
def lines(both, auditor):
    """Priya's own overdue and due-soon audits, and one of Ash's waiting for moderation."""
    return {
        "overdue": audit(both, dt.date(2025, 4, 10), "C-OWN-LATE"),
        "due_soon": audit(both, FIFTH_WORKING_DAY, "C-OWN-SOON", status=CaseAudit.Status.ASSIGNED),
        "waiting": submitted(auditor, dt.date(2025, 4, 14), "C-TO-MODERATE"),
    }


def priya_messages():
    return [message for message in mail.outbox if message.to == ["priya@northmoor.example"]]


def test_one_email_with_both_sections_for_someone_who_audits_and_moderates(both, lines, run):
    result = run()

    assert result.sent_to == ["priya"]
    assert result.audits_reminded == 3
    [message] = mail.outbox
    assert message.subject == (
        "Case audits: 1 audit overdue, 1 due within 5 working days and 1 audit awaiting moderation"
    )
    body = message.body
    assert body.index(YOUR_AUDITS) < body.index("C-OWN-LATE") < body.index("C-OWN-SOON")
    assert body.index("C-OWN-SOON") < body.index(MODERATION) < body.index("C-TO-MODERATE")
    assert "OVERDUE (1)" in body
    assert "DUE WITHIN 5 WORKING DAYS (1)" in body
    assert "AWAITING MODERATION (1)" in body
    assert "case audits are assigned to you and you can moderate case audits" in body
    assert body.count("Good morning") == 1
    assert set(AuditReminderSent.objects.values_list("audit", "kind", "user", "date")) == {
        (lines["overdue"].pk, "overdue", both.pk, THURSDAY),
        (lines["due_soon"].pk, "due_soon", both.pk, THURSDAY),
        (lines["waiting"].pk, "awaiting_moderation", both.pk, THURSDAY),
    }


def test_the_combined_email_names_children_only_by_their_id(both, lines, run):
    run()

    body = mail.outbox[0].body
    for audit_ in lines.values():
        assert f"Child ID: {audit_.child.child_id}" in body
        assert str(audit_.child.birth_year) not in body


def test_a_single_role_email_has_no_section_headings(auditor, both, run):
    audit(auditor, dt.date(2025, 4, 10), "C-ASH")
    submitted(auditor, dt.date(2025, 4, 14), "C-WAITING")

    run()

    ash = next(m for m in mail.outbox if m.to == ["ash@northmoor.example"])
    [priya] = priya_messages()
    assert YOUR_AUDITS not in ash.body and MODERATION not in ash.body
    assert YOUR_AUDITS not in priya.body and MODERATION not in priya.body
    assert priya.subject == "Case audits: 1 audit awaiting moderation"


def test_re_running_the_same_day_sends_nothing(both, lines, run):
    first = run()
    second = run()

    assert first.sent_to == ["priya"]
    assert second.sent_to == []
    assert second.already_sent == 3
    assert len(mail.outbox) == 1
    assert AuditReminderSent.objects.count() == 3


def test_the_combined_email_goes_only_when_the_transaction_commits(
    both, lines, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.audit_reminders_send(today=THURSDAY)

    assert mail.outbox == []
    assert AuditReminderSent.objects.count() == 3
    assert len(callbacks) == 1  # one e-mail, not one per section


def test_lines_sent_yesterday_are_sent_again_today(both, lines, run):
    kinds = {"overdue": "overdue", "due_soon": "due_soon", "waiting": "awaiting_moderation"}
    for name, audit_ in lines.items():
        AuditReminderSent.objects.create(audit=audit_, date=WEDNESDAY, kind=kinds[name], user=both)

    result = run()

    assert result.sent_to == ["priya"]
    assert result.already_sent == 0
    [message] = mail.outbox
    assert YOUR_AUDITS in message.body and MODERATION in message.body
    assert AuditReminderSent.objects.filter(date=THURSDAY).count() == 3


def test_a_section_already_sent_today_is_left_out(both, lines, run):
    """Say the moderation part went earlier today (before the e-mails were combined): only the rest goes."""
    AuditReminderSent.objects.create(
        audit=lines["waiting"], date=THURSDAY, kind="awaiting_moderation", user=both
    )

    result = run()

    assert result.already_sent == 1
    [message] = mail.outbox
    assert message.subject == "Case audits: 1 audit overdue, 1 due within 5 working days"
    assert "C-TO-MODERATE" not in message.body
    assert MODERATION not in message.body and YOUR_AUDITS not in message.body


def test_turning_off_both_choices_stops_both_sections(both, lines, run):
    NotificationPreference.objects.create(user=both, case_audit_reminders=False, moderation_reminders=False)

    result = run()

    assert result.opted_out == ["priya"]
    assert result.sent_to == []
    assert mail.outbox == []
    assert not AuditReminderSent.objects.exists()


@pytest.mark.parametrize(
    ("off", "kept", "dropped"),
    [
        pytest.param("awaiting_moderation", "C-OWN-LATE", "C-TO-MODERATE", id="moderation off"),
        pytest.param("overdue", "C-TO-MODERATE", "C-OWN-LATE", id="own audits off"),
    ],
)
def test_turning_off_one_kind_leaves_the_other_section(both, lines, run, off, kept, dropped):
    """Carrying out audits and moderating them are two choices (KIND_PREFERENCES)."""
    choice = "moderation_reminders" if off == "awaiting_moderation" else "case_audit_reminders"
    NotificationPreference.objects.create(user=both, **{choice: False})

    result = run()

    assert result.opted_out == ["priya"]
    assert result.sent_to == ["priya"]
    [message] = mail.outbox
    assert kept in message.body
    assert dropped not in message.body
    assert ("C-OWN-SOON" in message.body) is (off == "awaiting_moderation")
    assert YOUR_AUDITS not in message.body and MODERATION not in message.body
    assert not AuditReminderSent.objects.filter(audit__child__child_id=dropped).exists()


@pytest.mark.parametrize("change", ["inactive", "no address"])
def test_inactive_or_addressless_people_get_neither_section(both, lines, run, change):
    if change == "inactive":
        both.is_active = False
    else:
        both.email = ""
    both.save()

    result = run()

    assert result.no_email == ["priya"]  # counted once, not once per section
    assert mail.outbox == []
    assert not AuditReminderSent.objects.exists()


def test_nobody_moderates_their_own_audit_in_the_combined_email(both, lines, run):
    submitted(both, dt.date(2025, 4, 14), "C-OWN-SUBMITTED")

    run()

    [message] = mail.outbox
    assert "C-OWN-SUBMITTED" not in message.body
    assert "C-TO-MODERATE" in message.body


def test_combined_subject_wording():
    assert case_audits_subject(overdue=2, due_soon=1, waiting=3) == (
        "Case audits: 2 audits overdue, 1 due within 5 working days and 3 audits awaiting moderation"
    )
    assert (
        case_audits_subject(overdue=1, waiting=1)
        == "Case audits: 1 audit overdue and 1 audit awaiting moderation"
    )
    assert case_audits_subject(due_soon=2, waiting=1) == (
        "Case audits: 2 audits due within 5 working days and 1 audit awaiting moderation"
    )
    assert case_audits_subject(overdue=1) == "Case audits: 1 audit overdue"
    assert case_audits_subject(waiting=2) == "Case audits: 2 audits awaiting moderation"


def test_whoever_had_turned_case_audit_reminders_off_keeps_moderation_off_after_the_split(both, auditor):
    """Migration 0010: one choice used to cover both; turning it off meant neither."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("readiness.migrations.0010_moderation_reminders")
    off = NotificationPreference.objects.create(user=both, case_audit_reminders=False)
    on = NotificationPreference.objects.create(user=auditor, case_audit_reminders=True)
    migration.keep_each_persons_choice(apps, None)
    off.refresh_from_db()
    on.refresh_from_db()
    assert (off.case_audit_reminders, off.moderation_reminders) == (False, False)
    assert (on.case_audit_reminders, on.moderation_reminders) == (True, True)
