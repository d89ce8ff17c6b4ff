"""Reminders about case audits: to auditors when due or overdue, to moderators when left waiting.

`audit_reminders_send` runs each weekday morning (the `readiness.case_audit_reminders` task). On a
working day of the council's calendar it sends each person ONE plain-text e-mail with up to three
sections:

- "Your audits": their open audits (assigned or in progress) that are overdue or due within 5
  working days (due on or before the 5th working day from today, or any day before the 6th, so a
  weekend due date is not missed);
- "Waiting for your moderation": submitted audits that have waited for moderation for more than 2
  working days. Nobody is named as moderator until an audit is moderated, so an audit with no
  moderator goes to everyone who holds `casework.moderate_audits` (Performance managers and
  Administrators, see readiness/roles.py), except its own auditor, who may not moderate it;
- "Actions for children that are overdue": the actions for children found by their own audits
  (they are the auditor), whatever the audit's status, that are not marked as done and were due
  before today. Each shows the child ID, the action (trimmed), its owner and due date.

Someone who both carries out and moderates audits gets every section in the one e-mail. Each kind
of line answers to its e-mail choice (`KIND_PREFERENCES`); a section the person turned off is left
out, and nobody is e-mailed about nothing.

Audits are reminded about again each working day until they move on, and overdue actions until they
are marked as done. Each (audit, day, kind, person) is an `AuditReminderSent` row written in the
transaction that decides to send (overdue actions: one row per audit, see `action_candidates`); the
e-mail goes after commit, so a second run the same day sends nothing. Children appear by their
pseudonymous child ID only, never any other detail from the child's record; the one free text is the
start of an action for the child, as the auditor wrote it, sent only to that auditor.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from casework.models import CaseAudit, CaseAuditAction
from readiness.audit_reminders.models import AuditReminderSent
from readiness.reminders import (
    ReminderRun,
    absolute,
    plural,
    preferences_url,
    run_start,
    send_once,
)

logger = logging.getLogger(__name__)

DUE_SOON_WORKING_DAYS = 5
MODERATION_WAIT_WORKING_DAYS = 2
MODERATE_PERMISSION = "casework.moderate_audits"
# django-axes is the first backend and holds no permissions; with_perm must be told which to ask.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
PREFERENCE = "case_audit_reminders"
NOT_IN_A_SAMPLE = "Not in a sample"
SUBJECT_PREFIX = "Case audits: "
TEMPLATE = "readiness/audit_reminders/case_audits_email.txt"
ACTION_TEXT_CHARS = 80  # an action for the child is free text: the e-mail shows its start
MODERATION_PREFERENCE = "moderation_reminders"
# The e-mail choice (a NotificationPreference field) each kind of line answers to: the audits a
# person carries out (and the actions they found) under one, moderation under its own.
KIND_PREFERENCES = {
    AuditReminderSent.Kind.OVERDUE: PREFERENCE,
    AuditReminderSent.Kind.DUE_SOON: PREFERENCE,
    AuditReminderSent.Kind.AWAITING_MODERATION: MODERATION_PREFERENCE,
    AuditReminderSent.Kind.ACTIONS_OVERDUE: PREFERENCE,
}
# How the e-mail's opening names each section, in the order the sections come.
SECTION_NAMES = {
    "own_audits": "case audits assigned to you",
    "waiting": "submitted case audits waiting for your moderation",
    "actions_overdue": "actions for children from your audits that are overdue",
}
NUMBER_WORDS = {2: "two", 3: "three"}


@dataclass
class AuditReminderRun(ReminderRun):
    audits_reminded: int = 0  # (audit, person) pairs e-mailed about the audit itself
    actions_reminded: int = 0  # overdue actions for children e-mailed about


@dataclass
class OverdueAction:
    """One open action for the child past its due date, as the e-mail lists it."""

    action: CaseAuditAction
    url: str  # its "mark as done" page
    working_days: int  # overdue by

    @property
    def text(self) -> str:
        """The action on one line, trimmed: the e-mail is a reminder, the audit has the whole text."""
        return Truncator(" ".join(self.action.text.split())).chars(ACTION_TEXT_CHARS)


@dataclass
class AuditReminderLine:
    audit: CaseAudit
    kind: str
    url: str
    working_days: int = 0  # overdue by, due in, or waiting for, by kind
    actions: list[OverdueAction] = field(default_factory=list)  # the overdue actions, ACTIONS_OVERDUE only

    @property
    def child_id(self) -> str:
        return self.audit.child.child_id

    @property
    def sample_title(self) -> str:
        return self.audit.member.sample.title if self.audit.member_id else NOT_IN_A_SAMPLE


def auditor_subject(*, overdue: int, due_soon: int) -> str:
    """For example "Case audits: 2 overdue, 1 due within 5 working days"."""
    soon = f"due within {DUE_SOON_WORKING_DAYS} working days"
    if overdue and due_soon:
        text = f"{plural(overdue, 'audit')} overdue, {due_soon} {soon}"
    elif overdue:
        text = f"{plural(overdue, 'audit')} overdue"
    else:
        text = f"{plural(due_soon, 'audit')} {soon}"
    return f"{SUBJECT_PREFIX}{text}"


def moderator_subject(*, waiting: int) -> str:
    """For example "Case audits: 3 audits awaiting moderation"."""
    return f"{SUBJECT_PREFIX}{plural(waiting, 'audit')} awaiting moderation"


def actions_subject_part(*, actions: int) -> str:
    """For example "1 overdue action for a child" or "3 overdue actions for children"."""
    if actions == 1:
        return "1 overdue action for a child"
    return f"{actions} overdue actions for children"


def case_audits_subject(*, overdue: int = 0, due_soon: int = 0, waiting: int = 0, actions: int = 0) -> str:
    """The subject of one person's e-mail, covering whichever sections it has.

    For example "Case audits: 1 audit overdue and 2 audits awaiting moderation", or "Case audits:
    1 audit overdue, 2 audits awaiting moderation and 3 overdue actions for children".
    """
    parts = []
    if overdue or due_soon:
        parts.append(auditor_subject(overdue=overdue, due_soon=due_soon).removeprefix(SUBJECT_PREFIX))
    if waiting:
        parts.append(moderator_subject(waiting=waiting).removeprefix(SUBJECT_PREFIX))
    if actions:
        parts.append(actions_subject_part(actions=actions))
    if not parts:
        return auditor_subject(overdue=overdue, due_soon=due_soon)
    text = parts[-1] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{SUBJECT_PREFIX}{text}"


def _sections_text(names: list[str]) -> str:
    """ "A, and B" or "A, B, and C": the e-mail's opening names its sections."""
    described = [SECTION_NAMES[name] for name in names]
    return f"{', '.join(described[:-1])}, and {described[-1]}"


