"""Reads of the inspections layer: the calendar, inspections, the judgement table, milestone rows,
the history side by side and the calendar feed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils import timezone

from inspections import working_days
from inspections.history import ChangeHistory, Source, change_history_of
from inspections.ics import AllDayEvent
from inspections.models import CalendarToken, Framework, Inspection, Judgement, Milestone, NonWorkingDay

NOT_JUDGED = "Not judged"


def working_calendar() -> working_days.Calendar:
    """Return the England and Wales calendar with this council's own changes applied."""
    rows = NonWorkingDay.objects.values_list("date", "name", "kind")
    return working_days.calendar_from_overrides(list(rows))


def inspection_get(*, inspection_id: int):
    """Return one inspection with its framework, or None."""
    return Inspection.objects.select_related("framework").filter(pk=inspection_id).first()


def inspection_latest(*, kind: str | None = "actual"):
    """Return the most recent inspection of a kind (an actual inspection by default), or None.

    Most recent means the latest on-site start; inspections without dates come last.
    """
    queryset = Inspection.objects.select_related("framework")
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by(F("onsite_start_on").desc(nulls_last=True), "-id").first()


def milestone_list_for_inspection(*, inspection):
    """Return an inspection's milestones in date order (overrides applied by Milestone itself)."""
    return inspection.milestones.select_related("rule").order_by("due_on", "code")


def judgement_list_for_inspection(*, inspection):
    """Return an inspection's judgements with their areas and grades, in the framework's order."""
    return inspection.judgements.select_related("area", "grade").order_by("area__order")


