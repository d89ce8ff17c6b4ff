"""Writes of the inspections layer: inspections, judgements, recommendations and milestones.

Every write goes through a model's `save()` (never `QuerySet.update()` or `bulk_*`) so that
django-simple-history records it; `user` becomes the history user when given. Milestones are
recomputed by a Celery task enqueued on commit whenever a date they hang on, a grade a rule
depends on, or the working-day calendar changes.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import threading
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path, PurePath
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from inspections import framework_files, working_days
from inspections.framework_files import Problem
from inspections.framework_sync import framework_definition, frameworks_sync
from inspections.models import (
    CalendarToken,
    Concern,
    DailyNote,
    DataRequest,
    Framework,
    Inspection,
    Judgement,
    Meeting,
    Milestone,
    MilestoneRule,
    NonWorkingDay,
    Recommendation,
)
from inspections.models.feeds import new_token
from inspections.models.inspections import ANCHOR_DATE_FIELDS, OVERRIDE_NEEDS_REASON
from inspections.selectors import working_calendar
from inspections.tasks import milestones_recompute as milestones_recompute_task
from inspections.tasks import milestones_recompute_all as milestones_recompute_all_task

UNKNOWN_FRAMEWORK = "There is no framework with the code '{code}'. Known frameworks: {known}."
RATIONALE_WITHOUT_GRADE = "Give '{area}' a grade before recording why"
FRAMEWORK_HAS_JUDGEMENTS = "The framework cannot change once judgements are recorded; remove them first"
UNKNOWN_INSPECTION_FIELD = "'{name}' is not something an inspection records"
MILESTONE_RECOMPUTED = "Recomputed"  # history change reason when a computed date moves
INSPECTION_IN_USE = "This inspection cannot be deleted because {what} refers to it. Remove that first."
MOVE_UP, MOVE_DOWN = "up", "down"
MILESTONE_DONE_IN_FUTURE = "The date it was done must be today or in the past"
MILESTONE_MARKED_DONE = "Marked done on {date}"  # history change reasons
MILESTONE_MARKED_NOT_DONE = "Marked not done"

User = AbstractBaseUser
OnsiteEntry = DailyNote | DataRequest | Meeting | Concern

_EDITABLE_FIELDS = frozenset({"framework", "kind", "title", "lead_inspector", "notes", *ANCHOR_DATE_FIELDS})


def _as(user: User | None, obj: Any, reason: str | None = None) -> Any:
    """Attach the acting user (and a reason) to the next history row of `obj`."""
    if user is not None:
        obj._history_user = user
    if reason:
        obj._change_reason = reason[:100]
    return obj


def _enqueue_recompute(inspection_id: int) -> None:
    transaction.on_commit(partial(milestones_recompute_task.delay, inspection_id))


# ---------------------------------------------------------------------------
# Inspections
# ---------------------------------------------------------------------------


@transaction.atomic
def inspection_create(*, user: User | None = None, **fields: Any) -> Inspection:
    """Create an inspection from `fields` (framework, kind, title, dates...); refuse bad dates."""
    unknown = sorted(set(fields) - _EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(UNKNOWN_INSPECTION_FIELD.format(name=unknown[0]), code="unknown_field")
    inspection = Inspection(**fields)
    inspection.full_clean()
    _as(user, inspection).save()
    if any(getattr(inspection, name) for name in ANCHOR_DATE_FIELDS):
        _enqueue_recompute(inspection.id)
    return inspection


@transaction.atomic
def inspection_update(
    *, inspection: Inspection, data: Mapping[str, Any], user: User | None = None
) -> Inspection:
    """Change the fields in `data`; recompute milestones on commit when a date moved."""
    unknown = sorted(set(data) - _EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(UNKNOWN_INSPECTION_FIELD.format(name=unknown[0]), code="unknown_field")
    changed = {
        name
        for name, value in data.items()
        if getattr(inspection, "framework_id" if name == "framework" else name)
        != (value.pk if name == "framework" and value is not None else value)
    }
    if not changed:
        return inspection
    if "framework" in changed and inspection.judgements.exists():
        raise ValidationError({"framework": FRAMEWORK_HAS_JUDGEMENTS})
    for name in changed:
        setattr(inspection, name, data[name])
    inspection.full_clean()
    _as(user, inspection).save()
    if changed & {*ANCHOR_DATE_FIELDS, "framework"}:
        _enqueue_recompute(inspection.id)
    return inspection


@transaction.atomic
def recommendation_create(
    *,
    inspection: Inspection,
    text: str,
    order: int | None = None,
    area_code: str | None = None,
    is_priority_action: bool = False,
    user: User | None = None,
) -> Recommendation:
    """Add a recommendation (or area for priority action), numbered after the last by default."""
    if order is None:
        last = inspection.recommendations.order_by("-order").first()
        order = last.order + 1 if last else 1
    area = inspection.framework.areas.filter(code=area_code).first() if area_code else None
    if area_code and area is None:
        raise ValidationError({"area": f"'{area_code}' is not an area in {inspection.framework}"})
    recommendation = Recommendation(
        inspection=inspection,
        order=order,
        text=text.strip(),
        area=area,
        is_priority_action=is_priority_action,
    )
    recommendation.full_clean()
    _as(user, recommendation).save()
    return recommendation


@transaction.atomic
def inspection_delete(*, inspection: Inspection, user: Any = None) -> None:
    """Delete an inspection with its judgements, recommendations and milestones; refuse if in use."""
    try:
        _as(user, inspection).delete()
    except ProtectedError as exc:
        what = sorted({obj._meta.verbose_name for obj in exc.protected_objects})
        raise ValidationError(INSPECTION_IN_USE.format(what=", ".join(what) or "another record")) from exc


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    text: str,
    area_code: str | None,
    is_priority_action: bool,
    user: Any = None,
) -> Recommendation:
    """Change a recommendation's words, area and priority flag (its place in the list stays)."""
    framework = recommendation.inspection.framework
    area = framework.areas.filter(code=area_code).first() if area_code else None
    if area_code and area is None:
        raise ValidationError({"area": f"'{area_code}' is not an area in {framework}"})
    recommendation.text = text.strip()
    recommendation.area = area
    recommendation.is_priority_action = is_priority_action
    recommendation.full_clean()
    _as(user, recommendation).save()
    return recommendation