def _audits():
    return CaseAudit.objects.select_related(
        "child", "member__sample", "auditor", "auditor__notification_preference"
    )


def auditor_candidates(*, today: dt.date, calendar) -> list[AuditReminderLine]:
    """Open audits that are overdue or due within 5 working days, in one query."""
    from inspections import working_days

    soon_until = working_days.add_working_days(today, DUE_SOON_WORKING_DAYS + 1, calendar)
    audits = (
        _audits()
        .filter(status__in=[CaseAudit.Status.ASSIGNED, CaseAudit.Status.IN_PROGRESS])
        .filter(due_on__lt=soon_until)
        .order_by("auditor_id", "due_on", "child__child_id", "pk")
    )
    lines = []
    for audit in audits:
        overdue = audit.due_on < today
        lines.append(
            AuditReminderLine(
                audit=audit,
                kind=AuditReminderSent.Kind.OVERDUE if overdue else AuditReminderSent.Kind.DUE_SOON,
                url=absolute(audit.get_absolute_url()),
                working_days=(
                    working_days.working_days_between(audit.due_on, today, calendar)
                    if overdue
                    else working_days.working_days_between(today, audit.due_on, calendar)
                ),
            )
        )
    return lines


def moderation_candidates(*, today: dt.date, calendar) -> list[AuditReminderLine]:
    """Submitted audits that have waited for moderation for more than 2 working days, in one query.

    Waiting more than 2 working days means submitted before the 2nd working day before today.
    """
    from inspections import working_days

    cutoff = working_days.add_working_days(today, -MODERATION_WAIT_WORKING_DAYS, calendar)
    audits = (
        _audits()
        .select_related("moderator", "moderator__notification_preference")
        .filter(status=CaseAudit.Status.SUBMITTED)
        .filter(submitted_at__lt=timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min)))
        .order_by("submitted_at", "child__child_id", "pk")
    )
    return [
        AuditReminderLine(
            audit=audit,
            kind=AuditReminderSent.Kind.AWAITING_MODERATION,
            url=absolute(reverse("casework:audit-moderate", kwargs={"audit_pk": audit.pk})),
            working_days=working_days.working_days_between(
                timezone.localdate(audit.submitted_at), today, calendar
            ),
        )
        for audit in audits
    ]


