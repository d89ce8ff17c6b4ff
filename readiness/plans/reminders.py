"""Reminders to action owners: due in 5 working days, and overdue.

`reminders_send` runs each weekday morning (the `readiness.action_reminders` task). On a working
day (the council's calendar: weekends, bank holidays and local closures are skipped) it finds open
actions that are overdue or whose due date is 5 working days ahead, and sends each owner one
plain-text e-mail listing them.

"Due in 5 working days" covers every due date from the 5th working day after today up to, not
including, the 6th: an action due on a Saturday or a bank holiday is reminded about with the
working day before it, so no due date falls between two runs.

Each (action, day, kind) is recorded as a `ReminderSent` row in the transaction that decides to
send; the e-mail goes after commit. A second run the same day finds the rows and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from readiness.plans.models import Action, Rag, ReminderSent

logger = logging.getLogger(__name__)

DUE_SOON_WORKING_DAYS = 5
NOT_A_WORKING_DAY = "{day} is not a working day"


@dataclass
class ReminderResult:
    day: dt.date
    skipped_reason: str = ""
    sent_to: list[str] = field(default_factory=list)  # usernames e-mailed
    actions_reminded: int = 0
    already_sent: int = 0  # actions already reminded about today
    opted_out: list[str] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)  # no address, or the account is inactive


@dataclass
class ReminderLine:
    action: Action
    kind: str
    rag_label: str
    url: str
    working_days_overdue: int = 0


def _absolute(path: str) -> str:
    """Prefix a path with SITE_URL when it is set; otherwise leave it relative."""
    site = getattr(settings, "SITE_URL", "") or ""
    return f"{site.rstrip('/')}{path}" if site else path


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def reminder_subject(*, overdue: int, due_soon: int) -> str:
    """For example "Improvement plan: 2 actions overdue, 1 due in 5 working days"."""
    soon = f"due in {DUE_SOON_WORKING_DAYS} working days"
    if overdue and due_soon:
        text = f"{_plural(overdue, 'action')} overdue, {due_soon} {soon}"
    elif overdue:
        text = f"{_plural(overdue, 'action')} overdue"
    else:
        text = f"{_plural(due_soon, 'action')} {soon}"
    return f"Improvement plan: {text}"


def reminder_candidates(*, today: dt.date, calendar) -> list[ReminderLine]:
    """Open actions with an owner that are overdue or due in 5 working days, in one query."""
    from inspections import working_days

    soon_from = working_days.add_working_days(today, DUE_SOON_WORKING_DAYS, calendar)
    soon_until = working_days.add_working_days(today, DUE_SOON_WORKING_DAYS + 1, calendar)
    actions = (
        Action.objects.exclude(status=Action.Status.COMPLETE)
        .filter(owner__isnull=False)
        .filter(Q(due_on__lt=today) | Q(due_on__gte=soon_from, due_on__lt=soon_until))
        .select_related("priority", "priority__plan", "owner", "owner__notification_preference")
        .with_rag(today=today)
        .order_by("owner_id", "due_on", "priority__plan_id", "priority__order", "pk")
    )
    lines = []
    for action in actions:
        overdue = action.due_on < today
        lines.append(
            ReminderLine(
                action=action,
                kind=ReminderSent.Kind.OVERDUE if overdue else ReminderSent.Kind.DUE_SOON,
                rag_label=Rag(action.rag).label,
                url=_absolute(action.get_absolute_url()),
                working_days_overdue=(
                    working_days.working_days_between(action.due_on, today, calendar) if overdue else 0
                ),
            )
        )
    return lines


def _send(*, to: str, subject: str, body: str) -> None:
    EmailMessage(subject=subject, body=body, to=[to]).send()


def reminders_send(*, today: dt.date | None = None) -> ReminderResult:
    """E-mail each action owner once about their overdue and due-soon actions; skip non-working days."""
    from inspections import working_days
    from inspections.selectors import working_calendar

    today = today or timezone.localdate()
    result = ReminderResult(day=today)
    calendar = working_calendar()
    if not working_days.is_working_day(today, calendar):
        result.skipped_reason = NOT_A_WORKING_DAY.format(day=today.isoformat())
        return result

    by_owner: dict[int, list[ReminderLine]] = {}
    for line in reminder_candidates(today=today, calendar=calendar):
        by_owner.setdefault(line.action.owner_id, []).append(line)

    preferences_url = _absolute(reverse("readiness:notification-preferences"))
    for lines in by_owner.values():
        owner = lines[0].action.owner
        preference = getattr(owner, "notification_preference", None)
        if preference is not None and not preference.action_reminders:
            result.opted_out.append(owner.get_username())
            continue
        if not owner.email or not owner.is_active:
            result.no_email.append(owner.get_username())
            continue
        with transaction.atomic():
            already = set(
                ReminderSent.objects.filter(
                    date=today, action__in=[line.action for line in lines]
                ).values_list("action_id", "kind")
            )
            fresh = []
            for line in lines:
                if (line.action.pk, line.kind) in already:
                    result.already_sent += 1
                    continue
                try:
                    with transaction.atomic():  # a savepoint: a run at the same moment may win this row
                        ReminderSent.objects.create(
                            action=line.action, date=today, kind=line.kind, user=owner
                        )
                except IntegrityError:
                    result.already_sent += 1
                    continue
                fresh.append(line)
            if not fresh:
                continue
            overdue = [line for line in fresh if line.kind == ReminderSent.Kind.OVERDUE]
            due_soon = [line for line in fresh if line.kind == ReminderSent.Kind.DUE_SOON]
            body = render_to_string(
                "readiness/plans/reminder_email.txt",
                {
                    "user": owner,
                    "today": today,
                    "overdue": overdue,
                    "due_soon": due_soon,
                    "working_days": DUE_SOON_WORKING_DAYS,
                    "preferences_url": preferences_url,
                    "service_name": settings.SERVICE_NAME,
                    "council_name": settings.COUNCIL_NAME,
                },
            )
            subject = reminder_subject(overdue=len(overdue), due_soon=len(due_soon))
            transaction.on_commit(partial(_send, to=owner.email, subject=subject, body=body))
        result.sent_to.append(owner.get_username())
        result.actions_reminded += len(fresh)
    logger.info(
        "Action reminders for %s: %d e-mail(s), %d action(s)",
        today,
        len(result.sent_to),
        result.actions_reminded,
    )
    return result
