"""Writes of milestones: computing them from a framework's rules, overrides and done dates.

Milestones are recomputed by a Celery task enqueued on commit whenever a date they hang on, a
grade a rule depends on, or the working-day calendar changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inspections import working_days
from inspections.models import Inspection, Milestone, MilestoneRule
from inspections.models.inspections import OVERRIDE_NEEDS_REASON
from inspections.selectors import working_calendar
from inspections.services._common import User, _as

MILESTONE_RECOMPUTED = "Recomputed"  # history change reason when a computed date moves
MILESTONE_DONE_IN_FUTURE = "The date it was done must be today or in the past"
MILESTONE_MARKED_DONE = "Marked done on {date}"  # history change reasons
MILESTONE_MARKED_NOT_DONE = "Marked not done"


# ---------------------------------------------------------------------------
# Milestones
# ---------------------------------------------------------------------------


def _long(d: dt.date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _unit_words(unit: str, n: int) -> str:
    words = {
        MilestoneRule.Unit.WORKING_DAYS: ("working day", "working days"),
        MilestoneRule.Unit.CALENDAR_DAYS: ("day", "days"),
        MilestoneRule.Unit.MONTHS: ("month", "months"),
    }[unit]
    return words[0] if abs(n) == 1 else words[1]


def _offset(start: dt.date, n: int, unit: str, convention: str, cal: working_days.Calendar) -> dt.date:
    """`working_days.offset`, extended to count back from an anchor that is day 1 (JTAI notice)."""
    if convention != working_days.Convention.DAY1 or n > 0:
        return working_days.offset(start, n, unit, convention, cal)
    if n == 0:
        return start
    # Counting back with the anchor as day 1: day k is k-1 units before it (the first working
    # day before it, when the anchor is not a working day, is day 1).
    if unit == MilestoneRule.Unit.WORKING_DAYS:
        return cal.add_working_days(start, n + 1 if cal.is_working_day(start) else n)
    if unit == MilestoneRule.Unit.CALENDAR_DAYS:
        return working_days.add_calendar_days(start, n + 1)
    return working_days.add_months(start, n) + dt.timedelta(days=1)


def _skips(cal: working_days.Calendar, start: dt.date, lo: dt.date, hi: dt.date) -> str:
    """Name the holidays and closures strictly between the anchor and the far end of the range."""
    skipped = [s for s in cal.explain_between(lo, hi).skipped if s.date != start]
    if not skipped:
        return "no bank holidays or closures in between"
    return "skips " + ", ".join(s.label(start.year) for s in skipped)


def milestone_dates(
    rule: MilestoneRule, start: dt.date, cal: working_days.Calendar
) -> tuple[dt.date, dt.date | None, str]:
    """Return (due date, window end or None, explanation) for a rule anchored on `start`."""
    due = _offset(start, rule.offset, rule.unit, rule.convention, cal)
    window_end = None
    if rule.window_end_offset is not None:
        window_end = _offset(start, rule.window_end_offset, rule.unit, rule.convention, cal)
    anchor = MilestoneRule.Anchor(rule.anchor).label
    direction = "before" if rule.offset < 0 else "after"
    if window_end is None:
        amount = f"{abs(rule.offset)} {_unit_words(rule.unit, rule.offset)}"
    else:
        amount = f"{abs(rule.offset)} to {abs(rule.window_end_offset)} {_unit_words(rule.unit, 2)}"
    text = f"{amount} {direction} {anchor} on {_long(start)}"
    if rule.convention == MilestoneRule.Convention.DAY1:
        text += f", counting {anchor} as day 1"
    if window_end is not None:
        text += f" ({_long(due)} to {_long(window_end)})"
    if rule.unit == MilestoneRule.Unit.WORKING_DAYS:
        far = window_end or due
        text += " — " + _skips(cal, start, min(start, far), max(start, far))
    return due, window_end, text


def _anchor_date(inspection: Inspection, anchor: str) -> dt.date | None:
    if anchor != MilestoneRule.Anchor.LAST_INSPECTION_END:
        return inspection.anchor_date(anchor)
    before = inspection.onsite_start_on or inspection.notified_on
    if before is None:
        return None
    previous = (
        Inspection.objects.filter(kind=Inspection.Kind.ACTUAL, onsite_end_on__lt=before)
        .exclude(pk=inspection.pk)
        .order_by("-onsite_end_on")
        .first()
    )
    return previous.onsite_end_on if previous else None


def _applies(rule: MilestoneRule, grades: Mapping[str, str]) -> bool:
    condition = rule.applies_if
    return not condition or grades.get(condition["area"]) in condition["grades"]


@transaction.atomic
def milestones_compute(
    *, inspection: Inspection, calendar: working_days.Calendar | None = None
) -> list[Milestone]:
    """Work out the inspection's milestones from its framework's rules and store them.

    One milestone per rule whose anchor date is set and whose `applies_if` holds. A date that
    moves is saved through the model, so its history shows the change. Manual overrides and
    done dates are kept; a computed milestone whose rule no longer applies is removed unless it
    was overridden or done. Idempotent: nothing is written when nothing changed (`computed_at`
    is when the computed values last changed). Return the milestones, soonest first.
    """
    inspection = Inspection.objects.select_for_update().select_related("framework").get(pk=inspection.pk)
    cal = calendar or working_calendar()
    grades = inspection.grades()
    existing = {m.code: m for m in inspection.milestones.all()}
    now = timezone.now()
    result: list[Milestone] = []
    for rule in inspection.framework.milestone_rules.all():
        start = _anchor_date(inspection, rule.anchor)
        if start is None or not _applies(rule, grades):
            continue
        due, window_end, explanation = milestone_dates(rule, start, cal)
        values = {
            "rule": rule,
            "name": rule.name,
            "status": rule.status,
            "due_on": due,
            "window_end_on": window_end,
            "explanation": explanation,
        }
        milestone = existing.pop(rule.code, None)
        if milestone is None:
            milestone = Milestone(inspection=inspection, code=rule.code, computed_at=now, **values)
            milestone.save()
        elif any(
            getattr(milestone, "rule_id" if k == "rule" else k) != (v.pk if k == "rule" else v)
            for k, v in values.items()
        ):
            for k, v in values.items():
                setattr(milestone, k, v)
            milestone.computed_at = now
            _as(None, milestone, MILESTONE_RECOMPUTED).save()
        result.append(milestone)
    for milestone in existing.values():
        if milestone.rule_id is not None and not milestone.is_overridden and milestone.done_on is None:
            _as(None, milestone, "Rule no longer applies").delete()
        else:
            result.append(milestone)  # entered by hand, overridden or done: a person's record
    return sorted(result, key=lambda m: (m.effective_due_on, m.code))


@transaction.atomic
def milestone_override(
    *, milestone: Milestone, due_on: dt.date | None, reason: str, user: User | None = None
) -> Milestone:
    """Set (or, with `due_on=None`, clear) a manual due date; a reason is always required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"override_reason": OVERRIDE_NEEDS_REASON}, code="required")
    milestone.override_due_on = due_on
    milestone.override_reason = reason if due_on else ""
    milestone.full_clean()
    _as(user, milestone, reason).save()
    return milestone


@transaction.atomic
def milestone_mark_done(
    *,
    milestone: Milestone,
    done_on: dt.date | None,
    user: User | None = None,
    today: dt.date | None = None,
) -> Milestone:
    """Record the date a milestone was met (None to undo); refuse a date after `today`.

    The history row carries the acting user and says what happened, so "who marked it done"
    is answered by the milestone's history. Saving the same date again writes nothing.
    """
    today = today or timezone.localdate()
    if done_on is not None and done_on > today:
        raise ValidationError({"done_on": MILESTONE_DONE_IN_FUTURE}, code="future")
    if milestone.done_on == done_on:
        return milestone
    milestone.done_on = done_on
    milestone.full_clean()
    reason = MILESTONE_MARKED_DONE.format(date=_long(done_on)) if done_on else MILESTONE_MARKED_NOT_DONE
    _as(user, milestone, reason).save()
    return milestone