def action_candidates(*, today: dt.date, calendar) -> list[AuditReminderLine]:
    """Open actions for children past their due date, one line per audit, in one query.

    Each line goes to the audit's auditor and lists all the audit's overdue actions. The line, and
    so the `AuditReminderSent` row, is the audit's rather than each action's: the row points at an
    audit (its key is audit, day, kind and person), and one row per audit per working day is all the
    "sent once" rule needs. Whether an action is overdue depends only on the day, so every action
    overdue this morning is known when the row is written; a second run the same day finds the row
    and sends nothing, and the next working day has no row yet, so the actions still open are sent
    again, as overdue audits are. (An action added later the same day with a due date already past,
    on an audit reminded about that morning, waits for the next working day.)
    """
    from inspections import working_days

    actions = (
        CaseAuditAction.objects.filter(done_on__isnull=True, due_on__lt=today)
        .select_related(
            "audit__child",
            "audit__member__sample",
            "audit__auditor",
            "audit__auditor__notification_preference",
        )
        .order_by("audit__auditor_id", "due_on", "audit__child__child_id", "audit_id", "pk")
    )
    lines: dict[int, AuditReminderLine] = {}  # audit pk -> line, the audit with the oldest action first
    for action in actions:
        line = lines.get(action.audit_id)
        if line is None:
            line = lines[action.audit_id] = AuditReminderLine(
                audit=action.audit,
                kind=AuditReminderSent.Kind.ACTIONS_OVERDUE,
                url=absolute(f"{reverse('casework:audit-action-list')}?show=overdue"),
            )
        line.actions.append(
            OverdueAction(
                action=action,
                url=absolute(reverse("casework:audit-action-done", kwargs={"audit_action_pk": action.pk})),
                working_days=working_days.working_days_between(action.due_on, today, calendar),
            )
        )
    return list(lines.values())


def moderators() -> list:
    """Everyone who may moderate any audit, active or not (the inactive are counted, then skipped)."""
    return list(
        get_user_model()
        .objects.with_perm(MODERATE_PERMISSION, is_active=None, backend=PERMISSION_BACKEND)
        .select_related("notification_preference")
        .order_by("pk")
    )


def _wanted(run: AuditReminderRun, user, lines: list[AuditReminderLine]) -> list[AuditReminderLine]:
    """The lines this person chose to hear about and can be e-mailed about; none means skip them.

    Each kind is checked against its own e-mail choice, so a person who turns one off still gets
    the other section. Anyone who turned off something they would have had is counted as opted out;
    people with no address, and inactive accounts, are counted and skipped.
    """
    preference = getattr(user, "notification_preference", None)
    wanted = [
        line for line in lines if preference is None or getattr(preference, KIND_PREFERENCES[line.kind])
    ]
    if len(wanted) < len(lines):
        run.opted_out.append(user.get_username())
    if not wanted:
        return []
    if not user.email or not user.is_active:
        run.no_email.append(user.get_username())
        return []
    return wanted