def _renumber(inspection: Inspection, ordered: list[Recommendation], user: Any) -> None:
    """Save `ordered` as 1..n without breaking the (inspection, order) unique constraint midway."""
    top = max([r.order for r in ordered] + [0]) + 1
    moving = [r for position, r in enumerate(ordered, start=1) if r.order != position]
    for offset, recommendation in enumerate(moving):  # park out of the way first
        recommendation.order = top + offset
        _as(user, recommendation, "Reordered").save(update_fields=["order"])
    for recommendation in moving:
        recommendation.order = ordered.index(recommendation) + 1
        _as(user, recommendation, "Reordered").save(update_fields=["order"])


@transaction.atomic
def recommendation_move(*, recommendation: Recommendation, direction: str, user: Any = None) -> None:
    """Swap a recommendation with the one above (`up`) or below (`down`); the ends stay put."""
    if direction not in (MOVE_UP, MOVE_DOWN):
        raise ValidationError(f"'{direction}' is not a direction: use up or down")
    inspection = Inspection.objects.select_for_update().get(pk=recommendation.inspection_id)
    ordered = list(inspection.recommendations.order_by("order"))
    index = next(i for i, r in enumerate(ordered) if r.pk == recommendation.pk)
    other = index - 1 if direction == MOVE_UP else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(inspection, ordered, user)


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, user: Any = None) -> None:
    """Delete a recommendation and close the gap in the numbering."""
    inspection = Inspection.objects.select_for_update().get(pk=recommendation.inspection_id)
    _as(user, recommendation).delete()
    _renumber(inspection, list(inspection.recommendations.order_by("order")), user)


# ---------------------------------------------------------------------------
# Judgements
# ---------------------------------------------------------------------------


def judgements_validate(*, framework_code: str, grades: Mapping[str, str | None]) -> list[Problem]:
    """Check `{area code: grade code}` against a framework; return the problems (empty when valid).

    Each `Problem` has `level` ("error" refuses the set, "warning" is for display), `area` and
    `message`. Areas mapped to None or "" count as not graded yet.
    """
    framework = Framework.objects.select_related("grade_scale").filter(code=framework_code).first()
    if framework is None:
        known = ", ".join(Framework.objects.order_by("code").values_list("code", flat=True)) or "none loaded"
        return [Problem("error", None, UNKNOWN_FRAMEWORK.format(code=framework_code, known=known))]
    return framework_files.judgements_check(framework_definition(framework), grades)


