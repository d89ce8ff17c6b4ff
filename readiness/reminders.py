"""What every morning reminder e-mail shares: the working-day gate, who may be e-mailed, absolute
links, and sending once per item, day and kind.

The action reminders (`readiness.plans.reminders`) and the case audit reminders
(`readiness.audit_reminders.services`) both decide, in one transaction, which items are new today,
write one "sent" row per item (a unique constraint makes a second run, or a run at the same moment,
find it), and send the e-mail only after commit. If the mail server refuses it, the rows are deleted
again and the task fails, so its retry (or the next run that day) sends exactly those items.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)

NOT_A_WORKING_DAY = "{day} is not a working day"
# For each reminder task: a worker lost mid-run re-runs it (the "sent" rows make that safe), and a
# database blip or a mail server that does not answer (OSError, smtplib's errors among them) is
# retried with backoff.
TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, OSError),
    "retry_backoff": True,
    "max_retries": 3,
    "ignore_result": True,
}


@dataclass
class ReminderRun:
    """What one morning's run did; the task returns parts of it."""

    day: dt.date
    skipped_reason: str = ""
    sent_to: list[str] = field(default_factory=list)  # usernames e-mailed
    already_sent: int = 0  # items already reminded about today
    opted_out: list[str] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)  # no address, or the account is inactive


def absolute(path: str) -> str:
    """Prefix a path with SITE_URL when it is set; otherwise leave it relative."""
    site = getattr(settings, "SITE_URL", "") or ""
    return f"{site.rstrip('/')}{path}" if site else path


def preferences_url() -> str:
    return absolute(reverse("readiness:notification-preferences"))


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def not_a_working_day(today: dt.date, calendar) -> str:
    """Return why nothing is sent today, or "" on a working day of the council's calendar."""
    from inspections import working_days

    if working_days.is_working_day(today, calendar):
        return ""
    return NOT_A_WORKING_DAY.format(day=today.isoformat())


def run_start(run_class: type[ReminderRun], today: dt.date | None):
    """Begin a morning's run: (run, calendar) for today by default; `run.skipped_reason` says if not."""
    from inspections.selectors import working_calendar

    run = run_class(day=today or timezone.localdate())
    calendar = working_calendar()
    run.skipped_reason = not_a_working_day(run.day, calendar)
    return run, calendar


def recipient_skipped(run: ReminderRun, user, *, choice: str) -> bool:
    """Count and skip a user who opted out of `choice`, has no address, or is inactive."""
    preference = getattr(user, "notification_preference", None)
    if preference is not None and not getattr(preference, choice):
        run.opted_out.append(user.get_username())
        return True
    if not user.email or not user.is_active:
        run.no_email.append(user.get_username())
        return True
    return False


def send_email(*, to: str, subject: str, body: str) -> None:
    EmailMessage(subject=subject, body=body, to=[to]).send()


def _send_or_forget(*, to: str, subject: str, body: str, rows: list) -> None:
    """Send the e-mail; if the mail server fails, delete its "sent" rows and raise for a retry."""
    try:
        send_email(to=to, subject=subject, body=body)
    except OSError:  # smtplib.SMTPException and socket errors
        with transaction.atomic():
            for row in rows:
                row.delete()  # through the model: the history shows the e-mail was taken back
        logger.warning("Reminder e-mail to %s not sent; %d item(s) will be sent again", to, len(rows))
        raise


def send_once(
    *,
    run: ReminderRun,
    user,
    lines: Sequence[Any],
    already: Callable[[], set[Hashable]],
    key: Callable[[Any], Hashable],
    record: Callable[[Any], None],
    compose: Callable[[list[Any]], tuple[str, str]],
) -> list[Any]:
    """Record each line not yet sent today and e-mail the user about those after commit.

    `already()` returns the keys recorded today for these lines, `key(line)` one line's key,
    `record(line)` writes and returns its "sent" row, and `compose(fresh)` returns the (subject,
    body). Returns the lines e-mailed about; none means no e-mail.
    """
    with transaction.atomic():
        recorded = already()
        fresh, rows = [], []
        for line in lines:
            if key(line) in recorded:
                run.already_sent += 1
                continue
            try:
                with transaction.atomic():  # a savepoint: a run at the same moment may win this row
                    rows.append(record(line))
            except IntegrityError:
                run.already_sent += 1
                continue
            fresh.append(line)
        if fresh:
            subject, body = compose(fresh)
            transaction.on_commit(
                partial(_send_or_forget, to=user.email, subject=subject, body=body, rows=rows)
            )
    if fresh:
        run.sent_to.append(user.get_username())
    return fresh
