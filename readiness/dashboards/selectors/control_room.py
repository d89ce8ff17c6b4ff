"""Inspection control room."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

# An inspection with no last on-site day recorded counts as on site for two weeks from its start.
ONSITE_WITHOUT_END = dt.timedelta(days=14)


def _room_kinds() -> tuple[str, str]:
    """The kinds the control room opens for. A mock inspection (peer reviewers, two weeks on site)
    rehearses the real weeks, so it gets the room too; an actual inspection always wins."""
    from inspections.models import Inspection

    return (Inspection.Kind.ACTUAL, Inspection.Kind.MOCK)


def _actual_first():
    from django.db.models import Case, Value, When

    from inspections.models import Inspection

    return Case(When(kind=Inspection.Kind.ACTUAL, then=Value(0)), default=Value(1))


def live_inspection(*, today: dt.date):
    """The inspection on site today, or None: an actual one before a mock, then the latest to start."""
    from inspections.models import Inspection

    return (
        Inspection.objects.filter(kind__in=_room_kinds(), onsite_start_on__lte=today)
        .filter(
            Q(onsite_end_on__gte=today)
            | Q(onsite_end_on__isnull=True, onsite_start_on__gte=today - ONSITE_WITHOUT_END)
        )
        .select_related("framework")
        .order_by(_actual_first(), "-onsite_start_on", "-pk")
        .first()
    )


@dataclass
class NextInspection:
    inspection: object
    starts_on: dt.date
    working_days_until: int | None


def next_inspection(*, today: dt.date, calendar=None) -> NextInspection | None:
    """The soonest actual or mock inspection with an on-site start after today, or None.

    `working_days_until` counts the working days after today up to and including the first
    on-site day (bank holidays and the council's closures skipped).
    """
    from inspections import working_days
    from inspections.models import Inspection
    from inspections.selectors import working_calendar

    inspection = (
        Inspection.objects.filter(kind__in=_room_kinds(), onsite_start_on__gt=today)
        .select_related("framework")
        .order_by("onsite_start_on", _actual_first(), "pk")
        .first()
    )
    if inspection is None:
        return None
    calendar = calendar if calendar is not None else working_calendar()
    try:
        until = working_days.working_days_between(today, inspection.onsite_start_on, calendar)
    except ValueError:  # a start beyond the working-day calendar (a mistyped year)
        until = None
    return NextInspection(
        inspection=inspection, starts_on=inspection.onsite_start_on, working_days_until=until
    )


def preview_inspection(*, pk: int):
    """An actual or mock inspection with an on-site start, for a preview of its room, or None."""
    from inspections.models import Inspection

    return (
        Inspection.objects.filter(pk=pk, kind__in=_room_kinds(), onsite_start_on__isnull=False)
        .select_related("framework")
        .first()
    )


@dataclass
class PreviewDay:
    number: int
    of: int
    date: dt.date
    previous_date: dt.date | None = None
    next_date: dt.date | None = None
    requested_out_of_range: bool = False

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.of else None


def preview_day(*, inspection, day: int | None, calendar) -> PreviewDay:
    """The inspection's Nth working day on site; day 1 if N is missing or outside the on-site days.

    The on-site days run from the first to the last on-site day (two weeks if no last day is
    recorded, as for the live room). Day N is the on-site start plus N-1 working days.
    """
    from inspections import working_days

    start = inspection.onsite_start_on
    before = start - dt.timedelta(days=1)
    end = inspection.onsite_end_on or start + ONSITE_WITHOUT_END
    of = max(working_days.working_days_between(before, end, calendar), 1)
    out_of_range = day is not None and not 1 <= day <= of
    number = 1 if day is None or out_of_range else day
    date = working_days.add_working_days(before, number, calendar)
    return PreviewDay(
        number=number,
        of=of,
        date=date,
        previous_date=working_days.add_working_days(date, -1, calendar) if number > 1 else None,
        next_date=working_days.add_working_days(date, 1, calendar) if number < of else None,
        requested_out_of_range=out_of_range,
    )


@dataclass
class OnsiteDay:
    number: int
    of: int | None
    is_working_day: bool


def onsite_day(*, start: dt.date, end: dt.date | None, today: dt.date, calendar=None) -> OnsiteDay:
    """Day N of M on site, counting working days only (bank holidays and closures skipped)."""
    from inspections import working_days

    before = start - dt.timedelta(days=1)
    number = working_days.working_days_between(before, today, calendar)
    of = working_days.working_days_between(before, end, calendar) if end else None
    return OnsiteDay(number=number, of=of, is_working_day=working_days.is_working_day(today, calendar))


@dataclass
class AuditProgress:
    available: bool
    members: int = 0
    audits: int = 0
    done: int = 0
    shared: int = 0


def inspection_audit_progress(*, inspection) -> AuditProgress:
    """The inspection's audit sample: children in it, audits done and shared (counts only)."""
    try:
        from casework.models import CaseAudit, Sample, SampleMember
    except ImportError:
        return AuditProgress(available=False)
    members = SampleMember.objects.filter(
        sample__inspection=inspection, sample__kind=Sample.Kind.INSPECTION_AUDIT
    ).count()
    counts = CaseAudit.objects.filter(
        member__sample__inspection=inspection, member__sample__kind=Sample.Kind.INSPECTION_AUDIT
    ).aggregate(
        audits=Count("pk"),
        done=Count("pk", filter=Q(status__in=["submitted", "moderated", "shared"])),
        shared=Count("pk", filter=Q(status="shared")),
    )
    return AuditProgress(available=True, members=members, **counts)


def control_room(*, inspection, today: dt.date, now: dt.datetime | None = None, calendar=None) -> dict:
    """What the control room shows for a live (or previewed) inspection, in a fixed number of queries.

    For a preview, `today` is the previewed day and `now` a moment on it.
    """
    from inspections.models import DataRequest, Inspection
    from inspections.selectors import milestone_rows, working_calendar

    now = now or timezone.now()
    day_start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    day_end = day_start + dt.timedelta(days=1)
    calendar = calendar if calendar is not None else working_calendar()
    requests = list(
        inspection.data_requests.exclude(status=DataRequest.Status.CLOSED).select_related("owner")
    )
    concerns = list(inspection.concerns.all())
    return {
        "inspection": inspection,
        "is_mock": inspection.kind == Inspection.Kind.MOCK,
        "today": today,
        "now": now,
        "day": onsite_day(
            start=inspection.onsite_start_on, end=inspection.onsite_end_on, today=today, calendar=calendar
        ),
        "meetings": list(inspection.meetings.filter(starts_at__gte=day_start, starts_at__lt=day_end)),
        "requests": requests,
        "requests_overdue": sum(1 for r in requests if r.due_at and r.due_at < now),
        "requests_due_today": sum(1 for r in requests if r.due_at and now <= r.due_at < day_end),
        "concerns": concerns,
        "concerns_open": sum(1 for c in concerns if c.is_open),
        "audits": inspection_audit_progress(inspection=inspection),
        "milestones": [
            row for row in milestone_rows(inspection=inspection, today=today) if not row.milestone.done_on
        ][:8],
        # Up to the day shown: a preview of day 2 does not show notes written on day 5.
        "notes": list(inspection.daily_notes.filter(day__lte=today).select_related("author")[:5]),
    }