@transaction.atomic
def judgements_record(
    *,
    inspection: Inspection,
    grades: Mapping[str, str | None],
    rationale: Mapping[str, str] | None = None,
    user: User | None = None,
) -> list[Problem]:
    """Record grades for an inspection's judgement areas; return the warnings (also saved on it).

    `grades` maps area codes to grade codes; None or "" removes that judgement. Areas not named
    keep their judgements, and the whole resulting set is checked, so the SIF limiting rule
    cannot be dodged by entering overall effectiveness on its own. Raise ValidationError listing
    every error, and save nothing, when the set breaks a rule or names an unknown area or grade.
    """
    inspection = Inspection.objects.select_for_update().select_related("framework").get(pk=inspection.pk)
    framework = inspection.framework
    rationale = dict(rationale or {})
    merged = {**inspection.grades(), **grades}
    problems = judgements_validate(framework_code=framework.code, grades=merged)
    errors = [p.message for p in problems if p.level == "error"]
    for code in rationale:
        if not merged.get(code):
            errors.append(RATIONALE_WITHOUT_GRADE.format(area=code))
    if errors:
        raise ValidationError([ValidationError(message, code="judgement") for message in errors])

    areas = {a.code: a for a in framework.areas.all()}
    scale_grades = {g.code: g for g in framework.grade_scale.grades.all()} if framework.grade_scale else {}
    existing = {j.area.code: j for j in inspection.judgements.select_related("area", "grade")}
    grades_changed = False
    for code in dict.fromkeys([*grades, *rationale]):
        judgement = existing.get(code)
        grade_code = merged.get(code)
        if not grade_code:
            if judgement is not None:
                _as(user, judgement).delete()
                grades_changed = True
            continue
        if judgement is None:
            judgement = Judgement(inspection=inspection, area=areas[code], grade=scale_grades[grade_code])
            grades_changed = True
        elif judgement.grade.code != grade_code:
            judgement.grade = scale_grades[grade_code]
            grades_changed = True
        elif code not in rationale or judgement.rationale == rationale[code].strip():
            continue
        if code in rationale:
            judgement.rationale = rationale[code].strip()
        judgement.full_clean()
        _as(user, judgement).save()

    warnings = [p for p in problems if p.level == "warning"]
    stored = [{"area": p.area, "message": p.message} for p in warnings]
    if inspection.judgement_warnings != stored:
        inspection.judgement_warnings = stored
        _as(user, inspection).save(update_fields=["judgement_warnings", "updated_at"])
    if grades_changed and framework.milestone_rules.filter(applies_if__isnull=False).exists():
        _enqueue_recompute(inspection.id)  # e.g. the re-inspection window after an inadequate
    return warnings


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


# ---------------------------------------------------------------------------
# The calendar
# ---------------------------------------------------------------------------


@transaction.atomic
def non_working_day_add(
    *, date: dt.date, name: str, kind: str = NonWorkingDay.Kind.CLOSED, user: User | None = None
) -> NonWorkingDay:
    """Add a local closure (or a worked bank holiday) and recompute every milestone on commit."""
    day = NonWorkingDay(date=date, name=name.strip(), kind=kind)
    day.full_clean()
    _as(user, day).save()
    transaction.on_commit(milestones_recompute_all_task.delay)
    return day


@transaction.atomic
def non_working_day_remove(*, non_working_day: NonWorkingDay, user: User | None = None) -> None:
    """Remove a local calendar change and recompute every milestone on commit."""
    _as(user, non_working_day).delete()
    transaction.on_commit(milestones_recompute_all_task.delay)


# ---------------------------------------------------------------------------
# On-site log
# ---------------------------------------------------------------------------

ONSITE_FIELDS: dict[type, frozenset[str]] = {
    DailyNote: frozenset({"day", "text"}),
    DataRequest: frozenset({"what", "owner", "owner_name", "due_at", "status"}),
    Meeting: frozenset({"starts_at", "title", "kind", "who", "notes"}),
    Concern: frozenset({"raised_at", "raised_by", "summary", "child_reference", "action_taken"}),
}
UNKNOWN_ONSITE_FIELD = "'{name}' is not something a {what} records"
CLOSED_BEFORE_RAISED = "The concern cannot be closed before it was raised"
ONSITE_ENTRY_DELETED = "Deleted"  # history change reason