def _send(run: AuditReminderRun, *, today: dt.date, user, lines: list[AuditReminderLine]) -> None:
    """E-mail one person once today about the lines not yet sent to them: one e-mail, both sections."""

    def compose(fresh: list[AuditReminderLine]) -> tuple[str, str]:
        by_kind = {kind: [line for line in fresh if line.kind == kind] for kind in AuditReminderSent.Kind}
        overdue = by_kind[AuditReminderSent.Kind.OVERDUE]
        due_soon = by_kind[AuditReminderSent.Kind.DUE_SOON]
        waiting = by_kind[AuditReminderSent.Kind.AWAITING_MODERATION]
        actions_overdue = by_kind[AuditReminderSent.Kind.ACTIONS_OVERDUE]
        action_count = sum(len(line.actions) for line in actions_overdue)
        present = {"own_audits": overdue or due_soon, "waiting": waiting, "actions_overdue": actions_overdue}
        sections = [name for name, lines_ in present.items() if lines_]
        context = {
            "user": user,
            "today": today,
            "overdue": overdue,
            "due_soon": due_soon,
            "waiting": waiting,
            "actions_overdue": actions_overdue,
            "action_count": action_count,
            "actions_url": absolute(f"{reverse('casework:audit-action-list')}?show=overdue"),
            "own_audits": bool(overdue or due_soon),
            # More than one section: the e-mail opens by naming them and gives each a heading.
            "several": len(sections) > 1,
            "sections_intro": (
                f"This e-mail has {NUMBER_WORDS[len(sections)]} parts: {_sections_text(sections)}."
                if len(sections) > 1
                else ""
            ),
            # Actions for children are found by the person's own audits: the same reason as "Your audits".
            "as_auditor": bool(overdue or due_soon or actions_overdue),
            "due_soon_days": DUE_SOON_WORKING_DAYS,
            "wait_days": MODERATION_WAIT_WORKING_DAYS,
            "preferences_url": preferences_url(),
            "service_name": settings.SERVICE_NAME,
            "council_name": settings.COUNCIL_NAME,
        }
        subject = case_audits_subject(
            overdue=len(overdue), due_soon=len(due_soon), waiting=len(waiting), actions=action_count
        )
        return subject, render_to_string(TEMPLATE, context)

    fresh = send_once(
        run=run,
        user=user,
        lines=lines,
        already=lambda: set(
            AuditReminderSent.objects.filter(
                date=today, user=user, audit__in=[line.audit for line in lines]
            ).values_list("audit_id", "kind")
        ),
        key=lambda line: (line.audit.pk, line.kind),
        record=lambda line: AuditReminderSent.objects.create(
            audit=line.audit, date=today, kind=line.kind, user=user
        ),
        compose=compose,
    )
    actions = [line for line in fresh if line.kind == AuditReminderSent.Kind.ACTIONS_OVERDUE]
    run.audits_reminded += len(fresh) - len(actions)
    run.actions_reminded += sum(len(line.actions) for line in actions)


def audit_reminders_send(*, today: dt.date | None = None) -> AuditReminderRun:
    """E-mail each person once: their due and overdue audits, audits waiting for their moderation,
    and the overdue actions for children found by their own audits.

    Skips days that are not working days.
    """
    run, calendar = run_start(AuditReminderRun, today)
    if run.skipped_reason:
        return run
    today = run.day

    # person pk -> (person, their lines): their own audits first, then those waiting for moderation.
    mailings: dict[int, tuple[object, list[AuditReminderLine]]] = {}

    def add(user, line: AuditReminderLine) -> None:
        mailings.setdefault(user.pk, (user, []))[1].append(line)

    for line in auditor_candidates(today=today, calendar=calendar):
        add(line.audit.auditor, line)

    waiting = moderation_candidates(today=today, calendar=calendar)
    anyone = moderators() if any(line.audit.moderator_id is None for line in waiting) else []
    for line in waiting:
        named = line.audit.moderator
        for user in [named] if named is not None else anyone:
            if user.pk != line.audit.auditor_id:  # nobody moderates their own audit
                add(user, line)

    for line in action_candidates(today=today, calendar=calendar):
        add(line.audit.auditor, line)

    for user, lines in mailings.values():
        wanted = _wanted(run, user, lines)
        if wanted:
            _send(run, today=today, user=user, lines=wanted)
    logger.info(
        "Case audit reminders for %s: %d e-mail(s), %d audit reminder(s), %d overdue action(s) for children",
        today,
        len(run.sent_to),
        run.audits_reminded,
        run.actions_reminded,
    )
    return run
