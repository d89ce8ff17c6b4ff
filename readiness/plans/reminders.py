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
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string

from readiness.plans.models import Action, Rag, ReminderSent
from readiness.reminders import (
    NOT_A_WORKING_DAY,
    ReminderRun,
    absolute,
    plural,
    preferences_url,
    recipient_skipped,
    run_start,
    send_once,
)

logger = logging.getLogger(__name__)

DUE_SOON_WORKING_DAYS = 5
__all__ = ["NOT_A_WORKING_DAY", "ReminderResult", "reminder_candidates", "reminder_subject", "reminders_send"]


@dataclass
class ReminderResult(ReminderRun):
    actions_reminded: int = 0


@dataclass
class ReminderLine:
    action: Action
    kind: str
    rag_label: str
    url: str
    working_days_overdue: int = 0


def reminder_subject(*, overdue: int, due_soon: int) -> str:
    """For example "Improvement plan: 2 actions overdue, 1 due in 5 working days"."""
    soon = f"due in {DUE_SOON_WORKING_DAYS} working days"
    if overdue and due_soon:
        text = f"{plural(overdue, 'action')} overdue, {due_soon} {soon}"
    elif overdue:
        text = f"{plural(overdue, 'action')} overdue"
    else:
        text = f"{plural(due_soon, 'action')} {soon}"
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
                url=absolute(action.get_absolute_url()),
                working_days_overdue=(
                    working_days.working_days_between(action.due_on, today, calendar) if overdue else 0
                ),
            )
        )
    return lines


def reminders_send(*, today: dt.date | None = None) -> ReminderResult:
    """E-mail each action owner once about their overdue and due-soon actions; skip non-working days."""
    result, calendar = run_start(ReminderResult, today)
    if result.skipped_reason:
        return result
    today = result.day

    by_owner: dict[int, list[ReminderLine]] = {}
    for line in reminder_candidates(today=today, calendar=calendar):
        by_owner.setdefault(line.action.owner_id, []).append(line)

    preferences = preferences_url()
    for lines in by_owner.values():
        owner = lines[0].action.owner
        if recipient_skipped(result, owner, choice="action_reminders"):
            continue

        def compose(fresh: list[ReminderLine], owner=owner) -> tuple[str, str]:
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
                    "preferences_url": preferences,
                    "service_name": settings.SERVICE_NAME,
                    "council_name": settings.COUNCIL_NAME,
                },
            )
            return reminder_subject(overdue=len(overdue), due_soon=len(due_soon)), body

        fresh = send_once(
            run=result,
            user=owner,
            lines=lines,
            already=lambda lines=lines: set(
                ReminderSent.objects.filter(
                    date=today, action__in=[line.action for line in lines]
                ).values_list("action_id", "kind")
            ),
            key=lambda line: (line.action.pk, line.kind),
            record=lambda line, owner=owner: ReminderSent.objects.create(
                action=line.action, date=today, kind=line.kind, user=owner
            ),
            compose=compose,
        )
        result.actions_reminded += len(fresh)
    logger.info(
        "Action reminders for %s: %d e-mail(s), %d action(s)",
        today,
        len(result.sent_to),
        result.actions_reminded,
    )
    return result