@transaction.atomic
def onsite_entry_save(*, entry: OnsiteEntry, data: dict[str, Any], user: Any = None) -> OnsiteEntry:
    """Create or change a daily note, data request, meeting or concern from `data`.

    `entry` is a new (unsaved) or existing row with its inspection set. Text is stripped; a new
    daily note gets `user` as its author.
    """
    allowed = ONSITE_FIELDS[type(entry)]
    unknown = sorted(set(data) - allowed)
    if unknown:
        what = type(entry)._meta.verbose_name
        raise ValidationError(UNKNOWN_ONSITE_FIELD.format(name=unknown[0], what=what), code="unknown_field")
    for name, value in data.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    if isinstance(entry, DailyNote) and entry.pk is None and user is not None and user.is_authenticated:
        entry.author = user
    entry.full_clean()
    _as(user, entry).save()
    return entry


@transaction.atomic
def onsite_entry_delete(*, entry: OnsiteEntry, user: Any = None) -> None:
    """Delete a daily note, data request, meeting or concern; its history keeps who deleted it."""
    _as(user, entry, ONSITE_ENTRY_DELETED).delete()


@transaction.atomic
def concern_close(*, concern: Concern, closed_at: dt.datetime | None = None, user: Any = None) -> Concern:
    """Close a concern now (or at `closed_at`); closing a closed one changes nothing."""
    if concern.closed_at is not None:
        return concern
    concern.closed_at = closed_at or timezone.now()
    if concern.closed_at < concern.raised_at:
        raise ValidationError({"closed_at": CLOSED_BEFORE_RAISED})
    concern.full_clean()
    _as(user, concern, "Closed").save()
    return concern


@transaction.atomic
def concern_reopen(*, concern: Concern, user: Any = None) -> Concern:
    """Open a closed concern again."""
    if concern.closed_at is None:
        return concern
    concern.closed_at = None
    _as(user, concern, "Reopened").save()
    return concern


@transaction.atomic
def data_request_close(*, data_request: DataRequest, user: Any = None) -> DataRequest:
    """Mark a data request closed (nothing more is needed)."""
    if data_request.status != DataRequest.Status.CLOSED:
        data_request.status = DataRequest.Status.CLOSED
        _as(user, data_request, "Closed").save()
    return data_request


# ---------------------------------------------------------------------------
# Calendar feed tokens
# ---------------------------------------------------------------------------


@transaction.atomic
def calendar_token_create(*, user: Any) -> CalendarToken:
    """Give `user` a new feed address; any earlier address stops working at once."""
    token = CalendarToken.objects.select_for_update().filter(user=user).first()
    if token is None:
        token = CalendarToken(user=user)
    else:
        token.token = new_token()
        token.revoked_at = None
    token.full_clean()
    _as(user, token, "New address").save()
    return token


@transaction.atomic
def calendar_token_revoke(*, user: Any) -> CalendarToken | None:
    """Stop `user`'s feed address working; return the token, or None if they had none."""
    token = CalendarToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    if token is not None:
        token.revoked_at = timezone.now()
        _as(user, token, "Revoked").save()
    return token


# ---------------------------------------------------------------------------
# Uploading a framework file (the framework library)
# ---------------------------------------------------------------------------
# The same validator (`framework_files.load_file`) and writer (`framework_sync.frameworks_sync`) as
# `load_frameworks`: an upload is checked, then synced once inside a savepoint that is rolled back
# (the preview), then synced for real when the user confirms.

FRAMEWORK_UPLOADED = "Uploaded through the framework library"  # history change reason
FRAMEWORK_SCALE_DIFFERS = (
    "{name}:{line}: grade scale '{code}' differs from the one with the same code used by {users}; "
    "give a changed scale a new code"
)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


class _Preview(Exception):
    """Raised inside the preview's savepoint to roll it back, carrying what the sync did."""

    def __init__(self, results):
        self.results = results
        super().__init__("preview")


@dataclass
class FrameworkUploadPreview:
    """What confirming an uploaded file would change."""

    code: str
    name: str
    version: int
    previous_version: int | None
    state: str  # framework_sync.CREATED, UPDATED or UNCHANGED
    changes: list[str] = field(default_factory=list)
    milestone_rules_changed: bool = False
    inspection_count: int = 0
    area_count: int = 0
    milestone_rule_count: int = 0

    @property
    def is_new(self) -> bool:
        return self.previous_version is None

    @property
    def is_new_version(self) -> bool:
        return self.previous_version is not None and self.version > self.previous_version

    @property
    def is_older_version(self) -> bool:
        return self.previous_version is not None and self.version < self.previous_version