def _fmt(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def inspection_list(*, kind: str = "", framework_code: str = ""):
    """Return inspections, most recent first, optionally of one kind and framework."""
    queryset = Inspection.objects.select_related("framework")
    if kind:
        queryset = queryset.filter(kind=kind)
    if framework_code:
        queryset = queryset.filter(framework__code=framework_code)
    return queryset.order_by("-onsite_start_on", "-notified_on", "-id")


def judgement_rows(*, inspection: Inspection) -> list[tuple[str, str]]:
    """Return (area name, grade label) for every graded area of the framework, in the file's order."""
    framework = inspection.framework
    given = {j.area_id: j.grade.label for j in inspection.judgements.select_related("grade")}
    return [
        (area.name, given.get(area.pk, NOT_JUDGED))
        for area in framework.areas.filter(graded=True).order_by("order")
    ]


@dataclass
class MilestoneRow:
    milestone: Milestone
    when: str
    tag: str
    tag_colour: str


def milestone_when(milestone: Milestone) -> str:
    """Word a milestone's date: observed ones are 'typically around', never 'due'."""
    if milestone.is_observed:
        if milestone.is_window:
            return f"Typically between {_fmt(milestone.due_on)} and {_fmt(milestone.window_end_on)}"
        return f"Typically around {_fmt(milestone.effective_due_on)}"
    if milestone.is_overridden:
        return f"Due {_fmt(milestone.override_due_on)} (worked out as {_fmt(milestone.due_on)})"
    if milestone.is_window:
        return f"Due between {_fmt(milestone.due_on)} and {_fmt(milestone.window_end_on)}"
    return f"Due {_fmt(milestone.due_on)}"


def milestone_rows(*, inspection: Inspection, today: dt.date | None = None) -> list[MilestoneRow]:
    """Return the inspection's milestones, soonest first, each with its wording and a status tag."""
    today = today or timezone.localdate()
    rows = []
    milestones = inspection.milestones.select_related("rule")
    for m in sorted(milestones, key=lambda m: (m.effective_due_on, m.code)):
        last_day = m.window_end_on if m.is_window and not m.is_overridden else m.effective_due_on
        if m.done_on:
            tag, colour = f"Done on {_fmt(m.done_on)}", "green"
        elif m.is_observed:
            tag, colour = "Typical, not a deadline", "grey"
        elif last_day < today:
            tag, colour = "Past", "red"
        elif m.status == Milestone.Status.STATUTORY:
            tag, colour = "Statutory deadline", "blue"
        else:
            tag, colour = "Inspectorate's target", "light-blue"
        rows.append(MilestoneRow(milestone=m, when=milestone_when(m), tag=tag, tag_colour=colour))
    return rows


def _key_date(inspection: Inspection) -> dt.date | None:
    return inspection.onsite_start_on or inspection.notified_on or inspection.published_on


@dataclass
class HistoryTable:
    columns: list[Inspection] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def inspection_history(*, inspection: Inspection) -> HistoryTable:
    """Return earlier graded inspections side by side (oldest first), one row per area code.

    Areas are matched by code across frameworks, so 'help_and_protection' in SIF 2013 and ILACS
    2018 share a row; the row takes the name the most recent framework gives it. This inspection
    is the last column when it has grades.
    """
    before = _key_date(inspection)
    candidates = (
        Inspection.objects.filter(
            kind=Inspection.Kind.ACTUAL, framework__is_graded=True, judgements__isnull=False
        )
        .exclude(pk=inspection.pk)
        .select_related("framework")
        .distinct()
    )
    earlier = [i for i in candidates if _key_date(i) and (before is None or _key_date(i) < before)]
    earlier.sort(key=lambda i: (_key_date(i), i.pk))
    if not earlier:
        return HistoryTable()
    columns = [*earlier]
    if inspection.judgements.exists():
        columns.append(inspection)

    # Row order and wording: this inspection's framework first, then the newest earlier ones.
    order: dict[str, str] = {}
    for framework in [inspection.framework, *(c.framework for c in reversed(columns))]:
        for area in _graded_areas(framework):
            order.setdefault(area.code, area.name)
    grades = {
        c.pk: {code: label for code, label in c.judgements.values_list("area__code", "grade__label")}
        for c in columns
    }
    used = [code for code in order if any(code in grades[c.pk] for c in columns)]
    head = ["Judgement", *(_column_heading(c, inspection) for c in columns)]
    rows = [[order[code], *(grades[c.pk].get(code, NOT_JUDGED) for c in columns)] for code in used]
    return HistoryTable(columns=columns, head=head, rows=rows)


def _graded_areas(framework: Framework):
    return framework.areas.filter(graded=True).order_by("order")


def _column_heading(column: Inspection, current: Inspection) -> str:
    when = _key_date(column)
    label = f"{column.framework.short_name}, {when:%b %Y}" if when else column.framework.short_name
    return f"This inspection ({label})" if column.pk == current.pk else label


# ---------------------------------------------------------------------------
# Calendar feed
# ---------------------------------------------------------------------------

FEED_PERMISSION = "inspections.view_inspection"
_YEAR_SUFFIX = re.compile(r"\s+(from\s+\w+\s+)?\d{4}(\s+to\s+\w+)?$")


def calendar_token_active(*, token: str) -> CalendarToken | None:
    """Return the live token with this value whose user may still see inspections, else None."""
    found = CalendarToken.objects.select_related("user").filter(token=token, revoked_at__isnull=True).first()
    if found is None or not found.user.is_active or not found.user.has_perm(FEED_PERMISSION):
        return None
    return found


def inspection_label(inspection: Inspection) -> str:
    """A short name for calendars: 'ILACS 2019', 'Mock ILACS 2026' (framework without its year + year)."""
    base = _YEAR_SUFFIX.sub("", inspection.framework.short_name)
    when = _key_date(inspection)
    label = f"{base} {when.year}" if when else base
    return f"Mock {label}" if inspection.kind == Inspection.Kind.MOCK else label


def calendar_feed_events(*, today: dt.date | None = None) -> list[AllDayEvent]:
    """Return the upcoming, not yet done milestones of every inspection as all-day events.

    Only dates, names and how they were worked out: nothing about any child.
    """
    today = today or timezone.localdate()
    upcoming = (
        Milestone.objects.filter(done_on__isnull=True)
        .filter(
            Q(override_due_on__isnull=True, due_on__gte=today)
            | Q(override_due_on__gte=today)
            | Q(window_end_on__gte=today)
        )
        .select_related("inspection__framework", "rule")
        .order_by("due_on", "pk")
    )
    events = []
    for m in upcoming:
        verb = "typically" if m.is_observed else "due"
        description = m.explanation
        if m.is_overridden:
            description = f"{milestone_when(m)}. Changed by hand: {m.override_reason}. {description}"
        if m.rule is not None and m.rule.explanation:
            description = f"{description}\n\n{m.rule.explanation.strip()}"
        events.append(
            AllDayEvent(
                uid=f"milestone-{m.pk}@readiness",
                start=m.effective_due_on,
                summary=f"{m.name} {verb} — {inspection_label(m.inspection)}",
                description=description.strip(),
            )
        )
    return events


# ---------------------------------------------------------------------------
# The framework library
# ---------------------------------------------------------------------------

# How each anchor reads after "… after" / "… before" in a milestone rule's wording.
ANCHOR_PHRASES: dict[str, str] = {
    "notified": "the council is notified",
    "onsite_start": "the first on-site day",
    "onsite_end": "the last on-site day",
    "draft_report_received": "the draft report is received",
    "factual_accuracy_returned": "factual accuracy comments are returned",
    "final_report_received": "the final report is received",
    "published": "the report is published",
    "last_inspection_end": "the last inspection ended",
    "fieldwork_start": "fieldwork starts",
}


def framework_list():
    """Return every framework, oldest first, with its number of judgement areas and of inspections."""
    from django.db.models import Count

    return Framework.objects.annotate(
        area_count=Count("areas", distinct=True),
        inspection_count=Count("inspections", distinct=True),
    ).order_by("valid_from", "code")


def framework_get(*, code: str) -> Framework | None:
    """Return the framework with this code (with its grade scale), or None."""
    return Framework.objects.select_related("grade_scale").filter(code=code).first()


def milestone_rule_words(rule) -> str:
    """Word a milestone rule: 'Final report: 70 working days after the final report is received'."""
    from inspections.models import MilestoneRule

    unit = MilestoneRule.Unit(rule.unit).label
    if rule.window_end_offset is not None:
        amount = f"{abs(rule.offset)} to {abs(rule.window_end_offset)} {unit}"
    else:
        amount = f"{abs(rule.offset)} {unit}"
        if abs(rule.offset) == 1:
            amount = amount.removesuffix("s")
    direction = "before" if rule.offset < 0 else "after"
    anchor = ANCHOR_PHRASES.get(rule.anchor, rule.anchor)
    text = f"{rule.name}: {amount} {direction} {anchor}"
    if rule.convention == MilestoneRule.Convention.DAY1:
        text += ", counting that day as day 1"
    return text


def milestone_rule_condition(rule, framework: Framework) -> str:
    """Word a rule's `applies_if` ('Only when Overall effectiveness is Inadequate'), or ''."""
    condition = rule.applies_if
    if not condition:
        return ""
    area = framework.areas.filter(code=condition.get("area")).first()
    labels = dict(framework.grade_scale.grades.values_list("code", "label")) if framework.grade_scale else {}
    grades = " or ".join(labels.get(code, code) for code in condition.get("grades", []))
    return f"Only when {area.name if area else condition.get('area')} is {grades}"


def framework_rule_rows(framework: Framework) -> list[dict[str, str]]:
    """Return the framework's limiting and warning rules as stored, with area and grade names."""
    names = dict(framework.areas.values_list("code", "name"))
    labels = dict(framework.grade_scale.grades.values_list("code", "label")) if framework.grade_scale else {}
    rows = []
    for rule in framework.rules:
        when = ", ".join(names.get(code, code) for code in rule.get("when_any_of", []))
        then_name = names.get(rule.get("then_area"), rule.get("then_area"))
        max_label = labels.get(rule.get("max_grade"), rule.get("max_grade"))
        rows.append(
            {
                "kind": (rule.get("kind") or "").capitalize(),
                "when": f"When any of {when} is {labels.get(rule.get('grade'), rule.get('grade'))}",
                "then": (
                    f"{then_name} can be no better than {max_label}"
                    if rule.get("kind") == "limiting"
                    else f"Warn when {then_name} is recorded as better than {max_label}"
                ),
                "message": " ".join((rule.get("message") or "").split()),
                "source": rule.get("source") or "",
            }
        )
    return rows


# ---------------------------------------------------------------------------
# The working calendar page
# ---------------------------------------------------------------------------

ALREADY_NON_WORKING = "{day} is already a non-working day: {name}"
NOT_A_BANK_HOLIDAY = "{day} is not a bank holiday, so it is already a working day"
ALREADY_CHANGED = "{day} already has a local change ({name}). Remove that first."
OUT_OF_RANGE = "The date must be between {first} and {last}"


def long_date(d: dt.date) -> str:
    """'Friday 25 December 2026', as GOV.UK writes a date with its day."""
    return f"{d:%A} {d.day} {d:%B %Y}"


def bank_holidays_between(*, start: dt.date, end: dt.date) -> list[working_days.SkippedDay]:
    """Return England and Wales bank holidays on weekdays from `start` to `end`, by name, from `holidays`."""
    explanation = working_days.default_calendar().explain_between(start - dt.timedelta(days=1), end)
    return list(explanation.skipped)


def non_working_day_refusal(*, date: dt.date, kind: str) -> str | None:
    """Say why `date` cannot take a local change of this kind, or return None when it can."""
    if not working_days.MIN_DATE <= date <= working_days.MAX_DATE:
        return OUT_OF_RANGE.format(first=working_days.MIN_DATE.year, last=working_days.MAX_DATE.year)
    day = long_date(date)
    existing = NonWorkingDay.objects.filter(date=date).first()
    if existing is not None:
        return ALREADY_CHANGED.format(day=day, name=existing.name)
    if kind == NonWorkingDay.Kind.CLOSED:
        if date.weekday() >= 5:
            return ALREADY_NON_WORKING.format(day=day, name=f"{date:%A}")
        name = working_days.default_calendar().holiday_name(date)
        if name:
            return ALREADY_NON_WORKING.format(day=day, name=name)
    elif working_days.default_calendar().holiday_name(date) is None:
        return NOT_A_BANK_HOLIDAY.format(day=day)
    return None


def inspection_changes(*, inspection: Inspection, labels: dict[str, str] | None = None) -> ChangeHistory:
    """Who changed the inspection's details and its judgements, newest first (bounded queries)."""
    return change_history_of(
        [
            # The warnings are the system's re-check after grades change, not anyone's edit.
            Source(inspection.history.all(), labels=labels or {}, exclude={"judgement_warnings"}),
            Source(
                Judgement.history.filter(inspection_id=inspection.pk),
                exclude={"inspection", "area"},
                select_related=("area",),
                describe=lambda record: record.area.name if record.area else "A judgement",
                initial=True,
            ),
        ]
    )
