"""Actions for children found by case audits: followed up to done (writes).

An action is added with its audit (`audit_services.audit_action_add`); here it is marked as done,
with the date and what was done, or reopened with a reason. Only the audit's auditor or a moderator
may do either. Each change is saved through the model, so its history row names the user, and a
reopened action's history keeps the reason.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.models import CaseAuditAction

NOT_YOURS = "Only the auditor of this audit, or a moderator, can change its actions."
ALREADY_DONE = "This action was already marked as done on {date}."
NOT_DONE = "This action is not marked as done, so it cannot be reopened."
DONE_ON_MISSING = "Enter the date it was done"
DONE_IN_FUTURE = "The date it was done must be today or in the past"
DONE_BEFORE_AUDIT = "The date it was done must be on or after {date}, when the audit started"
NOTE_MISSING = "Enter what was done"
REASON_MISSING = "Enter why the action is being reopened"

MARKED_DONE = "Marked as done"
REOPENED = "Reopened: {reason}"


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _may_follow_up(action: CaseAuditAction, user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and (action.audit.auditor_id == user.pk or user.has_perm("casework.moderate_audits"))
    )


def _audit_began_on(action: CaseAuditAction) -> dt.date:
    """The first day the action could have been done: the day its audit started (or was created)."""
    audit = action.audit
    return timezone.localdate(audit.started_at or audit.created_at)


def _locked(action: CaseAuditAction) -> CaseAuditAction:
    return CaseAuditAction.objects.select_for_update().select_related("audit").get(pk=action.pk)


@transaction.atomic
def audit_action_complete(
    *, action: CaseAuditAction, user, done_on: dt.date | None, note: str
) -> CaseAuditAction:
    """Mark an open action as done on `done_on`, saying what was done."""
    action = _locked(action)
    if not _may_follow_up(action, user):
        raise ValidationError(NOT_YOURS, code="forbidden")
    if action.done_on is not None:
        raise ValidationError(ALREADY_DONE.format(date=_day(action.done_on)), code="done")
    errors = {}
    began_on = _audit_began_on(action)
    if done_on is None:
        errors["done_on"] = DONE_ON_MISSING
    elif done_on > timezone.localdate():
        errors["done_on"] = DONE_IN_FUTURE
    elif done_on < began_on:
        errors["done_on"] = DONE_BEFORE_AUDIT.format(date=_day(began_on))
    note = (note or "").strip()
    if not note:
        errors["note"] = NOTE_MISSING
    if errors:
        raise ValidationError(errors, code="invalid")
    action.done_on = done_on
    action.done_note = note
    action.done_by = user
    action.full_clean()
    action._history_user = user
    action._change_reason = MARKED_DONE
    action.save()
    return action


@transaction.atomic
def audit_action_reopen(*, action: CaseAuditAction, user, reason: str) -> CaseAuditAction:
    """Make a done action open again; the reason goes in its history with the old done details."""
    action = _locked(action)
    if not _may_follow_up(action, user):
        raise ValidationError(NOT_YOURS, code="forbidden")
    if action.done_on is None:
        raise ValidationError(NOT_DONE, code="open")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_MISSING}, code="invalid")
    action.done_on = None
    action.done_note = ""
    action.done_by = None
    action.full_clean()
    action._history_user = user
    action._change_reason = REOPENED.format(reason=reason)
    action.save()
    return action