def _upload_name(name: str) -> str:
    return _SAFE_NAME.sub("_", PurePath(name or "framework.yaml").name) or "framework.yaml"


@contextmanager
def _uploaded_definition(*, name: str, content: bytes):
    """Validate one uploaded framework file with `load_frameworks`' validator; yield its definition.

    The file sits in a temporary directory under its own (sanitised) name for the block, so the
    sync records its checksum as `load_frameworks` does. Raise FrameworkFileError whose problems
    read "file:line: message" with the uploaded file's name. Also refuse a grade scale that has
    the code of a loaded scale but other grades (the check `load_frameworks` makes across files).
    """
    file_name = _upload_name(name)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / file_name
        path.write_bytes(content)
        try:
            definition = framework_files.load_file(path)
        except framework_files.FrameworkFileError as exc:
            prefix = f"{path}:"
            problems = [
                file_name + ":" + p[len(prefix) :] if p.startswith(prefix) else p for p in exc.problems
            ]
            raise framework_files.FrameworkFileError(problems) from None
        scale = definition.grade_scale
        if scale is not None:
            users = Framework.objects.filter(grade_scale__code=scale.code).exclude(code=definition.code)
            others = [f for f in users if framework_definition(f).grade_scale != scale]
            if others:
                text = content.decode("utf-8")
                line = next(
                    (i for i, row in enumerate(text.splitlines(), 1) if row.startswith("grade_scale:")), 1
                )
                codes = ", ".join(sorted(f.code for f in others))
                raise framework_files.FrameworkFileError(
                    [FRAMEWORK_SCALE_DIFFERS.format(name=file_name, line=line, code=scale.code, users=codes)]
                )
        yield definition


def framework_file_check(*, name: str, content: bytes) -> framework_files.FrameworkDef:
    """Validate an uploaded framework file; return its definition or raise FrameworkFileError."""
    with _uploaded_definition(name=name, content=content) as definition:
        return replace(definition, path="")


def _get_inspections_model(name: str):
    from django.apps import apps

    return apps.get_model("inspections", name)


def framework_upload_preview(*, name: str, content: bytes) -> FrameworkUploadPreview:
    """Check an uploaded file and say what confirming it would change; write nothing.

    Raise FrameworkFileError (bad file) or FrameworkSyncError (e.g. it drops an area in use).
    """
    with _uploaded_definition(name=name, content=content) as definition:
        existing = Framework.objects.filter(code=definition.code).first()
        try:
            with transaction.atomic():
                raise _Preview(frameworks_sync([definition], get_model=_get_inspections_model))
        except _Preview as preview:
            result = preview.results[0]
    return FrameworkUploadPreview(
        code=definition.code,
        name=definition.name,
        version=definition.version,
        previous_version=existing.version if existing else None,
        state=result.state,
        changes=list(result.changes),
        milestone_rules_changed=any(c.startswith("milestone rule ") for c in result.changes),
        inspection_count=existing.inspections.count() if existing else 0,
        area_count=len(definition.areas),
        milestone_rule_count=len(definition.milestones),
    )


@contextmanager
def _history_by(user: User | None, reason: str):
    """Give the history rows written in this thread, inside the block, `user` and `reason`."""
    thread = threading.get_ident()

    def stamp(sender, history_instance, **kwargs):
        if threading.get_ident() == thread:
            if user is not None:
                history_instance.history_user = user
            history_instance.history_change_reason = reason

    pre_create_historical_record.connect(stamp, weak=False)
    try:
        yield
    finally:
        pre_create_historical_record.disconnect(stamp)


@transaction.atomic
def framework_upload_apply(*, name: str, content: bytes, user: User | None = None) -> FrameworkUploadPreview:
    """Check and save an uploaded framework file, all or nothing, with history by `user`.

    When its milestone rules changed, every inspection using the framework has its milestones
    recomputed on commit (as when an inspection's dates change).
    """
    preview = framework_upload_preview(name=name, content=content)
    with (
        _uploaded_definition(name=name, content=content) as definition,
        _history_by(user, FRAMEWORK_UPLOADED),
    ):
        frameworks_sync([definition], get_model=_get_inspections_model)
    if preview.milestone_rules_changed:
        for inspection_id in Inspection.objects.filter(framework__code=preview.code).values_list(
            "pk", flat=True
        ):
            _enqueue_recompute(inspection_id)
    return preview
