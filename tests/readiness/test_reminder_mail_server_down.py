"""A reminder the mail server refused is sent again, not lost: its "sent" rows are taken back and the
task fails for Celery to retry (at least once, where before it was at most once)."""

import smtplib

import pytest
from django.core import mail

from readiness import reminders
from readiness.audit_reminders import services
from readiness.audit_reminders.models import AuditReminderSent
from readiness.audit_reminders.tasks import case_audit_reminders
from readiness.reminders import TASK_OPTIONS
from tests.readiness.test_case_audit_reminders import THURSDAY
from tests.readiness.test_case_audit_reminders_combined import (  # noqa: F401
    auditor,  # noqa: F401
    both,
    lines,
    priya_messages,
)

pytestmark = pytest.mark.django_db


def _send(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.audit_reminders_send(today=THURSDAY)


def test_a_refused_email_takes_its_rows_back_and_the_next_run_sends_it(
    both,  # noqa: F811 - a fixture
    lines,  # noqa: F811 - a fixture
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    real = reminders.send_email

    def refused(**kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(reminders, "send_email", refused)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        _send(django_capture_on_commit_callbacks)
    assert not mail.outbox
    # Nothing is recorded as sent to the person whose e-mail failed, so nothing is lost.
    assert not AuditReminderSent.objects.filter(user=both).exists()
    taken_back = AuditReminderSent.history.filter(history_type="-").count()
    assert taken_back >= 1  # the history shows the rows written and taken back

    monkeypatch.setattr(reminders, "send_email", real)
    _send(django_capture_on_commit_callbacks)
    [message] = priya_messages()
    assert "C-OWN-LATE" in message.body and "C-TO-MODERATE" in message.body
    # And once sent, a third run the same day sends nothing more.
    mail.outbox.clear()
    _send(django_capture_on_commit_callbacks)
    assert not priya_messages()


def test_the_reminder_tasks_retry_a_mail_server_that_does_not_answer():
    assert OSError in TASK_OPTIONS["autoretry_for"]
    assert issubclass(smtplib.SMTPException, OSError)
    assert OSError in case_audit_reminders.autoretry_for
    assert case_audit_reminders.max_retries == TASK_OPTIONS["max_retries"]
